"""Table detection on one PDF page: ruled grids and rule-less column layouts.

This module owns turning a page's characters and ruling edges (from ``pdf_text``) into
table pieces (``Piece``): a grid of cells with text, per-cell boxes, column boundaries
and the characters it consumed. Ruled grids reuse pdfplumber's geometry functions
(edge snapping/joining, intersections, cells, cell groups) on pdfium-sourced edges, so
no page is ever parsed by pdfminer. Pages without ruling lines fall back to clustering
the x-positions of word segments (``find_text_tables``). Joining pieces across pages
and attaching titles is done by ``pdf.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from pdfplumber.table import (
    cells_to_tables,
    edges_to_intersections,
    merge_edges,
)

from ..model import BBox, Cell
from .pdf_text import Char, Line, PageData, build_lines, join_fragments, split_segments

_TOL = 3.0  # pdfplumber's default snap/join/intersection tolerance, in points
_AMOUNT = re.compile(r"^[-(（]?\d[\d,]*(\.\d+)?[)）]?%?$")


@dataclass(slots=True)
class Piece:
    """One table piece on one page (a table may continue on the next page)."""

    page: int
    bbox: BBox
    xs: list[float]  # column boundaries, left to right (len = columns + 1)
    rows: list[list[Cell]]
    ruled: bool = True
    used: set[int] = field(default_factory=set)  # ids of consumed chars
    # Line texts of multi-line cells in the top rows (title and unit rows drawn inside
    # the grid keep their lines apart there), keyed by (row, column).
    lines: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    # Where each cell's text sits: its left margin and whether its last line runs to
    # the cell's right edge, keyed by (row, column). A row split by the page break goes
    # on, from the same margin, in the same cell of the next page's first row.
    margins: dict[tuple[int, int], float] = field(default_factory=dict)
    full: set[tuple[int, int]] = field(default_factory=set)
    # Text drawn across the grid's top or bottom rule (in no cell), line by line.
    stray: list[str] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1


def is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(text.replace(" ", "")))


def intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``, same cells in the same order, without
    its quadratic scans: for each intersection (in sorted order) the smallest cell
    whose corners are intersections joined by common edges.

    pdfplumber rebuilds both points' edge sets for every pair it tests and scans all
    later points for those below and to the right; on a 44-page ruled file that was a
    third of the table time. Here each point's edge sets are built once, and the
    points below (same x) and to the right (same top) come from groups.
    """
    points = sorted(intersections)
    v_sets = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[p]["v"]} for p in points}
    h_sets = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[p]["h"]} for p in points}

    def connects(p1: tuple[float, float], p2: tuple[float, float]) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    by_x: dict[float, list[tuple[float, float]]] = {}
    by_top: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # sorted by (x, top): each group comes out in order
        by_x.setdefault(p[0], []).append(p)
        by_top.setdefault(p[1], []).append(p)
    pos_x = {p: k for group in by_x.values() for k, p in enumerate(group)}
    pos_top = {p: k for group in by_top.values() for k, p in enumerate(group)}
    cells = []
    for pt in points:
        below = by_x[pt[0]][pos_x[pt] + 1 :]
        right = by_top[pt[1]][pos_top[pt] + 1 :]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                bottom_right = (right_pt[0], below_pt[1])
                if bottom_right in intersections and connects(bottom_right, right_pt) and connects(bottom_right, below_pt):
                    found = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def find_ruled_tables(page: PageData) -> list[Piece]:
    """Grids drawn with ruling lines (or thin filled rectangles)."""
    edges = page.edges
    nh = sum(1 for e in edges if e["orientation"] == "h")
    if nh < 2 or len(edges) - nh < 2:
        return []
    merged = merge_edges(edges, _TOL, _TOL, _TOL, _TOL)
    merged = [
        e for e in merged
        if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= _TOL
    ]
    if len(merged) > 3000:  # a hatched drawing, not a table
        return []
    merged += _closing_edges(merged)
    cells = intersections_to_cells(edges_to_intersections(merged, _TOL, _TOL))
    pieces: list[Piece] = []
    for group in cells_to_tables(cells):
        piece = _grid_piece(page, group)
        if piece is not None:
            pieces.append(piece)
    return pieces


