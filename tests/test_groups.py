"""Issue 12 item 2: one misprint, one finding. Findings that one cell edit explains
are one entry in every report format — a headline naming the wrong cell first
("… 列「合计」写错：131,065 应为 131,056（两位数字颠倒）"), then the identities it
breaks; the other findings are listed as before."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from budget_audit.findings import AuditResult, Finding, Operand
from budget_audit.model import Location
from budget_audit.report import FORMATS
from budget_audit.report.common import listed

from .paths import REPO, SAMPLES

LEAF_TXT = SAMPLES / "variants" / "01_leaf_cell.txt"
CELL = "行「2010301 行政运行」 列「合计」写错：131,065 应为 131,056（两位数字颠倒）"
BROKEN = {"YS-121", "YS-122", "YS-204", "YS-205"}


@pytest.fixture(scope="module")
def leaf() -> AuditResult:
    from budget_audit.api import audit

    return audit([str(LEAF_TXT)])


def render(result: AuditResult, fmt: str, **options: object) -> str:
    out = FORMATS[fmt](result, {"lang": "zh", "images": False, **options})
    return out if isinstance(out, str) else ""


def test_listed_groups_the_leaf_cell_once(leaf: AuditResult) -> None:
    entries = listed(leaf, {})
    groups = [e for e in entries if e.group]
    assert len(groups) == 1
    (g,) = groups
    assert {f.check_id for _, f in g.items} == BROKEN and CELL in g.headline("zh")
    assert "131,065 should be 131,056 (two digits swapped)" in g.headline("en")
    # Every failing finding is listed exactly once; the group stands where its worst
    # finding would (errors first).
    shown = [i for e in entries for i, _ in e.items]
    fails = [i for i, f in enumerate(leaf.findings) if f.status in ("fail", "error")]
    assert sorted(shown) == fails and len(shown) == len(set(shown))
    assert entries[0] is g
    assert [e.severity for e in entries] == sorted((e.severity for e in entries), key=["error", "warning", "info"].index)


def test_terminal_headline_then_the_identities(leaf: AuditResult) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "budget_audit", "check", str(LEAF_TXT)], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert r.returncode == 1
    flat = "".join(r.stdout.split())
    head = "".join(CELL.split())
    assert flat.count(head) == 1  # once, as the headline (not repeated per finding)
    assert flat.index(head) < flat.index("由此造成以下4处不一致") < min(flat.index(c) for c in BROKEN)
    n = sum(1 for f in leaf.findings if f.status == "fail")
    assert f"发现的问题({n - 3}处，涉及{n}项检查结果)" in flat
    # The verdict counts the misprint once: 3 errors (misprint, missing table, code name);
    # the warnings are counted as they are (GEN-701/702 and the pre-2019 class names, GEN-803).
    warnings = sum(1 for f in leaf.findings if f.status == "fail" and f.severity == "warning")
    assert warnings >= 3 and f"有错误（错误3·警告{warnings}）" in flat


def test_json_groups_array(leaf: AuditResult) -> None:
    data = json.loads(render(leaf, "json"))
    assert data["schema_version"] == "2.0"
    (g,) = data["groups"]
    assert CELL in g["headline"] and g["severity"] == "error" and set(g["checks"]) == BROKEN
    assert g["hint"]["location"]["row_label"].endswith("行政运行") and g["hint"]["unit"] == "百元"
    assert {data["findings"][n]["check_id"] for n in g["findings"]} == BROKEN
    assert all(data["findings"][n]["group"] == 0 for n in g["findings"])
    assert [f for f in data["findings"] if "group" in f and f["check_id"] not in BROKEN] == []
    # Older readers are not affected: findings keep their hints, stats count findings.
    assert all("hint" in data["findings"][n] for n in g["findings"])
    assert data["stats"]["findings"] == len([f for f in data["findings"] if f["status"] == "fail"])
    # With the passing comparisons listed too, the indices still point at the right records.
    data = json.loads(render(leaf, "json", show_passed=True))
    (g,) = data["groups"]
    assert {data["findings"][n]["check_id"] for n in g["findings"]} == BROKEN


def test_csv_and_xlsx_rows(leaf: AuditResult, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(render(leaf, "csv").lstrip("\ufeff"))))
    heads = [x for x in rows if x["状态"] == "写错"]
    assert len(heads) == 1
    (h,) = heads
    assert h["行"].endswith("行政运行") and h["列"] == "合计" and h["页"] == "1"
    assert (h["应为"], h["实为"], h["差额"], h["单位"]) == ("131056", "131065", "9", "百元")
    assert CELL in h["说明"] and all(c in h["说明"] for c in BROKEN)
    members = [x for x in rows if x["问题编号"] == h["问题编号"] and x is not h]
    assert {x["检查"] for x in members} == BROKEN and rows.index(h) + 1 == rows.index(members[0])
    assert len({x["问题编号"] for x in rows}) == len(listed(leaf, {}))
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "r.xlsx"
    path.write_bytes(FORMATS["xlsx"](leaf, {"lang": "en"}))
    ws = openpyxl.load_workbook(path)["Findings"]
    header = [c.value for c in ws[1]]
    xrows = [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]
    (x,) = [x for x in xrows if x["status"] == "misprint"]
    assert (x["expected"], x["found"], x["difference"], x["unit"]) == (131056, 131065, 9, "百元")
    assert "131,065 should be 131,056" in x["message"] and x["entry"] == 1


def test_sarif_and_junit_name_the_misprint(leaf: AuditResult) -> None:
    log = json.loads(render(leaf, "sarif"))
    results = log["runs"][0]["results"]
    tagged = [r for r in results if "group" in r["properties"]]
    assert {r["ruleId"] for r in tagged} == BROKEN
    assert all(CELL in r["properties"]["group"]["headline"] for r in tagged)
    suite = ET.fromstring(render(leaf, "junit")).find("testsuite")
    assert suite is not None
    out = suite.find("system-out")
    assert out is not None and out.text is not None and out.text.count("写错") == 1 and CELL in out.text
    assert list(suite)[-1] is out  # after the test cases, as the JUnit schema wants


def test_html_one_entry(leaf: AuditResult) -> None:
    html = render(leaf, "html")
    assert html.count('class="finding group') == 1 and CELL in html
    for c in BROKEN:
        assert f'data-check="{c}"' in html
    assert html.index('class="finding group') < html.index('data-check="YS-121"')


# ---------------------------------------------------------------------------
# A blank total explained by recognition: the headline names the blank cell, not the
# prose figure that was compared with it.


def _blank_total_result() -> AuditResult:
    def cell(row: int, label: str) -> Location:
        return Location(file="x.pdf", page=4, table="T1", table_title="收支总表", row=row, row_label=label, column="金额")

    total, part = cell(9, "收入总计"), cell(1, "一般公共预算拨款收入")
    prose = Location(file="x.pdf", page=2, paragraph=3, text="2021年收入预算19,577万元")
    s = Finding(
        "S-1", "fail", "error", "《收支总表》收入总计为空白，各项之和为 195,774,300", locations=(total, part), kind="sum",
        operands=(Operand("total", 0, 0, "元", None, total, 1), Operand("part", 195_774_300_000, 0, "元", "195,774,300", part, -1)),
    )
    p = Finding(
        "P-1", "fail", "error", "正文所述收入预算 19,577 万元与《收支总表》收入总计（空白）不符", locations=(prose, total),
        kind="prose_amount",
        operands=(Operand("claim", 195_770_000_000, 5_000_000, "万元", "19,577", prose, 1), Operand("source", 0, 0, "元", None, total, -1)),
    )
    ex = {
        "table": "T1", "file": "x.pdf", "kind": "cells", "alternatives": 1, "row": None,
        "edits": [{"file": "x.pdf", "table": "T1", "row": 9, "column": "金额", "delta": 195_774_300_000, "text": None}],
    }
    # The prose finding comes first in the document's findings: the headline must
    # still be the table's blank cell.
    return AuditResult("x.pdf", ["x.pdf"], {"kind": "预算"}, [p, s], [], [], [], explanations=[ex])


BLANK = "第4页 《收支总表》 行「收入总计」 列「金额」写错：空白 应为 195,774,300（应填数字处为空白）"


@pytest.mark.parametrize("fmt", ["text", "json", "html", "csv", "sarif", "junit"])
def test_blank_total_names_the_cell_in_every_format(fmt: str) -> None:
    result = _blank_total_result()
    (entry,) = listed(result, {})
    assert entry.group and entry.headline("zh") == BLANK and "第3段" not in entry.headline("zh")
    out = render(result, fmt, width=400)
    # (HTML links the page: the rest of the headline follows the link.)
    assert BLANK.split(" ", 1)[1] in out, out[:3000]
    if fmt == "text":
        lines = [x for x in out.splitlines() if x.strip()]
        n = next(k for k, x in enumerate(lines) if BLANK in x)
        assert lines[n].lstrip().startswith("✗ " + BLANK)
        assert n < next(k for k, x in enumerate(lines) if "P-1" in x) and n < next(k for k, x in enumerate(lines) if "S-1" in x)
    if fmt == "json":
        (g,) = json.loads(out)["groups"]
        assert g["headline"] == BLANK and g["hint"]["location"]["row"] == 9 and g["hint"]["current"] is None
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        assert rows[0]["状态"] == "写错" and rows[0]["行"] == "收入总计" and rows[0]["说明"].startswith(BLANK)
        assert (rows[0]["应为"], rows[0]["实为"], rows[0]["单位"]) == ("195774300", "0", "元")


def test_a_hint_for_one_finding_is_not_a_group() -> None:
    # One finding whose cell shows a slip: listed as itself, with its hint (no headline).
    loc = Location(file="x.pdf", page=1, table="T1", table_title="支出表", row=1, row_label="合计", column="合计")
    part = Location(file="x.pdf", page=1, table="T1", table_title="支出表", row=2, row_label="a", column="合计")
    f = Finding(
        "S-1", "fail", "error", "", locations=(loc, part), kind="sum",
        operands=(Operand("total", 510_000, 0, "元", "510", loc, 1), Operand("part", 501_000, 0, "元", "501", part, -1)),
    )
    (entry,) = listed(AuditResult("x.pdf", ["x.pdf"], {}, [f], [], [], []), {})
    assert not entry.group and entry.hint is not None and entry.hint.slip == "swap"
