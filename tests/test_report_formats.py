"""Reports: every format from the same records, checked the way a user's tool reads
them (CSV reader, openpyxl, a SARIF schema, an XML parser), with the CLI's exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .paths import REPO, SAMPLES, SEED_TXT

LEAF_TXT = SAMPLES / "variants" / "01_leaf_cell.txt"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"  # the official one: see its SOURCE.md


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budget_audit", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def leaf_result():
    from budget_audit.api import audit

    return audit([str(LEAF_TXT)])


def test_csv_one_row_per_failing_finding(tmp_path: Path, leaf_result) -> None:
    out = tmp_path / "f.csv"
    r = run("check", str(LEAF_TXT), "--format", "csv", "-o", str(out))
    assert r.returncode == 1 and r.stdout == "" and r.stderr == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    fails = [f for f in leaf_result.findings if f.status in ("fail", "error")]
    # One row per finding, plus one row for the misprint that explains four of them.
    assert len([x for x in rows if x["检查"]]) == len(fails) and len(rows) == len(fails) + 1
    assert set(rows[0]) >= {"文档", "部门", "年度", "检查", "严重程度", "页", "表", "行", "列", "应为", "实为", "差额", "单位", "说明"}
    row = next(x for x in rows if x["检查"] == "YS-122")
    assert row["实为"] == "131065" and row["应为"] == "131056" and row["差额"] == "9" and row["单位"] == "百元"
    assert row["年度"] == "2021" and row["严重程度"] == "错误" and row["状态"] == "不通过"
    assert "131,056" in row["修改建议"] and "两位数字颠倒" in row["修改建议"]


def test_xlsx_reread_with_openpyxl(tmp_path: Path, leaf_result) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "f.xlsx"
    r = run("check", str(LEAF_TXT), "--format", "xlsx", "-o", str(out), "--lang", "en")
    assert r.returncode == 1, r.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["Findings"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["document", "file", "department", "year", "check"]
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]
    assert len([x for x in rows if x["check"]]) == sum(1 for f in leaf_result.findings if f.status in ("fail", "error"))
    ys122 = next(x for x in rows if x["check"] == "YS-122")
    assert ys122["found"] == 131065 and ys122["expected"] == 131056 and ys122["difference"] == 9
    assert ys122["unit"] == "百元" and ys122["column"] == "合计" and ys122["year"] == 2021
    summary = wb["Summary"]
    assert summary.max_row == 2 and summary.cell(2, 5).value == "errors"


def test_xlsx_refuses_a_terminal_but_pipes(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "budget_audit", "check", str(LEAF_TXT), "-f", "xlsx"], capture_output=True, cwd=REPO, timeout=300)
    assert r.returncode == 1 and r.stdout[:2] == b"PK"  # a zip on a pipe


def test_sarif_validates_against_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    r = run("check", str(LEAF_TXT), "--format", "sarif")
    assert r.returncode == 1
    log = json.loads(r.stdout)
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    run0 = log["runs"][0]
    ids = [rule["id"] for rule in run0["tool"]["driver"]["rules"]]
    assert ids == sorted(set(ids))
    by_rule = {res["ruleId"]: res for res in run0["results"]}
    res = by_rule["YS-122"]
    assert run0["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "YS-122"
    assert res["level"] == "error" and res["properties"]["actual"] == "131,065"
    assert res["locations"][0]["properties"]["column"] == "合计"
    assert res["partialFingerprints"]["budgetAudit/v1"]
    # The page is the region's line, and the message says so in words.
    page = res["locations"][0]["properties"]["page"]
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": page}
    assert res["message"]["text"].startswith(f"第{page}页")
    rule = run0["tool"]["driver"]["rules"][res["ruleIndex"]]
    assert "检查什么" in rule["help"]["text"] and "rules explain YS-122" in rule["help"]["text"]


def test_sarif_unreadable_is_a_notification(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LEAF_TXT.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 garbage")
    r = run("scan", str(tmp_path), "--format", "sarif", "--jobs", "1")
    assert r.returncode == 1, r.stderr
    log = json.loads(r.stdout)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "b.pdf" in notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_junit_suites_cases_failures_skips(leaf_result) -> None:
    from budget_audit.report import junit

    root = ET.fromstring(junit.render(leaf_result, {"lang": "zh", "show_skipped": True}))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert len(cases) == len(leaf_result.outcomes) == int(suites[0].get("tests"))
    failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
    assert failed == {o.check_id for o in leaf_result.outcomes if o.status == "fail"}
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(skipped) == sum(1 for o in leaf_result.outcomes if o.status == "skipped") == int(suites[0].get("skipped"))
    assert all(c.find("skipped").get("message") for c in skipped)
    # Without --show-skipped the skipped checks are a count, not 30 test cases.
    quiet = ET.fromstring(junit.render(leaf_result, {"lang": "zh"})).find("testsuite")
    assert quiet.get("skipped") == "0" and int(quiet.get("tests")) == len(cases) - len(skipped)
    props = {p.get("name"): p.get("value") for p in quiet.iter("property")}
    assert props["skipped_checks"] == str(len(skipped))


def test_json_carries_hints_and_stays_compatible() -> None:
    r = run("check", str(LEAF_TXT), "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["schema_version"] == "2.0"
    hinted = [f for f in data["findings"] if "hint" in f]
    assert {f["check_id"] for f in hinted} >= {"YS-121", "YS-122", "YS-204", "YS-205"}
    h = hinted[0]["hint"]
    assert h["current"] == "131,065" and h["suggested"] == "131,056" and h["slip"] == "swap"
    assert h["location"]["row_label"].endswith("行政运行") and h["location"]["column"] == "合计"


def test_terminal_shows_hint_and_summary_counts(tmp_path: Path) -> None:
    r = run("check", str(LEAF_TXT))
    flat = "".join(r.stdout.split())
    assert r.returncode == 1 and "写错：131,065应为131,056" in flat
    (tmp_path / "a.txt").write_text(SEED_TXT.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(LEAF_TXT.read_text("utf-8"), encoding="utf-8")
    r = run("scan", str(tmp_path), "--jobs", "2")
    assert r.returncode == 1 and "按检查统计" in r.stdout and "文档: 2" in r.stdout


def test_scan_html_needs_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LEAF_TXT.read_text("utf-8"), encoding="utf-8")
    r = run("scan", str(tmp_path), "--format", "html")
    assert r.returncode == 2 and "目录" in r.stderr
    out = tmp_path / "site"
    r = run("scan", str(tmp_path), "--format", "html", "-o", str(out), "--jobs", "1")
    assert r.returncode == 1, r.stderr
    index = (out / "index.html").read_text("utf-8")
    pages = sorted(p.name for p in out.glob("0*.html"))
    assert len(pages) == 1 and pages[0] in index
