"""Page pictures for reports: a PNG crop of a PDF page with the offending cells or
sentence outlined, and the text printed inside a box.

Boxes are PDF points, ``(x0, top, x1, bottom)`` from the page's top-left (as
``Location.bbox``). A prose location without a box is found on its page with
pdfium's text search (the whole sentence, then shorter pieces of it). Rendering uses
pypdfium2; outlines are drawn with Pillow. Open documents are cached per renderer.

Drawing runs pdfium's renderer on untrusted pages: a page of 14,400 × 14,400 pt at 144
dpi is a 3 GB bitmap. So a page is drawn at most ``MAX_PIXELS`` large (the scale is
lowered to fit), and ``draw_findings`` — what the HTML report calls — runs in a child
process with a memory cap and a time limit enforced from outside (``guard.py``): a
page that still takes too long or too much yields no picture, never a stuck or
crashed report.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from typing import Any

from .model import BBox, Location

SCALE = 2.0  # pixels per PDF point (144 dpi)
MAX_PIXELS = 32_000_000  # per rendered page: ~128 MB of RGBA
MARGIN = 24  # points of context around the outlined boxes
COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"]


class PageRenderer:
    """Caches open PDFs; ``crop`` returns a base64 PNG or None when it cannot draw."""

    def __init__(self, scale: float = SCALE) -> None:
        self.scale = scale
        self._docs: dict[str, Any] = {}

    def close(self) -> None:
        for pdf in self._docs.values():
            pdf.close()
        self._docs.clear()

    def _pdf(self, path: str) -> Any:
        if path not in self._docs:
            import pypdfium2 as pdfium

            self._docs[path] = pdfium.PdfDocument(path)
        return self._docs[path]

    def is_pdf(self, path: str | None) -> bool:
        if not path:
            return False
        try:
            with open(path, "rb") as fh:
                return b"%PDF-" in fh.read(1024)
        except OSError:
            return False

    def find_text(self, path: str, page: int, text: str) -> list[BBox]:
        """Boxes (points, top-left origin) of ``text`` on the page; [] if not found."""
        pdf = self._pdf(path)
        pg = pdf[page - 1]
        height = pg.get_height()
        tp = pg.get_textpage()
        try:
            for needle in _needles(text):
                searcher = tp.search(needle, match_case=False, match_whole_word=False)
                hit = searcher.get_next()
                searcher.close()
                if hit:
                    index, count = hit
                    n = tp.count_rects(index, count)
                    boxes = [tp.get_rect(i) for i in range(n)]
                    return _merge_lines([(x0, height - t, x1, height - b) for (x0, b, x1, t) in boxes])
            return []
        finally:
            tp.close()
            pg.close()

    def text_in(self, path: str, page: int, bbox: BBox) -> str | None:
        pdf = self._pdf(path)
        pg = pdf[page - 1]
        tp = pg.get_textpage()
        try:
            h = pg.get_height()
            x0, top, x1, bottom = bbox
            return tp.get_text_bounded(left=x0, bottom=h - bottom, right=x1, top=h - top).strip() or None
        finally:
            tp.close()
            pg.close()

    def crop(self, path: str, page: int, groups: Sequence[Sequence[BBox]], full_width: bool = True) -> str | None:
        """Render ``page``, outline each group of boxes in its own colour (the first
        group, the finding's own cell, in red and thicker), crop around them."""
        from PIL import ImageDraw

        boxes = [b for g in groups for b in g]
        if not boxes:
            return None
        pdf = self._pdf(path)
        if not 1 <= page <= len(pdf):
            return None
        pg = pdf[page - 1]
        try:
            w_pt, h_pt = pg.get_width(), pg.get_height()
            s = page_scale(w_pt, h_pt, self.scale)
            img = pg.render(scale=s).to_pil().convert("RGB")
        finally:
            pg.close()
        draw = ImageDraw.Draw(img)
        for n, group in enumerate(groups):
            colour = COLOURS[min(n, len(COLOURS) - 1)]
            for x0, top, x1, bottom in group:
                width = 4 if n == 0 else 2
                draw.rectangle(
                    [int((x0 - 2) * s), int((top - 2) * s), int((x1 + 2) * s), int((bottom + 2) * s)],
                    outline=colour,
                    width=width,
                )
        top = max(0.0, min(b[1] for b in boxes) - MARGIN)
        bottom = min(h_pt, max(b[3] for b in boxes) + MARGIN)
        left, right = (0.0, w_pt) if full_width else (max(0.0, min(b[0] for b in boxes) - MARGIN), min(w_pt, max(b[2] for b in boxes) + MARGIN))
        img = img.crop((int(left * s), int(top * s), int(right * s), int(bottom * s)))
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=True)
        return base64.b64encode(buf.getvalue()).decode("ascii")

    def finding_crops(self, locations: Sequence[Location]) -> list[dict[str, Any]]:
        """One crop per (file, page) the finding touches: its first location outlined
        in red, the others (the parts, the other side of a comparison) in blue."""
        pages: dict[tuple[str, int], list[list[BBox]]] = {}
        order: list[tuple[str, int]] = []
        for n, loc in enumerate(locations):
            if not loc.file or loc.page is None or not self.is_pdf(loc.file):
                continue
            boxes: list[BBox] = []
            if loc.bbox:
                boxes = [tuple(loc.bbox)]  # type: ignore[list-item]
            elif loc.text and not loc.table:
                try:
                    boxes = self.find_text(loc.file, loc.page, loc.text)
                except Exception:  # a page pdfium cannot read: no picture, no crash
                    boxes = []
            if not boxes:
                continue
            key = (loc.file, loc.page)
            if key not in pages:
                pages[key] = [[], []]
                order.append(key)
            pages[key][0 if n == 0 else 1].extend(boxes)
        out = []
        for file, page in order[:3]:
            groups = pages[(file, page)]
            try:
                png = self.crop(file, page, groups)
            except Exception:
                png = None
            if png:
                out.append({"file": file, "page": page, "png": png, "boxes": len(groups[0]) + len(groups[1])})
        return out


