"""PDF ingester: one pass of pypdfium2 over the file → :class:`Document`.

This module owns the orchestration and the user-facing failures: opening the file
(encrypted, corrupt, truncated and scanned files become ``InputError``), reading each
page once (``pdf_text``), finding table pieces (``pdf_tables``), laying out prose and
tables in reading order (``pdf_prose``), joining table pieces continued on the next
page, moving title/单位名称/unit rows out of grids, rejoining org/unit lines wrapped
inside narrow text boxes above a table, attaching context through
``common.attach_table_context``, and cross-checking every table amount against
pdfium's own page text (mismatches become ``extraction_notes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError
from ..model import Cell, Document, Page, Paragraph, RawRow, Table
from . import MAX_PDF_BYTES
from .common import attach_table_context, looks_like_title, split_unit_org
from .pdf_guard import MAX_PAGES, check_resources
from .pdf_prose import ParagraphBuilder, drop_furniture
from .pdf_tables import Piece, find_ruled_tables, find_text_tables, is_amount
from .pdf_text import (
    Line,
    PageData,
    PageTooComplex,
    build_lines,
    join_fragments,
    read_page,
    split_segments,
)

_CONTINUED = re.compile(r"^\s*[（(]?续[表上]?[)）]?\s*[:：]?\s*$")
_NOTE_ROW = re.compile(r"^\s*(注[:：\d]|说明[:：]|备注)|无数据|故本表|无此项|本表为空")
# "部门：XX  单位：万元" (Jiangsu), "单位：XX局  单位：万元" (Suzhou units),
# "部门（单位）：XX  单位：万元" (Yantai): org lines common.ORG_LINE does not know.
_DEPT_LINE = re.compile(
    r"^\s*(?!单位\s*[:：]\s*[亿万千百]?元)"
    r"(?P<org>(部门|单位|部门[（(]单位[)）])\s*[:：].*?)\s*"
    r"(?P<unit>(金额)?单位\s*[:：]\s*(亿元|万元|千元|百元|元))?\s*$"
)
_CODE = re.compile(r"^\d{3,}$")
# A label ending in a total word is complete: "本年收入合计" is not cut by the page.
_TOTAL_END = re.compile(r"(合计|总计|小计|共计)$")
_TABLE_NO = re.compile(
    r"^\s*((附表|表)\s*[\d一二三四五六七八九十]+(-\d+)?|(公开)?\d+表)\s*$"
)
_MIN_AMOUNTS = 6
_MARGIN_TOL = 3.0  # wrapped lines of a cell start this close to its first line
_SNAP = 4.0  # column boundaries this close are the same rule  # rule-less fallback only on pages with this many amounts


@dataclass(slots=True)
class _Block:
    top: float
    line: Line | None = None
    piece: Piece | None = None


def ingest_pdf(path: str) -> Document:
    """Read a PDF into a Document; raise InputError for files that cannot be read."""
    pages = _read_pages(path)
    notes: list[str] = []
    if not any(p.chars for p in pages):
        if not any(p.images for p in pages):
            # Blank pages (or only lines): nothing was scanned, there is just no text.
            raise InputError(
                path,
                f"PDF 没有文字层：{len(pages)} 页上既没有文字也没有图片（空白页或只有线条），不是扫描件",
                hint="请检查是否导出了正确的文件",
            )
        raise InputError(
            path,
            "PDF 没有文字层（可能是扫描件或图片）",
            hint="请提供带文字的 PDF，或先做 OCR 识别",
        )
    for p in pages:
        if not p.chars:
            if p.images:
                notes.append(f"第{p.number}页没有文字层（只有图片，可能是扫描件），未能提取")
            elif p.edges:
                notes.append(f"第{p.number}页没有文字（只有线条），可能是空表格的续页")
    if not _has_eof(path):
        notes.append("文件末尾缺少 %%EOF 标记，可能下载不完整；已尽量读取")
    page_blocks, prose_lines = _layout(pages, notes)

    doc = Document(path=path, format="pdf", sources=[path])
    builder = ParagraphBuilder()
    builder.set_margins(prose_lines, [p.width for p in pages])
    tables: list[Table] = []
    positions: list[int] = []
    columns: list[list[float]] = []  # column boundaries of each table's first piece
    contexts: list[list[str]] = []  # title/unit lines found inside each table's grid
    prev_piece_open = False  # the last block seen was a table piece
    geometry = _TextGeometry()  # where the text of each table cell sits
    heads: list[set[str]] = []  # texts printed just above each table (title, unit…)
    for p, blocks, lines in zip(pages, page_blocks, prose_lines, strict=False):
        builder.start_page(lines, p.width)
        page_rows: list[str] = []
        # Lines above the first piece of a page wait: when they only repeat the
        # previous table's title/unit lines (or say 续表), the piece continues it.
        pending: list[Line] = []
        recent: list[str] = []  # prose lines since the last piece on this page
        first_piece = True
        for block in blocks:
            if block.piece is None:
                line = block.line
                assert line is not None
                page_rows.append(line.text)
                if first_piece:
                    pending.append(line)
                    continue
                builder.add(line, p.number)
                recent.append(_norm(line.text))
                prev_piece_open = False
                continue
            piece = block.piece
            page_rows.extend("\t".join(c.text or "" for c in r) for r in piece.rows)
            table, ctx = _new_table(piece)
            geometry.add(piece)
            repeated = all(
                _CONTINUED.match(ln.text) or (heads and _norm(ln.text) in heads[-1])
                for ln in pending
            )
            # Nothing above the piece (or atop its grid) but a 续表 mark: no title printed
            # again (a form printed again per project repeats its title; a continued
            # list does not).
            bare = not ctx and all(_CONTINUED.match(ln.text) for ln in pending)
            continues = (
                first_piece
                and prev_piece_open
                and repeated
                and (not ctx or ctx == contexts[-1])  # no title, or the same again
                and p.number == tables[-1].pages[-1] + 1
                and (_ends_low(tables[-1], pages[p.number - 2]) or (bare and _resumes(tables[-1], table)))
                and _continues(tables[-1], columns[-1], piece)
                and not _new_instance(tables[-1], table)
            )
            if first_piece and not continues:
                for ln in pending:
                    builder.add(ln, p.number)
                    recent.append(_norm(ln.text))
            first_piece = False
            if continues:
                columns[-1] = _append_piece(tables[-1], columns[-1], piece, table, geometry)
            else:
                builder.flush()
                for text in ctx:  # lines drawn inside the grid, above its header
                    builder.paragraphs.append((text, p.number))
                    builder.boxes.append(piece.bbox)
                tables.append(table)
                heads.append(set(recent[-5:]) | {_norm(t) for t in ctx})
                contexts.append(ctx)
                columns.append(piece.xs)
                positions.append(len(builder.paragraphs))
            prev_piece_open = True
            recent = []
        if first_piece:
            for ln in pending:
                builder.add(ln, p.number)
            if pending:
                prev_piece_open = False
        doc.pages.append(Page(p.number, p.width, p.height, "\n".join(page_rows)))
    builder.flush()

    boxes = {id(t): b for t, b in zip(builder.paragraphs, builder.boxes, strict=False)}
    kept_tables = [k for k, t in enumerate(tables) if _substantial(t)]
    tables = [tables[k] for k in kept_tables]
    positions = [positions[k] for k in kept_tables]
    positions, paragraphs = _take_dept_lines(tables, positions, builder.paragraphs)
    kept = attach_table_context(tables, positions, paragraphs)
    kept = _restore_prose_titles(tables, paragraphs, kept)
    doc.paragraphs = [
        Paragraph(index=n, text=item[0], page=item[1], bbox=boxes.get(id(item)))
        for n, item in enumerate(kept, start=1)
    ]
    for n, table in enumerate(tables, start=1):
        _drop_empty_columns(table)
        table.id = f"T{n}"
        table.source = path
    doc.tables = tables
    notes.extend(_cross_check(tables, {p.number: p for p in pages}))
    doc.extraction_notes = notes
    return doc


def _layout(pages: list[PageData], notes: list[str]) -> tuple[list[list[_Block]], list[list[Line]]]:
    """Per page: table pieces and prose lines, as blocks sorted top to bottom."""
    page_blocks: list[list[_Block]] = []
    prose_lines: list[list[Line]] = []
    for p in pages:
        pieces = find_ruled_tables(p)
        used = set().union(*(pc.used for pc in pieces)) if pieces else set()
        lines = build_lines([c for c in p.chars if id(c) not in used])
        if not pieces and sum(
            is_amount(t) for ln in lines for t in ln.text.split()
        ) >= _MIN_AMOUNTS:
            pieces = find_text_tables(p, lines)
            if pieces:
                used = set().union(*(pc.used for pc in pieces))
                lines = build_lines([c for c in p.chars if id(c) not in used])
        prose_lines.append(_outside_pieces(lines, pieces, p.number, notes))
        notes.extend(
            f"第{p.number}页表格边线上有文字未落入任何单元格：{text[:40]}" for pc in pieces for text in pc.stray
        )
        page_blocks.append([_Block(pc.bbox[1], piece=pc) for pc in pieces])
    prose_lines = drop_furniture(prose_lines, [p.height for p in pages], notes)
    prose_lines = [_unwrap_heads(lines, [b.piece for b in blocks if b.piece])
                   for blocks, lines in zip(page_blocks, prose_lines, strict=False)]
    for blocks, lines in zip(page_blocks, prose_lines, strict=False):
        blocks.extend(_Block(ln.top, line=ln) for ln in lines)
        blocks.sort(key=lambda b: (b.top, b.piece is None))
    return page_blocks, prose_lines


def _substantial(table: Table) -> bool:
    """A grid is a table when it holds an amount, or text in more than two cells or
    rows; an empty frame or a chart's legend box ("基本支出 | 项目支出") is not (a
    table's first piece holding only its header row is joined to the rest first)."""
    texts = [t for r in table.rows for t in r.texts if t]
    if any(is_amount(t) for t in texts):
        return True
    rows = sum(1 for r in table.rows if any(r.texts))
    return len(texts) > 2 or rows > 1


