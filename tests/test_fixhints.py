"""Fix hints: the one cell whose change satisfies every failing check it is in, and
the slip that explains the printed value."""

from __future__ import annotations

import pytest

from budget_audit.findings import AuditResult, Finding, Operand
from budget_audit.fixhints import classify_slip, groups, hints_for
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


def _op(role: str, text: str, loc: Location, coef: int) -> Operand:
    # 元 tables printed without decimals: value in 厘, exact (half 0).
    return Operand(role, int(text.replace(",", "")) * 1000, 0, "元", text, loc, coef)


def _sum(check: str, total: tuple[Location, str], parts: list[tuple[Location, str]]) -> Finding:
    ops = (_op("total", total[1], total[0], 1),) + tuple(_op("part", t, loc, -1) for loc, t in parts)
    return Finding(check, "fail", "error", "", locations=tuple(o.location for o in ops if o.location), kind="sum", operands=ops)


def test_single_cell_explains_several_findings() -> None:
    # 款 (row 1) = 项 2 + 项 3 fails; 项 2's 合计 = its columns fails; 项 2 equals another
    # table's 项 2 fails: one cell, 项 2 合计, printed 1,310 instead of 13,100.
    findings = [
        _sum("S-1", (_cell(1, "合计"), "13,200"), [(_cell(2, "合计"), "1,310"), (_cell(3, "合计"), "100")]),
        _sum("S-2", (_cell(2, "合计"), "1,310"), [(_cell(2, "基本"), "13,000"), (_cell(2, "项目"), "100")]),
        Finding(
            "E-1", "fail", "error", "", kind="equal",
            operands=(_op("left", "13,100", _cell(2, "合计", "T2"), 1), _op("right", "1,310", _cell(2, "合计"), -1)),
        ),
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
    (group,) = groups(result, hints)
    assert group.findings == [0, 1, 2]


def test_no_guess_for_one_finding_without_a_slip() -> None:
    f = _sum("S-1", (_cell(1, "合计"), "1,237"), [(_cell(2, "合计"), "1,000")])
    assert hints_for(AuditResult("x.pdf", ["x.pdf"], {}, [f], [], [], [])) == {}


def test_a_cell_total_of_one_finding_and_part_of_another() -> None:
    f = _sum("S-1", (_cell(1, "合计"), "1,009"), [(_cell(2, "合计"), "499"), (_cell(3, "合计"), "501")])
    g = _sum("S-2", (_cell(3, "合计"), "501"), [(_cell(3, "a"), "510")])
    # Row 3 合计 is the total of S-2 (needs +9) and a part of S-1 (needs +9): one change.
    hints = hints_for(AuditResult("x.pdf", ["x.pdf"], {}, [f, g], [], [], []))
    assert hints[0].location.row == 3 and hints[0].suggested == "510" and hints[0].slip == "swap"


def test_explanation_names_a_blank_total_for_the_prose_too() -> None:
    # Recognition explained the table by one blank cell (收入总计); the prose figure
    # compared with that cell is not what is wrong: it shares the cell's hint.
    total = _cell(9, "金额")
    s = Finding(
        "S-1", "fail", "error", "", kind="sum",
        operands=(Operand("total", 0, 0, "元", None, total, 1), _op("part", "195,774,300", _cell(1, "金额"), -1)),
    )
    p = Finding(
        "P-1", "fail", "error", "", kind="prose_amount",
        operands=(
            Operand("claim", 195_770_000_000, 5_000_000, "万元", "19,577", Location(file="x.pdf", paragraph=3, text="收入预算19,577万元"), 1),
            Operand("source", 0, 0, "元", None, total, -1),
        ),
    )
    ex = {"table": "T1", "file": "x.pdf", "kind": "cells", "alternatives": 1, "row": None,
          "edits": [{"file": "x.pdf", "table": "T1", "row": 9, "column": "金额", "delta": 195_774_300_000, "text": None}]}
    result = AuditResult("x.pdf", ["x.pdf"], {}, [s, p], [], [], [], explanations=[ex])
    hints = hints_for(result)
    assert hints[0] is hints[1]
    assert (hints[0].location.row, hints[0].current, hints[0].suggested, hints[0].slip) == (9, None, "195,774,300", "blank")
    assert "空白 应为 195,774,300" in hints[0].text("zh")


def test_sample_leaf_cell_defect() -> None:
    from budget_audit.api import audit

    result = audit([str(SAMPLES / "variants" / "01_leaf_cell.txt")])
    hints = hints_for(result)
    named = {(h.location.table_title, h.location.row_label, h.location.column, h.current, h.suggested, h.slip) for h in hints.values()}
    assert len(named) == 1
    title, label, column, current, suggested, slip = named.pop()
    assert label.endswith("行政运行") and column == "合计" and (current, suggested, slip) == ("131,065", "131,056", "swap")
