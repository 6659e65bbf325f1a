"""Decoding bytes to text: BOMs, UTF-16/32 without one, declarations, legacy code pages, plausibility.

All texts are fictional, written for these tests.
"""

from __future__ import annotations

import random

import pytest

from storydiff.errors import DecodeError
from storydiff.readers.encoding import (
    clean_controls,
    codec_for,
    declared_encoding,
    decode,
    plausibility,
    wide_encoding,
)

TEXTS = {
    "fr": "Le maire de Valmorin a déclaré mercredi que le nouveau port ouvrira en été. « Nous sommes très "
    "fiers », a-t-il ajouté près du théâtre. Les pêcheurs craignent une hausse des coûts.",
    "de": "Die Bürgermeisterin von Kleinhausen sagte am Dienstag, dass die Brücke über den Fluss gesperrt "
    "bleibt. Fußgänger müssen einen Umweg über die Straße am Südufer nehmen.",
    "es": "El alcalde de Villanueva del Río anunció el miércoles que la biblioteca pública reabrirá en otoño. "
    "Según él, la reforma costó más de lo previsto.",
    "pl": "Burmistrz Brzeżna powiedział w środę, że nowy most zostanie otwarty jesienią. Mieszkańcy skarżą "
    "się na hałas, a radni żądają wyjaśnień. Łukasz Wróbel zapowiedział budowę przystani.",
    "cs": "Starosta obce Horní Lhota ve středu oznámil, že nová škola bude otevřena v září. Obyvatelé si "
    "stěžují na hluk, ale děti se těší na hřiště u řeky.",
    "tr": "Yenikale belediye başkanı Çarşamba günü yeni limanın ilkbaharda açılacağını söyledi. Balıkçılar "
    "ağır yağmurdan sonra köprünün güvenli olup olmadığını soruyor. Işık Yılmaz gecikmeyi açıkladı.",
    "hu": "Kisvárda polgármestere szerdán bejelentette, hogy az új híd ősszel nyílik meg. A lakók "
    "panaszkodnak a zajra, de a gyerekek örülnek a folyóparti játszótérnek.",
    "ru": "Мэр города Северогорск заявил в среду, что новый мост через реку откроется осенью. Жители "
    "жалуются на шум и пробки, а депутаты требуют объяснений по поводу стоимости.",
    "el": "Ο δήμαρχος της Νέας Πόλης δήλωσε την Τετάρτη ότι η νέα γέφυρα θα ανοίξει το φθινόπωρο. Οι "
    "κάτοικοι παραπονιούνται για τον θόρυβο στους δρόμους.",
    "lt": "Naujamiesčio meras trečiadienį pranešė, kad naujasis tiltas per upę bus atidarytas rudenį. "
    "Gyventojai skundžiasi triukšmu prie upės krantų.",
    "zh": "新港市市长周三表示，跨江新大桥将于今年秋天通车。居民抱怨施工噪音和交通拥堵，市议员要求政府公开"
    "工程费用。渔民则担心大桥会影响港口的航道。",
    "zh-hant": "新港市市長週三表示，跨江新大橋將於今年秋天通車。居民抱怨施工噪音和交通擁堵，市議員要求政府"
    "公開工程費用。漁民則擔心大橋會影響港口的航道。",
    "ja": "北浜市の市長は水曜日、川に架かる新しい橋が今年の秋に開通すると発表した。住民は工事の騒音や渋滞に"
    "不満を持っており、市議会は費用の説明を求めている。①号線の工事は来月始まる。",
    "ko": "새항시 시장은 수요일 강을 가로지르는 새 다리가 올해 가을에 개통된다고 밝혔다. 주민들은 공사 소음과 "
    "교통 체증에 불만을 나타냈고, 시의회는 공사 비용에 대한 설명을 요구했다.",
}

LEGACY = [
    ("fr", "latin-1"),  # once read as cp775
    ("fr", "cp1252"),
    ("de", "latin-1"),
    ("es", "cp1252"),
    ("pl", "cp1250"),
    ("pl", "iso8859-2"),  # once read as iso8859_10
    ("cs", "cp1250"),
    ("cs", "iso8859-2"),
    ("tr", "cp1254"),  # once read as cp1250
    ("tr", "iso8859-9"),
    ("hu", "iso8859-2"),
    ("ru", "cp1251"),
    ("ru", "koi8-r"),
    ("ru", "iso8859-5"),
    ("el", "cp1253"),
    ("lt", "cp1257"),
    ("zh", "gb18030"),
    ("zh-hant", "big5"),
    ("ja", "cp932"),
    ("ko", "cp949"),
]


@pytest.mark.parametrize(("language", "encoding"), LEGACY)
def test_undeclared_legacy_encodings_decode_right(language: str, encoding: str) -> None:
    text = TEXTS[language]
    assert decode(text.encode(encoding)) == text


