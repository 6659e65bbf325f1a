"""Line features for the plain-text boilerplate classifier (see textclean.py).

Each line of a scraped text dump gets a small numeric feature vector: where it sits, how long it is, how much
it reads like prose (stop words, ending punctuation) versus a menu (capitalised words, separators, links), and
which boilerplate pattern family, if any, it matches.  The families are evidence with learned weights, not a
verdict on their own, except for the few "hard" ones textclean.py treats as certain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass

_STOP_TEXT = """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which while who whom why will
    with would you your said says say told one two new year years last week since still like"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# CJK scripts have no spaces: count each pair of characters as a word so lengths stay comparable.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f"
WORD = re.compile(rf"[{_CJK}]{{1,2}}|[^\W\d_{_CJK}][^\W{_CJK}]*(?:['’.-][^\W{_CJK}]+)*|\d[\d,.:]*")
URLISH = re.compile(r"https?://|www\.|\.(com|org|net|co\.uk|html?)\b|@\w{2,}|\b[\w.+-]+@[\w-]+\.\w+", re.I)
SEPARATORS = re.compile(r"[|»«·•›‹>/\\]|\s[-–—]\s")


def _fam(*alternatives: str) -> re.Pattern[str]:
    """A whole-line pattern family: the line must consist of one of the alternatives (plus light punctuation)."""
    return re.compile(r"^\W*(?:" + "|".join(alternatives) + r")\W*$", re.I)


NAV_WORD = (
    r"home|homepage|news|latest|sports?|business|politics|world|opinions?|lifestyle|entertainment|tech(?:nology)?"
    r"|science|health|culture|arts?|travel|food|style|videos?|photos?|podcasts?|weather|markets|money|economy"
    r"|local|national|international|us|uk|europe|africa|asia|australia|americas|middle east|education|environment"
    r"|climate|obituaries|crime|media|features?|columns?|columnists|analysis|blogs?|events|jobs|careers|shop"
    r"|contact(?: us)?|about(?: us)?|privacy(?: policy| notice)?|terms(?: of (?:use|service))?|term of use"
    r"|terms (?:&|and) conditions|sitemap|site map|log ?in|log ?out|sign ?in|sign ?up|register|my account"
    r"|advertise(?: with us)?|faqs?|help|newsletters?|subscribe|rss(?: feeds?)?|archives?|search|menu|more|all"
    r"|sections|topics|magazine|games|puzzles|crosswords?|horoscopes?|cars|motors|property|real estate|dating"
    r"|classifieds|e-?paper|print edition|corrections|accessibility|cookie (?:policy|settings)|ethics|masthead"
    r"|editions?|feedback|tips|donate|support us|staff|team|authors?|tv|radio|live|watch|listen|music|movies"
    r"|books|fashion|beauty|wellness|family|parenting|relationships|personal finance|investing|startups"
    r"|gadgets|reviews?|deals|gaming|auto|football|soccer|cricket|tennis|golf|nba|nfl|mlb|nhl|f1|rugby|boxing"
)
# Social networks and share actions, for lines that list them ("Facebook | X | WhatsApp").
_NETWORK = (
    r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|telegram|messenger|flipboard|tumblr|instagram"
    r"|threads|bluesky|mastodon|youtube|tiktok|snapchat|signal|e-?mail|sms|print|copy(?: the)? link|copy url)"
)
NAV_LINE = re.compile(rf"^\W*(?:(?:{NAV_WORD})(?:\s*[|»·•/,&>-]\s*|\s+|$))+\W*$", re.I)

