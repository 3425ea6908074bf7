"""Rule files are validated on load: every error names file:line, the key and the choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.errors import RulebookError
from budget_audit.rulebook import load

GOOD = """pack: t
checks:
  - id: TST-001
    name: ok
    kind: sum
    title: ok
    table: expenditure_summary
"""


def _write(tmp_path: Path, text: str) -> str:
    p = tmp_path / "rules.yaml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_shipped_rules_load() -> None:
    book = load()
    ids = [c.id for c in book.checks]
    assert len(ids) == len(set(ids)) and len(ids) > 40


def test_good(tmp_path: Path) -> None:
    assert len(load([_write(tmp_path, GOOD)]).checks) == 1


@pytest.mark.parametrize(
    "edit,line,words",
    [
        (("table: expenditure_summary", "tabel: expenditure_summary"), 7, ["tabel", "table"]),
        (("kind: sum", "kind: summ"), 5, ["summ", "sum"]),
        (("table: expenditure_summary", "table: expense_summary"), 7, ["expense_summary", "expenditure_summary"]),
        (("title: ok", "title: ok\n    severity: fatal"), 7, ["fatal"]),
        (("id: TST-001", "id: bad id"), 3, ["bad id"]),
        (("    table: expenditure_summary", "    table: [expenditure_summary"), None, ["YAML"]),
    ],
)
def test_errors_point_at_line(tmp_path: Path, edit, line, words) -> None:
    path = _write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(RulebookError) as info:
        load([path])
    text = str(info.value)
    assert text.startswith(path)
    if line is not None:
        assert f"{path}:{line}" in text
    for w in words:
        assert w in text


def test_aliases_refused(tmp_path: Path) -> None:
    bomb = "pack: t\nx: &a [1, 2]\ny: [*a, *a]\nchecks: []\n"
    with pytest.raises(RulebookError, match="锚点"):
        load([_write(tmp_path, bomb)])


def test_no_python_objects(tmp_path: Path) -> None:
    evil = GOOD.replace("title: ok", "title: !!python/object/apply:os.system ['echo hi']")
    with pytest.raises(RulebookError):
        load([_write(tmp_path, evil)])


def test_deep_nesting_refused(tmp_path: Path) -> None:
    deep = GOOD + "    left: " + "{a: " * 30 + "1" + "}" * 30 + "\n"
    with pytest.raises(RulebookError):
        load([_write(tmp_path, deep)])


def test_duplicate_ids(tmp_path: Path) -> None:
    dup = GOOD + GOOD.split("checks:\n")[1]
    with pytest.raises(RulebookError, match="重复"):
        load([_write(tmp_path, dup)])


def test_floats_refused(tmp_path: Path) -> None:
    text = GOOD.replace("table: expenditure_summary", "table: expenditure_summary\n    ranks: [1.5]")
    with pytest.raises(RulebookError):
        load([_write(tmp_path, text)])
