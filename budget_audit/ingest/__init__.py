"""Ingesters: one module per input format, each returning a :class:`Document`.

The format is chosen by content, not by file name: ``%PDF-`` starts a PDF; UTF-8 text is
the plain-text export. Anything else is an :class:`InputError` with a hint.
"""

from __future__ import annotations

import os
from dataclasses import replace

from ..errors import InputError
from ..model import Document

SUPPORTED_SUFFIXES = (".pdf", ".txt")
_OFFICE_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def sniff(path: str) -> str:
    """Return "pdf" or "text" for a readable file, else raise InputError."""
    if not os.path.exists(path):
        raise InputError(path, "文件不存在", hint="检查路径是否正确")
    if os.path.isdir(path):
        raise InputError(path, "这是一个目录，不是文件", hint="检查目录请用 budget-audit scan")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(path, f"无法读取文件：{exc.strerror}") from None
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


def ingest(path: str) -> Document:
    """Read one file into a Document."""
    kind = sniff(path)
    if kind == "pdf":
        from .pdf import ingest_pdf

        doc = ingest_pdf(path)
    else:
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(path, "文本文件不是 UTF-8 编码", hint="请以 UTF-8 编码保存") from None
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
