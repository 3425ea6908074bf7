"""The 决算 pack (rules/final.yaml) on the two 决算 documents of the corpus.

* Every fail on the real 2024 上海市普陀区财政局 部门决算 is a genuine inconsistency of
  the published document, listed in VERIFIED_FAILS with why; the blank national
  template raises none (its empty tables are skipped with the reason).
* The coverage ledger adds up.
* A defect planted in one table cell of the putuo document (changed in the Document,
  before recognition) is caught by the check aimed at it.

The corpus is read from ../shared/corpus; these tests skip cleanly when it is absent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from budget_audit.engine import run
from budget_audit.findings import Finding
from budget_audit.ingest import ingest
from budget_audit.model import Cell, Document
from budget_audit.recognise import recognise
from budget_audit.rulebook import Rulebook, load

from .paths import REPO

PUTUO = "sh_putuo_finance_bureau_2024_final.pdf"
TEMPLATE = "national_dept_final_template.pdf"

# (check id, page) of every fail the pack raises on the putuo document, each verified
# by hand against the PDF text (python scripts/dump_pdf.py):
VERIFIED_FAILS = {
    # p21 四、财政拨款收入支出决算总体情况说明: "财政拨款收入支出总计0.3万元", but the
    # 财政拨款收入支出决算总表 (p13) prints 总计 2,961.68 万元 on both sides
    # (本年收入合计 2,940.05 + 年初财政拨款结转和结余 21.63). 0.3 万元 is no rounding of it.
    ("JS-310", 21),
}


@lru_cache(maxsize=1)
def _book() -> Rulebook:
    return load([str(REPO / "rules" / "final.yaml")])


@lru_cache(maxsize=2)
def _doc(path: str) -> Document:
    return ingest(path)


def _run(doc: Document) -> tuple[list[Finding], list]:
    findings, outcomes, _ = run(_book(), recognise(doc), keep_passes=True)
    return findings, outcomes


def _fails(findings: list[Finding]) -> set[tuple[str, int | None]]:
    return {
        (f.check_id, f.locations[0].page if f.locations else None)
        for f in findings
        if f.status in ("fail", "error")
    }


# -- the real document and the template ------------------------------------------------


def test_putuo_fails_are_the_verified_ones(corpus: Path) -> None:
    doc = _doc(str(corpus / PUTUO))
    assert recognise(doc).meta.kind == "决算"
    findings, _ = _run(doc)
    assert _fails(findings) == VERIFIED_FAILS, [
        f.message for f in findings if f.status == "fail"
    ]


def test_template_never_fails(corpus: Path) -> None:
    findings, outcomes = _run(_doc(str(corpus / TEMPLATE)))
    assert not _fails(findings), [
        f.message for f in findings if f.status in ("fail", "error")
    ]
    # Its tables are empty: the table checks are skipped, saying so.
    reasons = " ".join(r for o in outcomes for r in o.reasons)
    assert "无数据" in reasons


@pytest.mark.parametrize("name", [PUTUO, TEMPLATE])
def test_ledger_adds_up(corpus: Path, name: str) -> None:
    findings, outcomes = _run(_doc(str(corpus / name)))
    book = _book()
    assert [o.check_id for o in outcomes] == [c.id for c in book.checks]
    for outcome in outcomes:
        mine = [f for f in findings if f.check_id == outcome.check_id]
        assert mine, outcome.check_id  # every check reports something
        assert sum(outcome.counts.values()) == len(mine)
        for status in ("error", "fail", "pass", "skipped"):
            if outcome.counts.get(status):
                assert outcome.status == status  # the worst status wins
                break
        if outcome.status == "skipped":
            assert outcome.reasons  # a skip always says why


def test_putuo_is_mostly_evaluated(corpus: Path) -> None:
    """A pack that quietly skips everything would pass the tests above."""
    _, outcomes = _run(_doc(str(corpus / PUTUO)))
    evaluated = [o for o in outcomes if o.status in ("pass", "fail")]
    assert len(evaluated) >= 40


# -- planted defects -----------------------------------------------------------------------


def _plant(
    doc: Document, title: str, label: str, col: int, old: str, new: str
) -> Document:
    """A copy of ``doc`` with one cell changed: in the table whose title contains
    ``title``, the first row with a cell reading ``label`` whose raw column ``col``
    reads ``old``."""
    tables = []
    done = False
    for table in doc.tables:
        rows = list(table.rows)
        if not done and title in table.title:
            for i, row in enumerate(rows):
                texts = [t.replace(" ", "") for t in row.texts]
                if done or label not in texts or col >= len(row.cells):
                    continue
                cell = row.cells[col]
                if (cell.text or "").strip() == old:
                    cells = list(row.cells)
                    cells[col] = Cell(new, cell.page, cell.bbox)
                    rows[i] = type(row)(cells, row.page)
                    done = True
        tables.append(_replace(table, rows=rows))
    assert done, (title, label)
    return Document(
        path=doc.path,
        format=doc.format,
        pages=doc.pages,
        paragraphs=doc.paragraphs,
        tables=tables,
        sources=doc.sources,
        extraction_notes=doc.extraction_notes,
    )


def _replace(table, **changes):  # noqa: ANN001, ANN202
    from dataclasses import replace

    return replace(table, **changes)


# (id, table title, row label, raw column, printed value, planted value, check that must fail)
MUTATIONS = [
    # 收入支出决算总表: 收入方 总计 no longer = 本年收入合计 + 年初结转和结余
    (
        "summary-total",
        "收入支出决算总表",
        "年初结转和结余",
        1,
        "49.14",
        "49.41",
        "JS-101",
    ),
    # 收入支出决算总表: 其他收入 differs from the 收入决算表's 其他收入 column
    (
        "summary-other-income",
        "收入支出决算总表",
        "八、其他收入",
        1,
        "6.20",
        "6.02",
        "JS-205",
    ),
    # 收入决算表: a 项 row no longer adds up to its 款
    ("revenue-item", "收入决算表", "一般行政管理事务", 5, "10.00", "11.00", "JS-111"),
    # 支出决算表: 合计行 本年支出合计 ≠ 基本支出 + 项目支出
    (
        "expenditure-total-basic",
        "支出决算表",
        "合计",
        5,
        "2,336.91",
        "2,363.91",
        "JS-123",
    ),
    # 财政拨款收入支出决算总表: 年初财政拨款结转和结余 breaks 收入总计
    (
        "fiscal-carryover",
        "财政拨款收入支出决算总表",
        "年初财政拨款结转和结余",
        1,
        "21.63",
        "12.63",
        "JS-133",
    ),
    # 一般公共预算财政拨款支出决算表: 住房公积金 合计 ≠ 基本支出 + 项目支出
    (
        "gpb-row",
        "一般公共预算财政拨款支出决算表",
        "住房公积金",
        4,
        "187.19",
        "187.91",
        "JS-142",
    ),
    # … and the prose's "支出决算为187.19万元" no longer matches that row
    (
        "gpb-row-prose",
        "一般公共预算财政拨款支出决算表",
        "住房公积金",
        4,
        "187.19",
        "187.91",
        "JS-321",
    ),
    # 一般公共预算财政拨款支出决算表 合计 ≠ 财政拨款收入支出决算总表 一般公共预算财政拨款
    (
        "gpb-total",
        "一般公共预算财政拨款支出决算表",
        "合计",
        4,
        "2,940.05",
        "2,904.05",
        "JS-206",
    ),
    # 基本支出决算表: 人员经费合计 ≠ 工资福利支出 + 对个人和家庭的补助
    (
        "basic-personnel",
        "基本支出决算表",
        "对个人和家庭的补助",
        3,
        "69.41",
        "69.14",
        "JS-151",
    ),
    # “三公” table: 预算数 合计 ≠ Σ items
    ("three-public-budget", "三公", "0.95", 10, "0.95", "0.59", "JS-161"),
    # “三公” table: a 决算数 of 0.50 that the 合计 column and the prose (0.00) do not show
    ("three-public-actual", "三公", "0.95", 11, "", "0.50", "JS-162"),
    ("three-public-actual-prose", "三公", "0.95", 11, "", "0.50", "JS-325"),
]


@pytest.mark.parametrize(
    "mid,title,label,col,old,new,check", MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
def test_planted_defect_is_caught(
    corpus: Path,
    mid: str,
    title: str,
    label: str,
    col: int,
    old: str,
    new: str,
    check: str,
) -> None:
    doc = _plant(_doc(str(corpus / PUTUO)), title, label, col, old, new)
    findings, _ = _run(doc)
    caught = {f.check_id for f in findings if f.status == "fail"}
    assert check in caught, sorted(caught)
    # Nothing else breaks that the defect does not explain: the genuine fail stays.
    assert VERIFIED_FAILS <= _fails(findings)