def _unwrap_heads(lines: list[Line], pieces: list[Piece]) -> list[Line]:
    """Rejoin org and unit lines wrapped inside narrow text boxes above a table.

    Word exports put "部门名称：XX" and "单位：万元" in side-by-side boxes too narrow
    for them, so their wrapped ends share a baseline with the other box's text:
    "部门名称：江苏省高级人民法" over "院            单位：万元", or "单位：万" over
    "部门名称：XX     元". Only in the lines right above a table, a fragment of a line
    with a wide gap that starts (or ends) exactly under a fragment of the line above, in
    the same type size and close below it, continues that fragment.
    """
    if not pieces or not lines:
        return lines
    out = list(lines)
    for pc in pieces:
        top = pc.bbox[1]
        band = [ln for ln in out if ln.bottom <= top + 1]
        band.sort(key=lambda ln: ln.top)
        head: list[Line] = []
        for ln in reversed(band):  # upwards from the table while lines are tight
            lower = head[0].top if head else top
            if lower - ln.bottom > 1.2 * ln.size:
                break
            head.insert(0, ln)
            if len(head) == 3:
                break
        if len(head) < 2:
            continue
        segs = [split_segments(ln, 3.0) for ln in head]
        if all(len(sg) < 2 for sg in segs):
            continue
        groups: list[list[Line]] = []
        joined = False
        for k, row in enumerate(segs):
            for seg in row:
                target = None
                if k > 0 and (len(row) > 1 or len(segs[k - 1]) > 1):
                    for g in groups:
                        up = g[-1]
                        if (up in segs[k - 1] and abs(up.size - seg.size) <= 0.1 * up.size
                                and 0 <= seg.top - up.bottom <= 0.8 * up.size
                                and (abs(up.x0 - seg.x0) <= 2 or abs(up.x1 - seg.x1) <= 2)):
                            target = g
                            break
                if target is not None:
                    target.append(seg)
                    joined = True
                else:
                    groups.append([seg])
        if not joined:
            continue
        new = [_joined_line(g) for g in groups]
        ids = {id(ln) for ln in head}
        out = sorted([ln for ln in out if id(ln) not in ids] + new,
                     key=lambda ln: (ln.top, ln.x0))
    return out


