"""Batch runs: parallel workers, the JSON Lines journal and resume, time limits, and
the optional Dask scheduler all give the same final output, ordered by path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import REPO, SAMPLES, SEED_TXT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budget_audit", *args], capture_output=True, text=True, cwd=REPO, timeout=300)


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SEED_TXT, d / "a_seed.txt")
    shutil.copy(SAMPLES / "variants" / "01_leaf_cell.txt", d / "sub" / "b_leaf.txt")
    shutil.copy(SAMPLES / "variants" / "04_prose_amount.txt", d / "c_prose.txt")
    (d / "d_broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    return d


def test_one_and_two_workers_identical(docs: Path) -> None:
    one = run("scan", str(docs), "--format", "json", "--jobs", "1")
    two = run("scan", str(docs), "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert one.stdout == two.stdout
    data = json.loads(one.stdout)
    files = [Path(d["file"]).name for d in data["documents"]]
    assert files == ["a_seed.txt", "c_prose.txt", "d_broken.pdf", "b_leaf.txt"]  # by path: sub/ after d_
    assert data["summary"]["by_status"]["unreadable"] == 1
    assert data["summary"]["by_check"]["YS-122"] >= 1


def test_interrupted_and_resumed_equals_uninterrupted(docs: Path, tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    full = run("scan", str(docs), "--format", "json", "--jsonl", str(journal), "--jobs", "2")
    lines = journal.read_text("utf-8").splitlines(keepends=True)
    assert len(lines) == 4 and all(json.loads(x)["sha256"] for x in lines)
    # Simulate an interruption: two documents done, the third cut mid-line.
    journal.write_text("".join(lines[:2]) + lines[2][: len(lines[2]) // 2], encoding="utf-8")
    resumed = run("scan", str(docs), "--format", "json", "--jsonl", str(journal), "--resume", "--jobs", "2")
    assert resumed.returncode == full.returncode == 1
    assert resumed.stdout == full.stdout
    again = journal.read_text("utf-8").splitlines()
    assert len(again) == 4 and {json.loads(x)["key"] for x in again} == {json.loads(x)["key"] for x in lines}
    # A changed document is re-audited (its content hash differs), the others are not.
    (docs / "c_prose.txt").write_text(SEED_TXT.read_text("utf-8"), encoding="utf-8")
    changed = run("scan", str(docs), "--format", "json", "--jsonl", str(journal), "--resume")
    statuses = {Path(d["file"]).name: d["status"] for d in json.loads(changed.stdout)["documents"]}
    assert statuses["c_prose.txt"] == statuses["a_seed.txt"]
    assert len(journal.read_text("utf-8").splitlines()) == 5


def test_resume_needs_jsonl(docs: Path) -> None:
    r = run("scan", str(docs), "--resume")
    assert r.returncode == 2 and "--jsonl" in r.stderr and "Traceback" not in r.stderr


def test_timeout_marks_document_unreadable_and_goes_on(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget_audit import scan
    from budget_audit.rulebook import load

    def slow(paths, book, lang="zh"):  # noqa: ANN001, ANN202
        if "b_leaf" in paths[0]:
            import time

            time.sleep(5)
        return scan.audit(paths, book, lang)

    monkeypatch.setattr(scan, "audit_safely", slow)
    job = next(j for j in scan.make_jobs(str(docs)) if "b_leaf" in j.key)
    rec = scan.audit_job(job, load(), "zh", timeout=1)
    assert rec["status"] == "unreadable" and "时间限制" in rec["result"]["error"]
    other = next(j for j in scan.make_jobs(str(docs)) if "a_seed" in j.key)
    assert scan.audit_job(other, load(), "zh", timeout=30)["status"] == "fail"


def test_memory_limit_is_reported(docs: Path) -> None:
    r = run("scan", str(docs), "--format", "json", "--jobs", "1", "--max-memory", "64")
    data = json.loads(r.stdout)
    # 64 MB of address space cannot hold the interpreter's libraries: every document
    # is unreadable with a reason, and the run still finishes.
    assert data["summary"]["documents"] == 4
    assert all(d["status"] == "unreadable" and d["error"] for d in data["documents"])
    assert r.returncode == 2


def test_dask_local_cluster_identical(docs: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from budget_audit.report import json_report
    from budget_audit.rulebook import load
    from budget_audit.scan import ScanOptions, scan_directory

    book = load()
    local = scan_directory(str(docs), book, options=ScanOptions(jobs=2))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = scan_directory(str(docs), book, options=ScanOptions(scheduler=client))
            by_address = scan_directory(str(docs), book, options=ScanOptions(scheduler=cluster.scheduler_address))
    assert json_report.render_scan(local, {}) == json_report.render_scan(remote, {}) == json_report.render_scan(by_address, {})


def test_dask_missing_is_one_line_error(docs: Path) -> None:
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from budget_audit.cli import main; sys.argv = ['budget-audit', 'scan', sys.argv[1], '--scheduler', 'tcp://127.0.0.1:1']\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(docs)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert r.returncode == 2 and "dask" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_recycled_workers_give_the_same_results(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers retire after TASKS_PER_CHILD documents each and a fresh pool takes over;
    with one document per worker every document goes through a new generation."""
    from budget_audit import scan
    from budget_audit.rulebook import load

    book = load()
    steady = scan.scan_directory(str(docs), book, options=scan.ScanOptions(jobs=2))
    monkeypatch.setattr(scan, "TASKS_PER_CHILD", 1)
    recycled = scan.scan_directory(str(docs), book, options=scan.ScanOptions(jobs=2))
    assert [scan.result_to_dict(r) for r in recycled] == [scan.result_to_dict(r) for r in steady]
    assert len(recycled) == 4 and sum(1 for r in recycled if r.error) == 1
