"""Issue 13, items 1 and 2: document text reaches no spreadsheet as a formula and no
terminal as a control sequence; Rich markup in paths and titles is text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from budget_audit.textsafe import cell, shown, strip_controls

from . import gen
from .conftest import a_report, cli, no_controls

LIVE = ("=", "+", "-", "@", "\t", "\r")


def _formula_doc(tmp_path: Path) -> Path:
    label = gen.FORMULAS[0]
    prose = gen.PROSE + "".join(f"说明{f}。" for f in gen.FORMULAS)
    doc = tmp_path / "formula.txt"
    doc.write_text(gen.text_doc(prose=prose, rows=gen.failing_rows(label), title="=cmd|' /C calc'!A0 部门支出总体情况表"), encoding="utf-8")
    return doc


def _live(value: str) -> bool:
    import re

    return value.startswith(LIVE) and not re.fullmatch(r"[-+]?\d[\d,]*(\.\d+)?%?", value)


def test_csv_has_no_live_formula(tmp_path: Path) -> None:
    r = cli("check", _formula_doc(tmp_path), "--format", "csv")
    rows = list(csv.reader(io.StringIO(a_report(r).lstrip("\ufeff"))))
    assert len(rows) > 1
    assert any("HYPERLINK" in v for row in rows for v in row), "the hostile text must reach the report"
    for row in rows:
        for v in row:
            assert not _live(v), v


def test_xlsx_has_no_formula_cell(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    r = cli("check", _formula_doc(tmp_path), "--format", "xlsx", "-o", out)
    a_report(r)
    wb = openpyxl.load_workbook(out)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", c.value
                if isinstance(c.value, str):
                    seen += "HYPERLINK" in c.value
                    assert not _live(c.value), c.value
    assert seen


def test_cell_neutralises_every_formula_start() -> None:
    for f in gen.FORMULAS:
        assert not _live(str(cell(f)))
    assert cell("-12.50") == "-12.50" and cell(3) == 3 and cell("合计") == "合计"


def _control_doc(tmp_path: Path) -> Path:
    dirty = "".join(gen.CONTROLS)
    doc = tmp_path / "controls.txt"
    doc.write_text(
        gen.text_doc(head=f"2021年某某局{dirty}部门预算", prose=gen.PROSE + dirty, rows=gen.failing_rows(f"一般公共{dirty}服务支出"), title=f"2021年部门支出{dirty}总体情况表"),
        encoding="utf-8",
    )
    return doc


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "junit", "sarif", "html"])
def test_no_control_character_in_any_output(tmp_path: Path, fmt: str) -> None:
    r = cli("check", _control_doc(tmp_path), "--format", fmt, "--show-passed")
    out = a_report(r)
    no_controls(out)
    if fmt in ("json", "sarif"):
        no_controls(json.dumps(json.loads(out), ensure_ascii=False))  # not even escaped


def test_pdf_text_layer_controls_are_stripped(tmp_path: Path) -> None:
    from budget_audit.ingest import ingest

    path = tmp_path / "ctl.pdf"
    path.write_bytes(gen.pdf([gen.stream(gen.text_content(["2021 budget \x1b[2J clear \x07 bell \x9b31m"]))]))
    doc = ingest(str(path))
    texts = [p.text for p in doc.paragraphs] + [pg.text for pg in doc.pages]
    assert any("clear" in t for t in texts)
    for t in texts:
        no_controls(t)


def test_strip_and_show() -> None:
    assert strip_controls("a\x1b[2Jb\tc\nd\x07\u202ee") == "a[2Jb\tc\nde"
    assert shown("a\x1bb") == "a\\x1bb"


def test_rich_markup_in_paths_and_titles_is_text(tmp_path: Path) -> None:
    folder = tmp_path / "x["
    folder.mkdir()
    doc = folder / "[bold]y].txt"  # the path holds "[/" and "[bold]"
    doc.write_text(gen.text_doc(title="2021年[/]部门支出[bold]总体情况表[/red]", rows=gen.failing_rows("[link=http://x]一般[/]")), encoding="utf-8")
    out = a_report(cli("check", doc))
    assert "[/]" in out and "[/red]" in out and "x[/[bold]y].txt" in out
    a_report(cli("scan", tmp_path, "--jobs", "1"))  # the summary table (wrapped) renders
    scan = json.loads(a_report(cli("scan", tmp_path, "--jobs", "1", "--format", "json")))
    assert scan["documents"][0]["file"].endswith("x[/[bold]y].txt")
