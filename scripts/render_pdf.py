"""Render a text-export budget document to a PDF that looks like a real 部门预算.

Owned by scripts/ (a dev tool, not runtime code): turns the plain-text export read by
``budget_audit.ingest.text`` into a PDF for the sample set and the PDF ingester's tests.
Prose on A4 portrait pages (headings bold, body justified flush, page numbers in the
footer); each table on a new page: title centred, 单位名称 line at left and unit line at
right, a fully ruled grid, a small font for wide tables, landscape A4 beyond 8 columns,
header rows repeated when a long table splits. A form feed inside a table forces a page
break at that row. Output is deterministic (reportlab ``invariant=1``).

Usage: python scripts/render_pdf.py IN.txt OUT.pdf
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from budget_audit.ingest.text import ingest_text
from budget_audit.model import Document
from budget_audit.model import Table as DocTable

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "WQYZenHei"
MARGIN = 18 * mm
_AMOUNT = re.compile(r"^[-(（]?[\d０-９][\d０-９,，.．]*[)）%％]?$")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_CN = "一二三四五六七八九十"
_PART = re.compile(rf"^第[{_CN}]+部分")
_HEADING = re.compile(rf"^(第[{_CN}]+部分|[{_CN}]+、|[（(][{_CN}]+[)）])")
_NO_START = set("，。、；：？！）》」』”’%％．,.;:!?)]}")  # may not start a line: they hang


def register_font() -> None:
    """Register the embedded CJK font once; exit with a clear message if it is absent."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    if not os.path.exists(FONT_PATH):
        sys.exit(f"render_pdf: CJK font not found at {FONT_PATH}; "
                 "install it with: apt-get install -y fonts-wqy-zenhei")
    pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))


@dataclass
class Block:
    """A paragraph (``text``, source lines kept) or a table (``pieces``: its rows, split
    where the source has a form feed)."""

    kind: str
    text: str = ""
    pieces: list[list[list[str]]] = field(default_factory=list)


def scan_blocks(text: str) -> list[Block]:
    """Walk the source in order, with the ingester's paragraph/table rules."""
    blocks: list[Block] = []
    last_page = -1
    for page_no, page in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        lines, i = page.split("\n"), 0
        while i < len(lines):
            if "\t" in lines[i]:
                rows: list[list[str]] = []
                while i < len(lines) and "\t" in lines[i]:
                    rows.append([c.replace("**", "").strip() for c in lines[i].split("\t")])
                    i += 1
                # Tables separated only by a form feed are one table (as in the ingester).
                if blocks and blocks[-1].kind == "table" and page_no != last_page:
                    blocks[-1].pieces.append(rows)
                else:
                    blocks.append(Block("table", pieces=[rows]))
                last_page = page_no
            elif not lines[i].strip():
                i += 1
            else:  # consecutive text lines; a bulleted line stands alone
                start, i = i, i + 1
                while (not _BULLET.match(lines[start]) and i < len(lines) and lines[i].strip()
                       and "\t" not in lines[i] and not _BULLET.match(lines[i])):
                    i += 1
                blocks.append(Block("para", text="\n".join(lines[start:i])))
    return blocks


def _clean(line: str) -> str:
    return _BULLET.sub("", line).replace("**", "").strip()


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", _clean(text))


def header_count(rows: list[list[str]]) -> int:
    """Leading rows holding no amount (the 栏次 row "1 2 3 …" counts as header);
    0 when there are more than 5 (a form such as a 绩效 table, not a grid)."""
    for n, row in enumerate(rows):
        cells = [c for c in row if c]
        numbering = all(c.isdigit() for c in cells) and \
            [int(c) for c in cells] == list(range(1, len(cells) + 1))
        if cells and not numbering and any(_AMOUNT.match(c) for c in cells):
            return n if n <= 5 else 0
    return 0


class BoldParagraph(Paragraph):
    """Paragraph drawn in fill+stroke mode: a faux bold, since the CJK font has no bold."""

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setLineWidth(0.35)
        self.canv.addLiteral("2 Tr")
        super().draw()
        self.canv.restoreState()


