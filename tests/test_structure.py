"""Table structure from the table's own arithmetic (issue 10 items 1–3), each layout as
a small synthetic table: the reading recognition takes, the identities it implies, and
whether a small edit explains what fails."""

from __future__ import annotations

import re
from pathlib import Path

from budget_audit.ingest import ingest_many
from budget_audit.recognise import recognise
from budget_audit.recognise.tables import RTable


def _table(tmp_path: Path, doc: str) -> RTable:
    text = "\n".join(
        "\t".join(re.split(r"\s*\|\s*", line)) if " | " in line else line for line in doc.strip("\n").splitlines()
    )
    path = tmp_path / "doc.txt"
    path.write_text("2026年XX局部门预算\n" + text + "\n", encoding="utf-8")
    facts = recognise(ingest_many([str(path)]))
    assert facts.tables, "no table read"
    return facts.tables[0]


def _parents(rt: RTable) -> dict[str, str | None]:
    items = rt.sides[0].items
    return {it.label: (items[it.parent].label if it.parent is not None else None) for it in items}


def test_names_only_hierarchy_is_read_from_the_numbers(tmp_path: Path) -> None:
    # 类 numbered "一、", 款 and 项 by name only: summed flat, 一、 would come out 2x.
    rt = _table(
        tmp_path,
        """
2026年收支总表
单位：万元
项目 | 2026年预算数
一、一般公共服务支出 | 100.00
审计事务 | 100.00
行政运行 | 60.00
一般行政管理事务 | 40.00
二、住房保障支出 | 30.00
住房改革支出 | 30.00
住房公积金 | 30.00
本年支出合计 | 130.00
""",
    )
    st = rt.structure
    assert st is not None and st.understood and st.failing == 0
    parents = _parents(rt)
    assert parents["审计事务"] == "一般公共服务支出"
    assert parents["行政运行"] == "审计事务"
    assert parents["住房公积金"] == "住房改革支出"
    assert parents["住房保障支出"] is None


def test_unit_subtotal_rows_above_their_projects(tmp_path: Path) -> None:
    # A unit row sums its projects; the 合计 sums the units (not every row flat).
    rt = _table(
        tmp_path,
        """
2026年项目支出表
单位：万元
项目名称 | 合计 | 一般公共预算
合计 | 160.00 | 150.00
甲单位 | 100.00 | 90.00
会展专题 | 60.00 | 60.00
培训项目 | 40.00 | 30.00
乙单位 | 60.00 | 60.00
信息化项目 | 60.00 | 60.00
""",
    )
    st = rt.structure
    assert st is not None and st.understood and st.failing == 0
    assert _parents(rt)["会展专题"] == "甲单位"
    assert _parents(rt)["信息化项目"] == "乙单位"


def test_split_code_columns_keep_their_level(tmp_path: Path) -> None:
    # 款 "99" then 项 "99" under 208: the 项 row is 2089999, not another 款 20899.
    rt = _table(
        tmp_path,
        """
2026年收入总体情况表
单位：万元
科目编码 | | | 科目名称 | 合计
类 | 款 | 项 | |
 | | | 合计 | 120.00
208 | | | 社会保障和就业支出 | 120.00
 | 05 | | 行政事业单位养老支出 | 20.00
 | | 05 | 机关事业单位基本养老保险缴费支出 | 20.00
 | 99 | | 其他社会保障和就业支出 | 100.00
 | | 99 | 其他社会保障和就业支出 | 100.00
""",
    )
    codes = [it.code for it in rt.sides[0].items if it.code]
    assert codes == ["208", "20805", "2080505", "20899", "2089999"]
    assert rt.structure is not None and rt.structure.failing == 0


def test_bracketed_codes(tmp_path: Path) -> None:
    rt = _table(
        tmp_path,
        """
2026年一般公共预算支出表
单位：万元
科目编码 | 科目名称 | 合计
[201] | 一般公共服务支出 | 50.00
[20113] | 商贸事务 | 50.00
[2011301] | 行政运行 | 50.00
合计 | | 50.00
""",
    )
    assert [it.code for it in rt.sides[0].items if it.code] == ["201", "20113", "2011301"]
    assert rt.structure is not None and rt.structure.failing == 0


def test_index_and_code_columns_are_not_amounts(tmp_path: Path) -> None:
    rt = _table(
        tmp_path,
        """
2026年一般公共预算基本支出表
单位：元
序号 | 政府经济科目编码 | 科目名称 | 金额
1 | 501 | 机关工资福利支出 | 300
2 | 50101 | 工资奖金津补贴 | 200
3 | 50102 | 社会保障缴费 | 100
 | | 合计 | 300
""",
    )
    kinds = [c.kind for c in rt.columns]
    assert kinds[0] == "index" and kinds[1] == "code" and kinds[3] == "amount"
    assert rt.structure is not None and rt.structure.failing == 0


