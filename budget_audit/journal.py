"""The scan journal: one JSON line per finished document, written as it finishes.

Every scan writes one — to ``--jsonl PATH``, or else to a private temporary file
removed when the results are no longer needed — and the scanning process keeps only
where each line starts: results are read back one at a time when the reports are
written (``JournalResults``), so the main process never holds every result (3,000
documents cost the same memory as 30).

A line is ``{"v": VERSION, "key", "sha256", "status", "seconds_ms", "result"}``. On
``--resume``, lines of another version, cut short by an interruption, or not of this
shape are ignored (their documents run again), and the file is truncated after its
last complete line before new lines are appended. The file is locked (``flock``) for
the length of the scan: a second scan on the same journal is refused instead of
interleaving lines. A path that already holds something other than a journal (a note,
a document of the scanned folder) is refused, never overwritten.

File names that are not UTF-8 are kept exactly: such a line is written with JSON
``\\udcXX`` escapes (``ensure_ascii``), which read back to the same name.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from .errors import UsageError
from .safeio import same_file

VERSION = 2
_PROBE = 1 << 16

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]


def dumps(rec: dict[str, Any]) -> bytes:
    line = json.dumps(rec, ensure_ascii=False)
    try:
        data = line.encode("utf-8")
    except UnicodeEncodeError:  # a file name with undecodable bytes: escape, losslessly
        data = json.dumps(rec, ensure_ascii=True).encode("ascii")
    return data + b"\n"


def _valid(rec: Any) -> bool:
    return (
        isinstance(rec, dict)
        and rec.get("v") == VERSION
        and isinstance(rec.get("key"), str)
        and isinstance(rec.get("sha256"), str)
        and isinstance(rec.get("result"), dict)
    )


def _looks_like_journal(path: str) -> bool:
    """Empty, or its first line is a journal record of some version."""
    with open(path, "rb") as fh:
        head = fh.read(_PROBE)
    if not head.strip():
        return True
    first = head.split(b"\n", 1)[0]
    try:
        rec = json.loads(first)
    except (ValueError, RecursionError):
        return len(first) >= _PROBE and first.startswith(b'{"')  # a very long first line
    return isinstance(rec, dict) and "key" in rec and "sha256" in rec


class Journal:
    """An open, locked journal: ``add`` appends, ``get`` reads a record back."""

    def __init__(self, path: str | None, resume: bool = False, documents: Sequence[str] = ()) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="budget-audit-scan-")
            path = os.path.join(self._tmpdir, "journal.jsonl")
        else:
            _check_path(path, documents)
        self.path = path
        self.index: dict[tuple[str, str], tuple[int, int]] = {}
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise UsageError(f"{path}: 无法打开日志文件（{exc.strerror}）") from None
        self._fh = os.fdopen(fd, "r+b")
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._fh.close()
                raise UsageError(f"{path}: 日志文件正被另一个 budget-audit scan 使用", hint="等它结束，或换一个 --jsonl 文件") from None
        if resume:
            end = self._read_index()
        else:
            end = 0
        self._fh.truncate(end)
        self._fh.seek(end)
        self._reader = open(path, "rb")  # noqa: SIM115 - kept open for get()

    def _read_index(self) -> int:
        """Index the complete, valid lines; return where the last complete line ends."""
        self._fh.seek(0)
        offset = end = 0
        for line in self._fh:
            if not line.endswith(b"\n"):
                break
            end = offset + len(line)
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                rec = None
            if _valid(rec) and rec["sha256"]:
                self.index[(rec["key"], rec["sha256"])] = (offset, len(line))
            offset = end
        return end

    def add(self, rec: dict[str, Any]) -> None:
        rec = {"v": VERSION, **rec}
        data = dumps(rec)
        offset = self._fh.tell()
        self._fh.write(data)
        self._fh.flush()
        self.index[(rec["key"], rec["sha256"])] = (offset, len(data))

    def get(self, key: str, sha256: str) -> dict[str, Any] | None:
        where = self.index.get((key, sha256))
        if where is None:
            return None
        self._reader.seek(where[0])
        try:
            rec = json.loads(self._reader.read(where[1]))
        except (ValueError, RecursionError):
            return None
        return rec if _valid(rec) else None

    def finish(self) -> None:
        """Stop writing (release the lock); records stay readable."""
        if not self._fh.closed:
            self._fh.close()

    def close(self) -> None:
        self.finish()
        self._reader.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)


def _check_path(path: str, documents: Sequence[str]) -> None:
    for doc in documents:
        if same_file(path, doc):
            raise UsageError(f"--jsonl {path} 是被扫描的文档之一，拒绝覆盖")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"--jsonl {path}: 无法使用（{exc.strerror}）") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"--jsonl {path} 不是普通文件，拒绝写入")
    if not _looks_like_journal(path):
        raise UsageError(f"--jsonl {path} 已存在且不是 budget-audit 日志文件，拒绝覆盖", hint="换一个文件名")


class JournalResults(Sequence[Any]):
    """The results of a scan in job order, each read back from the journal when it is
    asked for (``load(record, i)`` turns a record into an AuditResult)."""

    def __init__(self, journal: Journal, keys: list[tuple[str, str]], load: Callable[[dict[str, Any] | None, int], Any]) -> None:
        self._journal = journal
        self._keys = keys
        self._load = load
        self._finalizer = weakref.finalize(self, journal.close)

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._load(self._journal.get(*self._keys[i]), i)

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self[i]

    def close(self) -> None:
        self._finalizer()
