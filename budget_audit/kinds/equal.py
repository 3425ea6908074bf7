"""equal — the same quantity printed in two places is the same number.

What it checks
    ``mode: cell`` — the value ``left`` names equals the value ``right`` names (they may
    sit in different tables with different units; both are compared in 厘).
    ``mode: by_code`` — every 类/款/项 row of ``left.table`` equals the row with the same
    code in ``right.table`` (columns ``left.column`` / ``right.column``).
    ``mode: rows_sum`` — ``left`` equals the sum of the rows of ``right.table`` whose
    label matches ``right.row`` (e.g. 三公 公务接待费 = Σ 公务接待费 detail rows).
    ``when_equal`` makes the check conditional: it runs only when those two cells are
    equal (e.g. only when all spending is 一般公共预算, so that the 一般公共预算 tables
    must agree with the all-funds tables).
Why it matters
    A department's 支出合计 printed as 155,403 in one table and 155,430 in another means
    one of them is wrong, whichever table the reader trusts.
Passing example
    收支总表 支出合计 155,403 = 支出总表 合计 155,403
Failing example
    一般公共预算支出表 合计 155,430 ≠ 财政拨款收支总表 一般公共预算 155,403
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..findings import Operand
from ..recognise.lexicon import name_matches, pattern_words
from ..recognise.tables import RTable
from .base import CellRef, Context, cell_location, find_items, fmt, resolve

KIND = "equal"
# 支出功能分类 codes: 类 2xx, 款 2xxxx, 项 2xxxxxx.
_FUNCTION_CODE = re.compile(r"^2\d{2}(\d{2}){0,2}$")


@dataclass(frozen=True)
class Params:
    left: CellRef
    right: CellRef
    mode: Literal["cell", "by_code", "rows_sum"] = "cell"
    ranks: tuple[int, ...] = (10, 20, 30)  # by_code: 类, 款, 项
    when_equal: tuple[CellRef, ...] = ()
    detail_only: bool = True  # rows_sum: only economic detail rows (rank 40)


def _first_resolved(ctx: Context, ref: CellRef) -> tuple[RTable, tuple[int, int]] | None:
    for rt in ctx.tables(ref.table):
        hit = resolve(rt, ref)
        if hit is not None:
            return rt, hit
    return None


def _value(rt: RTable, cell: tuple[int, int]) -> tuple[int, int]:
    return int(rt.values[cell]), int(rt.halves[cell])


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    for ref in (p.left, p.right):
        if not ctx.tables(ref.table):
            ctx.skipped(f"文档中没有{_zh(ref.table)}", f"no {ref.table} table")
            return
        if all(rt.empty for rt in ctx.tables(ref.table)):
            ctx.skipped(f"{_zh(ref.table)}无数据", f"{ref.table} has no data")
            return
    if p.when_equal:
        got = [_first_resolved(ctx, ref) for ref in p.when_equal]
        if any(g is None for g in got):
            ctx.skipped("前提条件所需单元格缺失", "precondition cells missing")
            return
        (rta, ca), (rtb, cb) = got[0], got[1]  # type: ignore[misc]
        va, ha = _value(rta, ca)
        vb, hb = _value(rtb, cb)
        if abs(va - vb) > ha + hb:
            ctx.skipped("前提不成立（资金不全是一般公共预算），两表不可直接比较", "precondition not met")
            return
    if p.mode == "cell":
        _cell(ctx, p)
    elif p.mode == "by_code":
        _by_code(ctx, p)
    else:
        _rows_sum(ctx, p)


def _zh(role: str) -> str:
    from ..recognise.lexicon import lexicon

    return f"《{lexicon().role_zh(role)}》"


def _report(ctx: Context, a: tuple[RTable, tuple[int, int]], b: tuple[RTable, tuple[int, int]], b_value=None) -> None:  # noqa: ANN001
    rta, ca = a
    rtb, cb = b
    va, ha = _value(rta, ca)
    vb, hb = b_value if b_value is not None else _value(rtb, cb)
    if abs(va - vb) <= ha + hb and ctx.count_pass():
        return
    la = cell_location(ctx.facts, rta, *ca)
    lb = cell_location(ctx.facts, rtb, *cb)
    unit = rta.unit
    detail = {"left_unit": rta.unit or "", "right_unit": rtb.unit or ""}
    if abs(va - vb) <= ha + hb:
        ctx.passed("一致", "equal", [la, lb], expected=fmt(vb, unit), actual=fmt(va, unit), detail=detail)
        return
    msg = (
        f"《{rta.title}》{la.row_label or ''}「{la.column or ''}」为 {fmt(va, rta.unit)}（{rta.unit}），"
        f"而《{rtb.title}》{lb.row_label or ''}「{lb.column or ''}」为 {fmt(vb, rtb.unit)}（{rtb.unit}），"
        f"两者应相等，差 {fmt(va - vb, unit)}（{unit}）"
    )
    msg_en = (
        f"{rta.title} {la.row_label} [{la.column}] = {fmt(va, rta.unit)} but "
        f"{rtb.title} {lb.row_label} [{lb.column}] = {fmt(vb, rtb.unit)}"
    )
    operands = (
        Operand("left", va, ha, rta.unit or "元", rta.body[ca[0]][ca[1]] or None, la, coef=1),
        Operand("right", vb, hb, rtb.unit or "元", rtb.body[cb[0]][cb[1]] or None if b_value is None else None, lb, coef=-1),
    )
    ctx.failed(msg, msg_en, [la, lb], expected=fmt(vb, unit), actual=fmt(va, unit), detail=detail, operands=operands)


def _cell(ctx: Context, p: Params) -> None:
    a = _first_resolved(ctx, p.left)
    b = _first_resolved(ctx, p.right)
    if a is None or b is None:
        missing = p.left if a is None else p.right
        ctx.skipped(f"{_zh(missing.table)}中找不到{pattern_words(missing.row or missing.column)}", "cell not found")
        return
    if a[0] is b[0] and a[1] == b[1]:
        ctx.skipped("两个引用指向同一单元格", "both refer to one cell")
        return
    _report(ctx, a, b)


def _coded(rt: RTable, column: str | None, ranks: tuple[int, ...]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for side in rt.sides:
        col = None
        for c in side.value_cols:
            if column is None or re.search(column, rt.columns[c].name):
                col = c
                break
        if col is None:
            continue
        for item in side.items:
            if item.code and item.rank in ranks and item.code not in out:
                out[item.code] = (item.row, col)
    return out


def _keyed_by_function(rt: RTable, coded: dict[str, tuple[int, int]]) -> bool:
    """Whether the table's rows are 功能分类 科目: some coded row carries its code's
    name (unit codes such as 204 西安市科学技术局 look like 类 codes but are not)."""
    labels = {item.row: item.label for side in rt.sides for item in side.items}
    return any(
        _FUNCTION_CODE.match(code) and name_matches(code, labels.get(cell[0], ""))
        for code, cell in coded.items()
    )


def _by_code(ctx: Context, p: Params) -> None:
    rta, rtb = ctx.tables(p.left.table)[0], ctx.tables(p.right.table)[0]
    for rt in (rta, rtb):
        if rt.keyed_by == "unit":  # recognition: its codes are 单位编码, not 科目
            ctx.skipped(
                f"《{rt.title}》按单位或部门列示，没有功能分类科目，无法逐科目对照",
                f"{rt.id} is keyed by unit or department, not by function code",
            )
            return
    a = _coded(rta, p.left.column, p.ranks)
    b = _coded(rtb, p.right.column, p.ranks)
    if not a or not b:
        ctx.skipped("表中没有可对照的科目编码行", "no coded rows to compare")
        return
    for rt, coded in ((rta, a), (rtb, b)):
        if not _keyed_by_function(rt, coded):
            # Keyed by unit or department code (单位编码/部门代码), not by 功能分类.
            ctx.skipped(
                f"《{rt.title}》按单位或部门列示，没有功能分类科目，无法逐科目对照",
                f"{rt.id} is keyed by unit or department, not by function code",
            )
            return
    for code, cell in a.items():
        if code in b:
            _report(ctx, (rta, cell), (rtb, b[code]))
        elif rta.values[cell] != 0:
            loc = cell_location(ctx.facts, rta, *cell)
            ctx.failed(
                f"《{rta.title}》有科目 {code}（{fmt(int(rta.values[cell]), rta.unit)}），《{rtb.title}》中没有该科目",
                f"{code} is in {rta.title} but not in {rtb.title}",
                [loc],
                actual=fmt(int(rta.values[cell]), rta.unit),
            )


def _rows_sum(ctx: Context, p: Params) -> None:
    a = _first_resolved(ctx, p.left)
    if a is None:
        ctx.skipped(f"{_zh(p.left.table)}中找不到{pattern_words(p.left.row)}", "cell not found")
        return
    rtb = ctx.tables(p.right.table)[0]
    hits = [
        (side, item)
        for side, item in find_items(rtb, p.right.row or ".")
        if not p.detail_only or item.rank == 40
    ]
    if not hits:
        ctx.skipped(f"{_zh(p.right.table)}没有{pattern_words(p.right.row)}明细行", "no detail rows")
        return
    cells = []
    for side, item in hits:
        col = next((c for c in side.value_cols if p.right.column is None or re.search(p.right.column, rtb.columns[c].name)), None)
        if col is not None:
            cells.append((item.row, col))
    total = sum(int(rtb.values[c]) for c in cells)
    half = sum(int(rtb.halves[c]) for c in cells)
    _report(ctx, a, (rtb, cells[0]), b_value=(total, half))
