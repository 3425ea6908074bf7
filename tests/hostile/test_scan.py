"""Issue 13, item 8: one bad file never stops a scan — unreadable, vanished and
renamed files, GBK file names in every output and the journal, markup in names,
journal lines of another version; stopping a scan stops its workers; two scans never
share a journal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..paths import REPO
from . import gen
from .conftest import a_report, cli, no_controls, one_chinese_line

GBK_NAME = "预算_第一.txt".encode("gbk")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "b[").mkdir()
    for name in ("a.txt", "b[/].txt"):  # the second is "]..txt" in a folder "b[": "[/" in the path
        (folder / name).write_text(gen.text_doc(rows=gen.failing_rows("一般公共服务支出")), encoding="utf-8")
    raw = os.fsencode(folder) + b"/" + GBK_NAME
    with open(raw, "wb") as fh:
        fh.write(gen.text_doc().encode("utf-8"))
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "xlsx", "sarif", "junit", "html"])
def test_gbk_names_in_every_output(tmp_path: Path, fmt: str) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / ("site" if fmt == "html" else f"out.{fmt}")
    r = cli("scan", folder, "--format", fmt, "-o", out, "--jsonl", tmp_path / "run.jsonl", "--jobs", "2")
    a_report(r)
    if fmt == "html":
        text = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    elif fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(out)
        text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    else:
        text = out.read_text(encoding="utf-8")  # valid UTF-8
    if fmt == "sarif":  # URIs: the name's bytes percent-encoded (RFC 3986), losslessly
        from urllib.parse import quote

        assert quote(GBK_NAME) in text, text[:500]
    elif fmt == "text":  # the summary table wraps long paths across its rows
        assert "预算" in text and "\\x" not in text and "\ufffd" not in text, text[:500]
    else:
        assert "预算_第一" in text, text[:500]
    no_controls(text)


def test_gbk_names_resume_twice(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    journal = tmp_path / "run.jsonl"
    first = cli("scan", folder, "--format", "json", "--jsonl", journal)
    again = cli("scan", folder, "--format", "json", "--jsonl", journal, "--resume")
    third = cli("scan", folder, "--format", "json", "--jsonl", journal, "--resume")
    assert a_report(first) == a_report(again) == a_report(third)
    lines = journal.read_bytes().splitlines()
    assert len(lines) == 3 and all(json.loads(x)["v"] for x in lines)


def test_unreadable_and_vanishing_files_cost_only_themselves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget_audit import scan
    from budget_audit.rulebook import load

    folder = _folder(tmp_path)
    real = scan.discover

    def with_ghost(directory: str) -> list[list[str]]:
        return [*real(directory), [os.path.join(directory, "gone.txt")]]  # renamed away after discovery

    monkeypatch.setattr(scan, "discover", with_ghost)
    results = list(scan.scan_directory(str(folder), load(), options=scan.ScanOptions(jobs=1)))
    by_name = {os.path.basename(r.file): r for r in results}
    assert "移走" in (by_name["gone.txt"].error or "")
    assert sum(1 for r in results if r.error) == 1 and len(results) == 4


def test_journal_line_of_another_version_is_run_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    journal = tmp_path / "run.jsonl"
    a_report(cli("scan", folder, "--jsonl", journal))
    lines = journal.read_text(encoding="utf-8").splitlines()
    old = json.loads(lines[0])
    old.pop("v")
    old["result"] = {"from": "an older version", "findings": [{"unknown": 1}]}
    lines[0] = json.dumps(old, ensure_ascii=False)
    journal.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("scan", folder, "--format", "json", "--jsonl", journal, "--resume")
    assert json.loads(a_report(r))["summary"]["documents"] == 3


def test_a_second_scan_on_the_same_journal_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    journal = tmp_path / "run.jsonl"
    import fcntl

    with open(journal, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        one_chinese_line(cli("scan", folder, "--jsonl", journal, "--resume"), "正被另一个")


def _children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry))
    return out


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        kids = _children(todo.pop())
        found |= kids
        todo.extend(kids)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(p)
        except OSError:
            pass
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_a_scan_stops_its_workers(tmp_path: Path, how: signal.Signals) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for k in range(40):
        (folder / f"d{k:02d}.txt").write_text(gen.text_doc(), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "budget_audit", "scan", str(folder), "--jobs", "2", "--jsonl", str(tmp_path / "j.jsonl")],
        cwd=REPO, env=dict(os.environ, BUDGET_AUDIT_CACHE="off"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _descendants(proc.pid)
        time.sleep(0.2)
    assert workers, "the scan started no worker"
    proc.send_signal(how)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 15
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(workers), "workers outlived the scan"


def test_scan_keeps_no_result_in_memory(tmp_path: Path) -> None:
    """Results are read back from the journal one at a time."""
    from budget_audit.journal import JournalResults
    from budget_audit.rulebook import load
    from budget_audit.scan import ScanOptions, scan_directory

    results = scan_directory(str(_folder(tmp_path)), load(), options=ScanOptions(jobs=1))
    assert isinstance(results, JournalResults) and len(results) == 3
    assert results[0] is not results[0]  # rebuilt from disk, not held


def test_empty_folder_and_marked_paths_are_one_line(tmp_path: Path) -> None:
    one_chinese_line(cli("scan", tmp_path), "没有可检查")
    no_controls(one_chinese_line(cli("check", tmp_path / "\x1b[2Jmissing.pdf")))


# ----------------------------------------------------------------------------- streaming reports


class _Lazy:
    """A scan's results as the journal gives them: each made when asked for; counts
    how many are alive at once (a writer that held them all would keep them)."""

    def __init__(self, template, n: int) -> None:  # type: ignore[no-untyped-def]
        self.template, self.n = template, n
        self.refs: list = []
        self.most = 0

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):  # type: ignore[no-untyped-def]
        import dataclasses
        import gc

        if not 0 <= i < self.n:
            raise IndexError(i)
        import weakref

        gc.collect()
        self.refs = [x for x in self.refs if x() is not None]
        self.most = max(self.most, len(self.refs))
        r = dataclasses.replace(self.template, file=f"d{i:03d}.txt", files=[f"d{i:03d}.txt"])
        self.refs.append(weakref.ref(r))
        return r

    def __iter__(self):  # type: ignore[no-untyped-def]
        for i in range(self.n):
            yield self[i]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "sarif", "junit"])
def test_scan_writers_hold_one_document_at_a_time(tmp_path: Path, fmt: str) -> None:
    """Issue 13 item 8: the scan's JSON, SARIF, JUnit, CSV and XLSX reports are written
    record by record (``report.SCAN_WRITERS``) — never more than a couple of results
    alive — and say the same as the one-shot renderers."""
    import io

    from budget_audit.api import audit
    from budget_audit.baseline import apply_view, entries
    from budget_audit.report import SCAN_FORMATS, SCAN_WRITERS

    doc = tmp_path / "doc.txt"
    doc.write_text(gen.text_doc(rows=gen.failing_rows("一般公共服务支出")), encoding="utf-8")
    template = audit(str(doc))
    assert template.findings
    lazy = _Lazy(template, 40)
    base = entries([lazy[0]])  # accept the first document's findings
    view, report = apply_view(lazy, base)
    options = {"lang": "zh", "baseline": report, "not_taken": [("x.docx", "Word")]}
    buf: io.BytesIO | io.StringIO = io.BytesIO() if fmt == "xlsx" else io.StringIO()
    lazy.most = 0
    SCAN_WRITERS[fmt](view, options, buf)
    assert lazy.most <= 2, lazy.most
    out = buf.getvalue()
    assert out == SCAN_FORMATS[fmt](list(view), options) or fmt == "xlsx"
    if fmt == "json":
        data = json.loads(out)
        assert json.dumps(data, ensure_ascii=False, indent=2) + "\n" == out  # as one json.dumps
        assert len(data["documents"]) == 40 and data["documents"][0]["findings"] == []  # the baseline applied
        assert data["documents"][1]["findings"] and data["baseline"]["suppressed"] == len(base)
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.load_workbook(io.BytesIO(out))  # type: ignore[arg-type]
        assert [ws.title for ws in wb.worksheets] == ["汇总", "发现的问题"]
        assert wb.worksheets[0].max_row == 1 + 40 + 1 and wb.worksheets[0].auto_filter.ref == "A1:J42"
        assert wb.worksheets[1].freeze_panes == "A2" and wb.worksheets[1].page_setup.orientation == "landscape"


def test_scan_json_streams_to_a_file_and_resumes(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    for k in range(3):
        (d / f"d{k}.txt").write_text(gen.text_doc(head=f"2021年第{k}局部门预算"), encoding="utf-8")
    out, journal = tmp_path / "r.json", tmp_path / "j.jsonl"
    a_report(cli("scan", d, "-j", "1", "--jsonl", journal, "-o", out))
    first = out.read_bytes()
    a_report(cli("scan", d, "-j", "1", "--jsonl", journal, "--resume", "-o", out))
    assert out.read_bytes() == first and len(json.loads(first)["documents"]) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the temporary file was renamed