def _joined_line(parts: list[Line]) -> Line:
    """One line from a fragment and its wrapped continuations, placed on the last
    baseline so that it reads after the text it shares that baseline with."""
    if len(parts) == 1:
        return parts[0]
    return Line(
        chars=[c for p in parts for c in p.chars],
        text=join_fragments([p.text for p in parts]),
        x0=min(p.x0 for p in parts),
        top=parts[-1].top,
        x1=max(p.x1 for p in parts),
        bottom=parts[-1].bottom,
        size=parts[0].size,
    )


# --------------------------------------------------------------------------- reading


def _read_pages(path: str) -> list[PageData]:
    try:
        with open(path, "rb") as fh:
            check_resources(path, fh.read(MAX_PDF_BYTES + 1))
    except OSError as exc:
        raise InputError(path, f"无法读取文件：{exc.strerror}") from None
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(path, "PDF 已加密，需要密码才能打开",
                             hint="请提供未加密的文件") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(path, "PDF 使用了不支持的加密方式", hint="请提供未加密的文件") from None
        raise InputError(path, "PDF 文件已损坏或不完整，无法打开",
                         hint="请重新下载或重新导出该文件") from None
    except OSError as exc:
        raise InputError(path, f"无法读取文件：{exc}") from None
    try:
        if len(pdf) > MAX_PAGES:
            raise InputError(path, f"PDF 有 {len(pdf):,} 页，超过上限 {MAX_PAGES:,} 页", hint="请拆分后分别检查")
        pages: list[PageData] = []
        for i in range(len(pdf)):
            try:
                pages.append(read_page(pdf.raw, i))
            except PageTooComplex as exc:
                raise InputError(path, str(exc), page=i + 1, hint="请确认文件来源") from None
            except Exception:  # pdfium reports failures as bare errors
                raise InputError(path, "无法读取该页，文件可能已损坏", page=i + 1,
                                 hint="请重新下载或重新导出该文件") from None
        return pages
    finally:
        pdf.close()


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _has_eof(path: str) -> bool:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(fh.tell() - 2048, 0))
        return b"%%EOF" in fh.read()