def _closing_edges(edges: list[dict[str, float | str]]) -> list[dict[str, float | str]]:
    """Horizontal edges that close a grid where a rule is missing between vertical rules.

    A merged cell that continues on the next page has no rule at the page break (seen in
    Beijing's 项目支出绩效目标表): its vertical rules start at the same y as the rule
    closing its neighbours. Gaps wider than 15 pt between vertical rules whose ends
    align with an existing rule are closed, so the cell is found.
    """
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    extra: list[dict[str, float | str]] = []

    def crossed(a: float, b: float, y: float) -> bool:
        # A vertical rule running through y between a and b: the cells there are
        # merged across y, nothing is missing.
        return any(
            a + _TOL < float(v["x0"]) < b - _TOL
            and float(v["top"]) < y - _TOL and float(v["bottom"]) > y + _TOL
            for v in vs
        )

    def close(a: float, b: float, y: float) -> None:
        extra.append({"x0": a, "x1": b, "top": y, "bottom": y, "width": b - a,
                      "height": 0.0, "orientation": "h", "object_type": "line"})

    for end in ("top", "bottom"):
        groups: dict[float, list[float]] = {}
        for v in vs:
            y = float(v[end])
            key = next((k for k in groups if abs(k - y) <= _TOL), y)
            groups.setdefault(key, []).append(float(v["x0"]))
        for y, xs in groups.items():
            row = [h for h in hs if abs(float(h["top"]) - y) <= _TOL]
            xs.sort()
            if not row and len(xs) >= 3:
                # No rule at all where three or more vertical rules end together: a
                # Word table broken by the page leaves its piece on the next page open
                # at the top (or the first one open at the bottom).
                for a, b in zip(xs, xs[1:], strict=False):
                    if b - a > _TOL and not crossed(a, b, y):
                        close(a, b, y)
                continue
            if len(xs) < 2 or not row:
                continue
            y = float(row[0]["top"])  # on the rule itself, not a fraction off it
            for a, b in zip(xs, xs[1:], strict=False):
                if b - a <= 15:
                    continue
                mid = (a + b) / 2
                if any(float(h["x0"]) - _TOL <= mid <= float(h["x1"]) + _TOL for h in row):
                    continue
                if not crossed(a, b, y):
                    close(a, b, y)
    return extra


def _grid_piece(page: PageData, cells: list[tuple[float, float, float, float]]) -> Piece | None:
    xs = sorted({c[0] for c in cells} | {max(c[2] for c in cells)})
    ys = sorted({c[1] for c in cells} | {max(c[3] for c in cells)})
    if len(xs) < 3 and len(ys) < 3:
        return None  # a framed text box, not a table
    slot: dict[tuple[int, int], int] = {}
    origin: dict[tuple[int, int], int] = {}
    for k, (x0, top, x1, bot) in enumerate(cells):
        c0, r0 = xs.index(x0), ys.index(top)
        c1 = bisect_right(xs, x1 - 0.01)
        r1 = bisect_right(ys, bot - 0.01)
        origin[(r0, c0)] = k
        for r in range(r0, r1):
            for c in range(c0, c1):
                slot[(r, c)] = k
    bins: list[list[Char]] = [[] for _ in cells]
    used: set[int] = set()
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    stray: list[Char] = []
    for ch in page.chars:
        cx, cy = ch.cx, ch.cy
        inset = 0.25 * (ch.bottom - ch.top)
        if x_lo <= cx <= x_hi and not y_lo <= cy <= y_hi and (
            ch.top < y_lo - inset < y_lo + inset < ch.bottom or ch.top < y_hi - inset < y_hi + inset < ch.bottom
        ):
            # A glyph crossing the grid's top or bottom rule (a quarter of it or more
            # on either side; a title merely touching the rule is not) is a cell's text
            # drawn past the edge by the page break: part of the table, neither a title
            # above it nor prose below it; which row it belongs to cannot be told.
            stray.append(ch)
            used.add(id(ch))
            continue
        if not (x_lo <= cx <= x_hi and y_lo <= cy <= y_hi):
            continue
        hit = slot.get((bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1))
        if hit is not None:
            bins[hit].append(ch)
            used.add(id(ch))
    nrows, ncols = len(ys) - 1, len(xs) - 1
    rows: list[list[Cell]] = []
    top_lines: dict[tuple[int, int], list[str]] = {}
    full_cells: set[tuple[int, int]] = set()
    margins: dict[tuple[int, int], float] = {}
    for r in range(nrows):
        row: list[Cell] = []
        for c in range(ncols):
            found = origin.get((r, c))
            if found is None:
                row.append(Cell(None, page.number, None))
                continue
            box = bins[found]
            built = build_lines(box) if box else []
            texts = [_cell_line(ln) for ln in built]
            row.append(Cell(join_fragments(texts), page.number, cells[found]))
            if len(texts) > 1:
                top_lines[(r, c)] = texts
            if built:
                margins[(r, c)] = min(ln.x0 for ln in built) - cells[found][0]
                if _runs_to_edge(built, cells[found]):
                    full_cells.add((r, c))
        rows.append(row)
    # Rows made only of covered slots (a merged row's lower half) carry nothing.
    keep = [r for r in range(nrows) if any(c.text is not None for c in rows[r])]
    if not keep:
        return None
    renum = {old: new for new, old in enumerate(keep)}
    rows = [rows[r] for r in keep]
    lines = {(renum[r], c): t for (r, c), t in top_lines.items() if r in renum and renum[r] < 6}
    if len(xs) < 3 and not any(is_amount(c.text or "") for r in rows for c in r):
        return None  # a single column of boxed text (e.g. a framed note)
    return Piece(
        page.number, (x_lo, y_lo, x_hi, y_hi), xs, rows, True, used, lines,
        {(renum[r], c): m for (r, c), m in margins.items() if r in renum},
        {(renum[r], c) for (r, c) in full_cells if r in renum},
        [ln.text for ln in build_lines(stray)],
    )


