"""Tables across pages (issue 10), each rule shown on a small synthetic PDF layout.

A table continued on the next page without a title of its own is joined to it — with
or without its header repeated, even when the previous page was not filled to the
bottom (a tall row moved whole to the next page), over as many pages as it runs; a
title printed above the next page's grid starts a new table. A row the page break cut
in two (its label wrapped over the break) is one row again; a short complete label is
not glued to the next row. A column-number row ("栏次 1 2 3", "** 1") is never data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.ingest.pdf import ingest_pdf
from budget_audit.recognise.tables import recognise_table
from tests.pdf_layouts import Grid, Text, draw

XS = [60.0, 120.0, 206.0, 300.0, 400.0, 500.0]  # the 科目名称 column holds 8 characters
HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
FULL = 30  # rows of 19 pt from 110 pt down: the grid runs into the page's lower quarter


def _rows(start: int, n: int) -> list[list[str]]:
    """Data rows with distinct codes and amounts (合计 = 基本支出 + 项目支出)."""
    out = []
    for k in range(start, start + n):
        out.append([f"2010{k:03d}", f"科目{k}", f"{k + 10}.00", f"{k}.00", "10.00"])
    return out


def _title(text: str = "2026年支出总表") -> list[Text | Grid]:
    return [Text(60, text), Text(88, "单位：万元", size=10, x=450)]


def _three_pages(tmp_path: Path, repeat_header: bool) -> Path:
    # Each piece ends well above the lower quarter of its page.
    head = [HEADER] if repeat_header else []
    return draw(tmp_path / "pages.pdf", [
        _title() + [Grid(110, XS, [HEADER] + _rows(1, 8))],
        [Grid(60, XS, head + _rows(9, 8))],
        [Grid(60, XS, head + _rows(17, 3) + [["合计", "", "230.00", "200.00", "30.00"]])],
    ])


def _body_labels(table) -> list[str]:  # noqa: ANN001
    return [r.texts[1] for r in table.rows if r.texts[0] != "科目编码"]


def test_continuation_with_repeated_header_is_joined_all_the_way(tmp_path: Path) -> None:
    doc = ingest_pdf(str(_three_pages(tmp_path, repeat_header=True)))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.title == "2026年支出总表" and t.unit_line == "单位：万元"
    assert t.pages == [1, 2, 3]
    assert [r.texts for r in t.rows].count(HEADER) == 1  # repeated headers dropped
    assert _body_labels(t) == [f"科目{k}" for k in range(1, 20)] + [""]
    assert t.rows[-1].texts[0] == "合计"


def test_continuation_without_header_is_joined_all_the_way(tmp_path: Path) -> None:
    doc = ingest_pdf(str(_three_pages(tmp_path, repeat_header=False)))
    assert len(doc.tables) == 1
    assert doc.tables[0].pages == [1, 2, 3]
    assert _body_labels(doc.tables[0])[:19] == [f"科目{k}" for k in range(1, 20)]


def test_continuation_redrawn_with_other_widths_keeps_its_columns(tmp_path: Path) -> None:
    # Word redraws the next page's grid with slightly different column widths (here
    # 5–8 pt off): column k goes on in column k, not in a union of both grids.
    xs2 = [54.0, 126.0, 200.0, 307.0, 393.0, 506.0]
    path = draw(tmp_path / "widths.pdf", [
        _title() + [Grid(110, XS, [HEADER] + _rows(1, 8))],
        [Grid(60, xs2, [HEADER] + _rows(9, 2))],
    ])
    t = ingest_pdf(str(path)).tables[0]
    assert t.pages == [1, 2]
    assert {len(r.cells) for r in t.rows} == {5}
    assert t.rows[-1].texts == ["2010010", "科目10", "20.00", "10.00", "10.00"]


def test_a_title_on_the_next_page_starts_a_new_table(tmp_path: Path) -> None:
    path = draw(tmp_path / "two.pdf", [
        _title() + [Grid(110, XS, [HEADER] + _rows(1, 8))],
        _title("2026年一般公共预算支出表") + [Grid(110, XS, [HEADER] + _rows(9, 4))],
    ])
    doc = ingest_pdf(str(path))
    assert [t.title for t in doc.tables] == ["2026年支出总表", "2026年一般公共预算支出表"]
    assert [t.pages for t in doc.tables] == [[1], [2]]


def test_label_wrapped_over_the_page_break_is_one_row(tmp_path: Path) -> None:
    # The page is full; "信息网络及软件购" fills its cell; "置更新" on the next page is
    # the rest of it.
    path = draw(tmp_path / "wrap.pdf", [
        _title() + [Grid(110, XS, [HEADER] + _rows(1, FULL) + [["31002", "信息网络及软件购", "606.00", "", "606.00"]])],
        [Grid(60, XS, [["", "置更新", "", "", ""], ["合计", "", "672.00", "6.00", "666.00"]])],
    ])
    t = ingest_pdf(str(path)).tables[0]
    labels = [r.texts[1] for r in t.rows]
    assert "信息网络及软件购置更新" in labels and "置更新" not in labels
    row = next(r for r in t.rows if r.texts[1] == "信息网络及软件购置更新")
    assert row.texts == ["31002", "信息网络及软件购置更新", "606.00", "", "606.00"]
    assert t.rows[-1].texts[0] == "合计"


def test_wrapped_total_label_is_not_a_blank_total(tmp_path: Path) -> None:
    # "当年收入小计" cut after "当年收入": the bare "小计" must not become a total of 0.
    xs = [60.0, 106.0, 200.0]
    path = draw(tmp_path / "subtotal.pdf", [
        _title("2026年收入总表") + [Grid(110, xs, [["项目", "金额"]] + [["财政拨款", "0.50"]] * (FULL + 2)
                                         + [["其他收入", "1.00"], ["当年收入", "14.00"]])],
        [Grid(60, xs, [["小计", ""], ["收入合计", "14.00"]])],
    ])
    t = ingest_pdf(str(path)).tables[0]
    assert [r.texts for r in t.rows][-2:] == [["当年收入小计", "14.00"], ["收入合计", "14.00"]]
    rt = recognise_table(t, [])
    totals = [(it.label, it.total) for it in rt.sides[0].items]
    assert ("小计", True) not in totals and ("当年收入小计", True) in totals


def test_short_label_is_not_glued_to_the_next_row(tmp_path: Path) -> None:
    # "其他收入" leaves room in its cell: "上年结转" below it is a row of its own.
    path = draw(tmp_path / "short.pdf", [
        _title() + [Grid(110, XS, [HEADER] + _rows(1, FULL) + [["", "其他收入", "5.00", "5.00", ""]])],
        [Grid(60, XS, [["", "上年结转", "", "", ""], ["合计", "", "41.00", "11.00", "30.00"]])],
    ])
    labels = [r.texts[1] for r in ingest_pdf(str(path)).tables[0].rows]
    assert labels[-3:] == ["其他收入", "上年结转", ""]


def test_right_aligned_complete_label_is_not_glued_to_the_next_row(tmp_path: Path) -> None:
    # "专户管理教育收费" fills its right-aligned cell, but "其他非税收入" below it starts
    # further right: a label of its own, not the wrapped end of the one above.
    rows = [["", "专户管理教育收费", "", "", ""]]
    path = draw(tmp_path / "right.pdf", [
        _title() + [Grid(110, XS, [HEADER] + _rows(1, FULL) + rows, right=(1,))],
        [Grid(60, XS, [["", "其他非税收入", "", "", ""], ["合计", "", "41.00", "11.00", "30.00"]], right=(1,))],
    ])
    labels = [r.texts[1] for r in ingest_pdf(str(path)).tables[0].rows]
    assert labels[-3:] == ["专户管理教育收费", "其他非税收入", ""]


def test_column_number_rows_are_not_data(tmp_path: Path) -> None:
    # The first page prints "栏次 1 2 3" under the header; the continuation repeats only
    # that row; a two-cell "** 1" row in a second table.
    colnum = ["栏次", "", "1", "2", "3"]
    path = draw(tmp_path / "colnum.pdf", [
        _title() + [Grid(110, XS, [HEADER, colnum] + _rows(1, 6))],
        [Grid(60, XS, [colnum] + _rows(7, 2) + [["合计", "", "108.00", "36.00", "80.00"]])],
        _title("2026年收入总表") + [Grid(110, [60.0, 200.0, 300.0], [["项目", "金额"], ["**", "1"],
                                                                    ["财政拨款", "9.00"]])],
    ])
    doc = ingest_pdf(str(path))
    assert [t.pages for t in doc.tables] == [[1, 2], [3]]
    first = recognise_table(doc.tables[0], [])
    assert [row[0] for row in first.body] == [f"2010{k:03d}" for k in range(1, 9)] + ["合计"]
    second = recognise_table(doc.tables[1], [])
    assert second.body == [["财政拨款", "9.00"]]


# --------------------------------------------------------------------------- titles


def _titled(tmp_path: Path, lines: list[Text]) -> Path:
    return draw(tmp_path / "titled.pdf", [lines + [Grid(150, XS, [HEADER] + _rows(1, 3))]])


def test_title_above_a_table_number_and_an_org_line(tmp_path: Path) -> None:
    # 决算 layout: title, "公开01表", then "编制部门：… 金额单位：万元" over the grid.
    t = ingest_pdf(str(_titled(tmp_path, [
        Text(60, "收入支出决算总表"), Text(88, "公开01表", size=10),
        Text(125, "编制部门：某某市卫生健康委员会    金额单位：万元", size=10, x=60),
    ]))).tables[0]
    assert t.title == "收入支出决算总表"
    assert t.org_line == "编制部门：某某市卫生健康委员会"
    assert t.unit_line == "金额单位：万元"


def test_bracketed_subtitle_is_part_of_the_title(tmp_path: Path) -> None:
    t = ingest_pdf(str(_titled(tmp_path, [
        Text(50, "2021年部门综合预算一般公共预算支出明细表"), Text(75, "（按支出功能分类科目-不含上年结转）", size=12),
        Text(110, "预算单位：某某局    单位：元", size=10, x=60),
    ]))).tables[0]
    assert t.title == "2021年部门综合预算一般公共预算支出明细表 （按支出功能分类科目-不含上年结转）"
    assert t.unit_line == "单位：元"


@pytest.mark.parametrize("first,rest", [
    ("2021年部门综合预算政府采购（资产配置、购买服务）", "预算表（不含上年结转）"),
    # A bare fragment: "表" alone on the second line. (Drawn with a trailing space:
    # pdfium 5.12–5.15 drops a text object of one lone CJK character in reportlab's
    # non-embedded STSong-Light, so the test PDF would not hold it.)
    ("“三公”经费、会议费、培训费支出预算", "表 "),
])
def test_title_wrapped_over_two_lines_is_one_title(tmp_path: Path, first: str, rest: str) -> None:
    t = ingest_pdf(str(_titled(tmp_path, [
        Text(50, first), Text(75, rest), Text(110, "单位：元", size=10, x=480),
    ]))).tables[0]
    assert t.title == (first + rest).strip()
