"""Issue 12 item 9: a ``check`` that answers at once. What a run imports is what it
needs: no pydantic (typer < 0.29 does not coerce options through it), no YAML parser
once the rules and the lexicon are compiled, and only the reporter asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import REPO, SEED_TXT

PROBE = """
import sys
sys.argv = ["budget-audit", *sys.argv[1:]]
from budget_audit.entry import main
try:
    main()
except SystemExit:
    pass
heavy = ["pydantic", "yaml", "budget_audit.report.html", "budget_audit.report.sarif", "budget_audit.report.junit",
         "budget_audit.report.csv_report", "budget_audit.report.xlsx_report", "budget_audit.report.json_report"]
print("LOADED", [m for m in heavy if m in sys.modules], file=sys.stderr)
"""


def _probe(cache: Path, *args: str) -> list[str]:
    env = {**os.environ, "BUDGET_AUDIT_CACHE": str(cache)}
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    line = next(x for x in r.stderr.splitlines() if x.startswith("LOADED"))
    return json.loads(line.split(" ", 1)[1].replace("'", '"'))


def _typer_coerces_with_pydantic() -> bool:
    from importlib.metadata import version

    major, minor = (int(x) for x in version("typer").split(".")[:2])
    return (major, minor) >= (0, 29)


def test_check_imports_only_what_it_needs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _probe(cache, "check", str(SEED_TXT))  # the first run compiles the rules and the lexicon
    # Then: no YAML parser, and no reporter but the one asked for.
    ignore = {"pydantic"} if _typer_coerces_with_pydantic() else set()
    assert [m for m in _probe(cache, "check", str(SEED_TXT)) if m not in ignore] == []
    got = [m for m in _probe(cache, "check", str(SEED_TXT), "-f", "json") if m not in ignore]
    assert got == ["budget_audit.report.json_report"]


@pytest.mark.skipif(_typer_coerces_with_pydantic(), reason="typer >= 0.29 installed; pyproject.toml pins < 0.29: pip install -e .")
def test_cli_does_not_import_pydantic(tmp_path: Path) -> None:
    # typer 0.29 builds a pydantic TypeAdapter for every option: 0.2-0.3 s a run.
    assert "pydantic" not in _probe(tmp_path / "cache", "check", str(SEED_TXT))


def test_lexicon_parsed_once_per_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from budget_audit.recognise import lexicon as lx

    monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(tmp_path / "cache"))
    lx.lexicon_data.cache_clear()
    try:
        fresh = lx.lexicon_data()
        (entry,) = (tmp_path / "cache" / "lexicon").glob("*.json")
        # The second run reads the JSON, never the YAML.
        lx.lexicon_data.cache_clear()
        monkeypatch.setattr(yaml, "load", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed again")))
        assert lx.lexicon_data() == fresh
        # A cache file of another shape is not used: the YAML is parsed again.
        monkeypatch.undo()
        monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(tmp_path / "cache"))
        entry.write_text('{"roles": "not a list"}', encoding="utf-8")
        lx.lexicon_data.cache_clear()
        assert lx.lexicon_data() == fresh
        # The cache turned off: parsed each time, same data.
        monkeypatch.setenv("BUDGET_AUDIT_CACHE", "off")
        lx.lexicon_data.cache_clear()
        assert lx.lexicon_data() == fresh
    finally:
        lx.lexicon_data.cache_clear()


def test_reporters_are_imported_on_demand() -> None:
    from budget_audit.report import FORMATS, SCAN_FORMATS

    assert set(FORMATS) == {"text", "json", "html", "csv", "xlsx", "sarif", "junit"}
    assert set(SCAN_FORMATS) == set(FORMATS) - {"html"}
    from budget_audit.report import json_report

    assert FORMATS["json"] is json_report.render and SCAN_FORMATS["json"] is json_report.render_scan
    with pytest.raises(KeyError):
        FORMATS["pdf"]
