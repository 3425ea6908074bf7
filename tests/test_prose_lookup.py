"""GEN-301 (prose_lookup) runs after every other check and takes only the amounts no
other check compared with a table: one misprint is not reported twice."""

from __future__ import annotations

from pathlib import Path

from budget_audit.api import audit
from budget_audit.rulebook import load

DOC = """2021年某某市某某局部门预算

五、一般公共预算支出情况

2021年一般公共预算支出1,554.03万元，其中：一般公共服务支出1,461.47万元；其他支出92.29万元。

六、重点项目情况

2021年政务信息化运维项目92.56万元。

2021年一般公共预算支出表
单位：万元
科目编码\t科目名称\t合计
201\t一般公共服务支出\t1,461.74
229\t其他支出\t92.29
\t合计\t1,554.03

2021年项目支出表
单位：万元
项目名称\t合计
政务信息化运维项目\t92.29
合计\t92.29
"""


def test_lookup_takes_only_what_no_other_check_compared(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    result = audit(str(path), load())
    fails = [f for f in result.findings if f.status == "fail"]
    # 一般公共服务支出 is YS-309's (by name in the 一般公共预算支出表): reported once, by it.
    by_check = {f.check_id: f for f in fails if "1,461.47" in f.message}
    assert "YS-309" in by_check and "GEN-301" not in by_check, [(f.check_id, f.message) for f in fails]
    # A project no table-specific check names: GEN-301 finds its row by name.
    lookup = [f for f in fails if f.check_id == "GEN-301"]
    assert len(lookup) == 1 and "92.56" in lookup[0].message