SHORT_LINES = [
    ("Le maire a été réélu à Valmorin.", "latin-1"),
    ("Señora Núñez ganó la elección en Córdoba del Río.", "latin-1"),
    ("Łódź otworzyła nowy dworzec.", "cp1250"),
    ("Sąd w Gdańsku skazał oszusta.", "iso8859-2"),
    ("Çarşamba günü İzmir'de yağmur yağdı.", "cp1254"),
    ("Ağrı Dağı'na tırmanış başladı.", "cp1254"),  # fits Icelandic letters when read as windows-1252
    ("Garðar fór á Þingvelli í gær.", "cp1252"),  # and real Icelandic still reads as Icelandic
]


@pytest.mark.parametrize(("text", "encoding"), SHORT_LINES)
def test_short_lines_with_few_letters_beyond_ascii(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("language", ["fr", "ru", "zh", "ja", "ko"])
def test_utf16_and_utf32_without_bom(language: str, encoding: str) -> None:
    text = TEXTS[language]
    assert decode(text.encode(encoding)) == text


def test_byte_order_marks() -> None:
    text = TEXTS["de"]
    for encoding in ("utf-8-sig", "utf-16", "utf-32"):
        assert decode(text.encode(encoding)) == text


def test_wide_encoding_names_the_byte_order_and_leaves_other_bytes_alone() -> None:
    assert wide_encoding("Harbour news".encode("utf-16-le")) == "utf-16-le"
    assert wide_encoding(TEXTS["ru"].encode("utf-16-be")) == "utf-16-be"
    assert wide_encoding("Harbour".encode("utf-32-le")) == "utf-32-le"
    assert wide_encoding(TEXTS["fr"].encode("utf-8")) is None
    assert wide_encoding(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20) is None


def test_declared_encoding_comes_before_guessing() -> None:
    # Ambiguous bytes: windows-1251 and KOI8-R both give Cyrillic letters; the declaration decides.
    text = "<html><head><meta charset='koi8-r'></head><body><p>" + TEXTS["ru"] + "</p></body></html>"
    assert decode(text.encode("koi8-r"), html=True) == text
    xml = '<?xml version="1.0" encoding="windows-1250"?><rss><channel><title>' + TEXTS["pl"] + "</title>"
    assert decode(xml.encode("cp1250"), xml=True) == xml
    assert decode(TEXTS["tr"].encode("cp1254"), content_type="text/html; charset=ISO-8859-9") == TEXTS["tr"]


def test_declarations_are_read_as_their_web_supersets() -> None:
    assert codec_for("Shift_JIS") == "cp932" and codec_for("EUC-KR") == "cp949"
    assert codec_for("ISO-8859-1") == "cp1252" and codec_for("GB2312") == "gb18030"
    assert codec_for("no-such-charset") is None
    # ① exists in CP932 only: a strict Shift_JIS decoder fails on it.
    page = '<meta charset="shift_jis"><p>' + TEXTS["ja"] + "</p>"
    assert decode(page.encode("cp932"), html=True) == page
    korean = '<?xml version="1.0" encoding="euc-kr"?><title>똠방각하 축제가 새항시에서 열렸다</title>'
    assert decode(korean.encode("cp949"), xml=True) == korean  # 똠 is a CP949 extension


def test_a_wrong_declaration_gives_way_to_plausible_text() -> None:
    page = '<meta charset="windows-1251"><p>' + TEXTS["pl"] + "</p>"
    assert declared_encoding(page.encode("cp1250")) == "cp1251"
    assert decode(page.encode("cp1250"), html=True) == page


def test_mislabelled_utf8_stays_utf8() -> None:
    page = '<meta charset="iso-8859-1"><p>' + TEXTS["de"] + "</p>"
    assert decode(page.encode("utf-8"), html=True) == page


def test_binary_data_is_refused() -> None:
    rng = random.Random(7)
    with pytest.raises(DecodeError):
        decode(bytes(rng.randrange(256) for _ in range(4000)))
    with pytest.raises(DecodeError):
        decode(bytes(rng.randrange(128, 256) for _ in range(4000)))


def test_plausibility_tells_text_from_mojibake() -> None:
    assert plausibility(TEXTS["pl"]) == 1.0 and plausibility("Plain ASCII words.") == 1.0
    assert plausibility(TEXTS["pl"].encode("cp1250").decode("latin-1")) < 0.8
    assert plausibility(TEXTS["de"].encode("utf-8").decode("cp1252")) < 0.8  # "BÃ¼rgermeisterin"
    assert plausibility(TEXTS["ru"].encode("koi8-r").decode("cp1251")) < 0.8  # "нЬТ ЗПТПДБ"
    assert plausibility(TEXTS["ja"].encode("cp932").decode("gb18030", "replace")) < 0.8


def test_a_declaration_that_gives_mojibake_is_overruled() -> None:
    page = '<meta charset="windows-1251"><p>' + TEXTS["ru"] + "</p>"
    assert decode(page.encode("koi8-r"), html=True) == page


def test_control_characters_are_cleaned() -> None:
    assert clean_controls("Harbour\x00 lights\x07 back\x0bon\ud800.") == "Harbour lights back\non."
    assert clean_controls("Tab\tand\nlines\r\n") == "Tab\tand\nlines\r\n"
    assert decode(b"Harbour\x00 lights\x1b back on.") == "Harbour lights back on."