class JustifiedCJK(Flowable):
    """A body paragraph justified as Word does Chinese text: every line but the last of a
    source line ends flush at the right margin (reportlab's CJK justification only widens
    ASCII spaces). The extra space goes between tokens (a character, a space, or an ASCII
    run such as 1554.03, never broken), each drawn at an explicit position so extractors
    see what a viewer shows. Splits across pages by whole lines."""

    Line = tuple[list[str], float, bool]  # tokens, left indent, justify?

    def __init__(self, segments: list[str], size: float = 12, leading: float = 21,
                 indent: float = 24, lines: list[Line] | None = None):
        super().__init__()
        self.segments, self.size, self.leading, self.indent = segments, size, leading, indent
        self.lines = lines

    def _w(self, tok: str) -> float:
        return pdfmetrics.stringWidth(tok, FONT, self.size)

    def _break(self, width: float) -> list[Line]:
        out: list[JustifiedCJK.Line] = []
        for k, seg in enumerate(self.segments):
            cur: list[str] = []
            indent, used = (self.indent if k == 0 else 0.0), 0.0
            for tok in re.findall(r"[\x21-\x7e]+| |.", seg):
                w = self._w(tok)
                if cur and used + w > width - indent + 0.01 and tok not in _NO_START:
                    while cur and cur[-1] == " ":
                        cur.pop()
                    out.append((cur, indent, True))
                    cur, used, indent = [], 0.0, 0.0
                    if tok == " ":
                        continue
                cur.append(tok)
                used += w
            out.append((cur, indent, False))
        return out

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        if self.lines is None:
            self.lines = self._break(aw)
        return aw, len(self.lines) * self.leading

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        assert self.lines is not None
        n = int(ah // self.leading)
        if n < 1 or n >= len(self.lines):
            return []
        args = (self.segments, self.size, self.leading, self.indent)
        return [JustifiedCJK(*args, lines=self.lines[:n]),
                JustifiedCJK(*args, lines=self.lines[n:])]

    def draw(self) -> None:
        assert self.lines is not None
        tx = self.canv.beginText()
        tx.setFont(FONT, self.size)
        top = len(self.lines) * self.leading - self.leading / 2 - self.size * 0.35
        for i, (tokens, x, justify) in enumerate(self.lines):
            widths = [self._w(t) for t in tokens]
            spare = self.width - x - sum(widths)
            gap = spare / (len(tokens) - 1) if justify and len(tokens) > 1 else 0.0
            for tok, w in zip(tokens, widths, strict=True):
                tx.setTextOrigin(x, top - i * self.leading)
                tx.textOut(tok)
                x += w + gap
        self.canv.drawText(tx)


def _style(name: str, size: float, align: int = TA_LEFT, **kw: float) -> ParagraphStyle:
    leading = kw.pop("leading", size * 1.25)
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading,
                          alignment=align, wordWrap="CJK", **kw)


STYLES = {
    "cover": _style("cover", 22, TA_CENTER, leading=36),
    "title": _style("title", 16, TA_CENTER, leading=26, spaceAfter=6),
    "h": _style("h", 12, TA_JUSTIFY, leading=21, firstLineIndent=24, spaceBefore=4),
    "toc": _style("toc", 12, TA_LEFT, leading=22, leftIndent=24),
    "tab_title": _style("tab_title", 15, TA_CENTER, leading=22, spaceAfter=4),
    "tab_line": _style("tab_line", 9, TA_LEFT),
    "unit": _style("unit", 9, TA_RIGHT),
}


def para(lines: list[str], style: str, bold: bool = False) -> Paragraph:
    """A paragraph, its source lines kept as line breaks. A centred title too long for
    a portrait line gets a smaller font instead of wrapping."""
    st = STYLES[style]
    if st.alignment == TA_CENTER:
        size = st.fontSize
        while size > 10 and max(pdfmetrics.stringWidth(x, FONT, size) for x in lines) > 475:
            size -= 1
        st = ParagraphStyle(f"{style}_{size}", parent=st, fontSize=size,
                            leading=st.leading * size / st.fontSize)
    return (BoldParagraph if bold else Paragraph)("<br/>".join(map(escape, lines)), st)


