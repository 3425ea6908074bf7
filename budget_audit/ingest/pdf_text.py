"""Low-level PDF page reading with pypdfium2: characters, ruling edges and text lines.

This module owns everything that touches pdfium: it turns one page into ``PageData``
(characters with boxes in top-down display coordinates, horizontal/vertical ruling
edges as pdfplumber-style dicts; paths painted only in white are not rules) and rebuilds text lines from character positions
(grouped by baseline, sorted by x) so that producers which write the content stream in
scrambled order still read correctly. It also owns CJK-aware line joining, shared by
the table and paragraph builders.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_c

# Codepoints dropped from the character list: line breaks, pdfium's markers, and every
# C0/C1 control and bidi override a hostile text layer could use to drive a terminal
# (textsafe.py); a lone UTF-16 surrogate becomes U+FFFD.
_SKIP = frozenset(
    [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE, 0xFFFF]
)
_WHITE = 250  # every RGB channel at least this: a white paint, invisible on the page


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """Characters sharing a baseline, sorted by x; ``text`` has gap-spaces inserted."""

    chars: list[Char]
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(slots=True)
class PageData:
    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    edges: list[dict[str, float | str]] = field(default_factory=list)
    stream_text: str = ""  # pdfium's own text, independent of our line rebuilding
    images: int = 0


def cjk(ch: str) -> bool:
    """True for CJK ideographs and full-width punctuation (no spaces around them)."""
    return bool(ch) and (
        "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"
    )


def join_fragments(parts: list[str]) -> str:
    """Join wrapped fragments: no space next to CJK or inside numbers, else one space."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
            continue
        a, b = out[-1], part[0]
        if cjk(a) or cjk(b) or (a.isdigit() or a in ",.-") and (b.isdigit() or b in ",.%"):
            out += part
        else:
            out += " " + part
    return out


# --------------------------------------------------------------------------- pdfium