def _outside_pieces(lines: list[Line], pieces: list[Piece], page: int,
                    notes: list[str]) -> list[Line]:
    """Lines whose centre lies inside a table area are not prose; note them."""
    if not pieces:
        return lines
    out = []
    for ln in lines:
        cx, cy = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
        inside = any(
            pc.bbox[0] <= cx <= pc.bbox[2] and pc.bbox[1] + 1 <= cy <= pc.bbox[3] - 1
            for pc in pieces
        )
        if inside and _TABLE_NO.match(ln.text):
            continue  # a "表三" / "公开03表" label drawn over the grid
        if inside:
            notes.append(f"第{page}页表格区域内有文字未落入任何单元格：{ln.text[:40]}")
        else:
            out.append(ln)
    return out


# --------------------------------------------------------------------------- tables


def _new_table(piece: Piece) -> tuple[Table, list[str]]:
    """A Table from its first piece. Title/单位名称/unit rows drawn inside the top of
    the grid are moved out and returned as context lines (in print order); note rows
    at its bottom (本表无数据 …) go to ``notes``."""
    indexed = [(k, r) for k, r in enumerate(piece.rows) if any(c.text for c in r)]
    width = piece.bbox[2] - piece.bbox[0]
    ctx: list[str] = []
    while len(indexed) > 1:
        k, row = indexed[0]
        cells = [(j, c) for j, c in enumerate(row) if c.text]
        if len(cells) > 3 or any(is_amount(c.text or "") for _, c in cells):
            break
        wide = any(c.bbox and c.bbox[2] - c.bbox[0] >= 0.5 * width for _, c in cells)
        found: list[str] = []
        for j, cell in cells:
            lines = piece.lines.get((k, j), [])
            if lines and all(_context_line(t, wide) for t in lines):
                found.extend(lines)  # e.g. a title line and a 部门/单位 line in one cell
            elif _context_line(cell.text or "", wide):
                found.append(cell.text or "")  # e.g. a title wrapped on two lines
            else:
                break
        else:
            ctx.extend(found)
            indexed.pop(0)
            continue
        break
    rows = [r for _, r in indexed]
    notes: list[str] = []
    while rows:
        texts = [c.text for c in rows[-1] if c.text]
        if len(texts) == 1 and _NOTE_ROW.search(texts[0]) and not is_amount(texts[0]):
            notes.insert(0, texts[0])
            rows.pop()
        else:
            break
    table = Table(
        id="",
        title="",
        rows=[RawRow(r, page=piece.page) for r in rows],
        pages=[piece.page],
        notes=notes,
        bboxes={piece.page: piece.bbox},
    )
    return table, ctx