FAMILIES: dict[str, re.Pattern[str]] = {
    "skip": _fam(
        r"skip to (?:main |the )?(?:content|navigation|main|article|footer|search)",
        r"skip (?:navigation|links?|ad(?:vertisement)?)",
        r"jump to (?:content|navigation|comments)",
        r"back to top",
        r"(?:toggle|open|close) (?:navigation|menu|search)",
        r"main menu",
        r"close",
        r"go",
        r"scroll (?:down|to top)",
        r"loading\.*",
        r"show more",
        r"load more",
        r"see more",
        r"view all",
    ),
    "share": re.compile(
        r"^\W*(?:share(?: this| the)?(?: article| story| post| page| on \w+| via \w+)?|tweet(?: this)?|pin(?: it)?"
        r"|e-?mail(?: this)?(?: article| story)?|print(?: this)?(?: article| page)?|facebook|twitter|whatsapp"
        r"|linkedin|reddit|pinterest|telegram|messenger|flipboard|tumblr|instagram|youtube|google ?(?:\+|plus)"
        r"|copy(?: the)? link|link copied|like this|like loading\.*|\d+ shares?|shares?|save(?: for later| article)?"
        r"|gift (?:this )?article|listen to (?:this )?article|follow(?: us)?(?: on \w+)?|like us on facebook"
        r"|follow @\w+|we are social.*|connect with us|stay connected|share your thoughts)\W*$"
        r"|^(?:follow|like|join) (?:us|@\w+|\w+ on (?:twitter|facebook|instagram))\b"
        r"|\bshare (?:this|on)\b.{0,40}$|^(?:click|tap) (?:here )?to (?:share|tweet|email|print)"
        # A list of networks ("Share this article: Facebook | X | WhatsApp | Copy link"), however introduced.
        rf"|^\W*(?:(?:share|send|post)\b[^:|·•]{{0,30}}:\s*)?{_NETWORK}(?:\s*[|·•,/]\s*{_NETWORK})+\W*$",
        re.I,
    ),
    "comment": re.compile(
        r"^\W*(?:comments?|\d+ comments?|(?:leave|post|add|write|submit) a (?:comment|reply)|show comments"
        r"|view comments|hide comments|comments? \(\d+\)|reply|report(?: abuse| comment)?|cancel reply"
        r"|join the (?:conversation|discussion|debate)|be the first to comment|sort by \w+|newest|oldest"
        r"|discussion|conversation)\W*$"
        r"|comments? (?:are|is) (?:closed|moderated|now closed|open)"
        r"|(?:please )?(?:keep (?:it|comments|your comments) (?:civil|clean|respectful|on.topic))"
        r"|(?:community|comment|commenting|discussion) (?:guidelines|rules|standards|policy)"
        r"|must be logged in to (?:post|comment|reply)|log ?in to (?:comment|reply)|your email address will not"
        r"|required fields are marked|notify me of (?:follow-up|new) (?:comments|posts)|comments? powered by"
        r"|(?:abusive|offensive|off-topic) comments? (?:will|may) be|we reserve the right to (?:remove|delete)"
        r"|^\W*(?:name|email|website|comment)\s*\*?\W*$",
        re.I,
    ),
    "newsletter": re.compile(
        r"\bnewsletters?\b|\bsubscribe\b|\bsign up (?:for|to|now|here)\b|enter your (?:email|e-mail)"
        r"|\bemail address\b|\byour inbox\b|\bunsubscribe\b|\bsubscri(?:ption|ber)s?\b|already a (?:member|subscriber)"
        r"|unlimited (?:digital )?access|create (?:a )?(?:free )?account|(?:start|begin) (?:your )?free trial"
        r"|\bcookies?\b|by continuing to (?:use|browse)|accept (?:all|cookies)|manage (?:preferences|settings)"
        r"|privacy (?:policy|notice|settings)|terms (?:of|and) (?:service|use|conditions)|ad ?blocker|paywall"
        r"|\bregister (?:now|for free|to)\b|log ?in to (?:read|continue)|support (?:our|independent) journalism",
        re.I,
    ),
    "photo": re.compile(
        r"^\W*(?:photo|image|picture|photograph|illustration|video|graphic|credit|caption|source)s?"
        r"(?:\s*(?:credit|caption|copyright|by))?\s*[:/]"
        r"|\((?:ap|afp|reuters|getty|epa|pa|file|bloomberg)[^)]{0,40}(?:photo|images?|wire)[^)]*\)"
        r"|\b(?:ap|afp|epa|pa) photo\b|\bgetty images\b|\bshutterstock\b|\bimage (?:caption|copyright|source)\b"
        r"|\bphoto (?:credit|courtesy|by)\b|\bphotograph(?:er)?:|\bcredit:|\bcourtesy of\b|\(photo\b|\bfile photo\b"
        r"|/\s*(?:reuters|afp|ap|getty|epa|bloomberg|alamy|istock)\b|\b(?:alamy|istock(?:photo)?)\b"
        r"|\b(?:photo|portrait|headshot|picture|image) of (?:the )?author\b|\bauthor (?:photo|image|headshot)\b"
        r"|^\W*(?:enlarge|expand) (?:this )?(?:image|photo)\W*$|^\W*(?:hide|show) caption\W*$|^\W*\d+ of \d+\W*$"
        r"|^\W*(?:gallery|slideshow)\b",
        re.I,
    ),
    "byline": re.compile(
        r"^\W*by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)"
        r"{0,3})*(?:\s*[,|·-].{0,60})?$"
        r"|^\W*(?:published|updated|posted|last updated|first published|modified|posted on|written by|reporting by"
        r"|editing by|additional reporting|contributors?|author|reporter|correspondent)\b"
        r"|^\W*\d+\s*(?:min(?:ute)?s?|hours?|hrs?)\s*(?:read|ago)\W*$"
        r"|^\W*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
        r"(?:\s+\d{4})?(?:\s*(?:at|,|-|·)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\W*$"
        r"|^\W*\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}\b.{0,20}$"
        r"|^\W*\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?:\s+\d{1,2}:\d{2}.*)?$|^\W*\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\W*$",
        re.I,
    ),
    "advert": _fam(
        r"advertisement",
        r"advertising",
        r"advert",
        r"ads?",
        r"sponsored(?: content| post| links?)?",
        r"promoted",
        r"paid (?:post|content|partner)",
        r"partner content",
        r"story continues below(?: advertisement)?",
        r"article continues (?:below|after (?:this )?advertisement)",
        r"continue reading(?: below| the main story)?",
        r"(?:remove|hide) ads?",
        r"ad feedback",
        r"supported by",
        r"presented by",
    ),
    "teaser": _fam(
        r"related(?: (?:articles?|stories|story|posts?|news|content|coverage|links|topics|reading|videos?))?",
        r"read (?:also|more|next)(?: (?:about|on|from) .{1,30})?",
        r"(?:read (?:also|more|next)|also read|see also|related)\s*:\s*\S.{0,100}",
        r"also read",
        r"see also",
        r"check also",
        r"more (?:stories|news|from \S.{0,30}|on (?:this|that|\S.{0,30})|like this|to read|in \S.{0,30}|videos?)",
        r"you (?:may|might|will) (?:also )?(?:like|enjoy|be interested in)",
        r"recommended(?: for you| stories| reading)?",
        r"most (?:popular|read|viewed|shared|commented)(?: (?:stories|articles|now|today))?",
        r"trending(?: now| stories)?",
        r"popular(?: (?:posts|stories|now|articles))?",
        r"latest (?:news|stories|posts|articles|headlines)",
        r"recent (?:posts|stories|articles|news)",
        r"what to read next",
        r"don'?t miss",
        r"editor'?s picks?",
        r"top stories",
        r"in other news",
        r"further reading",
        r"more in this section",
        r"up next",
        r"watch next",
        r"from around the web",
        r"around the web",
        r"promoted stories",
        r"sponsored stories",
        r"more headlines",
        r"in case you missed it",
        r"read this next",
        r"keep reading",
        r"also on \S.{0,30}",
        r"explore more",
        r"related topics",
        r"more to explore",
        r"featured(?: (?:stories|articles|posts))?",
        r"recent",
    ),
    "legal": re.compile(
        r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|\bpowered by\b|\bdesigned by\b|\bwebsite by\b"
        r"|may not be (?:published|reproduced|broadcast|rewritten|redistributed)"
        r"|^\W*(?:tags?|topics?|filed under|categories|category|keywords|sections?)\s*:",
        re.I,
    ),
}
FAMILY_NAMES: tuple[str, ...] = tuple(FAMILIES)


