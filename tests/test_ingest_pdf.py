"""Tests of the PDF ingester on real published documents and on broken files.

Corpus facts below were checked by hand against the PDFs (pdfium text and page view).
The corpus lives beside the checkout (../shared/corpus) and is never copied into the
repository; corpus tests skip when it is absent.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest

from budget_audit.errors import InputError
from budget_audit.ingest.pdf import ingest_pdf
from budget_audit.model import Document, Table

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_CACHE: dict[str, Document] = {}


def corpus_doc(name: str) -> Document:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file absent: {path}")
    if name not in _CACHE:
        _CACHE[name] = ingest_pdf(str(path))
    return _CACHE[name]


def row_starting(table: Table, *first: str) -> list[str]:
    for row in table.rows:
        texts = row.texts
        if texts[: len(first)] == list(first):
            return texts
    raise AssertionError(f"no row starting with {first} in {table.title}")


# --------------------------------------------------------------------------- Shanghai

SH_AUDIT = "shanghai_2026_budget_unit_audit_3363c27c.pdf"


def test_shanghai_tables_titles_units_and_org() -> None:
    doc = corpus_doc(SH_AUDIT)
    assert len(doc.pages) == 20
    assert len(doc.tables) == 9
    t1 = doc.tables[0]
    assert t1.title == "2026年预算单位财务收支预算总表"
    assert t1.org_line == "编制单位：上海市审计局"
    assert t1.unit_line == "单位：元"
    assert doc.tables[8].title == "2026年单位“三公”经费和机关运行经费预算表"
    assert doc.tables[8].unit_line == "单位:万元"


def test_shanghai_title_rows_inside_grid_are_moved_out() -> None:
    # Page 12 draws its title and 编制单位 row inside the ruled grid.
    t4 = corpus_doc(SH_AUDIT).tables[3]
    assert t4.title == "2026年预算单位财政拨款收支预算总表"
    assert t4.unit_line == "单位：元"
    assert t4.rows[0].texts[0] == "财政拨款收入"
    assert all("编制单位" not in c for r in t4.rows for c in r.texts)


def test_shanghai_table_spanning_two_pages_is_one_table() -> None:
    t2 = corpus_doc(SH_AUDIT).tables[1]
    assert t2.title == "2026年预算单位收入预算总表"
    assert t2.pages == [8, 9]
    assert set(t2.bboxes) == {8, 9}
    assert row_starting(t2, "201", "08", "01")[3:6] == ["行政运行", "114,479,860", "114,479,860"]
    # The row printed at the top of page 9 follows the page-8 rows.
    assert row_starting(t2, "208", "08", "01")[3] == "死亡抚恤"
    last = t2.rows[-1]
    assert last.texts[0] == "合计" and last.cells[1].text is None  # merged cell
    assert last.texts[4] == "195,774,300"


def test_shanghai_two_sided_table_keeps_all_columns() -> None:
    t1 = corpus_doc(SH_AUDIT).tables[0]
    row = row_starting(t1, "一、财政拨款收入")
    assert row == [
        "一、财政拨款收入", "195,774,300", "一、一般公共服务支出",
        "134,339,860", "93,654,340", "20,825,520", "19,860,000",
    ]


def test_shanghai_prose_excludes_tables_and_joins_lines() -> None:
    doc = corpus_doc(SH_AUDIT)
    texts = [p.text for p in doc.paragraphs]
    assert "名词解释" in texts
    wrapped = next(t for t in texts if t.startswith("2、向市委审计委员会"))
    assert "其他财政收支情况的审计结果报告" in wrapped  # wrapped CJK joined, no space
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells if c.text}
    cells = {c for c in cells if len(c) >= 6}
    assert not [t for t in texts if t in cells]
    assert all("114,479,860" not in t for t in texts)
    assert not [t for t in texts if t.strip("-— ").isdigit()]  # page numbers dropped


# --------------------------------------------------------------------------- Jiangsu

JS_2017 = "js_cppcc_office_2017_dept_budget_tables.pdf"


def test_jiangsu_dept_line_gives_org_and_unit() -> None:
    doc = corpus_doc(JS_2017)
    assert len(doc.tables) == 12
    t1 = doc.tables[0]
    assert t1.title == "收支预算总表"
    assert t1.org_line == "部门：江苏省政协办公厅"
    assert t1.unit_line == "单位：万元"
    assert row_starting(t1, "一、财政拨款")[:4] == [
        "一、财政拨款", "9,066.79", "一、一般公共服务支出", "6,543.55"
    ]


def test_jiangsu_empty_table_has_its_note() -> None:
    t7 = corpus_doc(JS_2017).tables[6]
    assert t7.title == "财政拨款政府性基金支出预算表"
    assert [r.texts for r in t7.rows] == [["功能科目代码", "功能科目名称", "金额"], ["", "合计", ""]]
    assert t7.notes == ["注：我单位无2017年政府性基金支出安排。"]


def test_jiangsu_continuation_with_repeated_title_and_header() -> None:
    t12 = corpus_doc(JS_2017).tables[11]
    assert t12.title == "2017年政府采购预算表"
    assert t12.pages == [12, 13]
    headers = [r for r in t12.rows if r.texts[0] == "采购品目大类"]
    assert len(headers) == 1  # the header repeated on page 13 is dropped


# --------------------------------------------------------------------------- Beijing

BJ_TABLES = "beijing_2026_budget_dept_civil_affairs_tables_57fda38d.pdf"


def test_beijing_long_tables_join_across_pages() -> None:
    doc = corpus_doc(BJ_TABLES)
    titles = [t.title for t in doc.tables]
    # The title is printed outside the grid, "预算01表  收支总表" with a wide gap (it was
    # read as a grid cell only while white cell paint counted as rules).
    assert titles[:3] == ["预算01表 收支总表", "预算02表 收入总表", "预算03表 支出总表"]
    t3 = doc.tables[2]
    assert t3.pages == [3, 4, 5, 6, 7]
    assert t3.unit_line == "金额单位：万元"
    # A page-4 row lands in the page-3 columns (page 3 has an extra blank column).
    assert row_starting(t3, "2080201-行政运行", "50201-办公经费", "30201-办公费")[3] == "121.700000"
    # 项目支出绩效目标表: merged cells continue over 35 pages without a title.
    perf = next(t for t in doc.tables if t.title.endswith("项目支出绩效目标表"))
    assert perf.pages == list(range(26, 61))
    assert not doc.extraction_notes


def test_beijing_text_pdf_paragraphs() -> None:
    doc = corpus_doc("beijing_2026_budget_dept_civil_affairs_text_e1a10b7e.pdf")
    texts = [p.text for p in doc.paragraphs]
    assert "（一）本部门职责情况" in texts
    income = next(t for t in texts if t.startswith("2026年度收入预算71094.17万元"))
    assert "增长2.97%" in income
    assert "- 1 -" not in texts and doc.tables == []


# --------------------------------------------------------------------------- Fuzhou

FZ_POLICE = "fuzhou_2026_budget_unit_police_security_e1ceb355.pdf"


def test_fuzhou_heading_title_unit_and_note() -> None:
    doc = corpus_doc(FZ_POLICE)
    t = next(t for t in doc.tables if "政府性基金" in t.title)
    assert t.title == "2026年度政府性基金预算拨款支出预算表"
    assert t.unit_line == "单位：万元"
    assert t.notes and t.notes[0].startswith("备注：本单位2026年没有使用政府性基金")
    assert "六、政府性基金预算拨款支出预算表" in [p.text for p in doc.paragraphs]


# --------------------------------------------------------------------------- Jiangsu Word exports

# Word paints every cell's padding and text areas as white rectangles; their edges are
# invisible and must not split rows and columns (a 5 pt sliver beside each column, a
# 4 pt band above and below each row), and a table broken by the page is left open at
# the top of the next page.
JS_COURT_2018 = "js_high_court_2018_dept_budget.pdf"
JS_COURT_2019 = "js_high_court_2019_dept_budget.pdf"


def test_word_export_wrapped_label_keeps_its_amount() -> None:
    t1 = corpus_doc(JS_COURT_2018).tables[0]
    assert t1.title == "一、2018年度江苏省高级人民法院收支预算总表"
    assert t1.pages == [9, 10]
    assert len(t1.rows[0].cells) == 6
    assert row_starting(t1, "2.政府性基金预算") == [
        "2.政府性基金预算", "", "三、国防支出", "", "三、单位预留机动经费", "3,258.06"]
    assert not any(t in ("费", "三、单位预留机动经") for r in t1.rows for t in r.texts)
    # The first row on page 10 has no rule above it: it still belongs to the table.
    assert row_starting(t1, "", "", "十八、住房保障支出")[3] == "4,716.51"
    assert row_starting(t1, "收入合计")[:3] == ["收入合计", "33,172.15", "支出合计"]


def test_word_export_codes_names_and_amounts_share_rows() -> None:
    doc = corpus_doc(JS_COURT_2018)
    t = next(t for t in doc.tables if t.title.startswith("五、"))
    assert [len(r.cells) for r in t.rows] == [3] * len(t.rows)
    assert t.rows[0].texts == ["功能科目代码", "功能科目名称", "金额"]
    assert row_starting(t, "204") == ["204", "公共安全支出", "26,200.88"]
    assert row_starting(t, "2210202") == ["2210202", "提租补贴", "3,318.25"]


def test_word_export_continuations_join_across_pages() -> None:
    doc = corpus_doc(JS_COURT_2018)
    assert not [t.pages for t in doc.tables if not t.title and t.pages[0] < 17]
    t6 = next(t for t in doc.tables if t.title.startswith("六、"))
    assert t6.pages == [11, 12]
    assert row_starting(t6, "30108") == ["30108", "机关事业单位基本养老保险缴费", "1,326.81"]
    assert row_starting(t6, "303") == ["303", "对个人和家庭的补助", "1,415.57"]
    t7 = next(t for t in doc.tables if t.title.startswith("七、"))
    assert t7.pages == [12, 13]
    assert row_starting(t7, "2040504") == ["2040504", "案件审判", "1,833.30"]


def test_word_export_org_and_unit_boxes_stay_out_of_the_grid() -> None:
    doc = corpus_doc(JS_COURT_2019)
    t7 = doc.tables[6]
    assert t7.title == "一般公共预算支出预算表（功能科目）"  # org line wrapped: "…法" / "院"
    assert t7.org_line == "部门名称：江苏省高级人民法院"
    assert t7.unit_line == "单位：万元"
    assert t7.rows[0].texts == ["功能科目编码", "功能科目名称", "金额"]
    t9 = doc.tables[8]  # unit wrapped in a narrow box: "单位：万" / "元"
    assert t9.title == "“三公”经费、会议费、培训费支出预算表"
    assert t9.org_line == "部门名称：江苏省高级人民法院"
    assert t9.unit_line == "单位：万元"
    assert t9.rows[0].texts[0] == "合计"


def _word_like_pdf(path: Path, open_top: bool = False) -> None:
    """A ruled 3-column table whose cells are painted with white padding rectangles,
    as Word exports do; with ``open_top`` the first rule is missing (a page break)."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")
    cidfonts = pytest.importorskip("reportlab.pdfbase.cidfonts")
    pdfmetrics.registerFont(cidfonts.UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    xs = [60, 190, 420, 540]
    rows = [("科目编码", "科目名称", "金额"), ("204", "公共安全支出", "26,200.88"),
            ("20405", "法院", "26,200.88"), ("2040501", "行政运行", "14,857.61")]
    top = 760
    ys = [top - 20 * k for k in range(len(rows) + 1)]
    c.setFillColorRGB(1, 1, 1)
    for y0, y1 in zip(ys, ys[1:], strict=False):
        for x0, x1 in zip(xs, xs[1:], strict=False):
            # padding slivers and the text area, each its own white rectangle
            c.rect(x0, y1, 5.4, y0 - y1, stroke=0, fill=1)
            c.rect(x1 - 5.4, y1, 5.4, y0 - y1, stroke=0, fill=1)
            c.rect(x0 + 5.4, y1 + 4, x1 - x0 - 10.8, y0 - y1 - 8, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setLineWidth(0.5)
    for k, y in enumerate(ys):
        if not (open_top and k == 0):
            c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    c.setFont("STSong-Light", 10)
    for y1, row in zip(ys[1:], rows, strict=True):
        for x0, text in zip(xs, row, strict=False):
            c.drawString(x0 + 6, y1 + 6, text)
    c.save()


@pytest.mark.parametrize("open_top", [False, True])
def test_white_cell_paint_does_not_split_the_grid(tmp_path: Path, open_top: bool) -> None:
    path = tmp_path / "word.pdf"
    _word_like_pdf(path, open_top)
    doc = ingest_pdf(str(path))
    assert len(doc.tables) == 1
    assert [r.texts for r in doc.tables[0].rows] == [
        ["科目编码", "科目名称", "金额"], ["204", "公共安全支出", "26,200.88"],
        ["20405", "法院", "26,200.88"], ["2040501", "行政运行", "14,857.61"]]


# --------------------------------------------------------------------------- errors


def _text_pdf(path: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Budget 2026 total 1554.03")
    c.save()


def test_truncated_pdf(tmp_path: Path) -> None:
    src = tmp_path / "ok.pdf"
    _text_pdf(src)
    data = src.read_bytes()
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        ingest_pdf(str(bad))
    assert "损坏" in err.value.message or "不完整" in err.value.message


def test_random_bytes_with_pdf_header(tmp_path: Path) -> None:
    bad = tmp_path / "random.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + hashlib.sha256(b"x").digest() * 300)
    with pytest.raises(InputError):
        ingest_pdf(str(bad))


def test_image_only_pdf(tmp_path: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(72, 72, 300, 400, fill=1)
    c.save()
    with pytest.raises(InputError) as err:
        ingest_pdf(str(path))
    assert "文字层" in err.value.message


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf(b"secret"))
    with pytest.raises(InputError) as err:
        ingest_pdf(str(path))
    assert "加密" in err.value.message


def test_text_pdf_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.pdf"
    _text_pdf(path)
    doc = ingest_pdf(str(path))
    assert [p.text for p in doc.paragraphs] == ["Budget 2026 total 1554.03"]
    assert doc.pages[0].number == 1 and doc.pages[0].width > 0


# A minimal PDF protected by the standard security handler (revision 2, 40-bit RC4)
# with a user password, built by hand so no encryption library is needed
# (PDF 32000-1:2008, 7.6.3, algorithms 2, 3 and 4).
_PAD = bytes.fromhex(
    "28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a"
)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user_pw: bytes) -> bytes:
    padded = (user_pw + _PAD)[:32]
    owner = _rc4(hashlib.md5(padded).digest()[:5], padded)
    perms = -4
    file_id = b"0123456789abcdef"
    key = hashlib.md5(padded + owner + struct.pack("<i", perms) + file_id).digest()[:5]
    user = _rc4(key, _PAD)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <"
        + user.hex().encode() + b"> /P " + str(perms).encode() + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n"
        % (len(objs) + 1, file_id.hex().encode(), file_id.hex().encode())
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# -- the fast cell finder is pdfplumber's, cell for cell ------------------------------


def _grid_edges(rng, rows: int, cols: int) -> list[dict]:  # noqa: ANN001
    """Ruling edges of a rows x cols grid with some merged cells (missing inner
    segments) and uneven spacing, as pdfplumber edge dicts."""
    xs = [20.0]
    for _ in range(cols):
        xs.append(xs[-1] + rng.choice([30.0, 45.5, 60.0, 80.25]))
    ys = [50.0]
    for _ in range(rows):
        ys.append(ys[-1] + rng.choice([12.0, 15.5, 24.0]))
    edges = []

    def h(y: float, x0: float, x1: float) -> None:
        edges.append({"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0})

    def v(x: float, y0: float, y1: float) -> None:
        edges.append({"orientation": "v", "x0": x, "x1": x, "top": y0, "bottom": y1, "width": 0.0, "height": y1 - y0})

    for r, y in enumerate(ys):
        for c in range(cols):
            if r in (0, rows) or rng.random() > 0.15:  # an inner segment left out: a merged cell
                h(y, xs[c], xs[c + 1])
    for c, x in enumerate(xs):
        for r in range(rows):
            if c in (0, cols) or rng.random() > 0.15:
                v(x, ys[r], ys[r + 1])
    return edges


@pytest.mark.parametrize("seed", range(12))
def test_cells_from_intersections_match_pdfplumber(seed: int) -> None:
    import random

    from pdfplumber.table import edges_to_intersections, merge_edges
    from pdfplumber.table import intersections_to_cells as reference

    from budget_audit.ingest.pdf_tables import intersections_to_cells

    rng = random.Random(seed)
    edges = _grid_edges(rng, rng.randint(1, 25), rng.randint(1, 12))
    merged = merge_edges(edges, 3, 3, 3, 3)
    inter = edges_to_intersections(merged, 3, 3)
    expected = reference(inter)
    assert expected  # a grid always has cells
    assert intersections_to_cells(inter) == expected
