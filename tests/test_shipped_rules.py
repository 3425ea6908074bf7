"""Shipped checks on small documents written for them: each must fail on the defect it
was written for and pass on the corrected text (the corpus tests give their precision
on real documents; these pin what they catch)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budget_audit.api import audit
from budget_audit.rulebook import load

BOOK = load()


def _doc(text: str) -> str:
    return "\n".join("\t".join(re.split(r"\s*\|\s*", x)) if " | " in x else x for x in text.splitlines())


def _outcome(tmp_path: Path, text: str, check_id: str):  # noqa: ANN202
    path = tmp_path / "doc.txt"
    path.write_text(_doc(text), encoding="utf-8")
    result = audit(str(path), BOOK)
    return next(o for o in result.outcomes if o.check_id == check_id)


GPB = """某某局2021年部门预算

一、一般公共预算支出预算情况说明

2021年一般公共预算支出预算120万元，主要用于：（一）2080505-机关事业单位基本养老保险缴费支出{a}万元；（二）2080506-机关事业单位职业年金缴费支出{b}万元。

2021年一般公共预算支出表
单位：万元
科目编码 | 科目名称 | 合计
 | 合计 | 120.00
2080505 | 机关事业单位基本养老保险缴费支出 | 80.00
2080506 | 机关事业单位职业年金缴费支出 | 40.00
"""

THREE = """某某局2021年部门预算

九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明

某某局2021年度一般公共预算拨款安排的会议费预算支出{a}万元，比上年预算减少1万元。某某局2021年度一般公共预算拨款安排的培训费预算支出{b}万元，比上年预算减少1万元。

“三公”经费、会议费、培训费支出预算表
单位：万元
合计 | “三公”经费小计 | 因公出国(境)费 | 公务接待费 | 会议费 | 培训费
30.00 | 10.00 | 4.00 | 6.00 | 12.00 | 8.00
"""


FISCAL = """某某局2021年部门预算

二、收支预算情况说明

2021年，某某局支出预算120万元，其中{sep}财政拨款支出预算{a}万元，比上年增加5万元。

2021年财政拨款收支总表
单位：万元
收入项目 | 预算数 | 支出项目 | 预算数
一、一般公共预算拨款 | 100.00 | 一般公共服务支出 | 100.00
收入总计 | 100.00 | 支出总计 | 100.00
"""


# 广州's table prints 行政经费 first and the 三公 total as a row of its own name; its
# items end in 支出.
ADMIN_THREE = """某某局2026年部门预算

二、“三公”经费安排情况

2026年本部门财政拨款安排“三公”经费{t}万元，比上年减少2.61万元。其中，因公出国（境）费24万元；公务用车购置及运行维护费{v}万元；公务接待费8.3万元。

财政拨款安排的行政经费及“三公”经费预算表
单位：万元
项目 | 合计 | 一般公共预算 | 政府性基金预算
行政经费 | 2,614.19 | 2,614.19 | 0.00
“三公”经费 | 44.94 | 44.94 | 0.00
其中：(一)因公出国(境)支出 | 24.00 | 24.00 | 0.00
(二)公务用车购置及运行维护支出 | 12.64 | 12.64 | 0.00
(三)公务接待支出 | 8.30 | 8.30 | 0.00
"""
ADMIN_THREE_OK = {"t": "44.94", "v": "12.64"}

# 机关运行经费 where no table states it: bounded by the 基本支出 it is part of.
OPERATING = """某某局2021年部门预算

八、机关运行经费支出情况说明

2021年机关运行经费支出预算{a}万元，主要用于办公费、水电费。

2021年一般公共预算基本支出情况表
单位：万元
科目名称 | 合计 | 工资福利支出 | 商品和服务支出
合计 | 100.00 | 80.00 | 20.00
"""

# The money of the projects with 绩效目标 (上海) is part of the 项目支出.
PROJECTS = """某某局2026年单位预算

四、绩效目标设置情况

2026年度，本单位编报绩效目标的项目共2个，涉及项目预算资金{a}万元。

