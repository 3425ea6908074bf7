"""Issue 13, item 7: nothing the user did not ask to replace is overwritten — not an
input, not a document, not a file that is not a journal; writes are atomic."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..paths import SEED_PDF
from . import gen
from .conftest import a_report, cli, one_chinese_line


def _doc(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    doc = tmp_path / "doc.txt"
    doc.write_text(gen.text_doc(rows=gen.failing_rows("一般公共服务支出")), encoding="utf-8")
    return doc


def test_output_onto_the_input_is_refused(tmp_path: Path, fingerprints) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(tmp_path)
    pdf = tmp_path / "doc.pdf"
    shutil.copy(SEED_PDF, pdf)
    other = tmp_path / "other.pdf"
    shutil.copy(SEED_PDF, other)
    link = tmp_path / "link.txt"
    link.symlink_to(doc)
    fingerprints.add(doc, pdf, other)
    one_chinese_line(cli("check", doc, "-o", doc), "拒绝覆盖")
    one_chinese_line(cli("check", doc, "-o", link), "拒绝覆盖")
    one_chinese_line(cli("check", pdf, "--format", "html", "-o", pdf), "拒绝覆盖")
    one_chinese_line(cli("check", doc, "--format", "json", "-o", other), "拒绝覆盖")  # somebody's PDF
    one_chinese_line(cli("check", pdf, "--baseline", pdf, "--update-baseline"), "拒绝覆盖")
    fingerprints.check()


def test_report_is_written_whole_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    a_report(cli("check", doc, "--format", "json", "-o", out))
    assert out.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "out.json"]


def test_journal_path_holding_something_else_is_refused(tmp_path: Path, fingerprints) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    doc = _doc(folder)
    notes = tmp_path / "notes.txt"
    notes.write_text("我的笔记，不是日志\n", encoding="utf-8")
    fingerprints.add(doc, notes)
    one_chinese_line(cli("scan", folder, "--jsonl", notes), "拒绝覆盖")
    one_chinese_line(cli("scan", folder, "--jsonl", doc), "被扫描")
    one_chinese_line(cli("scan", folder, "--jsonl", folder / "run.txt"), "被扫描的目录")
    fingerprints.check()
    journal = tmp_path / "run.jsonl"
    a_report(cli("scan", folder, "--jsonl", journal))
    a_report(cli("scan", folder, "--jsonl", journal))  # our own journal: may start over
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_scan_html_onto_a_file_is_refused(tmp_path: Path, fingerprints) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    _doc(folder)
    target = tmp_path / "report"
    target.write_text("a file", encoding="utf-8")
    fingerprints.add(target)
    one_chinese_line(cli("scan", folder, "--format", "html", "-o", target), "不是目录")
    fingerprints.check()
