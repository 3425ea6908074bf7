"""Table identity (issue 10): roles from titles and, for a table printed without a
title, from its header; the numbering of a title is not part of it; rows keyed by unit
code; the document's kind, year and department from its cover."""

from __future__ import annotations

import pytest

from budget_audit.ingest.text import ingest_text
from budget_audit.recognise import recognise


def _tables(text: str):  # noqa: ANN202
    doc = ingest_text(text.replace(" | ", "\t"), "doc.txt")
    return recognise(doc).tables


@pytest.mark.parametrize(
    "title,role",
    [
        ("（一）收支总表", "revenue_expenditure_summary"),
        ("2026年部门综合预算政府性基金收支总表", "gov_fund"),
        ("基本支出总表", "basic_expenditure"),
        ("预算11表 财政拨款政府购买服务明细表", "government_services"),
        ("2026年部门综合预算政府采购（资产配置、购买服务）预算表", "government_procurement"),
        ("2026部门综合预算财政拨款上年结转资金支出表", "carryover"),
        ("2026年部门综合预算专项业务经费支出表（不含上年结转）", "project_expenditure"),
        ("会议费明细表", "meeting_training"),
        ("2026年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "three_public"),
        ("报表目录", "table_index"),
        ("2026年支出总表", "expenditure_summary"),
    ],
)
def test_roles_from_titles(title: str, role: str) -> None:
    tables = _tables(f"{title}\n单位：元\n项目 | 金额\n合计 | 10\n")
    assert [t.role for t in tables] == [role]


@pytest.mark.parametrize(
    "header,role",
    [
        ("二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标", "performance"),
        ("序号 | 单位名称 | 拟变动情况", "units"),
        ("单位名称 | 编制人数 | 实有人数", "staffing"),
        ("报表 | 报表名称 | 是否空表", "table_index"),
        ("功能科目 | 年度 | 合计 | 主要原因", "year_comparison"),
    ],
)
def test_roles_of_untitled_tables_from_their_header(header: str, role: str) -> None:
    # A list inside the prose: a sentence ending in "：" is not its title.
    width = header.count("|") + 1
    row = " | ".join(["某某局"] + ["1"] * (width - 1))
    tables = _tables(f"本部门重点项目情况如下：\n{header}\n{row}\n")
    assert tables and tables[0].title == "" and tables[0].role == role


def test_untitled_form_continued_without_header_is_named_by_its_text() -> None:
    # A performance form continued on a page of its own, without title or header.
    tables = _tables(
        "续上页：\n某某项目 | 产出指标 | 数量指标 | 培训人次 | 100\n"
        "某某项目 | 满意度指标 | 服务对象满意度指标 | 满意度 | 90\n"
    )
    assert tables[0].title == "" and tables[0].role == "performance"


def test_untitled_table_with_an_unknown_header_has_no_role() -> None:
    tables = _tables("收费标准如下：\n序号 | 项目名称 | 结构内容 | 收费标准\n1 | 某某项目 | 某某 | 10\n")
    assert tables[0].role is None


@pytest.mark.parametrize(
    "cover,kind,year,dept",
    [
        ("北京市医疗保障局部门2026年度部门预算\n信息公开", "预算", 2026, "北京市医疗保障局"),
        ("北京市人民政府国有资产监督管理委员会\n2026部门预算情况的说明", "预算", 2026, "北京市人民政府国有资产监督管理委员会"),
        ("西安市商务局\n2022年部门综合预算", "预算", 2022, "西安市商务局"),
        ("西安市卫生健康委员会（汇总）\n2022年度部门决算", "决算", 2022, "西安市卫生健康委员会"),
    ],
    ids=["org-then-部门", "year-without-年", "部门综合预算", "决算-consolidated"],
)
def test_document_identity_from_the_cover(cover: str, kind: str, year: int, dept: str) -> None:
    doc = ingest_text(cover + "\n目录\n一、部门情况说明\n\n一、部门情况说明\n本部门主要职责是……。\n", "doc.txt")
    meta = recognise(doc).meta
    assert (meta.kind, meta.year, meta.department) == (kind, year, dept)


def test_rows_keyed_by_unit_code() -> None:
    tables = _tables(
        "2026年收入总表\n单位：元\n单位编码 | 单位名称 | 合计\n | 合计 | 30\n245 | 某某局 | 30\n245001 | 某某中心 | 30\n\n"
        "2026年一般公共预算支出表\n单位：元\n科目编码 | 科目名称 | 合计\n201 | 一般公共服务支出 | 30\n"
        "20103 | 政府办公厅（室）及相关机构事务 | 30\n"
    )
    assert [t.keyed_by for t in tables] == ["unit", None]
