"""Reading inputs and writing outputs without hanging, exhausting memory or
overwriting what the user did not ask to replace.

- ``read_regular`` reads a file the user named (a document, a rule file, a config, a
  baseline) only when it is a regular file no larger than a cap: a FIFO, a socket or
  ``/dev/zero`` is refused before anything blocks or allocates (the file is opened
  non-blocking and checked again with ``fstat``, so swapping it in between does not
  help).
- ``check_output`` refuses an output path that is one of the inputs (the same file,
  through any name), that exists and is not a regular file, or that holds a PDF or an
  Office document (this tool never writes one, so such a file is somebody's
  document).
- ``atomic_write`` writes through a temporary file in the target's directory and
  renames it into place: an interrupted run never leaves half a report, and a reader
  never sees one.

Errors are ``SafeIOError`` with a Chinese message; callers wrap them into their own
``BudgetAuditError`` (input, rule file, usage).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

DOCUMENT_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class SafeIOError(ValueError):
    """A path that cannot be used as asked; ``str()`` is a Chinese sentence."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n >= 1 << 20 else f"{n} 字节"


def open_regular(path: str, limit: int | None = None) -> int:
    """A file descriptor of ``path`` opened for reading, after making sure it is a
    regular file of at most ``limit`` bytes."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SafeIOError("文件不存在") from None
    except OSError as exc:
        raise SafeIOError(f"无法读取文件：{exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SafeIOError(f"这是{_kind(st.st_mode)}，不是普通文件")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SafeIOError(f"无法读取文件：{exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SafeIOError(f"这是{_kind(st.st_mode)}，不是普通文件")
        if limit is not None and st.st_size > limit:
            raise SafeIOError(f"文件过大（{_mb(st.st_size)}，上限 {_mb(limit)}）")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (a file growing while it
    is read is cut at ``limit + 1`` and refused)."""
    fd = open_regular(path, limit)
    try:
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            except OSError as exc:
                raise SafeIOError(f"无法读取文件：{exc.strerror}") from None
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise SafeIOError(f"文件过大（上限 {_mb(limit)}）")
        return b"".join(chunks)
    finally:
        os.close(fd)


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output(path: str, inputs: Iterable[str] = (), what: str = "输出文件") -> None:
    """Refuse an output path that would destroy an input or something else."""
    for src in inputs:
        if same_file(path, src):
            raise SafeIOError(f"{what} {path} 就是输入文件 {src}，拒绝覆盖")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SafeIOError(f"{what} {path} 无法使用：{exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SafeIOError(f"{what} {path} 是{_kind(st.st_mode)}，不是普通文件，拒绝写入")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return
    if head.startswith(DOCUMENT_MAGIC):
        raise SafeIOError(f"{what} {path} 已存在且是 PDF 或 Office 文档，拒绝覆盖（本工具从不输出这类文件）")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, piece by piece: a temporary file in
    the same directory, renamed into place when the block ends without an exception
    (removed otherwise); the usual permissions (0666 less the umask)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".budget-audit-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
        if hasattr(os, "fchmod"):
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        tmp = ""
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def atomic_write(path: str, data: str | bytes) -> None:
    """Write ``data`` (str as UTF-8) to ``path`` through a temporary file renamed into
    place; the new file gets the usual permissions (0666 less the umask)."""
    with atomic_open(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
