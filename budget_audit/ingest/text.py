"""Ingest the plain-text export format: prose paragraphs and tab-separated tables.

The format (as in the seed document): paragraphs are separated by blank lines; a table is
a run of lines containing tab characters, one line per row, cells separated by tabs. The
lines just above a table carry its title, the 单位名称 line and the unit line. Light
Markdown (``- `` bullets, ``**bold**``) is stripped. A form feed starts a new page; with
none, the whole text is page 1.
"""

from __future__ import annotations

import re

from ..model import Cell, Document, Page, Paragraph, RawRow, Table
from ..textsafe import strip_controls
from .common import attach_table_context

_MARKUP = re.compile(r"\*\*")
# A line that starts a paragraph of its own even without a blank line before it.
_STARTS_PARA = re.compile(
    r"^\s*(目\s*录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)
_BULLET = re.compile(r"^\s*[-*•]\s+")


def _clean(line: str) -> str:
    line = _MARKUP.sub("", line)
    line = _BULLET.sub("", line)
    return line.strip()


def _is_table_line(line: str) -> bool:
    return "\t" in line


def ingest_text(text: str, path: str) -> Document:
    """Parse the text export into a :class:`Document`."""
    doc = Document(path=path, format="text", sources=[path])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Form feeds separate pages; every other control character (ESC, BEL, NUL…) is
    # dropped here so that the Document never holds one (textsafe.py).
    pages_text = [strip_controls(t) for t in text.split("\f")]
    # Blocks in order: ("para", text, page) or ("table", rows, page)
    blocks: list[tuple[str, object, int]] = []
    for page_no, page_text in enumerate(pages_text, start=1):
        doc.pages.append(Page(number=page_no, text=page_text))
        lines = page_text.split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            if _is_table_line(line):
                rows: list[RawRow] = []
                while i < len(lines) and _is_table_line(lines[i]):
                    cells = [
                        Cell(_MARKUP.sub("", c).strip(), page=page_no)
                        for c in lines[i].split("\t")
                    ]
                    rows.append(RawRow(cells, page=page_no))
                    i += 1
                blocks.append(("table", rows, page_no))
                continue
            if not line.strip():
                i += 1
                continue
            # A paragraph: consecutive non-blank, non-table lines.
            # A bulleted line is a paragraph of its own (目录 entries, lists).
            parts: list[str] = [_clean(lines[i])]
            bullet = bool(_BULLET.match(lines[i]))
            i += 1
            while (
                not bullet
                and i < len(lines)
                and lines[i].strip()
                and not _is_table_line(lines[i])
                and not _BULLET.match(lines[i])
                and not _STARTS_PARA.match(lines[i])
                and not re.fullmatch(r"\s*目\s*录\s*", parts[-1])
            ):
                parts.append(_clean(lines[i]))
                i += 1
            blocks.append(("para", parts, page_no))

    paragraphs: list[tuple[str, int]] = []
    raw_tables: list[tuple[int, list[RawRow], int]] = []  # (para position, rows, page)
    for n, (kind, payload, page_no) in enumerate(blocks):
        if kind == "para":
            lines_of = [str(x) for x in payload] if isinstance(payload, list) else [str(payload)]
            # Short lines right above a table are its title, org and unit lines: keep
            # them apart even when no blank line separates them.
            before_table = n + 1 < len(blocks) and blocks[n + 1][0] == "table"
            if before_table and len(lines_of) <= 5 and all(len(x) <= 80 for x in lines_of):
                paragraphs.extend((x, page_no) for x in lines_of)
            else:
                paragraphs.append((_join(lines_of), page_no))
        else:
            raw_tables.append((len(paragraphs), payload, page_no))  # type: ignore[arg-type]

    # A table continued on the next page repeats nothing in this format: tables separated
    # only by a form feed (no paragraph between them) are one table.
    merged: list[tuple[int, list[RawRow], list[int]]] = []
    for pos, rows, page_no in raw_tables:
        if merged and merged[-1][0] == pos and page_no != merged[-1][2][-1]:
            merged[-1][1].extend(rows)
            merged[-1][2].append(page_no)
        else:
            merged.append((pos, list(rows), [page_no]))

    tables = [
        Table(id="", title="", rows=rows, pages=pages) for _, rows, pages in merged
    ]
    positions = [pos for pos, _, _ in merged]
    kept = attach_table_context(tables, positions, paragraphs)
    doc.paragraphs = [
        Paragraph(index=n, text=t, page=p) for n, (t, p) in enumerate(kept, start=1)
    ]
    for n, table in enumerate(tables, start=1):
        table.id = f"T{n}"
    doc.tables = tables
    return doc


def _join(parts: list[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space otherwise."""
    out = ""
    for part in parts:
        if not out:
            out = part
        elif _cjk(out[-1]) or _cjk(part[:1]):
            out += part
        else:
            out += " " + part
    return out


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
