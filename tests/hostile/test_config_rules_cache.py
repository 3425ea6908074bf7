"""Issue 13, items 3, 4 and 5: a config higher up is not obeyed blindly, a rule
cannot hang the run, a planted cache entry cannot run code or forge a result."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from . import gen
from .conftest import a_report, cli, one_chinese_line

NEVER = 'fail_on = "never"\nignore = ["YS", "GEN", "JS"]\n'


def _doc(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = folder / "doc.txt"
    doc.write_text(gen.text_doc(rows=gen.failing_rows("一般公共服务支出")), encoding="utf-8")
    return doc


def test_config_in_a_shared_folder_is_not_obeyed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    doc = _doc(shared / "a" / "b")
    shared.chmod(0o777)  # world-writable, like /tmp
    (shared / "budget-audit.toml").write_text(NEVER, encoding="utf-8")
    r = cli("check", doc)
    a_report(r)
    assert r.returncode == 1  # the planted fail_on = "never" did not apply
    assert b"budget-audit.toml" not in r.stderr


def test_config_others_can_write_is_ignored_and_said(tmp_path: Path) -> None:
    doc = _doc(tmp_path / "p" / "a")
    cfg = tmp_path / "p" / "budget-audit.toml"
    cfg.write_text(NEVER, encoding="utf-8")
    cfg.chmod(0o666)
    r = cli("check", doc)
    assert r.returncode == 1
    assert "忽略配置文件" in r.stderr.decode() and str(cfg) in r.stderr.decode()


def test_config_above_the_project_root_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "budget-audit.toml").write_text(NEVER, encoding="utf-8")
    project = tmp_path / "project"
    doc = _doc(project / "docs")
    (project / ".git").mkdir()
    assert cli("check", doc).returncode == 1


def test_the_config_used_is_named(tmp_path: Path) -> None:
    doc = _doc(tmp_path / "p" / "a")
    cfg = tmp_path / "p" / "budget-audit.toml"
    cfg.write_text('fail_on = "never"\n', encoding="utf-8")
    r = cli("check", doc)
    assert r.returncode == 0 and f"使用配置文件：{cfg}" in r.stderr.decode()


@pytest.mark.parametrize("pattern", gen.REDOS)
def test_redos_rule_is_refused_at_load(tmp_path: Path, pattern: str) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text(gen.rule_file(f"    columns: '{pattern}'\n"), encoding="utf-8")
    t0 = time.monotonic()
    one_chinese_line(cli("rules", "validate", rules), f"{rules}:8", "ReDoS" if "*.*" not in pattern else "重复")
    one_chinese_line(cli("check", _doc(tmp_path / "d"), "-r", rules))
    assert time.monotonic() - t0 < 120


def _planted(tmp_path: Path, shared: bool) -> tuple[Path, Path]:
    """A cache directory holding, under the document's real key, a forged entry."""
    from budget_audit import cache

    doc = _doc(tmp_path / "docs")
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    os.environ["BUDGET_AUDIT_CACHE"] = str(directory)
    try:
        cache.ingest_cached([str(doc)], __import__("budget_audit.ingest", fromlist=["ingest_many"]).ingest_many)
        (entry,) = directory.rglob("*.json")
    finally:
        del os.environ["BUDGET_AUDIT_CACHE"]
    data = json.loads(entry.read_bytes())
    for table in data["doc"]["tables"]:
        for row in table["rows"]:
            for c in row["cells"]:
                if c["text"] == "40.00":
                    c["text"] = "50.00"  # the forgery: the failing row now adds up
    entry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if shared:
        directory.chmod(0o777)
    return doc, directory


def _sum_fails(r) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for f in json.loads(r.stdout)["findings"] if f["kind"] == "sum" and f["status"] == "fail")


@pytest.mark.parametrize("shared", [False, True])
def test_forged_entry_is_used_only_from_a_private_cache(tmp_path: Path, shared: bool) -> None:
    """A private cache is trusted (the forgery shows: the test can tell); a cache
    others can write into is not read at all."""
    doc, directory = _planted(tmp_path, shared=shared)
    forged = _sum_fails(cli("check", doc, "--format", "json", env={"BUDGET_AUDIT_CACHE": str(directory)}))
    honest = _sum_fails(cli("check", doc, "--format", "json"))
    assert honest > 0
    assert (forged == honest) is shared


def test_planted_pickle_never_runs(tmp_path: Path) -> None:
    import pickle

    from budget_audit import cache

    doc = _doc(tmp_path / "docs")
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    os.environ["BUDGET_AUDIT_CACHE"] = str(directory)
    try:
        key = cache.cache_key([str(doc)])
    finally:
        del os.environ["BUDGET_AUDIT_CACHE"]
    marker = tmp_path / "ran"
    (directory / key[:2]).mkdir(mode=0o700)
    payload = pickle.dumps(_Evil(str(marker)))
    for suffix in (".json", ".pickle"):
        (directory / key[:2] / f"{key}{suffix}").write_bytes(payload)
    a_report(cli("check", doc, env={"BUDGET_AUDIT_CACHE": str(directory)}))
    assert not marker.exists()


class _Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))