def test_of_which_column_counts_when_the_total_is_its_sum(tmp_path: Path) -> None:
    # "小计 | 其中：基本支出 | 项目支出": 小计 = 基本支出 + 项目支出, confirmed by the numbers.
    rt = _table(
        tmp_path,
        """
2026年一般公共预算支出表
单位：万元
科目编码 | 科目名称 | 一般公共预算支出 | |
 | | 小计 | 其中：基本支出 | 项目支出
201 | 一般公共服务支出 | 30.00 | 10.00 | 20.00
20113 | 商贸事务 | 30.00 | 10.00 | 20.00
合计 | | 30.00 | 10.00 | 20.00
""",
    )
    st = rt.structure
    assert st is not None
    groups = [b for b in st.blocks if b.axis == "columns"]
    assert groups and groups[0].parts == (3, 4)
    assert st.failing == 0


def test_of_which_column_that_is_a_subset_is_not_summed(tmp_path: Path) -> None:
    rt = _table(
        tmp_path,
        """
2026年一般公共预算支出表
单位：万元
科目编码 | 科目名称 | 合计 | | 政府性基金
 | | 小计 | 其中：财政拨款 |
201 | 一般公共服务支出 | 30.00 | 10.00 | 0.00
20113 | 商贸事务 | 30.00 | 10.00 | 0.00
""",
    )
    st = rt.structure
    assert st is not None
    assert all(3 not in b.parts for b in st.blocks if b.axis == "columns")
    assert st.failing == 0


def test_one_misprinted_leaf_is_explained(tmp_path: Path) -> None:
    rt = _table(
        tmp_path,
        """
2026年支出总表
单位：元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
201 | 一般公共服务支出 | 300 | 200 | 100
20103 | 政府办公厅（室）及相关机构事务 | 300 | 200 | 100
2010301 | 行政运行 | 210 | 200 | 0
2010302 | 一般行政管理事务 | 100 | 0 | 100
合计 | | 300 | 200 | 100
""",
    )
    st = rt.structure
    assert st is not None and st.understood
    assert st.explanation is not None and st.explanation.kind == "cells"
    assert [e.cell for e in st.explanation.edits] == [(2, 2)]
    assert st.explanation.edits[0].delta == -10_000


def test_a_figure_on_the_wrong_row_is_two_cells(tmp_path: Path) -> None:
    rt = _table(
        tmp_path,
        """
2026年支出总表
单位：元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
201 | 一般公共服务支出 | 300 | 200 | 100
20103 | 政府办公厅（室）及相关机构事务 | 300 | 200 | 100
2010301 | 行政运行 | 200 | 200 | 50
2010302 | 一般行政管理事务 | 100 | 0 | 50
合计 | | 300 | 200 | 100
""",
    )
    st = rt.structure
    assert st is not None and st.understood and st.explanation is not None
    assert len(st.explanation.edits) == 2


def test_a_class_left_out_of_the_total(tmp_path: Path) -> None:
    # The printed 合计 leaves out the 222 rows, in both columns: one row omitted.
    rt = _table(
        tmp_path,
        """
2026年一般公共预算支出表
单位：万元
科目编码 | 科目名称 | 合计 | 项目支出
201 | 一般公共服务支出 | 100.00 | 40.00
20101 | 人大事务 | 100.00 | 40.00
222 | 粮油物资储备支出 | 30.00 | 30.00
22201 | 粮油物资事务 | 30.00 | 30.00
合计 | | 100.00 | 40.00
""",
    )
    st = rt.structure
    assert st is not None and st.understood and st.explanation is not None
    assert st.explanation.kind == "row_omitted" and st.explanation.row == 2


def test_many_failures_no_small_edit_explains_is_not_understood(tmp_path: Path) -> None:
    # Rows that do not add up anywhere: a reading problem, not five misprints.
    rt = _table(
        tmp_path,
        """
2026年支出总表
单位：元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
201 | 一般公共服务支出 | 300 | 210 | 100
20103 | 政府办公厅（室）及相关机构事务 | 280 | 170 | 130
2010301 | 行政运行 | 260 | 150 | 90
2010302 | 一般行政管理事务 | 170 | 40 | 70
合计 | | 330 | 200 | 110
""",
    )
    st = rt.structure
    assert st is not None and not st.understood
    assert "无法用改动一两个单元格来解释" in st.reason


def test_a_total_short_of_missing_rows_is_not_a_misprint(tmp_path: Path) -> None:
    # A project table whose rows go on elsewhere: the 合计 is short of its parts by the
    # same amount in every column — no typing slip, so not explained as one.
    rt = _table(
        tmp_path,
        """
2026年项目支出表
单位：万元
项目名称 | 总计 | 财政拨款 | 一般公共预算
合计 | 500.00 | 500.00 | 500.00
会展专题 | 100.00 | 100.00 | 100.00
电子商务专题 | 120.00 | 120.00 | 120.00
""",
    )
    st = rt.structure
    assert st is not None and not st.understood


