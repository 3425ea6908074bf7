"""sum: a total off by less than one printed unit beyond what rounding allows is a
tail difference (warning), by more an error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budget_audit.api import audit
from budget_audit.rulebook import load


@pytest.mark.parametrize("total,severity", [("0.36", "warning"), ("0.38", "error")])
def test_tail_difference_is_a_warning(tmp_path: Path, total: str, severity: str) -> None:
    # Three parts printed to 0.01万元 allow ±0.02 with the total; 0.36 is 0.03 off
    # (0.01 beyond: a tail difference), 0.38 is 0.05 off.
    doc = "\n".join(
        [
            "2026年XX局部门预算",
            "2026年收支总表",
            "单位：万元",
            "项目\t预算数",
            "一、财政拨款\t0.11",
            "二、事业收入\t0.11",
            "三、其他收入\t0.11",
            f"收入合计\t{total}",
        ]
    )
    (tmp_path / "doc.txt").write_text(doc + "\n", encoding="utf-8")
    check = {"id": "TST-001", "name": "t", "kind": "sum", "title": "t", "table": "revenue_expenditure_summary", "mode": "rows"}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump({"pack": "t", "checks": [check]}, allow_unicode=True), "utf-8")
    result = audit(str(tmp_path / "doc.txt"), load([str(tmp_path / "rules.yaml")]))
    fails = [f for f in result.findings if f.status == "fail"]
    assert len(fails) == 1 and fails[0].severity == severity