def _context_line(text: str, wide: bool) -> bool:
    """A line that belongs above a table: title, 单位名称/部门 line, unit line, 表N."""
    if split_unit_org(text) != (None, None) or _DEPT_LINE.match(text):
        return True
    if _TABLE_NO.match(text):
        return True
    return wide and "表" in text and looks_like_title(text)


def _restore_prose_titles(
    tables: list[Table], paragraphs: list[tuple[str, int]], kept: list[tuple[str, int]]
) -> list[tuple[str, int]]:
    """Give back to the prose a sentence taken as a table title ("…详细情况见下表:")."""
    kept_ids = {id(p) for p in kept}
    back: set[int] = set()
    for table in tables:
        t = table.title
        if t and (t.endswith((":", "：")) or ("，" in t and len(t) > 30)):
            for item in paragraphs:
                if id(item) not in kept_ids and item[0].strip() == t:
                    back.add(id(item))
                    table.title, table.title_page = "", None
                    break
    if not back:
        return kept
    return [p for p in paragraphs if id(p) in kept_ids or id(p) in back]


def _take_dept_lines(
    tables: list[Table], positions: list[int], paragraphs: list[tuple[str, int]]
) -> tuple[list[int], list[tuple[str, int]]]:
    """Handle "部门：XX  单位：万元" lines above tables (Jiangsu's layout), which
    ``split_unit_org`` does not know; return positions and paragraphs without them."""
    drop: set[int] = set()
    for table, pos in zip(tables, positions, strict=False):
        for j in range(pos - 1, max(pos - 4, -1), -1):
            m = _DEPT_LINE.match(paragraphs[j][0])
            if m and split_unit_org(paragraphs[j][0]) == (None, None):
                table.org_line = m.group("org").strip()
                table.unit_line = (m.group("unit") or "").strip() or None
                drop.add(j)
                break
    if not drop:
        return positions, paragraphs
    new_pos = [p - sum(1 for j in drop if j < p) for p in positions]
    return new_pos, [p for j, p in enumerate(paragraphs) if j not in drop]


def _drop_empty_columns(table: Table) -> None:
    """Remove columns with no text in any row (a blank spreadsheet column)."""
    if not table.rows:
        return
    width = max(len(r.cells) for r in table.rows)
    empty = [
        k for k in range(width)
        if all(k >= len(r.cells) or not r.cells[k].text for r in table.rows)
    ]
    if not empty or len(empty) == width:
        return
    for row in table.rows:
        row.cells = [c for k, c in enumerate(row.cells) if k not in empty]


