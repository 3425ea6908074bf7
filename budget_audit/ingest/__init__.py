"""Ingesters: one module per input format, each returning a :class:`Document`.

The format is chosen by content, not by file name: ``%PDF-`` starts a PDF; UTF-8 text
is the plain-text export (UTF-16, junk before ``%PDF-``, Office files each get a
message of their own). Anything else is an
:class:`InputError` with a hint. Only regular files under a size cap are opened (a FIFO
or ``/dev/zero`` is refused before anything blocks).
"""

from __future__ import annotations

import os
from dataclasses import replace

from ..errors import InputError
from ..model import Document
from ..safeio import SafeIOError, open_regular, read_regular

SUPPORTED_SUFFIXES = (".pdf", ".txt")
_OFFICE_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Size caps: the largest published budget PDF seen is ~40 MB, a text export ~1 MB.
MAX_PDF_BYTES = 256 << 20
MAX_TEXT_BYTES = 32 << 20
_HEAD = 4096


def _open(path: str) -> int:
    """A descriptor of the document (a regular file under the PDF size cap)."""
    if os.path.isdir(path):
        raise InputError(path, "这是一个目录，不是文件", hint="检查目录请用 budget-audit scan")
    try:
        return open_regular(path, MAX_PDF_BYTES)
    except SafeIOError as exc:
        hint = "检查路径是否正确" if not os.path.lexists(path) else "请提供 PDF 或文本导出文件"
        raise InputError(path, str(exc), hint=hint) from None


def sniff(path: str) -> str:
    """Return "pdf" or "text" for a readable file, else raise InputError."""
    fd = _open(path)
    try:
        head = os.read(fd, _HEAD)
        size = os.fstat(fd).st_size
    except OSError as exc:
        raise InputError(path, f"无法读取文件：{exc.strerror}") from None
    finally:
        os.close(fd)
    if not head.strip():
        raise InputError(path, "文件为空", hint="请提供 PDF 或文本导出文件")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_OFFICE_MAGIC):
        raise InputError(
            path,
            "暂不支持 Word/Excel 文件",
            hint="请先另存为 PDF 或导出为文本（表格以制表符分隔）",
        )
    at = _pdf_marker(path, head)
    if at is not None:
        raise InputError(
            path,
            f"PDF 标记 %PDF- 前有 {at} 字节多余的数据，PDF 阅读器不会把它当作 PDF 打开",
            hint="文件可能在下载或拼接时损坏；请重新下载，或删去开头多余的数据",
        )
    if size > MAX_TEXT_BYTES:
        raise InputError(path, f"文本文件过大（上限 {MAX_TEXT_BYTES >> 20} MiB）", hint="请拆分后分别检查")
    if head.startswith(_UTF16_BOMS):
        raise InputError(path, "文本文件是 UTF-16 编码", hint="请以 UTF-8 编码另存后再检查")
    if b"\x00" in head:
        raise InputError(path, "无法识别的二进制文件", hint="支持 PDF 和 UTF-8 文本导出")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4096-byte boundary is fine.
        if exc.start < len(head) - 4:
            raise InputError(
                path, "文本文件不是 UTF-8 编码", hint="请以 UTF-8 编码保存"
            ) from None
    return "text"


def _pdf_marker(path: str, head: bytes) -> int | None:
    """Offset of a ``%PDF-`` marker past the first KiB (within the first MiB): a PDF
    with junk in front, which is not a text file."""
    at = head.find(b"%PDF-")
    if at >= 0:
        return at
    if len(head) < _HEAD:
        return None
    try:
        fd = open_regular(path, MAX_PDF_BYTES)
        try:
            more = os.read(fd, 1 << 20)
        finally:
            os.close(fd)
    except (SafeIOError, OSError):
        return None
    at = more.find(b"%PDF-")
    return at if at >= 0 else None


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "文本文件不是 UTF-8 编码", hint="请以 UTF-8 编码保存") from None


def ingest(path: str) -> Document:
    """Read one file into a Document."""
    kind = sniff(path)
    if kind == "pdf":
        from .pdf import ingest_pdf

        doc = ingest_pdf(path)
    else:
        try:
            data = read_regular(path, MAX_TEXT_BYTES)
        except SafeIOError as exc:
            raise InputError(path, str(exc)) from None
        text = _decode(path, data)
        from .text import ingest_text

        doc = ingest_text(text, path)
        if not doc.paragraphs and not doc.tables:
            raise InputError(path, "文件中没有可读的文字", hint="请提供 PDF 或文本导出文件")
    for table in doc.tables:
        table.source = table.source or path
    doc.paragraphs = [
        p if p.source else replace(p, source=path) for p in doc.paragraphs
    ]
    return doc


def ingest_many(paths: list[str]) -> Document:
    """Read one document published as several files (e.g. a text PDF and a tables PDF)."""
    docs = [ingest(p) for p in paths]
    if len(docs) == 1:
        return docs[0]
    first = docs[0]
    merged = Document(path=first.path, format=first.format, sources=list(paths))
    for doc in docs:
        merged.pages.extend(doc.pages)
        merged.extraction_notes.extend(doc.extraction_notes)
    n = 0
    for doc in docs:
        for para in doc.paragraphs:
            n += 1
            merged.paragraphs.append(replace(para, index=n))
    for doc in docs:
        merged.tables.extend(doc.tables)
    for k, table in enumerate(merged.tables, start=1):
        table.id = f"T{k}"
    return merged