2026年支出预算总表
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
 | 合计 | 100.00 | 60.00 | 40.00
201 | 一般公共服务支出 | 100.00 | 60.00 | 40.00
"""

# The money a 重点绩效评价 covers (烟台) is part of the whole budget.
EVALUATION = """某某局2026年部门预算

七、预算绩效管理情况说明

2026年拟对某某系统运维项目开展部门重点绩效评价，涉及预算资金{a}万元，其中财政拨款{a}万元。

2026年部门收支总表
单位：万元
收入项目 | 预算数 | 支出项目 | 预算数
一、一般公共预算拨款收入 | 100.00 | 一般公共服务支出 | 100.00
收入总计 | 100.00 | 支出总计 | 100.00
"""

# A 决算 三公 table printed across the page (西安): items as columns, one row per
# measure; the execution statements of each item are read against it.
FINAL_THREE = """某某局2022年部门决算

八、“三公”经费、会议费、培训费支出决算情况说明

2022年度财政拨款安排“三公”经费支出预算10.00万元，支出决算{t}万元，完成预算的90%。2022年度财政拨款安排公务用车运行维护费预算6.00万元，支出决算{v}万元，完成预算的90%。2022年度财政拨款安排会议费预算3.00万元，支出决算{m}万元。2022年度财政拨款安排培训费预算5.00万元，支出决算{r}万元。

2022年“三公”经费、会议费、培训费支出决算表
单位：万元
项目 | “三公”经费小计 | 因公出国(境)费用 | 公务用车运行维护费 | 公务接待费 | 会议费 | 培训费
预算数 | 10.00 | 0.00 | 6.00 | 4.00 | 3.00 | 5.00
决算数 | 9.00 | 0.00 | 5.40 | 3.60 | 3.00 | 5.00
"""
FINAL_THREE_OK = {"t": "9.00", "v": "5.40", "m": "3.00", "r": "5.00"}

# The national 决算 template's 政府性基金 paragraph against its table's 合计 row.
FINAL_FUND = """某某局2022年部门决算

六、政府性基金预算财政拨款收入支出决算情况说明

2022年度政府性基金预算财政拨款年初结转和结余{o}万元，收入决算{i}万元，支出决算{e}万元，年末结转和结余{c}万元。

2022年政府性基金预算财政拨款收入支出决算表
单位：万元
科目编码 | 科目名称 | 年初结转和结余 | 本年收入 | 本年支出 | 年末结转和结余
 | 合计 | 20.00 | 100.00 | 110.00 | 10.00