def _new_instance(table: Table, part: Table) -> bool:
    """A form printed again for the next item (绩效目标表 per project): its first row has
    the same label as the table's first row but other content. A repeated header with
    a split row's text drawn over one of its cells ("绩效目标" over "绩效目标以…") is the
    same header."""
    if not table.rows or not part.rows:
        return False
    a = [t for t in table.rows[0].texts if t]
    b = [t for t in part.rows[0].texts if t]
    if not (a and b) or a[0] != b[0]:
        return False
    if a == b:
        return False
    first = table.rows[0].texts  # a header may carry a split row's text over a cell
    return any(is_amount(t) for t in first) or not _same_row(part.rows[0].texts, first)


def _header_rows(table: Table) -> list[list[str]]:
    """The table's leading rows before its first row with an amount (at most six)."""
    out = []
    for row in table.rows[:6]:
        if any(is_amount(t) for t in row.texts):
            break
        out.append(row.texts)
    return out


def _same_row(row: list[str], head: list[str]) -> bool:
    """``row`` prints the texts of ``head`` again, in order (a header repeated on the
    next page); a cell may carry more text after the header's (a split row's line drawn
    over it)."""
    if row == head:
        return True
    a = [t for t in head if t]
    b = [t for t in row if t]
    return bool(a) and len(a) == len(b) and all(y.startswith(x) for x, y in zip(a, b, strict=True))


def _ends_low(table: Table, page: PageData) -> bool:
    """The table's piece on ``page`` runs into the lower quarter: the page broke it."""
    box = table.bboxes.get(page.number)
    return box is not None and box[3] >= 0.75 * page.height


def _continues(table: Table, xs: list[float], piece: Piece) -> bool:
    """A piece at the top of the next page continues the table when its columns match,
    or when it covers the same horizontal extent (Word tables whose rows have their own
    cell widths give each page a different set of column boundaries)."""
    if len(xs) == len(piece.xs) and all(abs(a - b) <= _SNAP for a, b in zip(xs, piece.xs, strict=False)):
        return True
    lo, hi = max(xs[0], piece.xs[0]), min(xs[-1], piece.xs[-1])
    narrow = min(xs[-1] - xs[0], piece.xs[-1] - piece.xs[0])
    return narrow > 0 and (hi - lo) >= 0.9 * narrow


def _same_columns(xs: list[float], ys: list[float]) -> bool:
    """Two pieces have the same columns: as many boundaries, each nearest to its own
    counterpart (a Word table redrawn on the next page with slightly different widths
    keeps its columns in order)."""
    if len(xs) != len(ys) or len(xs) < 2:
        return False
    return all(_slot(xs, y) == k and _slot(ys, x) == k for k, (x, y) in enumerate(zip(xs, ys, strict=True)))


def _union(xs: list[float], ys: list[float]) -> list[float]:
    out = list(xs)
    for y in ys:
        if all(abs(x - y) > _SNAP for x in out):
            out.append(y)
    return sorted(out)


def _slot(xs: list[float], x: float) -> int:
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))


def _regrid(cells: list[Cell], xs: list[float]) -> list[Cell]:
    """Place a row's cells on the column boundaries ``xs``; slots no cell of this row
    starts in are covered (None), as pdfplumber reports merged cells."""
    page = next((c.page for c in cells), None)
    out = [Cell(None, page) for _ in range(len(xs) - 1)]
    for cell in cells:
        if cell.bbox is None or cell.text is None:
            continue
        a = min(_slot(xs, cell.bbox[0]), len(out) - 1)
        out[a] = cell
    return out


def _append_piece(
    table: Table, xs: list[float], piece: Piece, part: Table, geometry: _TextGeometry | None = None
) -> list[float]:
    """Join a continuation piece, dropping header rows repeated from the first piece
    and rejoining a row the page break split; return the table's column boundaries (the
    union when the pieces differ)."""
    if _same_columns(xs, piece.xs):
        rows = [list(r.cells) for r in part.rows]  # column k continues column k
    else:
        new_xs = _union(xs, piece.xs)
        if new_xs != xs:
            for row in table.rows:
                row.cells = _regrid(row.cells, new_xs)
        xs = new_xs
        rows = [_regrid(r.cells, xs) for r in part.rows]  # title rows already removed
    head = [r.texts for r in table.rows[:6]]
    header = _header_rows(table)
    while rows and (
        (texts := [c.text or "" for c in rows[0]]) in head or any(_same_row(texts, h) for h in header)
    ):
        rows.pop(0)
    if rows and table.rows and geometry and geometry.split_row(table.rows[-1].cells, rows[0]):
        table.rows[-1].cells = _rejoined(table.rows[-1].cells, rows.pop(0))
    table.rows.extend(RawRow(r, page=piece.page) for r in rows)
    table.notes.extend(part.notes)
    table.pages.append(piece.page)
    table.bboxes[piece.page] = piece.bbox
    return xs


