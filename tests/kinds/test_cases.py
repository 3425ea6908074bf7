"""Every kind's pass / fail / skip cases, written as tiny inline documents.

Each file in cases/ holds cases for one kind: a small text-export document (cells
separated by " | ", rows one per line; turned into tabs here), the check's parameters,
and the outcome the check must have: its ledger status, and optionally how many
findings fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from budget_audit.api import audit
from budget_audit.rulebook import load

CASES = Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["kind"], case, id=f"{path.stem}-{case['name']}")


@pytest.mark.parametrize("kind,case", list(_cases()))
def test_case(kind: str, case: dict, tmp_path: Path) -> None:
    doc = "\n".join(
        "\t".join(re.split(r"\s*\|\s*", line)) if " | " in line else line
        for line in case["doc"].splitlines()
    )
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    check = {"id": "TST-001", "name": "case", "kind": kind, "title": case["name"], **case.get("params", {})}
    (tmp_path / "rules.yaml").write_text(
        yaml.safe_dump({"pack": "test", "checks": [check]}, allow_unicode=True), encoding="utf-8"
    )
    result = audit(str(tmp_path / "doc.txt"), load([str(tmp_path / "rules.yaml")]))
    outcome = result.outcomes[0]
    messages = [f.message for f in result.findings]
    assert outcome.status == case["expect"], messages
    if "fails" in case:
        assert outcome.counts.get("fail", 0) == case["fails"], messages
    if "passes" in case:
        assert outcome.counts.get("pass", 0) == case["passes"], messages
    if "severity" in case:
        assert {f.severity for f in result.findings if f.status == "fail"} == {case["severity"]}, messages
