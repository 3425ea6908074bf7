"""classification — a 支出功能分类 code and the name printed beside it agree.

What it checks
    Every 类/款/项 row of every table whose code is in the shipped classification
    (``budget_audit/data/function_codes.csv``: codes and names harvested from about 290
    real budget and final-account documents, 2017–2026, with the names each code has
    carried) prints one of that code's names. A code the list does not know is
    *unknown*, not wrong: it is counted in the ledger and not reported.
Why it matters
    A row labelled "一般公共预算支出" under code 201 (一般公共服务支出) is a typing error
    that breaks every lookup by name; a wrong code misfiles the spending.
Passing example
    201 一般公共服务支出
Failing example
    201 一般公共预算支出
"""

from __future__ import annotations

from dataclasses import dataclass

from ..recognise.lexicon import function_codes, norm
from .base import Context, cell_location

KIND = "classification"


@dataclass(frozen=True)
class Params:
    ranks: tuple[int, ...] = (10, 20, 30)


def _names(entry) -> set[str]:  # noqa: ANN001
    return {norm(entry.name), *(norm(a) for a in entry.alt_names)}


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    codes = function_codes()
    unknown = 0
    seen = False
    for rt in ctx.facts.tables:
        for side in rt.sides[:1]:
            for item in side.items:
                if not item.code or item.rank not in check.params.ranks or not item.code.startswith("2"):
                    continue
                seen = True
                entry = codes.get(item.code)
                if entry is None:
                    unknown += 1
                    continue
                label = item.label
                loc = cell_location(ctx.facts, rt, item.row, None)
                names = _names(entry)
                if label in names or any(label and (label.startswith(n) or n.startswith(label)) and abs(len(n) - len(label)) <= 2 for n in names):
                    ctx.passed("科目名称与编码一致", "name matches code", [loc])
                    continue
                ctx.failed(
                    f"《{rt.title}》科目 {item.code} 的名称印为“{item.raw_label.strip()}”，"
                    f"政府收支分类中该编码为“{entry.name}”",
                    f"{rt.title}: code {item.code} is labelled '{item.raw_label.strip()}', expected '{entry.name}'",
                    [loc],
                    expected=entry.name,
                    actual=item.raw_label.strip(),
                )
    if not seen:
        ctx.skipped("表格中没有功能分类科目编码", "no function codes in the tables")
