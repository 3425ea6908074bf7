"""Claim scope (recognise/claims.py): what each prose number is about, computed once in
recognition — each rule on a small synthetic document that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.extract import extract_record
from budget_audit.ingest import ingest
from budget_audit.recognise import Facts, recognise


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return recognise(ingest(str(path)))


def _claim(facts: Facts, text: str):  # noqa: ANN202
    hits = [c for c in facts.prose.claims if c.text == text]
    assert len(hits) == 1, [c.text for c in facts.prose.claims]
    return hits[0]


def test_restatement_takes_its_list_heading_as_subject(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2026年深圳市某某局部门预算\n\n五、财政拨款“三公”经费预算情况\n\n"
        "1.因公出国（境）费用。2026年预算数28.00万元，较2025年年初预算增加27.20万元。\n\n"
        "公务用车购置费2026年预算数0.00万元，较2025年年初预算减少30.00万元。\n",
    )
    assert _claim(facts, "28.00万元").scope.subject == "因公出国(境)费用"
    assert _claim(facts, "0.00万元").scope.subject == "公务用车购置费"


def test_code_printed_after_the_name(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2022年西安市某某局部门预算\n\n二、支出按功能科目分类的明细情况\n\n"
        "（1）行政运行（2011301）2093.85万元，较上年减少195.40万元。\n\n"
        "工资福利支出（301）4131.78万元；3.法院（款）机关服务（项）支出1600万元。\n",
    )
    first = _claim(facts, "2093.85万元")
    assert (first.scope.subject, first.scope.code) == ("行政运行", "2011301")
    assert _claim(facts, "4131.78万元").scope.code == "301"
    assert _claim(facts, "1600万元").scope.subject == "法院(款)机关服务(项)支出"


def test_sub_unit_sections(tmp_path: Path) -> None:
    """Figures under a heading that names another organisation (or the department's
    own 本级 part) belong to that unit, not to the department."""
    facts = _facts(
        tmp_path,
        "2026年深圳市生态环境局部门预算\n\n第三部分 部门预算支出具体情况\n\n"
        "一、深圳市生态环境局（本级）\n\n深圳市生态环境局（本级）预算63051.28万元。\n\n"
        "二、深圳市饮用水源保护管理办公室\n\n深圳市饮用水源保护管理办公室预算4291.51万元。\n\n"
        "第四部分 政府采购预算情况\n\n深圳市生态环境局政府采购预算共775.86万元。\n",
    )
    assert _claim(facts, "63051.28万元").scope.unit == "深圳市生态环境局(本级)"
    assert _claim(facts, "4291.51万元").scope.unit == "深圳市饮用水源保护管理办公室"
    assert _claim(facts, "775.86万元").scope.unit is None


def test_sub_unit_named_with_a_place_in_brackets(tmp_path: Path) -> None:
    """"一带一路环境技术交流与转移中心（深圳）" is an organisation: the bracket is a
    place after its name."""
    facts = _facts(
        tmp_path,
        "2026年深圳市生态环境局部门预算\n\n第三部分 部门预算支出具体情况\n\n"
        "七、一带一路环境技术交流与转移中心（深圳）\n\n"
        "一带一路环境技术交流与转移中心（深圳）预算2,100.00万元，包括在职人员经费0.00万元、项目支出2,100.00万元。\n",
    )
    assert _claim(facts, "0.00万元").scope.unit == "一带一路环境技术交流与转移中心(深圳)"


def test_heading_naming_the_department_is_not_a_sub_unit(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2026年深圳市审计局部门预算\n\n第三部分 部门预算支出具体情况\n\n一、深圳市审计局\n\n"
        "深圳市审计局预算10737.69万元，包括在职人员经费6516.50万元、项目支出4221.19万元。\n",
    )
    assert _claim(facts, "10737.69万元").scope.unit is None


def test_fund_from_own_words_parent_and_heading(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2021年某某局部门预算\n\n三、支出预算情况说明\n\n"
        "支出预算1554.03万元，其中：基本支出1200万元。一般公共预算财政拨款支出1000万元，其中：基本支出800万元。\n\n"
        "五、一般公共预算支出预算情况说明\n\n一般公共服务支出900万元。\n",
    )
    basics = [c for c in facts.prose.claims if c.subject == "基本支出"]
    assert [c.scope.fund for c in basics] == [None, "一般公共预算"]
    assert _claim(facts, "1000万元").scope.fund == "一般公共预算"
    assert _claim(facts, "900万元").scope.fund == "一般公共预算"
    assert _claim(facts, "1554.03万元").scope.fund is None


def test_period_and_headline(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2026年某某局部门预算\n\n二、收支总体情况\n\n"
        "2025年当年预算执行数为1200万元，2026年预算安排1100万元，比2025年预算执行数减少8.33%。\n",
    )
    prior, current = _claim(facts, "1200万元"), _claim(facts, "1100万元")
    assert (prior.scope.period, current.scope.period) == ("prior", "current")
    assert prior.scope.headline


def test_the_other_side_of_a_headline_in_a_parallel_clause_is_a_headline(tmp_path: Path) -> None:
    # 广州's "收入预算A…；支出预算B…": B is the department's total as A is; a figure of
    # another kind after "；" is not.
    facts = _facts(
        tmp_path,
        "2026年某某局部门预算\n\n二、收支预算情况\n\n"
        "2026年本部门收入预算9,483.72万元，比上年增加552.08万元，增长6.2%；"
        "支出预算9,483.71万元，比上年增加552.08万元，增长6.2%；基本支出预算3,000万元。\n",
    )
    assert _claim(facts, "9,483.71万元").scope.headline
    assert not _claim(facts, "3,000万元").scope.headline


def test_work_targets_are_narrative(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2022年某某局部门预算\n\n二、2022年度部门工作任务\n\n力争净增限额以上贸易单位400家。\n\n"
        "三、收支预算情况\n\n收入预算总计100万元。\n",
    )
    assert _claim(facts, "400家").scope.narrative
    assert not _claim(facts, "100万元").scope.narrative


def test_extract_shows_the_scope(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("2026年某某局部门预算\n\n一、某某中心\n\n某某中心预算12万元。\n", encoding="utf-8")
    claims = extract_record(str(path))["claims"]
    assert claims[0]["scope"]["unit"] == "某某中心"
    assert claims[0]["scope"]["subject"] == "某某中心"


def test_restatement_takes_its_heading_as_subject(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2026年福州市某某局单位预算\n\n六、一般公共预算“三公”经费支出情况\n\n（一）因公出国（境）经费\n\n"
        "2026年预算安排7.05万元，比上年增加0.05万元。\n\n（二）公务接待费\n\n2026年预算安排8.00万元。\n",
    )
    assert _claim(facts, "7.05万元").scope.subject == "因公出国(境)经费"
    assert _claim(facts, "8.00万元").scope.subject == "公务接待费"


def test_fund_in_brackets_belongs_to_the_subject(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "2026年深圳市某某局部门预算\n\n2.污水处理服务费（政府性基金）52,765.99万元，主要用于支付运营费用。\n")
    claim = _claim(facts, "52,765.99万元")
    assert claim.subject == "污水处理服务费(政府性基金)" and claim.scope.fund == "政府性基金"


def test_figures_in_a_reason_clause(tmp_path: Path) -> None:
    """A figure inside "主要原因是…" details the reason (a sub-unit's part): it is marked,
    and table checks leave it alone; numbered reasons run on over sentences until a new
    statement opens."""
    facts = _facts(
        tmp_path,
        "2022年西安市某某局部门预算\n\n"
        "2022年本部门培训费预算支出21.39万元，较上年增加了1.91万元，增加的主要原因是一是技师学院师资培训费今年预算10.19万元。"
        "二是电子商务中心将进行系统操作培训。因此今年预算培训费用1.20万元。2022年本部门会议费预算支出2.61万元；"
        "公务接待费3.01万元，主要原因是接待增加；公用经费5.00万元。\n",
    )
    assert not _claim(facts, "21.39万元").scope.reason
    assert _claim(facts, "10.19万元").scope.reason
    assert _claim(facts, "1.20万元").scope.reason
    assert not _claim(facts, "2.61万元").scope.reason
    assert not _claim(facts, "5.00万元").scope.reason



_JS_FIGURES = (
    "2018年江苏省某某院部门预算\n\n十、财政拨款支出情况\n\n"
    "检察（款）：2018年预算支出合计16,444.36万元。其中：1.住房公积金（项）：支出1,073.77万元。\n\n"
    "主要包括：办公费12.00万元。\n"
)


@pytest.mark.parametrize("doc,text,field,expected", [
    # "行政运行（2060101）支出1187.60万元": the code stands before "支出".
    ("2022年西安市某某局部门预算\n\n二、一般公共预算支出情况\n\n"
     "（2）行政运行（2060101）支出1187.60万元，比上年增加5.00万元。\n",
     "1187.60万元", "code", "2060101"),
    ("2022年西安市某某局部门预算\n\n二、一般公共预算支出情况\n\n"
     "（2）行政运行（2060101）支出1187.60万元，比上年增加5.00万元。\n",
     "1187.60万元", "subject", "行政运行"),
    # Words after a colon that say only what the figure is: the item is before the colon;
    # a colon before a real name still ends the clause.
    (_JS_FIGURES, "16,444.36万元", "subject", "检察(款)"),
    (_JS_FIGURES, "1,073.77万元", "subject", "住房公积金(项)"),
    (_JS_FIGURES, "12.00万元", "subject", "办公费"),
    # "第三部分江苏省某某办公厅": a part heading naming the department itself.
    ("江苏省人大常委会办公厅2017年部门预算\n\n第三部分江苏省人大常委会办公厅\n\n"
     "一、收支预算总表情况说明\n\n江苏省人大常委会办公厅2017年度收入预算合计13649.07万元。\n",
     "13649.07万元", "unit", None),
    # "…流域管理中心（深圳市治理深圳河办公室）": the bracket is the unit's other name.
    ("2026年深圳市水务局部门预算\n\n第三部分 部门预算支出具体情况\n\n"
     "十、深圳市深圳河湾流域管理中心（深圳市治理深圳河办公室）\n\n"
     "深圳市深圳河湾流域管理中心（深圳市治理深圳河办公室）预算237,632.33万元，"
     "包括在职人员经费1,581.05万元、项目支出235,419.25万元。\n",
     "235,419.25万元", "unit", "深圳市深圳河湾流域管理中心(深圳市治理深圳河办公室)"),
    # "计划购置车辆1辆、18万元": the amount after a count is the money of what was counted.
    ("2026年深圳市某某局部门预算\n\n二、国有资产占用情况\n\n"
     "2026年计划购置车辆1辆、18万元，主要是计划新购置一般公务用车1辆。\n",
     "18万元", "subject", "计划购置车辆"),
])
def test_scope_of_one_figure(tmp_path: Path, doc: str, text: str, field: str, expected: str | None) -> None:
    assert getattr(_claim(_facts(tmp_path, doc), text).scope, field) == expected