def _runs_to_edge(lines: list[Line], box: tuple[float, float, float, float]) -> bool:
    """The cell's last text line fills the cell's width: no room was left for another
    character, so the text may go on (wrapped) in the next line — or on the next page.

    The text starts near the cell's left edge and its last line ends within one
    character (plus that left padding) of the right edge; a centred short label has
    wide margins on both sides and is not full.
    """
    last = lines[-1]
    size = last.size or 10.0
    left = min(ln.x0 for ln in lines) - box[0]
    right = box[2] - last.x1
    return left <= 1.2 * size and right <= left + 1.1 * size


def cell_text(chars: list[Char]) -> str:
    """Text of one cell: its lines joined, CJK without spaces, numbers intact."""
    if not chars:
        return ""
    lines = build_lines(chars)
    texts = [_cell_line(line) for line in lines]
    return join_fragments(texts)


def _cell_line(line: Line) -> str:
    # Inside a cell a wide gap between two CJK runs is justification, not a word break.
    t = line.text
    if " " in t:
        t = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +(?=[\u3000-\u9fff\uff00-\uffef])", "", t)
    return t


# --------------------------------------------------------------------------- rule-less


def find_text_tables(page: PageData, lines: list[Line], min_rows: int = 3) -> list[Piece]:
    """Tables drawn without vertical rules: runs of lines split into aligned columns.

    A run of consecutive lines, each with at least two wide-gap segments and an amount,
    becomes a table whose columns come from clustering segment x-ranges.
    """
    pieces: list[Piece] = []
    run: list[list[Line]] = []

    def flush() -> None:
        if len(run) >= min_rows:
            piece = _text_piece(page, run)
            if piece is not None:
                pieces.append(piece)
        run.clear()

    for line in lines:
        segs = split_segments(line)
        numeric = sum(1 for s in segs if is_amount(s.text))
        if len(segs) >= 2 and numeric >= 1:
            if run and line.top - run[-1][0].bottom > 3 * line.size:
                flush()
            run.append(segs)
        elif run and len(segs) >= 2 and len(run) < 4:
            run.append(segs)  # header lines without numbers
        else:
            flush()
    flush()
    return pieces


def _text_piece(page: PageData, run: list[list[Line]]) -> Piece | None:
    spans = sorted((s.x0, s.x1) for segs in run for s in segs)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 2:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 2:
        return None
    xs = [cols[0][0]] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:], strict=False)] + [cols[-1][1]]
    rows: list[list[Cell]] = []
    used: set[int] = set()
    for segs in run:
        texts: list[list[str]] = [[] for _ in cols]
        for s in segs:
            c = min(max(bisect_right(xs, s.x0 + 0.5) - 1, 0), len(cols) - 1)
            texts[c].append(s.text)
            used.update(id(ch) for ch in s.chars)
        top = min(s.top for s in segs)
        bot = max(s.bottom for s in segs)
        rows.append([
            Cell(" ".join(t), page.number, (xs[c], top, xs[c + 1], bot))
            for c, t in enumerate(texts)
        ])
    top = min(s.top for s in run[0])
    bot = max(s.bottom for s in run[-1])
    return Piece(page.number, (xs[0], top, xs[-1], bot), xs, rows, False, used)
