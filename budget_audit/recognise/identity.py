"""Table identity: which table of the disclosure a recognised table is, and what its
rows stand for.

*Role.* The title names the table (``lexicon.yaml`` roles, the first match wins). A
table printed without a title of its own — a list inside the prose (预算单位构成, 重点项目
绩效目标), a form continued on a page of its own — is named by its header where the
lexicon gives header patterns (绩效目标/绩效指标 → ``performance``, 序号 单位名称 →
``units``, 是否空表 → ``table_index``, 主要原因 → ``year_comparison`` …), else by
patterns of its whole text (a form continued without its header: 产出指标 … 效益指标);
otherwise it stays without a role and is reported as not recognised.

*Row key.* ``"unit"`` when the table's rows are budget units: its code column is headed
单位编码/单位代码/部门代码/预算单位代码 (西安's "245 西安市医疗保障局", 无锡's 部门代码): such
codes look like 功能分类 codes ("245") but are not, and the table has no 科目 rows to
pair with another table's. Else None.
"""

from __future__ import annotations

import re

from .lexicon import lexicon, norm
from .tables import RTable, classify_role


def role_of(rt: RTable) -> str | None:
    """The role from the title, else (a table without a title) from its header."""
    if norm(rt.title):
        return classify_role(rt.title)
    rows = ["".join(norm(t) for t in row.texts) for row in rt.table.rows]
    head = "".join(rows[: max(rt.header_rows, 1)])
    for spec in lexicon().roles:
        if any(p.search(head) for p in spec.header):
            return spec.role
    whole = "".join(rows)
    for spec in lexicon().roles:
        if any(p.search(whole) for p in spec.body):
            return spec.role
    return None


_UNIT_CODE = re.compile(r"^(预算)?(单位|部门)(\(单位\))?(编码|代码|编号)$")


def row_key(rt: RTable) -> str | None:
    """``"unit"`` when the table's code column holds unit or department codes."""
    for col in rt.columns:
        if col.kind == "code" and col.path and _UNIT_CODE.match(norm(col.path[-1])):
            return "unit"
    return None


def identify(rt: RTable) -> None:
    """Set the table's role and row key (recognition computes them once)."""
    rt.role = role_of(rt)
    rt.keyed_by = row_key(rt)