def test_split_columns_are_joined() -> None:
    # A grid with a thin column beside each real one: the text sits left on some rows
    # and right on others, the other cell covered (None). Header cells merged across two
    # columns are not such a pair.
    from budget_audit.model import Cell, RawRow, Table
    from budget_audit.recognise.tables import recognise_table

    def row(*texts: str | None) -> RawRow:
        return RawRow([Cell(t) for t in texts])

    table = Table(
        "T1",
        "2020年一般公共预算基本支出明细表",
        [
            row(None, "科目编码", None, "科目名称", None, "合计"),
            row(None, None, None, "合计", None, "30.00"),
            row(None, "301", None, "工资福利支出", None, "30.00"),
            row("30101", None, "基本工资", None, "20.00", None),
            row("30102", None, "津贴补贴", None, "10.00", None),
        ],
        unit_line="单位：万元",
    )
    rt = recognise_table(table, [])
    assert [c.kind for c in rt.columns] == ["code", "label", "amount"]
    assert rt.structure is not None and rt.structure.failing == 0 and rt.structure.passing >= 2


def test_equal_chains_resolve_from_the_bottom(tmp_path: Path) -> None:
    # 委托咨询 200 = 案件质量管理 200 (a project under its category), then 宣传片 100 over
    # 宣传片 100 (a project under a category of its own name): 100 + 100 = 200 must not
    # make both 宣传片 rows children of 案件质量管理.
    rt = _table(
        tmp_path,
        """
2026年专项业务经费支出表
单位：元
单位（项目）名称 | 项目金额
合计 | 570
通用项目 | 570
大型活动 | 120
司法行政业务培训 | 120
大宗印刷项目 | 150
大宗宣传品印刷项目 | 150
委托咨询业务 | 200
案件质量管理 | 200
宣传片拍摄制作项目 | 100
宣传片拍摄制作项目 | 100
""",
    )
    st = rt.structure
    assert st is not None and st.understood and st.failing == 0
    items = rt.sides[0].items
    parent_of = {it.row: (items[it.parent].label if it.parent is not None else None) for it in items}
    assert parent_of[7] == "委托咨询业务"  # 案件质量管理
    assert parent_of[9] == "宣传片拍摄制作项目" and parent_of[8] == "通用项目"


def test_a_numbered_heading_over_a_numbering_that_starts_again(tmp_path: Path) -> None:
    # "一、本年支出" heads the classes numbered "一、…二、…" again; "二、结转下年" follows it.
    rt = _table(
        tmp_path,
        """
2026年收支总表
单位：万元
项目 | 预算数
一、本年支出 | 100.00
一、一般公共服务支出 | 60.00
二、住房保障支出 | 40.00
二、结转下年 | 5.00
支出总计 | 105.00
""",
    )
    st = rt.structure
    assert st is not None and st.understood and st.failing == 0
    parents = _parents(rt)
    assert parents["一般公共服务支出"] == "本年支出" and parents["住房保障支出"] == "本年支出"
    assert parents["结转下年"] is None


def test_two_separate_misprints_are_each_explained(tmp_path: Path) -> None:
    # One wrong leaf under 201 and another under 208: two misprints far apart, each
    # explained by its own cell; the table is understood.
    rt = _table(
        tmp_path,
        """
2026年支出总表
单位：元
科目编码 | 科目名称 | 合计
201 | 一般公共服务支出 | 300
20103 | 政府办公厅（室）及相关机构事务 | 300
2010301 | 行政运行 | 210
2010302 | 一般行政管理事务 | 100
208 | 社会保障和就业支出 | 50
20805 | 行政事业单位养老支出 | 50
2080505 | 机关事业单位基本养老保险缴费支出 | 41
2080506 | 机关事业单位职业年金缴费支出 | 10
合计 | | 350
""",
    )
    st = rt.structure
    assert st is not None and st.understood
    assert [[e.cell for e in ex.edits] for ex in st.explanations] == [[(2, 2)], [(6, 2)]]


