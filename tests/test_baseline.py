"""Baselines: fingerprints ignore pages and boxes; later runs show only new findings
and list accepted ones that went away."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from budget_audit import baseline
from budget_audit.findings import AuditResult, Finding
from budget_audit.model import Location

from .paths import REPO, SAMPLES, SEED_TXT


def _result(findings: list[Finding]) -> AuditResult:
    return AuditResult("a.pdf", ["a.pdf"], {"department": "某局", "year": 2021, "kind": "预算"}, findings, [], [], [])


def test_fingerprint_survives_retypesetting() -> None:
    loc = Location(file="a.pdf", page=12, table="T3", table_title="三、2021年部门支出总体情况表", row=4, row_label="2010301 行政运行", column="合计", bbox=(1, 2, 3, 4))
    moved = replace(loc, page=13, table="T4", row=7, bbox=(9, 9, 9, 9), table_title="2021年部门支出总体情况表 ", row_label="2010301　行政运行")
    f = Finding("YS-122", "fail", "error", "m", locations=(loc,), expected="1", actual="2")
    g = replace(f, locations=(moved,), expected="5", actual="6")
    assert baseline.fingerprint(f, "x") == baseline.fingerprint(g, "x")
    assert baseline.fingerprint(f, "x") != baseline.fingerprint(replace(f, check_id="YS-121"), "x")
    assert baseline.fingerprint(f, "x") != baseline.fingerprint(f, "y")
    other_col = replace(f, locations=(replace(loc, column="基本支出"),))
    assert baseline.fingerprint(f, "x") != baseline.fingerprint(other_col, "x")
    prose = Finding("GEN-301", "fail", "error", "m", locations=(Location(page=5, paragraph=3, text="支出总计 1554.03 万元。"),))
    prose2 = Finding("GEN-301", "fail", "error", "m", locations=(Location(page=6, paragraph=9, text="支出总计1554.03万元"),))
    assert baseline.fingerprint(prose, "x") == baseline.fingerprint(prose2, "x")


def test_apply_new_and_stale(tmp_path: Path) -> None:
    a = Finding("A-1", "fail", "error", "a", locations=(Location(text="句子一"),))
    b = Finding("B-1", "fail", "error", "b", locations=(Location(text="句子二"),))
    c = Finding("C-1", "fail", "error", "c", locations=(Location(text="句子三"),))
    path = tmp_path / "baseline.json"
    assert baseline.write(str(path), [_result([a, b])]) == 2
    results, report = baseline.apply([_result([b, c])], baseline.read(str(path)))
    assert [f.check_id for f in results[0].findings] == ["C-1"]
    assert report.suppressed == 1 and [e["check_id"] for e in report.stale] == ["A-1"]


def test_cli_baseline_round_trip(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    shutil.copy(SEED_TXT, doc)
    base = tmp_path / "base.json"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "budget_audit", *args], capture_output=True, text=True, cwd=REPO, timeout=300)

    r = run("check", str(doc), "--baseline", str(base), "--update-baseline", "--format", "json")
    assert r.returncode == 0 and "已写入基线" in r.stderr
    n = len(json.loads(base.read_text("utf-8"))["entries"])
    assert n > 0 and json.loads(r.stdout)["baseline"]["suppressed"] == n
    # Same document: nothing new, exit 0.
    r = run("check", str(doc), "--baseline", str(base))
    assert r.returncode == 0, r.stdout
    # A new defect (the leaf-cell variant of the same publication): only it is reported.
    shutil.copy(SAMPLES / "variants" / "01_leaf_cell.txt", doc)
    r = run("check", str(doc), "--baseline", str(base), "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 1
    new = {f["check_id"] for f in data["findings"] if f["status"] == "fail"}
    assert new and new <= {"YS-121", "YS-122", "YS-204", "YS-205"}
    r = run("check", str(doc), "--baseline", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and "基线文件不存在" in r.stderr
