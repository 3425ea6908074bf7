"""Fix hints: the one cell whose change satisfies every failing check it is in, and
the slip that explains the printed value."""

from __future__ import annotations

import pytest

from budget_audit.findings import AuditResult, Finding
from budget_audit.fixhints import classify_slip, hints_for
from budget_audit.model import Location

from .paths import SAMPLES


@pytest.mark.parametrize(
    ("printed", "corrected", "slip"),
    [
        ("131,065", "131,056", "swap"),
        ("1,310", "13,100", "missing_digit"),
        ("133,100", "13,100", "doubled_digit"),
        ("193,100", "13,100", "extra_digit"),
        ("131,066", "131,056", "typo"),
        ("15540300", "1554.03", "unit"),
        ("1554.03", "15540300", "unit"),
        ("-82", "82", "sign"),
        ("1545.03万元", "1,554.03万元", "swap"),
        ("100", "100", None),
        ("131,999", "131,056", None),
    ],
)
def test_classify_slip(printed: str, corrected: str, slip: str | None) -> None:
    assert classify_slip(printed, corrected) == slip


def _cell(row: int, col: str, table: str = "T1") -> Location:
    return Location(file="x.pdf", page=1, table=table, table_title="支出表", row=row, row_label=f"r{row}", column=col)


def test_single_cell_explains_several_findings() -> None:
    # 款 (row 1) = 项 2 + 项 3 fails; 项 2's 合计 = its columns fails; 项 2 equals another
    # table's 项 2 fails: one cell, 项 2 合计, printed 1,310 instead of 13,100.
    findings = [
        Finding("S-1", "fail", "error", "", locations=(_cell(1, "合计"), _cell(2, "合计"), _cell(3, "合计")), expected="1,410", actual="13,200", kind="sum"),
        Finding("S-2", "fail", "error", "", locations=(_cell(2, "合计"), _cell(2, "基本"), _cell(2, "项目")), expected="13,100", actual="1,310", kind="sum"),
        Finding("E-1", "fail", "error", "", locations=(_cell(2, "合计", "T2"), _cell(2, "合计")), expected="1,310", actual="13,100", kind="equal"),
        Finding("P-1", "pass", "error", "", locations=(_cell(5, "合计"),), kind="sum"),
    ]
    result = AuditResult("x.pdf", ["x.pdf"], {}, findings, [], [], [])
    hints = hints_for(result)
    assert set(hints) == {0, 1, 2}
    h = hints[0]
    assert (h.location.row, h.location.column, h.location.table) == (2, "合计", "T1")
    assert (h.current, h.suggested, h.slip) == ("1,310", "13,100", "missing_digit")
    assert sorted(h.fixes) == ["E-1", "S-1", "S-2"]
    assert "13,100" in h.text("zh") and "漏了一位数字" in h.text("zh") and "digit missing" in h.text("en")


def test_no_guess_for_one_finding_without_a_slip() -> None:
    f = Finding("S-1", "fail", "error", "", locations=(_cell(1, "合计"), _cell(2, "合计")), expected="1,000", actual="1,237", kind="sum")
    assert hints_for(AuditResult("x.pdf", ["x.pdf"], {}, [f], [], [], [])) == {}


def test_cell_value_read_when_no_finding_states_it() -> None:
    f = Finding("S-1", "fail", "error", "", locations=(_cell(1, "合计"), _cell(2, "合计"), _cell(3, "合计")), expected="1,000", actual="1,009", kind="sum")
    g = Finding("S-2", "fail", "error", "", locations=(_cell(3, "合计"), _cell(3, "a")), expected="510", actual="501", kind="sum")
    # Row 3 合计 is the total of S-2 (needs +9) and a part of S-1 (needs +9): one change.
    hints = hints_for(AuditResult("x.pdf", ["x.pdf"], {}, [f, g], [], [], []), lambda loc: None)
    assert hints[0].location.row == 3 and hints[0].suggested == "510" and hints[0].slip == "swap"


def test_sample_leaf_cell_defect() -> None:
    from budget_audit.api import audit

    result = audit([str(SAMPLES / "variants" / "01_leaf_cell.txt")])
    hints = hints_for(result)
    named = {(h.location.table_title, h.location.row_label, h.location.column, h.current, h.suggested, h.slip) for h in hints.values()}
    assert len(named) == 1
    title, label, column, current, suggested, slip = named.pop()
    assert label.endswith("行政运行") and column == "合计" and (current, suggested, slip) == ("131,065", "131,056", "swap")
