"""Issue 12: a report a clerk reads to the end, and a `check` that answers at once.

One test (or a few) per item: noise gone (1), verdicts that are not a pass for want of
evidence (3), ruff-like selectors (4), baselines that see changed amounts (5), CI
formats that agree with the exit code (6), Excel that opens and prints (7), Chinese all
the way (8), the fast paths of a single check (9) and a batch that reads well (10).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .paths import REPO, SAMPLES, SEED_PDF, SEED_TXT

LEAF_TXT = SAMPLES / "variants" / "01_leaf_cell.txt"
PROSE_TXT = SAMPLES / "variants" / "04_prose_amount.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budget_audit", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def _one_chinese_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("错误：") and "Usage" not in r.stderr and "Traceback" not in r.stderr
    return lines[0]


@pytest.fixture(scope="module")
def book():
    from budget_audit.rulebook import load

    return load()


@pytest.fixture(scope="module")
def text_only(tmp_path_factory) -> Path:
    """The seed's prose without its tables: what a 正文 file published apart from its
    表格 file looks like."""
    p = tmp_path_factory.mktemp("docs") / "正文.txt"
    p.write_text("".join(x for x in SEED_TXT.read_text("utf-8").splitlines(keepends=True) if "\t" not in x), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def not_a_budget(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("docs") / "summary.txt"
    p.write_text("某某公司二〇二一年工作总结\n\n一、基本情况\n\n本年完成销售收入1200万元，比上年增长12.5%。职工人数86人。\n", encoding="utf-8")
    return p


# ---------------------------------------------------------------------------
# 1. Signal first, noise gone


def test_checks_for_another_kind_are_not_run_nor_listed(book) -> None:
    from budget_audit.api import audit

    r = audit([str(SEED_TXT)], book)
    final_only = [c for c in book.checks if c.applies_to == ("决算",)]
    assert final_only and r.not_applicable == len(final_only)
    assert not any(o.check_id.startswith("JS-") for o in r.outcomes)
    rec = r.to_records()
    assert rec["stats"]["not_applicable"] == len(final_only)
    assert {f["status"] for f in rec["findings"]} <= {"fail", "error"}
    assert not any(c["status"] == "skipped" for c in rec["checks"])
    full = r.to_records(include_skipped=True)
    skipped = [c for c in full["checks"] if c["status"] == "skipped"]
    assert len(skipped) == rec["stats"]["skipped"] > 0 and all(c["reasons"] for c in skipped)


def test_skips_are_one_line_unless_asked() -> None:
    r = run("check", str(SEED_TXT))
    assert r.returncode == 1
    assert "JS-" not in r.stdout and "仅适用于" not in r.stdout
    assert re.search(r"跳过 \d+ 项（.*--show-skipped", r.stdout)
    assert "没有可核对的内容" not in r.stdout  # no reasons listed
    r = run("check", str(SEED_TXT), "--show-skipped")
    assert "跳过的检查及原因" in r.stdout and "JS-" not in r.stdout
    data = json.loads(run("check", str(SEED_TXT), "-f", "json", "--show-skipped").stdout)
    assert sum(1 for c in data["checks"] if c["status"] == "skipped") == data["stats"]["skipped"]


def test_html_ledger_counts_skips(tmp_path: Path, book) -> None:
    from budget_audit.api import audit
    from budget_audit.report import html

    r = audit([str(SEED_TXT)], book)
    page = html.render(r, {"images": False})
    assert 'id="skipped-count"' in page and 'id="skipped"' not in page and "JS-1" not in page
    page = html.render(r, {"images": False, "show_skipped": True})
    assert 'id="skipped"' in page and page.count("<tr><td>YS-") >= r.stats()["skipped"]
    assert "收支总表" in page and "revenue_expenditure_summary" not in page  # roles by their Chinese names


# ---------------------------------------------------------------------------
# 3. Not a budget, not verified, not passed


def test_prose_without_tables_is_insufficient(text_only: Path) -> None:
    r = run("check", str(text_only))
    assert r.returncode == 1, r.stdout
    assert "结论: 核对不足" in r.stdout and "未发现不一致" in r.stdout
    assert run("check", str(text_only), "--fail-on", "never").returncode == 0
    data = json.loads(run("check", str(text_only), "-f", "json").stdout)
    assert data["status"] == "insufficient" and "表格" in data["status_reason"]


def test_not_a_budget_is_unrecognised(not_a_budget: Path) -> None:
    """The verdict and its report are shown; the exit code is 2 (nothing was checked,
    issue 13 item 10) with one Chinese line on stderr saying why."""
    r = run("check", str(not_a_budget))
    assert r.returncode == 2
    assert "未识别为预算/决算文件" in r.stdout and "通过" not in r.stdout.split("检查覆盖")[0]
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "未识别为预算/决算文件" in lines[0] and "未作核对" in lines[0], r.stderr
    assert run("check", str(not_a_budget), "--fail-on", "never").returncode == 2
    data = json.loads(run("check", str(not_a_budget), "-f", "json").stdout)
    assert data["status"] == "unrecognised" and data["document"]["recognised"] is False


def test_no_prose_number_is_not_applicable_and_fails_min_coverage() -> None:
    from budget_audit.findings import AuditResult, CheckOutcome

    ran = [CheckOutcome("X-1", "x", "x", "sum", "error", "pass", {}, [])]
    r = AuditResult("t.pdf", ["t.pdf"], {"kind": "预算"}, [], ran, [{"id": "T1", "role": "revenue_summary"}], [])
    assert r.coverage()["claim_coverage_pct"] is None
    from budget_audit.report.common import claim_coverage

    assert claim_coverage(r.coverage(), "zh") == "0（不适用）"
    from budget_audit.cli import _below_coverage

    assert _below_coverage([r], 10) == [(r, None)]


def test_verdict_order() -> None:
    from budget_audit.findings import AuditResult, CheckOutcome, Finding

    def outcome(status: str) -> CheckOutcome:
        return CheckOutcome("X-1", "x", "x", "sum", "error", status, {}, [])

    tables = [{"id": "T1", "role": "revenue_summary"}]
    ok = AuditResult("a", ["a"], {"recognised": True}, [], [outcome("pass")] * 5, tables, [])
    assert ok.status() == "pass"
    thin = AuditResult("a", ["a"], {"recognised": True}, [], [outcome("pass")] + [outcome("skipped")] * 10, tables, [])
    assert thin.status() == "insufficient" and "1" in thin.status_reason()[0]
    bad = Finding("X-1", "fail", "error", "m")
    assert AuditResult("a", ["a"], {"recognised": True}, [bad], thin.outcomes, tables, []).status() == "fail"
    assert AuditResult("a", ["a"], {"recognised": False}, [bad], thin.outcomes, tables, []).status() == "unrecognised"
    assert AuditResult("a", ["a"], {}, [], ok.outcomes, tables, []).status() == "pass"  # old journals: recognised


# ---------------------------------------------------------------------------
# 4. Selectors like ruff's


def test_select_lists_prefixes_case_and_unknown(book) -> None:
    ids = [c.id for c in book.select(["ys-121,YS-122"], None).checks]
    assert ids == ["YS-121", "YS-122"]
    pref = book.select(["YS-1"], None).checks
    assert pref and all(c.id.startswith("YS-1") for c in pref)
    assert book.select(["all"], ["js,gen"]).checks == [c for c in book.checks if c.id.startswith("YS-")]
    assert {c.id for c in book.select(["expenditure-columns-add-up"], None).checks} == {"YS-122", "JS-122"}  # by name
    line = _one_chinese_error(run("check", str(SEED_TXT), "--select", "YS-121,YS-999"))
    assert "YS-999" in line and "rules list" in line
    _one_chinese_error(run("check", str(SEED_TXT), "--ignore", "NOPE"))


def test_rules_list_filters_with_header() -> None:
    r = run("rules", "list", "--pack", "budget", "--kind", "sum", "--severity", "error")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:4] == ["编号", "规则包", "类型", "严重程度"]
    body = [x.split("\t") for x in lines[1:-1]]
    assert body and all(row[0].startswith("YS-") and row[1] == "budget" and row[2] == "sum" and row[3] == "错误" for row in body)
    assert lines[-1] == f"共 {len(body)} 项检查"
    _one_chinese_error(run("rules", "list", "--kind", "nope"))


# ---------------------------------------------------------------------------
# 5. Baselines that cannot hide a new error


def _doc(findings: list) -> object:
    from budget_audit.findings import AuditResult

    return AuditResult("a.pdf", ["a.pdf"], {"department": "某局", "year": 2021, "kind": "预算"}, findings, [], [], [])


def test_baseline_changed_amount_is_new_and_reason_kept(tmp_path: Path) -> None:
    from budget_audit import baseline
    from budget_audit.findings import Finding
    from budget_audit.model import Location

    loc = Location(table="T3", table_title="支出总表", row_label="行政运行", column="合计")
    old = Finding("YS-122", "fail", "error", "m", locations=(loc,), expected="131,056", actual="131,065")
    path = tmp_path / "b.json"
    baseline.write(str(path), [_doc([old])])
    data = json.loads(path.read_text("utf-8"))
    assert data["version"] == 2 and data["entries"][0]["expected"] == "131,056" and data["entries"][0]["说明"] == ""
    data["entries"][0]["说明"] = "原表如此，已向财政局说明"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # Same place, same amounts: accepted, and its reason is reported.
    results, report = baseline.apply([_doc([old])], baseline.read(str(path)))
    assert results[0].findings == [] and report.suppressed == 1
    assert report.accepted[0]["说明"] == "原表如此，已向财政局说明"
    # Same place, another difference: a new finding, listed as changed.
    moved = Finding("YS-122", "fail", "error", "m", locations=(loc,), expected="131,056", actual="131,965")
    results, report = baseline.apply([_doc([moved])], baseline.read(str(path)))
    assert results[0].findings == [moved] and report.suppressed == 0 and not report.stale
    assert report.changed[0]["before"]["actual"] == "131,065" and report.changed[0]["now"]["actual"] == "131,965"
    # Rewriting keeps the reason of a finding still there.
    baseline.write(str(path), [_doc([old])])
    assert json.loads(path.read_text("utf-8"))["entries"][0]["说明"] == "原表如此，已向财政局说明"
    # A version-1 file (no amounts) still reads and matches on the place.
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps({"version": 1, "entries": [{k: data["entries"][0][k] for k in ("fingerprint", "check_id", "document", "where", "message")}]}), encoding="utf-8")
    assert baseline.apply([_doc([moved])], baseline.read(str(v1)))[1].suppressed == 1


def test_baseline_reason_in_reports(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    shutil.copy(SEED_TXT, doc)
    base = tmp_path / "base.json"
    assert run("check", str(doc), "--baseline", str(base), "--update-baseline").returncode == 0
    data = json.loads(base.read_text("utf-8"))
    data["entries"][0]["说明"] = "目录另有说明"
    base.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("check", str(doc), "--baseline", str(base))
    assert r.returncode == 0 and "目录另有说明" in r.stdout
    out = json.loads(run("check", str(doc), "--baseline", str(base), "-f", "json").stdout)
    assert any(e["说明"] == "目录另有说明" for e in out["baseline"]["accepted"])
    page = tmp_path / "r.html"
    run("check", str(doc), "--baseline", str(base), "-o", str(page))
    assert "目录另有说明" in page.read_text("utf-8")


# ---------------------------------------------------------------------------
# 6. CI formats that agree with the exit code and the tools


def test_junit_failures_follow_fail_on(book) -> None:
    from budget_audit.api import audit
    from budget_audit.report import junit

    r = audit([str(SEED_TXT)], book)  # errors (GEN-701 missing table, GEN-801) and warnings (GEN-702)
    def failures(fail_on: str) -> set[str]:
        suite = ET.fromstring(junit.render(r, {"fail_on": fail_on})).find("testsuite")
        return {c.get("name").split()[0] for c in suite.iter("testcase") if c.find("failure") is not None}

    errors = {f.check_id for f in r.findings if f.status == "fail" and f.severity == "error"}
    warns_only = {f.check_id for f in r.findings if f.status == "fail"} - errors
    assert warns_only, "the seed has a warning-only check"
    assert failures("warning") == errors | warns_only
    assert failures("error") == errors
    assert failures("never") == set()
    suite = ET.fromstring(junit.render(r, {"fail_on": "error"})).find("testsuite")
    case = next(c for c in suite.iter("testcase") if c.get("name").split()[0] in warns_only)
    assert case.find("failure") is None and case.find("system-out").text  # reported, not failing
    # The exit code agrees.
    assert run("check", str(SEED_TXT), "--fail-on", "error", "--select", ",".join(sorted(warns_only))).returncode == 0


def test_junit_error_type_is_the_exception() -> None:
    from budget_audit.findings import AuditResult, CheckOutcome, Finding
    from budget_audit.report import junit

    crash = Finding("X-1", "error", "error", "检查执行出错：KeyError: 'x'", detail=(("exception", "KeyError"),))
    r = AuditResult("a.pdf", ["a.pdf"], {"recognised": True}, [crash], [CheckOutcome("X-1", "x", "x", "sum", "error", "error", {"error": 1}, [])], [{"id": "T1", "role": "x"}], [])
    error = ET.fromstring(junit.render(r, {})).find(".//error")
    assert error is not None and error.get("type") == "KeyError"


def test_junit_verdict_case_when_not_verified(text_only: Path) -> None:
    r = run("check", str(text_only), "-f", "junit")
    assert r.returncode == 1
    suite = ET.fromstring(r.stdout).find("testsuite")
    verdict = next(c for c in suite.iter("testcase") if c.get("name") == "verdict")
    assert verdict.find("failure").get("type") == "insufficient" and suite.get("failures") != "0"


def test_official_sarif_schema_is_the_one_recorded() -> None:
    data = Path(__file__).parent / "data"
    raw = (data / "sarif-schema-2.1.0.json").read_bytes()
    source = (data / "sarif-schema-2.1.0.SOURCE.md").read_text("utf-8")
    assert hashlib.sha256(raw).hexdigest() in source
    schema = json.loads(raw)
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert len(schema["definitions"]) > 50  # the whole schema, not a subset


def test_sarif_with_chinese_paths_validates(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    d = tmp_path / "部门 预算"
    d.mkdir()
    shutil.copy(LEAF_TXT, d / "叶子.txt")
    r = run("check", "部门 预算/叶子.txt", "-f", "sarif", cwd=tmp_path)
    log = json.loads(r.stdout)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    assert not list(validator.iter_errors(log))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E9%83%A8%E9%97%A8%20%E9%A2%84%E7%AE%97/%E5%8F%B6%E5%AD%90.txt"


# ---------------------------------------------------------------------------
# 7. Excel that opens and prints


@pytest.mark.parametrize(("name", "probe"), [
    ("r.xlsx", lambda b: b[:2] == b"PK"),
    ("r.json", lambda b: json.loads(b)["schema_version"] == "2.0"),
    ("r.html", lambda b: b.startswith(b"<!DOCTYPE html>")),
    ("r.csv", lambda b: b.decode("utf-8-sig").startswith("文档,")),
    ("r.sarif", lambda b: json.loads(b)["version"] == "2.1.0"),
    ("r.xml", lambda b: b"<testsuites" in b),
])
def test_output_extension_picks_the_format(tmp_path: Path, name: str, probe) -> None:
    out = tmp_path / name
    r = run("check", str(LEAF_TXT), "-o", str(out))
    assert r.returncode == 1 and probe(out.read_bytes()), r.stderr


def test_xlsx_numbers_words_and_print_setup(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "r.xlsx"
    run("check", str(PROSE_TXT), "-o", str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb["发现的问题"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]
    prose = next(x for x in rows if x["检查"] == "YS-302")  # "1545.03万元" against 1554.03 万元
    assert (prose["应为"], prose["实为"], prose["差额"], prose["单位"]) == (15540300, 15450300, -90000, "元")
    assert {x["严重程度"] for x in rows} <= {"错误", "警告", "提示"} and {x["状态"] for x in rows} <= {"不通过", "出错", "写错"}
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_scan_workbook_lists_every_document(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    d = tmp_path / "docs"
    d.mkdir()
    shutil.copy(SEED_TXT, d / "a.txt")
    shutil.copy(LEAF_TXT, d / "b.txt")
    (d / "c.txt").write_text("某某公司工作总结\n\n本年收入1200万元。\n", encoding="utf-8")
    (d / "d.docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "scan.xlsx"
    r = run("scan", str(d), "-o", str(out), "--jobs", "1")
    assert r.returncode == 1, r.stderr
    wb = openpyxl.load_workbook(out)
    summary = wb.worksheets[0]
    assert summary.title == "汇总"
    names = [row[0].value for row in summary.iter_rows(min_row=2)]
    assert names == ["a.txt", "b.txt", "c.txt", "d.docx"]
    status = {row[0].value: row[4].value for row in summary.iter_rows(min_row=2)}
    assert status["c.txt"] == "未识别为预算/决算文件" and status["d.docx"] == "未检查"


# ---------------------------------------------------------------------------
# 8. Chinese all the way


@pytest.mark.parametrize("command", [[], ["check"], ["scan"], ["extract"], ["rules"], ["rules", "list"], ["rules", "explain"], ["rules", "validate"]])
def test_help_is_chinese(command: list[str]) -> None:
    r = run(*command, "--help")
    assert r.returncode == 0 and r.stdout.startswith("用法：")
    for token in ("<bool>", "<list[", "<path>", "Usage", "Options", "Arguments", "Show this message", "[required]", "[default"):
        assert token not in r.stdout, token
    for line in r.stdout.splitlines():
        assert not line.strip() or CJK.search(line), f"an English-only line: {line!r}"


@pytest.mark.parametrize(("args", "words"), [
    (["check", "--bogus", "x"], ["没有选项 --bogus"]),
    (["check"], ["缺少参数"]),
    (["check", "-f", "xml", "x"], ["--format", "'xml'", "可选：text|json"]),
    (["scan", "--jobs", "0", "."], ["--jobs", "不小于 1"]),
    (["check", "--format"], ["--format", "需要一个值"]),
    (["nonsense"], ["没有命令 nonsense"]),
    (["check", "--min-coverage", "abc", "x"], ["--min-coverage"]),
])
def test_usage_errors_are_chinese(args: list[str], words: list[str]) -> None:
    line = _one_chinese_error(run(*args))
    for w in words:
        assert w in line, line


def test_rules_explain_chinese_without_install_paths() -> None:
    from budget_audit.kinds import KINDS
    from budget_audit.rules_doc import SECTIONS_ZH, manuals_zh

    for kind in KINDS:
        manual = manuals_zh()[kind]
        assert all(f"\n{s}\n" in manual for s in SECTIONS_ZH), kind
    r = run("rules", "explain", "ys-122")
    assert r.returncode == 0
    assert "内置规则 budget.yaml 第" in r.stdout and "site-packages" not in r.stdout and "../" not in r.stdout
    assert "What it checks" not in r.stdout and "检查什么" in r.stdout


def test_skip_reasons_are_words_not_patterns(book) -> None:
    from budget_audit.api import audit
    from budget_audit.recognise.lexicon import pattern_words

    assert pattern_words("^支出总计$||^支出合计?$") == "「支出总计」或「支出合计」"
    assert pattern_words("^(合计|共计|总计)$") == "「合计」或「共计」或「总计」"
    assert pattern_words("^公务用车购置(费)?$") == "「公务用车购置（费）」"
    assert pattern_words("公务接待费.*/决算数$") == "「公务接待费…/决算数」"
    for path in (SEED_TXT, PROSE_TXT, LEAF_TXT):
        r = audit([str(path)], book)
        reasons = [why for o in r.outcomes for why in o.reasons]
        assert reasons
        for why in reasons:
            assert not re.search(r"[\^$\\]|\|\||\(\?|\.\*", why), why


# ---------------------------------------------------------------------------
# 9. A check that answers at once


def test_version_does_not_import_the_cli() -> None:
    code = (
        "import sys; sys.argv = ['budget-audit', '--version']\n"
        "from budget_audit.entry import main; main()\n"
        "assert 'typer' not in sys.modules and 'budget_audit.cli' not in sys.modules, sorted(sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("budget-audit "), r.stderr


# ---------------------------------------------------------------------------
# 10. Batch that reads well


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    d = tmp_path / "2021年" / "预算"
    d.mkdir(parents=True)
    shutil.copy(SEED_TXT, d / "xuchang_2021_budget_seed.txt")
    shutil.copy(LEAF_TXT, d / "xuchang_2021_budget_leaf.txt")
    (d / "xuchang_2021_budget_notes.docx").write_bytes(b"PK\x03\x04")
    (d / "README").write_text("x", encoding="utf-8")
    return tmp_path / "2021年"


def test_scan_table_statistics_quiet_and_not_taken(batch: Path) -> None:
    r = run("scan", str(batch), "--jobs", "1")
    assert r.returncode == 1
    assert "seed.txt" in r.stdout and "leaf.txt" in r.stdout
    assert "xuchang_2021_budget_seed" not in r.stdout  # the common part of the names is left out
    assert "覆盖" in r.stdout and re.search(r"\d+/\d+ · \d+%", r.stdout)
    assert "未检查的文件 (2)" in r.stdout and "Word" in r.stdout and "README" in r.stdout
    r = run("scan", str(batch), "--jobs", "1", "--statistics")
    assert re.search(r"^\s+\d+\s+YS-122\s+\S", r.stdout, re.M)
    r = run("scan", str(batch), "--jobs", "1", "--quiet", "--select", "YS-12")
    assert "leaf" in r.stdout and "seed" not in r.stdout  # the seed passes YS-12x: not listed
    data = json.loads(run("scan", str(batch), "--jobs", "1", "-f", "json").stdout)
    assert [x["file"] for x in data["not_taken"]] == ["预算/README", "预算/xuchang_2021_budget_notes.docx"]
    log = json.loads(run("scan", str(batch), "--jobs", "1", "-f", "sarif").stdout)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["note", "note"] and "Word" in notes[1]["message"]["text"]
    suites = ET.fromstring(run("scan", str(batch), "--jobs", "1", "-f", "junit").stdout).findall("testsuite")
    assert suites[-1].get("name") == "未检查的文件" and suites[-1].get("skipped") == "2"


def test_scan_resume_says_what_it_reused(batch: Path, tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    run("scan", str(batch), "--jsonl", str(journal), "--jobs", "1")
    r = run("scan", str(batch), "--jsonl", str(journal), "--resume", "--jobs", "1")
    assert "沿用 2 份已有结果，新检查 0 份" in r.stderr


def test_scan_site_links_back_and_to_pages(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    shutil.copy(SAMPLES / "variants" / "01_leaf_cell.pdf", d / "leaf.pdf")
    site = tmp_path / "site"
    r = run("scan", str(d), "-f", "html", "-o", str(site), "--jobs", "1")
    assert r.returncode == 1, r.stderr
    page = next(site.glob("0*.html")).read_text("utf-8")
    assert '<a href="index.html" id="back">' in page
    assert 'href="../docs/leaf.pdf#page=12"' in page
    index = (site / "index.html").read_text("utf-8")
    assert "覆盖" in index and "leaf.pdf" in index


def test_labels_keep_the_distinguishing_part() -> None:
    from budget_audit.findings import AuditResult
    from budget_audit.report.common import labels

    def doc(*files: str) -> AuditResult:
        return AuditResult(files[0], list(files), {}, [], [], [], [])

    got = labels([
        doc("/x/c/beijing_2026_budget_dept_civil_affairs_text_e1.pdf", "/x/c/beijing_2026_budget_dept_civil_affairs_tables_57.pdf"),
        doc("/x/c/beijing_2026_budget_dept_commerce_text_39.pdf"),
    ])
    assert got == ["…civil_affairs_text_e1.pdf + …tables_57.pdf", "…commerce_text_39.pdf"]
    assert labels([doc("/t/a.txt"), doc("/t/sub/b.txt")]) == ["a.txt", "sub/b.txt"]


def test_seed_pdf_json_has_no_skips_in_findings() -> None:
    data = json.loads(run("check", str(SEED_PDF), "-f", "json").stdout)
    assert data["stats"]["findings"] == len([f for f in data["findings"] if f["status"] == "fail"])


def test_compiled_rules_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from budget_audit import rulebook
    from budget_audit.errors import RulebookError

    monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(tmp_path / "cache"))
    rules = tmp_path / "r.yaml"
    shutil.copy(REPO / "rules" / "common.yaml", rules)
    fresh = rulebook.load([str(rules)])
    assert list((tmp_path / "cache" / "rules").glob("*.json"))  # typed JSON, never a pickle (issue 13)
    # The second load does not parse YAML at all.
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed again")))
    assert rulebook.load([str(rules)]).checks == fresh.checks
    monkeypatch.undo()
    monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(tmp_path / "cache"))
    # An edited file is parsed again, and its error still names file:line.
    text = rules.read_text("utf-8").replace("kind: percent", "kind: percnt", 1)
    rules.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "kind: percnt" in x)
    with pytest.raises(RulebookError) as err:
        rulebook.load([str(rules)])
    assert f"{rules}:{line}" in str(err.value) and "percent" in str(err.value)
