"""Parse cache: the :class:`Document` an ingester produced, keyed by file content.

Re-checking an unchanged file should not pay for PDF parsing again. ``ingest_cached``
hashes every file of a document (sha256 of the bytes), and looks for a pickled
``Document`` under a key made of those hashes, the package version, ``FORMAT_VERSION``
and a fingerprint of the ingest/model source code (so a development checkout never
reads a Document written by older ingest code). On a miss it ingests and stores.

Where: ``$BUDGET_AUDIT_CACHE`` (a directory), else ``~/.cache/budget-audit``;
``BUDGET_AUDIT_CACHE=off`` disables the cache. The cache can never make a run fail:
an entry that does not unpickle to a ``Document`` is ignored and rewritten, and a
directory that cannot be created or written is skipped silently. Entries are written
to a temporary file and moved into place with ``os.replace``, so concurrent workers
and interrupted runs never leave a half-written entry under a real key.

Errors (``InputError`` for unreadable files) are not cached: they are cheap to
reproduce and the user may fix the file in place. The same content under another path
is a hit; the paths recorded in the Document are rewritten to the ones asked for.

The directory holds pickles, which execute code when loaded: like any cache of this
sort it must be writable by its owner only (it is created with mode 0700).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import __version__
from .model import Document

# Bump when the pickled model changes shape in a way the source fingerprint misses
# (e.g. a dependency such as pdfplumber/pypdfium2 changes what it extracts).
FORMAT_VERSION = 1
ENV = "BUDGET_AUDIT_CACHE"
_OFF = {"off", "0", "no", "false", "none", "disable", "disabled"}
_CHUNK = 1 << 20


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is disabled."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in _OFF:
        return None
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "budget-audit"


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A short hash of the code that decides what a Document holds."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for src in [here / "model.py", *sorted((here / "ingest").glob("*.py"))]:
        try:
            h.update(src.name.encode() + b"\0" + src.read_bytes())
        except OSError:  # an installed package without sources: the version decides
            continue
    return h.hexdigest()[:16]


def cache_key(paths: Sequence[str]) -> str:
    h = hashlib.sha256()
    h.update(f"budget-audit {__version__} format {FORMAT_VERSION} {code_fingerprint()}".encode())
    for p in paths:
        h.update(b"\0" + file_digest(p).encode())
    return h.hexdigest()


def _entry(directory: Path, key: str) -> Path:
    return directory / key[:2] / f"{key}.pickle"


def load_entry(entry: Path) -> tuple[list[str], Document] | None:
    """The (paths, Document) stored at ``entry``, or None when absent or unusable."""
    # Unpickling a large document allocates tens of thousands of objects, enough to
    # start several cyclic-GC passes over the whole heap for nothing (none of them is
    # garbage yet): collection is paused while it runs.
    paused = gc.isenabled()
    gc.disable()
    try:
        with open(entry, "rb") as fh:
            stored = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - truncated, garbage, old classes: a miss
        return None
    finally:
        if paused:
            gc.enable()
    if (
        isinstance(stored, tuple)
        and len(stored) == 2
        and isinstance(stored[0], list)
        and all(isinstance(p, str) for p in stored[0])
        and isinstance(stored[1], Document)
    ):
        return stored
    return None


def store_entry(entry: Path, paths: list[str], doc: Document) -> None:
    """Write atomically; any OS error leaves the cache as it was."""
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=entry.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((list(paths), doc), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        tmp = None
    except (OSError, pickle.PicklingError, RecursionError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def store_pickle(entry: Path, obj: object) -> None:
    """Write any picklable object atomically (the compiled rulebook uses it too); any
    OS or pickling error leaves the cache as it was."""
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=entry.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        tmp = None
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _relocate(doc: Document, stored: list[str], paths: list[str]) -> Document:
    """The same bytes under other names: point the Document at the names asked for."""
    if stored == paths:
        return doc
    rename = dict(zip(stored, paths, strict=False))
    doc.path = rename.get(doc.path, paths[0])
    doc.sources = [rename.get(s, s) for s in doc.sources]
    for table in doc.tables:
        if table.source is not None:
            table.source = rename.get(table.source, table.source)
    doc.paragraphs = [
        replace(p, source=rename.get(p.source, p.source)) if p.source in rename else p
        for p in doc.paragraphs
    ]
    return doc


def ingest_cached(paths: list[str], ingest: Callable[[list[str]], Document]) -> Document:
    """``ingest(paths)``, served from the cache when the files' bytes were seen before."""
    directory = cache_dir()
    if directory is None:
        return ingest(paths)
    try:
        key = cache_key(paths)
    except OSError:
        return ingest(paths)  # unreadable: let the ingester raise its InputError
    entry = _entry(directory, key)
    hit = load_entry(entry)
    if hit is not None:
        return _relocate(hit[1], hit[0], list(paths))
    doc = ingest(paths)
    store_entry(entry, list(paths), doc)
    return doc