class _Transform:
    """Map unrotated PDF user space to top-down display coordinates (pdfplumber's)."""

    def __init__(self, left: float, bottom: float, w: float, h: float, rot: int) -> None:
        self.left, self.bottom, self.w, self.h, self.rot = left, bottom, w, h, rot % 360

    def box(self, lft: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
        lft, r, b, t = lft - self.left, r - self.left, b - self.bottom, t - self.bottom
        if self.rot == 90:
            return b, lft, t, r
        if self.rot == 180:
            return self.w - r, b, self.w - lft, t
        if self.rot == 270:
            return self.h - t, self.w - r, self.h - b, self.w - lft
        return lft, self.h - t, r, self.h - b


def read_page(pdf: object, index: int) -> PageData:
    """Read characters and ruling edges of page ``index`` (0-based) of a raw pdfium doc."""
    page = pdfium_c.FPDF_LoadPage(pdf, index)
    if not page:
        raise RuntimeError("page load failed")
    try:
        rect = pdfium_c.FS_RECTF()
        if pdfium_c.FPDF_GetPageBoundingBox(page, rect):
            left, bottom = rect.left, rect.bottom
            w, h = rect.right - rect.left, rect.top - rect.bottom
        else:
            left, bottom = 0.0, 0.0
            w, h = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        rot = pdfium_c.FPDFPage_GetRotation(page) * 90
        tf = _Transform(left, bottom, w, h, rot)
        dw, dh = (h, w) if rot in (90, 270) else (w, h)
        data = PageData(number=index + 1, width=float(dw), height=float(dh))
        _read_chars(page, tf, data)
        _read_objects(page, tf, data)
        return data
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _read_chars(page: object, tf: _Transform, data: PageData) -> None:
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        return
    try:
        n = pdfium_c.FPDFText_CountChars(textpage)
        if n <= 0:
            return
        buf = (ctypes.c_ushort * (n + 1))()
        got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
        data.stream_text = bytes(buf)[: max(got - 1, 0) * 2].decode("utf-16-le", "ignore")
        rect = pdfium_c.FS_RECTF()
        rect_at = ctypes.addressof(rect)
        cl, cr, cb, ct = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        # The per-character calls take the text page by address (no handle conversion).
        V, Int = ctypes.c_void_p, ctypes.c_int  # noqa: N806
        tp = ctypes.cast(textpage, V).value
        get_uni = _by_address("FPDFText_GetUnicode", ctypes.c_uint, V, Int)
        is_gen = _by_address("FPDFText_IsGenerated", Int, V, Int)
        loose = _by_address("FPDFText_GetLooseCharBox", Int, V, Int, V)
        tight = pdfium_c.FPDFText_GetCharBox
        fsize = pdfium_c.FPDFText_GetFontSize
        chars = data.chars
        clips: dict[int | None, tuple[float, float, float, float] | None] = {}
        shared: dict[tuple[tuple[int, int | None], ...], tuple[float, float, float, float] | None] = {}
        get_obj = _by_address("FPDFText_GetTextObject", V, V, Int)
        for i in range(n):
            u = get_uni(tp, i)
            if u in _SKIP or is_gen(tp, i) == 1:
                continue
            ch = "\ufffd" if 0xD800 <= u <= 0xDFFF or u > 0x10FFFF else chr(u)
            if ch.isspace():
                continue  # spaces are re-derived from gaps
            if loose(tp, i, rect_at):
                x0, top, x1, bot = tf.box(rect.left, rect.bottom, rect.right, rect.top)
            elif tight(textpage, i, ctypes.byref(cl), ctypes.byref(cr), ctypes.byref(cb), ctypes.byref(ct)):
                x0, top, x1, bot = tf.box(cl.value, cb.value, cr.value, ct.value)
            else:
                continue
            key = get_obj(tp, i)
            if key not in clips:
                clips[key] = _clip_box(key, tf, shared) if key else None
            clip = clips[key]
            cx, cy = (x0 + x1) / 2, (top + bot) / 2
            if clip is not None and not (
                clip[0] - 1 <= cx <= clip[2] + 1 and clip[1] - 1 <= cy <= clip[3] + 1
            ):
                continue  # clipped away: e.g. a merged cell's text repeated on each page
            if not (0 <= cx <= data.width and 0 <= cy <= data.height):
                continue  # off the page
            # The loose box height tracks the rendered size; FPDFText_GetFontSize
            # ignores the text matrix (Fuzhou's WPS files report 221 for 11 pt text).
            size = bot - top if bot > top else fsize(textpage, i)
            chars.append(Char(ch, x0, top, x1, bot, float(size)))
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


_BY_ADDRESS: dict[str, Any] = {}
# pdfium's FPDF_CALLCONV is stdcall on 32-bit Windows only.
_STDCALL = os.name == "nt" and ctypes.sizeof(ctypes.c_void_p) == 4


def _by_address(name: str, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function taking and returning handles as plain int addresses.

    Reading a page means several calls per character; pypdfium2's typed handles cost
    a ``ctypes.cast`` each time one is used as a dict key, and a new object per call.
    Addresses are compared and hashed as ints, and passed back as ``c_void_p``.
    """
    fn = _BY_ADDRESS.get(name)
    if fn is None:
        addr = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
        proto: Any = getattr(ctypes, "WINFUNCTYPE", None) if _STDCALL else ctypes.CFUNCTYPE
        fn = _BY_ADDRESS[name] = proto(restype, *argtypes)(addr)
    return fn


_Box = tuple[float, float, float, float]


def _clip_box(obj: int, tf: _Transform, shared: dict | None = None) -> _Box | None:
    """Bounding box (display coordinates) of the intersection of an object's clip paths
    (``obj``: the page object's address).

    pdfium shares one clip path's points between all the objects drawn under it (one
    per character in many exports: 71,107 text objects, 61 distinct clips in a
    44-page Beijing file), so the paths' segment counts and first-point addresses
    identify a clip within a loaded page: ``shared`` maps them to the computed box.
    """
    V, Int = ctypes.c_void_p, ctypes.c_int  # noqa: N806
    clip = _by_address("FPDFPageObj_GetClipPath", V, V)(obj)
    if not clip:
        return None
    n_paths = _by_address("FPDFClipPath_CountPaths", Int, V)(clip)
    count = _by_address("FPDFClipPath_CountPathSegments", Int, V, Int)
    segment = _by_address("FPDFClipPath_GetPathSegment", V, V, Int, Int)
    sig = None
    if shared is not None:
        parts = []
        for k in range(n_paths):
            n = count(clip, k)
            parts.append((n, segment(clip, k, 0) if n > 0 else None))
        sig = tuple(parts)
        if sig in shared:
            return shared[sig]
    box = _clip_paths_box(clip, n_paths, tf)
    if shared is not None:
        shared[sig] = box
    return box


def _clip_paths_box(clip: int, n_paths: int, tf: _Transform) -> _Box | None:
    V, Int = ctypes.c_void_p, ctypes.c_int  # noqa: N806
    count = _by_address("FPDFClipPath_CountPathSegments", Int, V, Int)
    segment = _by_address("FPDFClipPath_GetPathSegment", V, V, Int, Int)
    FP = ctypes.POINTER(ctypes.c_float)  # noqa: N806
    point = _by_address("FPDFPathSegment_GetPoint", ctypes.c_int, V, FP, FP)
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.pointer(x), ctypes.pointer(y)
    box: list[float] | None = None
    for k in range(n_paths):
        n = count(clip, k)
        if n <= 0 or n > 64:
            continue
        xs, ys = [], []
        for j in range(n):
            point(segment(clip, k, j), px, py)
            xs.append(x.value)
            ys.append(y.value)
        b = tf.box(min(xs), min(ys), max(xs), max(ys))
        if box is None:
            box = list(b)
        else:
            box = [max(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), min(box[3], b[3])]
    if box is None or box[2] <= box[0] or box[3] <= box[1]:
        return None
    return (box[0], box[1], box[2], box[3])


_Matrix = tuple[float, float, float, float, float, float]


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n (row-vector convention, as PDF)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


MAX_PAGE_OBJECTS = 500_000  # a dense real table page has a few thousand


class PageTooComplex(RuntimeError):
    """A page with more objects than any real page (a resource bomb)."""


def _read_objects(page: object, tf: _Transform, data: PageData) -> None:
    count = pdfium_c.FPDFPage_CountObjects(page)
    if count > MAX_PAGE_OBJECTS:
        raise PageTooComplex(f"该页有 {count:,} 个图形对象，超过上限 {MAX_PAGE_OBJECTS:,}（可能是恶意构造的文件）")
    objs = [pdfium_c.FPDFPage_GetObject(page, i) for i in range(count)]
    _walk(objs, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), tf, data, 0)


def _walk(objs: list[object], parent: _Matrix, tf: _Transform, data: PageData, depth: int) -> None:
    fm = pdfium_c.FS_MATRIX()
    for obj in objs:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            data.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
                continue
            m = _mul((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), parent) if depth else (
                fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
            _path_edges(obj, m, tf, data)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
                continue
            m = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
            m = _mul(m, parent) if depth else m
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            kids = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(n)]
            _walk(kids, m, tf, data, depth + 1)


def _white(obj: object, getter: Callable[..., int]) -> bool:
    """The colour ``getter`` reports for ``obj`` is white (or fully transparent)."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= _WHITE


def _invisible(obj: object, filled: bool, stroked: bool) -> bool:
    """A path painted only in white: not a rule a reader sees.

    Word exports (Jiangsu's 2018/2019 department budgets) paint every cell's padding
    area and text area as separate white rectangles; their edges split each row into
    thin slivers (a 5 pt column beside every real one, a 4 pt band above and below
    each row) that do not line up from one row to the next.
    """
    if filled and not _white(obj, pdfium_c.FPDFPageObj_GetFillColor):
        return False
    if stroked and not _white(obj, pdfium_c.FPDFPageObj_GetStrokeColor):
        return False
    return True


def _path_edges(obj: object, m: _Matrix, tf: _Transform, data: PageData) -> None:
    """Axis-parallel straight segments of a stroked or filled path become edges."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        if fill.value == 0 and not stroke.value:
            return
        if _invisible(obj, fill.value != 0, bool(stroke.value)):
            return
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or n > 4000:
        return
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    pts: list[tuple[float, float, float, float]] = []
    start: tuple[float, float] | None = None
    cur: tuple[float, float] | None = None
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        p = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        typ = pdfium_c.FPDFPathSegment_GetType(seg)
        if typ == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = cur = p
            continue
        if typ == pdfium_c.FPDF_SEGMENT_LINETO and cur is not None:
            pts.append((cur[0], cur[1], p[0], p[1]))
        cur = p
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            pts.append((p[0], p[1], start[0], start[1]))
            cur = start
    for x0, y0, x1, y1 in pts:
        lft, top, r, bot = tf.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        if bot - top < 1.0 and r - lft >= 2.0:
            yy = (top + bot) / 2
            data.edges.append({"x0": lft, "x1": r, "top": yy, "bottom": yy, "width": r - lft,
                               "height": 0.0, "orientation": "h", "object_type": "line"})
        elif r - lft < 1.0 and bot - top >= 2.0:
            xx = (lft + r) / 2
            data.edges.append({"x0": xx, "x1": xx, "top": top, "bottom": bot, "width": 0.0,
                               "height": bot - top, "orientation": "v", "object_type": "line"})


# --------------------------------------------------------------------------- lines


def build_lines(chars: list[Char]) -> list[Line]:
    """Group characters into lines by vertical overlap, each sorted by x.

    Stream order is ignored on purpose: some producers write the numbers of a row in
    another part of the content stream than its words.
    """
    if not chars:
        return []
    rows: list[list[Char]] = []
    bounds: list[list[float]] = []  # [top, bottom] per row
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if rows:
            top, bot = bounds[-1]
            h = min(bot - top, ch.bottom - ch.top)
            overlap = min(bot, ch.bottom) - max(top, ch.top)
            if h > 0 and overlap >= 0.5 * h:
                rows[-1].append(ch)
                continue
        rows.append([ch])
        bounds.append([ch.top, ch.bottom])
    return [_make_line(r) for r in rows]


def _make_line(chars: list[Char]) -> Line:
    chars.sort(key=lambda c: c.x0)
    kept: list[Char] = []
    parts: list[str] = []
    for ch in chars:
        if kept:
            prev = kept[-1]
            # Fake bold: the same glyph drawn twice with a tiny offset.
            if ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.3 * (prev.x1 - prev.x0 + 0.1):
                continue
            gap = ch.x0 - prev.x1
            size = max(min(ch.size, prev.size), 1.0)
            if gap > 0.45 * size or (gap > 0.15 * size and not (cjk(ch.text) or cjk(prev.text))):
                parts.append(" ")
        kept.append(ch)
        parts.append(ch.text)
    sizes = sorted(c.size for c in kept)
    return Line(
        chars=kept,
        text="".join(parts),
        x0=min(c.x0 for c in kept),
        top=min(c.top for c in kept),
        x1=max(c.x1 for c in kept),
        bottom=max(c.bottom for c in kept),
        size=sizes[len(sizes) // 2],
    )


def split_segments(line: Line, gap_factor: float = 1.5) -> list[Line]:
    """Split a line at wide horizontal gaps (columns of a table drawn without rules)."""
    segs: list[list[Char]] = [[line.chars[0]]]
    for prev, ch in zip(line.chars, line.chars[1:], strict=False):
        if ch.x0 - prev.x1 > gap_factor * max(line.size, 1.0):
            segs.append([ch])
        else:
            segs[-1].append(ch)
    return [_make_line(s) for s in segs]