229 | 其他支出 | 20.00 | 100.00 | 110.00 | 10.00
"""
FINAL_FUND_OK = {"o": "20.00", "i": "100.00", "e": "110.00", "c": "10.00"}


@pytest.mark.parametrize(
    "text,check_id,good,bad",
    [
        # A 项 whose name holds "年" (职业年金) is a 科目, not a year: it is checked.
        (GPB, "YS-309", {"a": "80.00", "b": "40.00"}, {"a": "80.00", "b": "44.00"}),
        (THREE, "YS-334", {"a": "12.00", "b": "8.00"}, {"a": "21.00", "b": "8.00"}),
        (THREE, "YS-335", {"a": "12.00", "b": "8.00"}, {"a": "12.00", "b": "80.00"}),
        # "其中：财政拨款支出预算" (Shanghai) and "其中，财政拨款支出" alike.
        (FISCAL, "YS-336", {"sep": "：", "a": "100"}, {"sep": "：", "a": "110"}),
        (FISCAL, "YS-336", {"sep": "，", "a": "100"}, {"sep": "，", "a": "110"}),
        (ADMIN_THREE, "YS-312", ADMIN_THREE_OK, {**ADMIN_THREE_OK, "t": "44.49"}),
        (ADMIN_THREE, "YS-314", ADMIN_THREE_OK, {**ADMIN_THREE_OK, "v": "12.46"}),
        (OPERATING, "YS-360", {"a": "20.00"}, {"a": "200.00"}),
        (PROJECTS, "YS-361", {"a": "40.00"}, {"a": "40.02"}),
        (EVALUATION, "YS-362", {"a": "30"}, {"a": "300"}),
        (FINAL_THREE, "JS-322", FINAL_THREE_OK, {**FINAL_THREE_OK, "t": "9.10"}),
        (FINAL_THREE, "JS-326", FINAL_THREE_OK, {**FINAL_THREE_OK, "v": "5.42"}),
        (FINAL_THREE, "JS-327", FINAL_THREE_OK, {**FINAL_THREE_OK, "m": "3.50"}),
        (FINAL_THREE, "JS-328", FINAL_THREE_OK, {**FINAL_THREE_OK, "r": "0.50"}),
        (FINAL_FUND, "JS-315", FINAL_FUND_OK, {**FINAL_FUND_OK, "o": "2.00"}),
        (FINAL_FUND, "JS-316", FINAL_FUND_OK, {**FINAL_FUND_OK, "i": "10.00"}),
        (FINAL_FUND, "JS-317", FINAL_FUND_OK, {**FINAL_FUND_OK, "e": "101.00"}),
        (FINAL_FUND, "JS-318", FINAL_FUND_OK, {**FINAL_FUND_OK, "c": "1.00"}),
    ],
    ids=["YS-309-pension-annuity", "YS-334-meeting-fees", "YS-335-training-fees",
         "YS-336-colon", "YS-336-comma", "YS-312-three-public-named-row",
         "YS-314-vehicles-row-ending-in-zhichu", "YS-360-operating-costs-bound",
         "YS-361-performance-projects-bound", "YS-362-evaluated-funds-bound",
         "JS-322-three-public-across", "JS-326-vehicle-running-across",
         "JS-327-meeting-across", "JS-328-training-across", "JS-315-fund-opening",
         "JS-316-fund-revenue", "JS-317-fund-expenditure", "JS-318-fund-closing"],
)
def test_check_catches_its_defect(tmp_path: Path, text: str, check_id: str, good: dict, bad: dict) -> None:
    ok = _outcome(tmp_path, text.format(**good), check_id)
    assert ok.status == "pass", ok
    wrong = _outcome(tmp_path, text.format(**bad), check_id)
    assert wrong.status == "fail" and wrong.counts.get("fail") == 1, wrong


# Sum checks of the tables of accounts recognised beyond the national eight: each on a
# small table of its role, a row total and a column total, right and then wrong.
ROLE_TABLES = {
    # check ids (rows, columns): the table's title
    ("YS-153", "YS-154"): "2026年基本支出总表",
    ("YS-173", "YS-174"): "2026年会议费、培训费明细表",
    ("YS-183", "YS-184"): "2026年财政拨款结转资金支出表",
    ("YS-185", "YS-186"): "2026年政府购买服务预算表",
    ("YS-191", "YS-198"): "2026年国有资本经营预算支出表",
}


@pytest.mark.parametrize(("ids", "title"), list(ROLE_TABLES.items()))
@pytest.mark.parametrize("wrong", [None, "row", "column"])
def test_role_sum_checks(tmp_path: Path, ids: tuple[str, str], title: str, wrong: str | None) -> None:
    a = "60.00" if wrong == "row" else "50.00"  # 合计 = 50 + 30; the row 甲 = 20 + 30
    b = "35.00" if wrong == "column" else "30.00"  # 乙 = 10 + 20
    text = f"""某某局2026年部门预算

{title}
单位：万元
项目 | 合计 | 一般公共预算 | 其他资金
合计 | 80.00 | 30.00 | 50.00
甲 | {a} | 20.00 | 30.00
乙 | {b} | 10.00 | 20.00
"""
    rows = _outcome(tmp_path, text, ids[0])
    cols = _outcome(tmp_path, text, ids[1])
    assert rows.status == ("fail" if wrong else "pass")
    assert cols.status == ("fail" if wrong else "pass")
