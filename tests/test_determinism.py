"""Determinism (issue #6): the same input gives byte-identical ``--format json``.

Across two runs (separate processes, so hash seeds differ), across a cold and a warm
parse cache, and — when ``budget_audit.scan`` offers ``jobs`` — across worker counts.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import REPO, SAMPLES, SEED_PDF, SEED_TXT


def cli_json(*args: str, cache: str = "off", seed: str = "random") -> str:
    env = dict(os.environ, BUDGET_AUDIT_CACHE=cache, PYTHONHASHSEED=seed)
    r = subprocess.run(
        [sys.executable, "-m", "budget_audit", *args, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=env,
    )
    assert r.returncode in (0, 1), r.stderr
    assert r.stdout.startswith("{")
    return r.stdout


DOCS = [SEED_TXT, SEED_PDF, SAMPLES / "variants" / "05_share_percent.txt"]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_two_runs_identical(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} absent")
    a = cli_json("check", str(path), seed="1")
    b = cli_json("check", str(path), seed="2")
    assert a == b


@pytest.mark.parametrize("path", [SEED_TXT, SEED_PDF], ids=lambda p: p.name)
def test_cold_and_warm_cache_identical(path: Path, tmp_path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} absent")
    cache = str(tmp_path / "cache")
    off = cli_json("check", str(path))
    cold = cli_json("check", str(path), cache=cache)
    assert list(Path(cache).rglob("*.pickle")), "the cold run stored nothing"
    warm = cli_json("check", str(path), cache=cache)
    assert off == cold == warm


def test_scan_identical_across_runs_and_worker_counts(tmp_path: Path) -> None:
    from budget_audit import scan

    for p in [SEED_TXT, *sorted((SAMPLES / "variants").glob("0[1-4]_*.txt"))]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    cache = str(tmp_path / ".cache")  # a dot-directory: scan skips it
    a = cli_json("scan", str(tmp_path), cache=cache, seed="1")
    b = cli_json("scan", str(tmp_path), cache=cache, seed="2")
    assert a == b
    if "jobs" not in inspect.signature(scan.scan_directory).parameters:
        pytest.skip("budget_audit.scan has no jobs= yet")
    for jobs in ("1", "2"):
        assert cli_json("scan", str(tmp_path), "--jobs", jobs, cache=cache) == a