def page_scale(w_pt: float, h_pt: float, scale: float = SCALE) -> float:
    """``scale``, lowered so that the page is at most MAX_PIXELS large."""
    area = max(w_pt, 1.0) * max(h_pt, 1.0)
    if area * scale * scale <= MAX_PIXELS:
        return scale
    return (MAX_PIXELS / area) ** 0.5


def draw_findings(locations: Sequence[Sequence[Location]], scale: float = SCALE) -> list[list[dict[str, Any]]]:
    """The crops of each finding (its locations), drawn in this process."""
    pages = PageRenderer(scale)
    try:
        return [pages.finding_crops(locs) for locs in locations]
    finally:
        pages.close()


def draw_findings_limited(
    locations: Sequence[Sequence[Location]], scale: float = SCALE, limits: tuple[float | None, int | None] | None = None
) -> list[list[dict[str, Any]]]:
    """``draw_findings`` in a limited child process (``limits``: seconds and MB, e.g.
    a scan's --timeout and --max-memory); no pictures when it fails."""
    from .guard import DRAW_MEMORY_MB, DRAW_TIMEOUT, run_limited

    if not locations:
        return []
    seconds, memory = limits or (None, None)
    out = run_limited(
        draw_findings, [list(x) for x in locations], scale, timeout=seconds or DRAW_TIMEOUT, max_memory_mb=memory or DRAW_MEMORY_MB
    )
    return out if isinstance(out, list) and len(out) == len(locations) else [[] for _ in locations]


def _needles(text: str) -> list[str]:
    """The sentence, then pieces of it: PDF text may break lines or space characters
    differently from the extracted sentence."""
    t = re.sub(r"\s+", "", text)
    out = [t]
    for n in (40, 24, 14):
        if len(t) > n:
            out.append(t[:n])
    pieces = [p for p in re.split(r"[，,。；;：:]", t) if len(p) >= 6]
    out.extend(pieces[:3])
    return out


def _merge_lines(boxes: list[BBox]) -> list[BBox]:
    """pdfium gives one rectangle per character run; join those on one line into one
    outline per line."""
    lines: list[list[float]] = []
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: (round(b[1]), b[0])):
        last = lines[-1] if lines else None
        if last and abs(top - last[1]) < (bottom - top) / 2 + 1 and x0 - last[2] < 3 * (bottom - top):
            last[0], last[1], last[2], last[3] = min(last[0], x0), min(last[1], top), max(last[2], x1), max(last[3], bottom)
        else:
            lines.append([x0, top, x1, bottom])
    return [(a, b, c, d) for a, b, c, d in lines]