def column_widths(pieces: list[list[list[str]]], width: float,
                  size: float) -> tuple[list[float], float]:
    """Column widths (and font size) shared by every piece of a table, from its content:
    amounts and short labels never wrap, long text shares what is left."""
    ncol, pad = max(len(r) for piece in pieces for r in piece), 4.0
    natural, minimum = [pad * 2 + size * 2] * ncol, [pad * 2 + size * 2] * ncol
    for piece in pieces:
        nhead = header_count(piece)
        for r, row in enumerate(piece):
            for c, cell in enumerate(row):
                w = pdfmetrics.stringWidth(cell, FONT, size) + pad * 2 + 1
                if _AMOUNT.match(cell) or (len(cell) <= 4 and r >= nhead):
                    minimum[c] = max(minimum[c], w)
                natural[c] = max(natural[c], min(w, size * 6 + pad * 2) if r < nhead else w)
    if sum(minimum) > width and size > 5:  # too wide even with text wrapped: shrink
        return column_widths(pieces, width, size - 0.5)
    if sum(natural) <= width:
        return [n * width / sum(natural) for n in natural], size
    extra = [n - m for n, m in zip(natural, minimum, strict=True)]
    spare = max(width - sum(minimum), 0.0) / (sum(extra) or 1)
    return [m + spare * e for m, e in zip(minimum, extra, strict=True)], size


def grid_table(rows: list[list[str]], widths: list[float], size: float) -> Table:
    """One ruled grid; long text wraps in its cell, header rows repeat on a new page."""
    ncol, pad = len(widths), 4.0
    grid = [r + [""] * (ncol - len(r)) for r in rows]
    nhead = header_count(grid)
    styles = {k: _style(f"cell_{k}_{size}", size, a, leading=size * 1.2)
              for k, a in (("head", TA_CENTER), ("text", TA_LEFT))}
    # Columns headed 类/款/项/编码 hold classification codes: centred, not amounts.
    codes = {c for c in range(ncol) for r in range(nhead)
             if grid[r][c] in ("类", "款", "项") or "编码" in grid[r][c]}

    def cell_flowable(r: int, c: int, cell: str) -> str | Paragraph:
        if not cell:
            return ""
        if r < nhead or (c in codes and cell.isdigit()):
            return Paragraph(escape(cell), styles["head"])
        if _AMOUNT.match(cell):
            return cell  # a plain string, right-aligned by the table style (and fast)
        return Paragraph(escape(cell), styles["text"])

    cells = [[cell_flowable(r, c, x) for c, x in enumerate(row)] for r, row in enumerate(grid)]
    table = Table(cells, colWidths=widths, repeatRows=nhead)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONT", (0, 0), (-1, -1), FONT, size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


class Builder:
    """The story being built: switches page templates, never leaves a blank page."""

    def __init__(self) -> None:
        self.story: list[Flowable] = []
        self.orient, self.fresh = "portrait", True  # fresh: nothing on this page yet

    def new_page(self, orient: str) -> None:
        if not (self.fresh and orient == self.orient):
            self.story += [NextPageTemplate(orient), PageBreak()]
            self.orient, self.fresh = orient, True

    def add(self, flowable: Flowable) -> None:
        self.story.append(flowable)
        self.fresh = False

    def table(self, block: Block, meta: DocTable) -> None:
        """A table on a new page: title, 单位名称/unit line, then one grid per piece."""
        ncol = max(len(r) for piece in block.pieces for r in piece)
        orient = "landscape" if ncol > 8 else "portrait"
        width = (landscape(A4) if ncol > 8 else A4)[0] - 2 * MARGIN
        size = 9.0 if ncol <= 4 else 8.0 if ncol <= 8 else 7.0 if ncol <= 11 else 6.5
        self.new_page(orient)
        if meta.title:
            self.add(para([meta.title], "tab_title", bold=True))
        if meta.org_line or meta.unit_line:
            line = Table([[para([meta.org_line or ""], "tab_line"),
                           para([meta.unit_line or ""], "unit")]],
                         colWidths=[width * 0.7, width * 0.3])
            line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
            self.add(line)
        self.add(Spacer(1, 3))
        widths, size = column_widths(block.pieces, width, size)
        for k, piece in enumerate(block.pieces):
            if k:  # a form feed inside the table: continue on a fresh page
                self.new_page(orient)
            self.add(grid_table(piece, widths, size))


