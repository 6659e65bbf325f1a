"""py3langid's model, loaded in milliseconds: unpacked once into a cache folder, then memory-mapped.

py3langid ships its model as one 4.5 MB xz archive of a 68 MB npz; each process unpacks it again (0.6 s of
CPU, more than trafilatura spends on a page) and keeps all of it in memory (~90 MB). Here the first process unpacks
the arrays into ``$STORYDIFF_CACHE`` (else ``$XDG_CACHE_HOME/storydiff``, else ``~/.cache/storydiff``) as
plain ``.npy`` files, written to a temporary folder and renamed, so a reader never sees half a cache;
later processes map them (pages load as the classifier touches them). The identifier is py3langid's own
``LanguageIdentifier`` built from the same arrays, so the answers are the same (bench_startup.py checks
it on every real text we have). Any problem with the cache falls back to py3langid's own loading.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def cache_root() -> Path:
    if os.environ.get("STORYDIFF_CACHE"):
        return Path(os.environ["STORYDIFF_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "storydiff"


def _model_file() -> Path:
    import py3langid.langid as langid

    return Path(langid.MODEL_DIR) / langid.MODEL_FILE


def _cache_dir(model: Path) -> Path:
    from importlib.metadata import version

    stat = model.stat()
    return cache_root() / f"py3langid-{version('py3langid')}-{stat.st_size}-{int(stat.st_mtime)}"


def _unpack(model: Path, target: Path) -> None:
    """The model's arrays as .npy files in ``target`` (atomically: a temporary folder renamed)."""
    import lzma

    import numpy as np

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
    try:
        with tempfile.TemporaryFile(dir=work) as npz:
            with lzma.open(model) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for name in _ARRAYS:
                    np.save(work / f"{name}.npy", data[name], allow_pickle=False)
        try:
            work.rename(target)
        except OSError:  # another process won the race: its copy is as good
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _from_cache(folder: Path) -> Any:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    data = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
    # The arrays py3langid.modelio.load_model gives, mapped rather than read: the DFA table stays on disk
    # (a 600-character sample touches a few pages of it), row offsets and outputs become lists as there.
    return LanguageIdentifier(
        data["ptc"],
        np.asarray(data["pc"]),
        data["classes"].tolist(),
        data["nextmove"],
        data["out_feat"].tolist(),
        tk_row=data["nextmove_row"].tolist(),
    )


@cache
def identifier() -> Any:
    """py3langid's LanguageIdentifier, from the unpacked cache when possible."""
    try:
        model = _model_file()
        folder = _cache_dir(model)
        if not folder.is_dir():
            _unpack(model, folder)
        return _from_cache(folder)
    except Exception as exc:  # noqa: BLE001 - no cache (read-only home, odd layout): py3langid's own way
        log.debug("language model cache unavailable (%s); loading the packed model", exc)
        import py3langid.langid as langid

        return langid._get_identifier()


def classify(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, score), as ``py3langid.classify``."""
    return identifier().classify(text)
