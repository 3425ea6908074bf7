"""Small synthetic PDF layouts for the ingester's tests, drawn with reportlab.

A page is a list of items placed from the top of an A4 page: free text lines
(:class:`Text`, a title or a unit line) and ruled grids (:class:`Grid`, one table piece:
its rows, each cell one or more lines, top-aligned with a small left padding). A page
number is printed in the footer, as real documents do. Each layout shows one thing the
ingester must get right (a table continued on the next page without its title, a row
split by the page break …), so a test fails for that reason only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

PAGE_W, PAGE_H = 595.0, 842.0
FONT = "STSong-Light"
SIZE = 10.0  # cell text size; a CJK character is SIZE wide in this font
PAD = 3.0  # left padding of cell text
LEADING = 13.0


@dataclass
class Text:
    top: float
    text: str
    size: float = 14.0
    x: float | None = None  # None: centred


@dataclass
class Grid:
    top: float
    xs: list[float]
    rows: list[list[str]]  # a cell's lines are separated by "\n"
    row_pad: float = 6.0  # vertical padding of a row around its lines
    heights: list[float] = field(default_factory=list)  # per row; default from its lines
    right: tuple[int, ...] = ()  # columns whose text is right-aligned

    def row_heights(self) -> list[float]:
        if self.heights:
            return self.heights
        return [max(c.count("\n") + 1 for c in row) * LEADING + self.row_pad for row in self.rows]

    @property
    def bottom(self) -> float:
        return self.top + sum(self.row_heights())


def draw(path: Path, pages: list[list[Text | Grid]]) -> Path:
    """Write the layout to ``path`` (deterministic output) and return it."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")
    cidfonts = pytest.importorskip("reportlab.pdfbase.cidfonts")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(cidfonts.UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
    for number, items in enumerate(pages, start=1):
        for item in items:
            if isinstance(item, Text):
                c.setFont(FONT, item.size)
                y = PAGE_H - item.top - item.size
                if item.x is None:
                    c.drawCentredString(PAGE_W / 2, y, item.text)
                else:
                    c.drawString(item.x, y, item.text)
            else:
                _grid(c, item)
        c.setFont(FONT, 9)
        c.drawCentredString(PAGE_W / 2, 30, f"- {number} -")
        c.showPage()
    c.save()
    return path


def _grid(c, grid: Grid) -> None:  # noqa: ANN001
    heights = grid.row_heights()
    ys = [grid.top]
    for h in heights:
        ys.append(ys[-1] + h)
    c.setLineWidth(0.5)
    for y in ys:
        c.line(grid.xs[0], PAGE_H - y, grid.xs[-1], PAGE_H - y)
    for x in grid.xs:
        c.line(x, PAGE_H - ys[0], x, PAGE_H - ys[-1])
    c.setFont(FONT, SIZE)
    for row, y0 in zip(grid.rows, ys, strict=False):
        for col, text in enumerate(row):
            for k, line in enumerate(text.split("\n") if text else []):
                y = PAGE_H - (y0 + grid.row_pad / 2 + SIZE + k * LEADING)
                if col in grid.right:
                    c.drawRightString(grid.xs[col + 1] - PAD, y, line)
                else:
                    c.drawString(grid.xs[col] + PAD, y, line)
