"""Table identity: which table of the disclosure a recognised table is.

*Role.* The title names the table (``lexicon.yaml`` roles, the first match wins). A
table printed without a title of its own — a list inside the prose (预算单位构成, 重点项目
绩效目标), a form continued on a page of its own — is named by its header where the
lexicon gives header patterns (绩效目标/绩效指标 → ``performance``, 序号 单位名称 →
``units``, 是否空表 → ``table_index``, 主要原因 → ``year_comparison`` …), else by
patterns of its whole text (a form continued without its header: 产出指标 … 效益指标);
otherwise it stays without a role and is reported as not recognised.
"""

from __future__ import annotations

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


def identify(rt: RTable) -> None:
    """Set the table's role (recognition computes it once)."""
    rt.role = role_of(rt)