def test_units_stay_units_when_a_cell_under_one_is_wrong(tmp_path: Path) -> None:
    # Unit rows over the same economic classes: one class of the second unit is
    # mistyped (4,359.51 as 43,595.10). The units still head their rows (the unit row's
    # suffix says so, not only the numbers), and the one cell explains the three
    # identities it breaks (its unit's sum and the row's two column groups).
    rt = _table(
        tmp_path,
        """
2026年部门预算基本支出预算表
单位：万元
支出项目类别 | 总计 | 财政拨款/合计 | 财政拨款/一般公共预算 | 财政拨款/政府性基金预算 | 其他资金
合计 | 15,696.10 | 13,315.07 | 13,315.07 | 0.00 | 2,381.03
某某市某某局（本级） | 5,969.65 | 5,969.65 | 5,969.65 | 0.00 | 0.00
工资福利支出 | 3,914.36 | 3,914.36 | 3,914.36 | 0.00 | 0.00
商品和服务支出 | 2,055.29 | 2,055.29 | 2,055.29 | 0.00 | 0.00
某某市某某医院 | 8,726.45 | 6,346.42 | 6,346.42 | 0.00 | 2,380.03
工资福利支出 | 6,739.54 | 43,595.10 | 4,359.51 | 0.00 | 2,380.03
商品和服务支出 | 1,986.91 | 1,986.91 | 1,986.91 | 0.00 | 0.00
某某市某某服务中心(某某市某某站) | 1,000.00 | 999.00 | 999.00 | 0.00 | 1.00
工资福利支出 | 1,000.00 | 999.00 | 999.00 | 0.00 | 1.00
""",
    )
    st = rt.structure
    assert st is not None and st.understood, st
    parents = _parents(rt)
    assert parents["某某市某某服务中心(某某市某某站)"] is None
    assert [[e.cell for e in ex.edits] for ex in st.explanations] == [[(5, 2)]]


def test_rows_not_understood_still_checks_each_rows_columns(tmp_path: Path) -> None:
    # The 合计 carries amounts no printed row carries (in all three columns: no edit of
    # one or two cells explains it), so the rows' identities are not trusted; each
    # row's 合计 = 基本支出 + 项目支出 still is, and one row breaks it.
    rt = _table(
        tmp_path,
        """
2026年支出总表
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
2010301 | 行政运行 | 120.00 | 120.00 | 0.00
2010302 | 一般行政管理事务 | 80.00 | 0.00 | 80.00
2080501 | 行政单位离退休 | 50.00 | 45.00 | 5.00
2080505 | 机关事业单位基本养老保险缴费支出 | 30.00 | 30.00 | 0.00
2210201 | 住房公积金 | 25.00 | 25.00 | 0.00
2210203 | 购房补贴 | 12.00 | 2.00 | 9.00
合计 | | 90,317.00 | 20,222.00 | 70,095.00
""",
    )
    st = rt.structure
    assert st is not None and st.status == "rows_not_understood", st
    assert st.understood_on("columns") and not st.understood_on("rows")
    assert [e.cell[0] for ex in st.explanations for e in ex.edits] == [5]


def test_a_column_after_a_deduction_adds_up_over_the_rows(tmp_path: Path) -> None:
    # "扣除基建项目后预算数" is a part of 项目支出总数, not one of the group's parts — but
    # over the rows its 合计 is still the sum of the rows.
    text = """
2026年一般公共预算支出表
单位：万元
科目编码 | 科目名称 | 合计 | 项目支出/项目支出总数 | 项目支出/扣除基建项目后预算数
2010401 | 行政运行 | 100.00 | 100.00 | 100.00
2010404 | 战略规划与实施 | 50.00 | 50.00 | {cell}
合计 | | 150.00 | 150.00 | 130.00
"""
    rt = _table(tmp_path, text.format(cell="30.00"))
    st = rt.structure
    assert st is not None and st.understood and st.failing == 0
    assert rt.columns[4].subset and not any(b.axis == "columns" and 4 in b.parts for b in st.blocks)
    rt = _table(tmp_path, text.format(cell="300.00"))
    assert rt.structure is not None and rt.structure.failing == 1
    # One identity, three cells that could each be wrong: the column is certain, the row not.
    assert [[e.cell[1] for e in ex.edits] for ex in rt.structure.explanations] == [[4]]


def test_a_total_over_rows_nobody_printed_is_a_missing_row(tmp_path: Path) -> None:
    # 合计 is over its rows by 900 / 100 / 800 — amounts that add up as a row would
    # (900 = 100 + 800) but that no printed row carries: the listing leaves something
    # out. Understood, explained as one missing row (no cell named), and reported.
    text = """
2026年支出总表
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
2010301 | 行政运行 | 120.00 | 120.00 | 0.00
2010302 | 一般行政管理事务 | 80.00 | 0.00 | 80.00
2210201 | 住房公积金 | 25.00 | 25.00 | 0.00
合计 | | 1,125.00 | 245.00 | {project}
"""
    rt = _table(tmp_path, text.format(project="880.00"))
    st = rt.structure
    assert st is not None and st.understood, st
    assert [(ex.kind, ex.edits, ex.row) for ex in st.explanations] == [("row_missing", (), 3)]
    # Amounts that could not be one row (900 ≠ 100 + 700): not understood.
    rt = _table(tmp_path, text.format(project="780.00"))
    assert rt.structure is not None and not rt.structure.understood