def build_story(doc: Document, blocks: list[Block]) -> list[Flowable]:
    """Lay out the blocks in source order. Paragraphs the ingester took as a table's
    title/org/unit lines are skipped here: the table prints them."""
    b, kept, tables = Builder(), iter(doc.paragraphs), iter(doc.tables)
    nxt = next(kept, None)
    state = "cover" if any(_norm(p.text) == "目录" for p in doc.paragraphs) else "body"
    after_part, seen_parts = False, set()
    for block in blocks:
        if block.kind == "table":
            b.table(block, next(tables))
            continue
        if nxt is None or _norm(block.text) != _norm(nxt.text):
            continue
        text, nxt = nxt.text, next(kept, None)
        lines = [_clean(x) for x in block.text.split("\n")]
        part = _PART.match(text)
        if state == "cover" and _norm(text) == "目录":
            state = "toc"
            b.new_page("portrait")
            b.add(para(lines, "title", bold=True))
        elif state == "cover":
            b.add(Spacer(1, 60 if b.fresh else 24))
            b.add(para(lines, "cover", bold=True))
        elif state == "toc" and not (part and part.group(0) in seen_parts):
            if part:  # the 目录 ends where a part it listed starts for real
                seen_parts.add(part.group(0))
            b.add(para(lines, "toc"))
        elif part or text.startswith("附件"):
            state, after_part = "body", True
            b.new_page("portrait")
            b.add(para(lines, "title", bold=True))
        elif after_part and len(text) <= 40 and not _HEADING.match(text) \
                and not re.search(r"[。，：:；]", text):
            b.add(para(lines, "title", bold=True))  # e.g. the 概 况 line under 第一部分
        else:
            after_part = False
            if b.orient != "portrait":
                b.add(Spacer(1, 6))  # a note under a landscape table stays with it
            heading = bool(_HEADING.match(text)) and len(text) <= 40 \
                and not text.endswith(("。", "；"))
            b.add(para(lines, "h", bold=True) if heading else JustifiedCJK(lines))
    if nxt is not None or next(tables, None) is not None:
        raise RuntimeError("render_pdf: could not place every paragraph/table of the source")
    return b.story


def _footer(canv: Canvas, doc: BaseDocTemplate) -> None:
    """Page number centred in the footer, as "- N -"."""
    canv.saveState()
    canv.setFont(FONT, 9)
    canv.drawCentredString(canv._pagesize[0] / 2, 10 * mm, f"- {doc.page} -")
    canv.restoreState()


def render_text(text: str, out_path: str, name: str = "document.txt") -> None:
    """Render the text export ``text`` to ``out_path`` (byte-identical for equal input)."""
    register_font()
    story = build_story(ingest_text(text, name), scan_blocks(text))
    pdf = BaseDocTemplate(out_path, pagesize=A4, invariant=1, title=name,
                          author="budget-audit samples", creator="scripts/render_pdf.py")
    for orient, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(MARGIN, 16 * mm, size[0] - 2 * MARGIN, size[1] - MARGIN - 16 * mm)
        pdf.addPageTemplates(PageTemplate(orient, [frame], pagesize=size, onPage=_footer))
    pdf.build(story)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8-sig") as fh:
        render_text(fh.read(), argv[2], os.path.basename(argv[1]))
    print(f"wrote {argv[2]} ({os.path.getsize(argv[2])} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