class _TextGeometry:
    """Where the text of each table cell sits (left margin, runs to the right edge),
    keyed by the identity of the :class:`Cell` (cells keep their identity when a table
    is regridded on the union of its pieces' column boundaries)."""

    def __init__(self) -> None:
        self.margin: dict[int, float] = {}
        self.full: set[int] = set()

    def add(self, piece: Piece) -> None:
        for (r, c), m in piece.margins.items():
            self.margin[id(piece.rows[r][c])] = m
        self.full.update(id(piece.rows[r][c]) for r, c in piece.full)

    def split_row(self, last: list[Cell], first: list[Cell]) -> bool:
        """The first row of a continuation piece is the rest of the table's last row,
        cut by the page break: it prints no amount and no code, and each of its texts
        sits under a text of the last row that fills its cell to the edge (a line
        wrapped at the break), starts at the same margin (wrapped lines of a cell start
        where its first line did; a right-aligned or centred complete label below a
        long one does not), and is not a complete total label ("本年收入合计")."""
        texts = [(k, c) for k, c in enumerate(first) if c.text]
        if not texts or len(last) != len(first):
            return False
        for k, cell in texts:
            above = last[k]
            text = cell.text or ""
            if is_amount(text) or _CODE.match(text):
                return False
            if not above.text or id(above) not in self.full or is_amount(above.text):
                return False
            if _TOTAL_END.search(_norm(above.text)):
                return False
            a, b = self.margin.get(id(above)), self.margin.get(id(cell))
            if a is None or b is None or abs(a - b) > _MARGIN_TOL:
                return False
        return True


def _rejoined(last: list[Cell], first: list[Cell]) -> list[Cell]:
    out = list(last)
    for k, cell in enumerate(first):
        if cell.text:
            above = out[k]
            out[k] = Cell(join_fragments([above.text or "", cell.text]), above.page, above.bbox)
    return out


def _resumes(table: Table, part: Table) -> bool:
    """A piece without a title of its own resumes the table when it begins with the
    table's header repeated, or straight with a body row: one with amounts in it, or
    one whose first cell is blank where the table's header has a label (the cells
    merged down from the previous page, a 款/项 row under its 类). Then the previous
    page need not have been filled to the bottom (a tall row that did not fit was
    moved whole to the next page)."""
    first = next((r for r in part.rows if any(r.texts)), None)
    if first is None or not table.rows:
        return False
    texts = [t for t in first.texts if t]
    heads = [[t for t in r.texts if t] for r in table.rows[:6]]
    if texts in heads or any(is_amount(t) for t in texts):
        return True
    return bool(table.rows[0].texts[0]) and not first.texts[0]


def _cross_check(tables: list[Table], pages: dict[int, PageData]) -> list[str]:
    """Every amount in a cell must appear in pdfium's own text of its page."""
    notes: list[str] = []
    flat = {n: re.sub(r"\s+", "", p.stream_text) for n, p in pages.items()}
    for table in tables:
        missing: list[str] = []
        for row in table.rows:
            for cell in row.cells:
                t = (cell.text or "").replace(" ", "")
                if cell.page in flat and is_amount(t) and t not in flat[cell.page]:
                    missing.append(f"第{cell.page}页「{t}」")
        if missing:
            notes.append(
                f"表{table.id}《{table.title}》有{len(missing)}个金额在页面文字中找不到："
                + "、".join(missing[:5])
            )
    return notes
