"""Determinism (issue #6): the same input gives byte-identical ``--format json``.

Across two runs (separate processes, so hash seeds differ), across a cold and a warm
parse cache, and across worker counts (``scan --jobs``); and the ledger is the same
whether passing comparisons are kept as findings (``--show-passed``) or only counted.
"""

from __future__ import annotations

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
    assert list(Path(cache).rglob("*.json")), "the cold run stored nothing"
    warm = cli_json("check", str(path), cache=cache)
    assert off == cold == warm


def test_scan_identical_across_runs_and_worker_counts(tmp_path: Path) -> None:
    for p in [SEED_TXT, *sorted((SAMPLES / "variants").glob("0[1-4]_*.txt"))]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    cache = str(tmp_path / ".cache")  # a dot-directory: scan skips it
    a = cli_json("scan", str(tmp_path), cache=cache, seed="1")
    b = cli_json("scan", str(tmp_path), cache=cache, seed="2")
    assert a == b
    for jobs in ("1", "2"):
        assert cli_json("scan", str(tmp_path), "--jobs", jobs, cache=cache) == a


def _passes_kept_and_counted(paths: list[str]) -> None:
    from budget_audit.api import audit
    from budget_audit.rulebook import load

    book = load()
    kept = audit(paths, book, keep_passes=True)
    counted = audit(paths, book, keep_passes=False)
    # The ledger is the same whether passes are kept as findings or only counted ...
    assert kept.outcomes == counted.outcomes
    assert kept.claims == counted.claims
    assert [f for f in kept.findings if f.status != "pass"] == counted.findings
    # ... and the kept passes are exactly what the ledger counts.
    for o in kept.outcomes:
        n = sum(1 for f in kept.findings if f.check_id == o.check_id and f.status == "pass")
        assert n == o.counts.get("pass", 0), o.check_id
    assert any(f.status == "pass" for f in kept.findings)
    assert not any(f.status == "pass" for f in counted.findings)


@pytest.mark.parametrize("path", [SEED_TXT, SEED_PDF], ids=lambda p: p.name)
def test_passes_counted_equal_passes_kept(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} absent")
    _passes_kept_and_counted([str(path)])


def test_passes_counted_equal_passes_kept_on_corpus() -> None:
    from budget_audit.scan import discover

    from .paths import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus absent")
    docs = discover(str(CORPUS))
    assert docs
    for paths in docs[::4]:  # a spread of provinces and layouts; all of them take minutes
        _passes_kept_and_counted(paths)