FAMILY_MAX_WORDS = 80


def normalise(line: str) -> str:
    """Comparison key for a line: lower case, single spaces, digits folded (dates/counts vary per article)."""
    line = re.sub(r"\d+", "0", line.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", line)).strip()


@dataclass
class LineInfo:
    """What the classifier knows about one line."""

    text: str
    words: list[str]
    families: list[str]
    known: bool
    sentence_like: bool


def analyse_line(line: str, known_boilerplate: Collection[str] = ()) -> LineInfo:
    words = WORD.findall(line)
    # Patterns describe short page furniture; in a long paragraph "subscribe" or "Getty Images" is just prose.
    fams = (
        [name for name, pat in FAMILIES.items() if pat.search(line)] if len(words) <= FAMILY_MAX_WORDS else []
    )
    if NAV_LINE.match(line) and len(words) <= 12:
        fams.append("nav")
    ends = line.rstrip().rstrip("\"'”’)]»").endswith((".", "!", "?", ":", ";", "。", "！", "？"))
    return LineInfo(
        text=line,
        words=words,
        families=fams,
        known=bool(known_boilerplate) and normalise(line) in known_boilerplate,
        sentence_like=ends and len(words) >= 6,
    )


# Order of the columns of a feature vector; textclean.WEIGHTS uses the same names.
FEATURE_NAMES: tuple[str, ...] = (
    "bias",
    "log_words",
    "short",
    "stop_density",
    "cap_share",
    "ends_sentence",
    "url_density",
    "sep_density",
    "digit_share",
    "prose_before",
    "prose_after",
    "known",
    "prev_long",
    "next_long",
    "prev_sentence",
    "next_sentence",
    *(f"fam_{n}" for n in (*FAMILY_NAMES, "nav")),
)


def _long(info: LineInfo | None) -> float:
    return 0.0 if info is None else min(len(info.words), 60) / 60


# Lines that interrupt the prose without ending it (ad slots, photo captions): context looks past them.
INTERRUPTIONS = frozenset({"advert", "photo"})


def _neighbour(infos: list[LineInfo], i: int, step: int) -> LineInfo | None:
    j = i + step
    while 0 <= j < len(infos) and INTERRUPTIONS.intersection(infos[j].families) and len(infos[j].words) <= 40:
        j += step
    return infos[j] if 0 <= j < len(infos) else None


WINDOW = 5


def _prose_share(window: list[LineInfo]) -> float:
    """Share of sentence-like lines nearby.  Position by context, not by index: boilerplate clusters at the top
    and bottom of a dump, but an already clean text must not lose its first or last paragraph for being there,
    so an empty window (start or end of the text) is neutral."""
    if not window:
        return 0.5
    return sum(w.sentence_like for w in window) / len(window)


def line_features(infos: list[LineInfo], i: int) -> list[float]:
    info = infos[i]
    words = info.words
    n = max(len(words), 1)
    lower = [w.lower() for w in words]
    alpha = [w for w in words if w[0].isalpha()]
    prev_ = _neighbour(infos, i, -1)
    next_ = _neighbour(infos, i, 1)
    feats = {
        "bias": 1.0,
        "log_words": math.log1p(len(words)) / 4,
        "short": 1.0 if len(words) <= 4 else 0.0,
        "stop_density": sum(w in STOP_WORDS for w in lower) / n,
        "cap_share": (sum(w[0].isupper() for w in alpha) / len(alpha)) if alpha else 1.0,
        "ends_sentence": 1.0 if info.sentence_like else 0.0,
        "url_density": min(len(URLISH.findall(info.text)) / n * 4, 1.0),
        "sep_density": min(len(SEPARATORS.findall(info.text)) / n * 2, 1.0),
        "digit_share": sum(w[0].isdigit() for w in words) / n,
        "prose_before": _prose_share(infos[max(0, i - WINDOW) : i]),
        "prose_after": _prose_share(infos[i + 1 : i + 1 + WINDOW]),
        "known": 1.0 if info.known else 0.0,
        "prev_long": _long(prev_),
        "next_long": _long(next_),
        "prev_sentence": 1.0 if prev_ is not None and prev_.sentence_like else 0.0,
        "next_sentence": 1.0 if next_ is not None and next_.sentence_like else 0.0,
    }
    for fam in (*FAMILY_NAMES, "nav"):
        feats[f"fam_{fam}"] = 1.0 if fam in info.families else 0.0
    return [feats[name] for name in FEATURE_NAMES]
