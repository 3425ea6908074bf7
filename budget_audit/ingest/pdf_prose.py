"""Prose of a PDF: page furniture removal and lines → logical paragraphs.

This module owns the reading-order stream of one document: it drops page headers and
footers (page numbers such as "- 3 -" or "第 3 页", and running heads repeated on most
pages), then joins wrapped lines into paragraphs. A paragraph ends where a line stops
short of the right margin, before an indented line, a numbered heading (一、/（一）/1.),
a font-size change or a wide vertical gap, and at every table. A paragraph may run on
to the next page when nothing but furniture separates the two parts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import BBox
from .pdf_text import Line, join_fragments

_PAGE_NO = re.compile(
    r"^[\s\-—–－_·•]*(第\s*)?[\d一二三四五六七八九十]+(\s*页)?"
    r"(\s*[/／]\s*\d+|\s*共\s*\d+\s*页)?[\s\-—–－_·•]*$"
)
_HEADING = re.compile(
    r"^\s*(第[一二三四五六七八九十\d]+[部分章节篇]|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、．]|\d{1,2}\.(?!\d)|\d{1,2}\.(?=\d{4}年)"
    r"|附[件表]\s*\d*|目\s*录)"
)
_MARGIN = 0.09  # top/bottom share of the page where headers and footers live


@dataclass(slots=True)
class ProseLine:
    line: Line
    page: int


def drop_furniture(
    pages: list[list[Line]], heights: list[float], notes: list[str]
) -> list[list[Line]]:
    """Remove page numbers and running headers/footers from each page's lines."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.replace(" ", ""))

    repeated: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=False):
        seen = {key(ln.text) for ln in lines if _in_margin(ln, h)}
        repeated.update(seen)
    limit = max(3, len(pages) // 2)
    out: list[list[Line]] = []
    for lines, h in zip(pages, heights, strict=False):
        kept = []
        for ln in lines:
            if (_in_margin(ln, h, 0.15) and _PAGE_NO.match(ln.text)) or (
                _in_margin(ln, h)
                and repeated[key(ln.text)] >= limit
                and "表" not in ln.text  # a table title repeated on every page stays
            ):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _in_margin(line: Line, height: float, share: float = _MARGIN) -> bool:
    return line.bottom < height * share or line.top > height * (1 - share)


class ParagraphBuilder:
    """Accumulate prose lines in reading order; emit (text, page, bbox) paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[tuple[str, int]] = []
        self.boxes: list[BBox] = []
        self._cur: list[ProseLine] = []
        self._left = 0.0
        self._right = 0.0
        self._gap = 0.0
        self._margins: dict[int, tuple[float, float]] = {}

    def set_margins(self, pages: list[list[Line]], widths: list[float]) -> None:
        """Text margins per page width, from all prose lines of the document (a page
        holding only a table title has too few lines to tell its margins)."""
        by_width: dict[int, list[Line]] = {}
        for lines, w in zip(pages, widths, strict=False):
            by_width.setdefault(round(w), []).extend(lines)
        for w, lines in by_width.items():
            xs0 = sorted(ln.x0 for ln in lines)
            xs1 = sorted(ln.x1 for ln in lines)
            if xs0:
                self._margins[w] = (xs0[len(xs0) // 10], xs1[(len(xs1) * 9) // 10])

    def start_page(self, lines: list[Line], width: float) -> None:
        """Set the margins and usual line gap of the page about to be fed."""
        self._left, self._right = self._margins.get(round(width), (0.0, width))
        if len(lines) >= 8:
            # A page of running text knows its own margins best.
            xs0 = sorted(ln.x0 for ln in lines)
            xs1 = sorted(ln.x1 for ln in lines)
            self._left, self._right = xs0[len(xs0) // 10], xs1[(len(xs1) * 9) // 10]
        gaps = sorted(
            b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False) if b.top > a.bottom
        )
        self._gap = gaps[len(gaps) // 2] if gaps else 0.0

    def add(self, line: Line, page: int) -> None:
        if self._cur and self._breaks(self._cur[-1], line, page):
            self.flush()
        self._cur.append(ProseLine(line, page))

    def _breaks(self, prev_pl: ProseLine, cur: Line, page: int) -> bool:
        prev = prev_pl.line
        size = max(prev.size, cur.size, 1.0)
        if prev.x1 < self._right - 1.5 * size:
            return True  # previous line stopped short: paragraph end
        if cur.x0 > self._left + 1.2 * size:
            return True  # indented first line, or a centred/right-aligned line
        if _HEADING.match(cur.text) or abs(prev.size - cur.size) > 1.5:
            return True
        if page != prev_pl.page and prev.text.endswith(("。", "：", ":", "；", "！", "？")):
            return True
        if page == prev_pl.page:
            gap = cur.top - prev.bottom
            if gap > max(2.0 * self._gap, 0.8 * size) and gap > self._gap + 4:
                return True
        return False

    def flush(self) -> None:
        if not self._cur:
            return
        text = join_fragments([pl.line.text for pl in self._cur])
        first = self._cur[0].page
        on_first = [pl.line for pl in self._cur if pl.page == first]
        bbox = (
            min(ln.x0 for ln in on_first),
            min(ln.top for ln in on_first),
            max(ln.x1 for ln in on_first),
            max(ln.bottom for ln in on_first),
        )
        self.paragraphs.append((text, first))
        self.boxes.append(bbox)
        self._cur = []
