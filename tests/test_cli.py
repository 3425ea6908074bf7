"""The CLI: exit codes and output together, as a user sees them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import SEED_TXT

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "budget_audit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_check_seed_text_reports_findings() -> None:
    r = run("check", str(SEED_TXT))
    assert r.returncode == 1, r.stderr
    assert "GEN-801" in r.stdout and "一般公共预算支出" in r.stdout
    assert "检查覆盖" in r.stdout
    assert r.stderr == ""


def test_check_json_schema() -> None:
    r = run("check", str(SEED_TXT), "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["schema_version"] == "2.0"
    assert data["document"]["year"] == 2021 and data["document"]["kind"] == "预算"
    assert data["status"] == "fail"
    stats = data["stats"]
    assert stats["passed"] + stats["failed"] + stats["skipped"] + stats["errors"] == stats["checks"]
    for f in data["findings"]:
        assert {"check_id", "status", "severity", "message", "locations"} <= set(f)
    assert all(c["status"] in ("pass", "fail", "error") for c in data["checks"])  # skips: --show-skipped
    assert all(f["status"] in ("fail", "error") for f in data["findings"])


def test_fail_on_and_select() -> None:
    r = run("check", str(SEED_TXT), "--select", "YS-1", "--fail-on", "error")
    assert r.returncode == 0, r.stdout
    r = run("check", str(SEED_TXT), "--fail-on", "never")
    assert r.returncode == 0


def test_english() -> None:
    r = run("check", str(SEED_TXT), "--lang", "en")
    assert "Coverage" in r.stdout and r.returncode == 1


def _one_line_error(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode == 2
    assert "Traceback" not in r.stderr + r.stdout
    lines = [x for x in r.stderr.strip().splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr
    for w in words:
        assert w in r.stderr


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    _one_line_error(run("check", str(p)), "文件为空")


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    _one_line_error(run("check", str(p)), str(p))


def test_truncated_pdf(tmp_path: Path) -> None:
    pdf = (REPO / "samples" / "xuchang_2021_budget.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(pdf[: len(pdf) // 3])
    r = run("check", str(p))
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr


def test_wrong_format(tmp_path: Path) -> None:
    p = tmp_path / "file.docx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _one_line_error(run("check", str(p)), "Word")


def test_missing_file() -> None:
    _one_line_error(run("check", "no/such/file.pdf"), "不存在")


def test_malformed_rule_file(tmp_path: Path) -> None:
    rules = tmp_path / "bad.yaml"
    rules.write_text("pack: x\nchecks:\n  - id: X-1\n    kind: nope\n", encoding="utf-8")
    _one_line_error(run("check", str(SEED_TXT), "--rules", str(rules)), f"{rules}:3")
    r = run("rules", "validate", str(rules))
    _one_line_error(r, f"{rules}:3")


def test_rules_commands() -> None:
    r = run("rules", "list")
    assert r.returncode == 0 and "YS-101" in r.stdout
    r = run("rules", "explain", "YS-101")
    assert r.returncode == 0 and "检查什么" in r.stdout and "kind: sum" in r.stdout
    r = run("rules", "explain", "YS-101", "--lang", "en")
    assert r.returncode == 0 and "What it checks" in r.stdout
    r = run("rules", "explain", "NOPE-1")
    _one_line_error(r, "NOPE-1")
    r = run("rules", "validate", "rules/budget.yaml")
    assert r.returncode == 0


def test_extract() -> None:
    r = run("extract", str(SEED_TXT))
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert len(data["tables"]) == 11 and data["document"]["department"]


def test_scan_goes_past_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SEED_TXT.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "c.txt").write_bytes(b"")
    r = run("scan", str(tmp_path), "--format", "json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["documents"] == 3
    assert data["summary"]["by_status"]["unreadable"] == 2
    statuses = {Path(d["file"]).name: d["status"] for d in data["documents"]}
    assert statuses["a.txt"] == "fail"


def test_scan_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 garbage")
    r = run("scan", str(tmp_path))
    assert r.returncode == 2


@pytest.mark.parametrize("args", [["check"], ["nonsense"], ["check", "--format", "xml", "x.pdf"]])
def test_usage_errors(args: list[str]) -> None:
    assert run(*args).returncode == 2


def test_min_coverage() -> None:
    r = run("check", str(SEED_TXT), "--fail-on", "never", "--min-coverage", "99")
    assert r.returncode == 1 and "--min-coverage" in r.stderr
    r = run("check", str(SEED_TXT), "--fail-on", "never", "--min-coverage", "10")
    assert r.returncode == 0


@pytest.mark.parametrize("command", ["check", "scan"])
def test_help_states_exit_codes(command: str) -> None:
    """Exit codes are on the help page, as the README gives them: 2 includes a
    document that is not a 预算/决算 (check) or a scan where nothing could be checked."""
    out = run(command, "--help").stdout
    assert "退出码：0" in out and "核对不足" in out and "未识别为预算/决算文件" in out
