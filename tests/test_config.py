"""Config files: found by walking up from the target; the command line overrides
them; errors name file:line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import REPO, SEED_TXT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budget_audit", *args], capture_output=True, text=True, cwd=REPO, timeout=300)


def _doc(tmp_path: Path) -> Path:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    doc = tmp_path / "deep" / "er" / "doc.txt"
    shutil.copy(SEED_TXT, doc)
    return doc


def test_budget_audit_toml_found_and_overridden(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    (tmp_path / "budget-audit.toml").write_text('format = "json"\nlang = "en"\nselect = ["YS-1"]\nfail_on = "error"\n', encoding="utf-8")
    r = run("check", str(doc))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert all(c["check_id"].startswith("YS-1") for c in data["checks"])
    r = run("check", str(doc), "--format", "text", "--select", "GEN-8", "--fail-on", "warning")
    assert r.returncode == 1 and "Coverage" in r.stdout and "GEN-801" in r.stdout


def test_pyproject_section(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.budget-audit]\nfail_on = "never"\n', encoding="utf-8")
    assert run("check", str(doc)).returncode == 0


def test_config_errors_point_at_line(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    cfg = tmp_path / "budget-audit.toml"
    cfg.write_text('lang = "zh"\n\nfail_onn = "error"\n', encoding="utf-8")
    r = run("check", str(doc))
    assert r.returncode == 2 and f"{cfg}:3" in r.stderr and "fail_on" in r.stderr
    cfg.write_text('format = "pdf"\n', encoding="utf-8")
    r = run("check", str(doc))
    assert r.returncode == 2 and f"{cfg}:1" in r.stderr and "sarif" in r.stderr
    cfg.write_text('format = \n', encoding="utf-8")
    r = run("check", str(doc))
    assert r.returncode == 2 and f"{cfg}:1" in r.stderr and "Traceback" not in r.stderr
