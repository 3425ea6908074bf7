"""Parse cache: the :class:`Document` an ingester produced, keyed by file content.

Re-checking an unchanged file should not pay for PDF parsing again. ``ingest_cached``
hashes every file of a document (sha256 of the bytes), and looks for a stored
``Document`` under a key made of those hashes, the package version, ``FORMAT_VERSION``
and a fingerprint of the ingest/model source code (so a development checkout never
reads a Document written by older ingest code). On a miss it ingests and stores.

Where: ``$BUDGET_AUDIT_CACHE`` (a directory), else ``~/.cache/budget-audit``;
``BUDGET_AUDIT_CACHE=off`` disables the cache. The cache can never make a run fail:
an entry that does not decode to a ``Document`` is ignored and rewritten, and a
directory that cannot be created or written is skipped silently. Entries are written
to a temporary file and moved into place with ``os.replace``, so concurrent workers
and interrupted runs never leave a half-written entry under a real key.

Errors (``InputError`` for unreadable files) are not cached: they are cheap to
reproduce and the user may fix the file in place. The same content under another path
is a hit; the paths recorded in the Document are rewritten to the ones asked for.

Safety: a cache key is computable by anyone holding the public PDF, so entries are
data, never code: JSON decoded by msgspec straight into the model's dataclasses, every
field checked against its declared type (a wrong type, a missing field: a miss) —
never pickles. The paths inside are stored as placeholders (entries do not record
where a file was, and any file name, even one that is not UTF-8, can be stored).
And since a planted entry could still forge a result, the cache is
used only when its directory and the entry's subdirectory are owned by the user and
writable by nobody else, and an entry only when it is a regular file owned by the user
and not writable by others (opened without following symlinks). Anything else: the
cache is bypassed (the document is parsed afresh and nothing is stored there).
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import msgspec

from . import __version__
from .model import Document
from .safeio import SafeIOError, open_regular

# Bump when the stored model changes shape in a way the source fingerprint misses
# (e.g. a dependency such as pdfplumber/pypdfium2 changes what it extracts).
FORMAT_VERSION = 2
ENV = "BUDGET_AUDIT_CACHE"
_OFF = {"off", "0", "no", "false", "none", "disable", "disabled"}
_CHUNK = 1 << 20
MAX_ENTRY_BYTES = 512 << 20


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
    """sha256 of a regular file (SafeIOError for a FIFO, a device, a missing file)."""
    h = hashlib.sha256()
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
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


def _version() -> str:
    return f"budget-audit {__version__} format {FORMAT_VERSION} {code_fingerprint()}"


def cache_key(paths: Sequence[str]) -> str:
    h = hashlib.sha256()
    h.update(_version().encode())
    for p in paths:
        h.update(b"\0" + file_digest(p).encode())
    return h.hexdigest()


def _entry(directory: Path, key: str) -> Path:
    return directory / key[:2] / f"{key}.json"


@dataclass
class _Stored:
    """One cache entry: the version string it was written under and the Document
    (its file paths replaced by ``PLACEHOLDER`` + index)."""

    budget_audit_document: str
    doc: Document


PLACEHOLDER = "\x00file"
_DECODER = msgspec.json.Decoder(_Stored)
_ENCODER = msgspec.json.Encoder()


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    uid = os.getuid() if hasattr(os, "getuid") else st.st_uid
    return st.st_uid == uid and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_dir(directory: Path) -> bool:
    """A directory this user owns and nobody else can write into (not a symlink)."""
    try:
        st = os.lstat(directory)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _private(st)


def load_entry(entry: Path) -> tuple[list[str], Document] | None:
    """The (paths, Document) stored at ``entry``, or None when absent, unusable or
    not private to this user."""
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > MAX_ENTRY_BYTES:
                return None
            raw = fh.read()
        # Decoding a large document allocates tens of thousands of objects, enough to
        # start several cyclic-GC passes over the whole heap for nothing (none of them
        # is garbage yet): collection is paused while it runs.
        paused = gc.isenabled()
        gc.disable()
        try:
            stored = _DECODER.decode(raw)
        finally:
            if paused:
                gc.enable()
        if stored.budget_audit_document != _version():
            return None
        return _placeholders(len(stored.doc.sources) or 1), stored.doc
    except Exception:  # noqa: BLE001 - truncated, garbage, another shape: a miss
        return None


def store_entry(entry: Path, paths: list[str], doc: Document) -> None:
    """Write atomically into a private subdirectory; any error leaves the cache as
    it was."""
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not private_dir(entry.parent):
            return
        held = _placeholders(len(paths))
        _relocate(doc, list(paths), held)
        try:
            data = _ENCODER.encode(_Stored(_version(), doc))
        finally:
            _relocate(doc, held, list(paths))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=entry.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, entry)
        tmp = None
    except (OSError, TypeError, ValueError, RecursionError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_private(entry: Path) -> bytes | None:
    """The bytes of a cache file, only when it and its directory are private to this
    user (a regular file, not a symlink, owned by the user and writable by nobody
    else); None otherwise. Used for the parse cache and the compiled rules."""
    if not private_dir(entry.parent) or (entry.parent.parent != entry.parent and not private_dir(entry.parent.parent)):
        return None
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > MAX_ENTRY_BYTES:
            return None
        try:
            return fh.read()
        except OSError:
            return None


def store_private(entry: Path, data: bytes) -> None:
    """Write ``data`` atomically into a private directory; any error leaves the cache
    as it was."""
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not private_dir(entry.parent) or not private_dir(entry.parent.parent):
            return
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=entry.suffix, dir=entry.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, entry)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _placeholders(n: int) -> list[str]:
    return [f"{PLACEHOLDER}{k}" for k in range(n)]


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
    except (OSError, SafeIOError):
        return ingest(paths)  # unreadable or not a regular file: the ingester says why
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return ingest(paths)
    if not private_dir(directory):
        return ingest(paths)  # shared or foreign cache: neither trusted nor filled
    entry = _entry(directory, key)
    hit = load_entry(entry) if private_dir(entry.parent) else None
    if hit is not None:
        return _relocate(hit[1], hit[0], list(paths))
    doc = ingest(paths)
    store_entry(entry, list(paths), doc)
    return doc
