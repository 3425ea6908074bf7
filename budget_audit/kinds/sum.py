"""sum — a total equals the sum of its parts, within a table.

What it checks
    ``mode: rows`` — in every table of the role, for every additive amount column: each
    total row (合计/总计/收入合计…) equals the sum of the top-level rows it closes; each
    parent row equals the sum of its children (类 = Σ 款, 款 = Σ 项, 项 = Σ its economic
    detail rows; 一、 = Σ 1、2、…; an "其中：" line alone is only checked not to exceed
    its parent). ``mode: columns`` — in every row, each header group's total column
    (合计/小计) equals the sum of the group's other columns (合计 = 基本支出 + 项目支出;
    基本支出 = 工资福利支出 + 商品和服务支出 + 对个人和家庭的补助), "其中" columns
    excepted. ``mode: cells`` — an explicit ``total`` cell equals the sum of ``parts``.
Why it matters
    A total that is not the sum of its parts is the most common and most provable
    mistake in a published budget: one of the numbers is wrong.
Rounding
    Cells printed without decimals are exact. When a table prints decimals (e.g. 万元 to
    two places) each cell stands for an interval of half its last digit, and the check
    fails only when the intervals of the total and of the sum cannot meet.
Passing example
    合计 155,403 = 一般公共服务支出 146,174 + 社会保障和就业支出 5,913 + 卫生健康支出 3,316
Failing example
    款 03 政府办公厅（室）及相关机构事务 146,092 ≠ 行政运行 131,065 + 事业运行 15,036 = 146,101
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ..findings import Operand
from ..model import Location
from ..recognise.lexicon import lexicon, pattern_words
from ..recognise.structure import block_ok, block_residuals
from ..recognise.tables import RTable
from .base import CellRef, Context, cell_location, fmt, resolve

KIND = "sum"


@dataclass(frozen=True)
class Params:
    table: str
    mode: Literal["rows", "columns", "cells"] = "rows"
    columns: str | None = None  # regex: only amount columns whose header matches
    detail: bool = True  # rows mode: also 项 = Σ economic detail rows
    total: CellRef | None = None  # cells mode
    parts: tuple[CellRef, ...] = ()

    def __post_init__(self) -> None:
        if self.mode == "cells" and (self.total is None or not self.parts):
            raise ValueError("mode: cells 需要 total 和 parts")


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    tables = ctx.tables(p.table)
    if not tables:
        ctx.skipped(f"文档中没有{_role_zh(p.table)}", f"no {p.table} table in the document")
        return
    for rt in tables:
        if rt.empty:
            ctx.skipped(f"《{rt.title}》无数据", f"table {rt.id} has no data")
            continue
        if p.mode == "rows":
            _rows(ctx, rt, p)
        elif p.mode == "columns":
            _columns(ctx, rt, p)
        else:
            _cells(ctx, rt, p)


def _role_zh(role: str) -> str:
    return f"《{lexicon().role_zh(role)}》"


def _cell_words(ref: CellRef) -> str:
    """A cell reference in words: 行「合计」列「本年收入合计」."""
    row = f"行{pattern_words(ref.row)}" if ref.row else ""
    col = f"列{pattern_words(ref.column)}" if ref.column else ""
    return f" {row}{col}" if row or col else ""


def _compare(
    ctx: Context,
    rt: RTable,
    total: tuple[int, int],
    parts: list[tuple[int, int]],
    what: str,
    what_en: str,
    relation: str = "eq",
) -> None:
    v, h = rt.values, rt.halves
    tr, tc = total
    if rt.merged is not None and rt.merged[tr, tc]:
        return  # the total is printed in a merged cell elsewhere: nothing to compare
    actual = int(v[tr, tc])
    idx_r = np.array([r for r, _ in parts], dtype=np.int64)
    idx_c = np.array([c for _, c in parts], dtype=np.int64)
    expected = int(v[idx_r, idx_c].sum()) if parts else 0
    slack = int(h[tr, tc]) + (int(h[idx_r, idx_c].sum()) if parts else 0)
    diff = actual - expected
    ok = abs(diff) <= slack if relation == "eq" else expected <= actual + slack
    unit = rt.unit
    detail = {"unit": unit or "", "parts": len(parts), "slack": fmt(slack, unit)}
    if ok:
        if ctx.count_pass():
            return
        # Passing comparisons are counted in the ledger; a light location (no row label
        # lookup, no cell box) keeps them cheap — there are thousands per document.
        light = Location(
            file=rt.table.source or ctx.facts.doc.path,
            page=rt.page_of_row(tr),
            table=rt.id,
            table_title=rt.title,
            row=tr + 1,
            column=rt.columns[tc].name,
        )
        ctx.passed(what, what_en, [light], expected=fmt(expected, unit), actual=fmt(actual, unit), detail=detail)
        return
    loc_total = cell_location(ctx.facts, rt, tr, tc)
    part_locs = [cell_location(ctx.facts, rt, r, c) for r, c in parts]
    locs = [loc_total] + part_locs[:20]
    operands = (_operand(rt, "total", total, loc_total, 1),) + tuple(
        _operand(rt, "part", cell, loc, -1) for cell, loc in zip(parts, part_locs, strict=True)
    )
    where = f"《{rt.title}》{loc_total.row_label or ''}「{loc_total.column or ''}」"
    if relation == "eq":
        msg = f"{where}为 {fmt(actual, unit)}，{what}应为 {fmt(expected, unit)}，差 {fmt(diff, unit)}（单位：{unit or '未知'}）"
        msg_en = f"{rt.title} {loc_total.row_label} [{loc_total.column}] is {fmt(actual, unit)}; {what_en} gives {fmt(expected, unit)} (diff {fmt(diff, unit)})"
    else:
        msg = f"{where}为 {fmt(actual, unit)}，小于其中项 {fmt(expected, unit)}（单位：{unit or '未知'}）"
        msg_en = f"{rt.title} {loc_total.row_label} is {fmt(actual, unit)}, less than its of-which line {fmt(expected, unit)}"
    if slack:
        msg += f"；已按打印精度允许 ±{fmt(slack, unit)}"
    severity = None
    step = 2 * int(h[tr, tc])
    if relation == "eq" and step and abs(diff) - slack <= step:
        # Beyond what rounding allows by less than one printed unit (0.02 where 0.015 is
        # allowed): a tail difference from converting units, still not the table's sum.
        severity = "warning"
        detail["tail_difference"] = "true"
        msg += "；超出部分不足末位一个单位，可能是单位换算或舍入造成的尾差"
        msg_en += " (less than one printed unit beyond rounding: a tail difference)"
    ctx.failed(
        msg, msg_en, locs, expected=fmt(expected, unit), actual=fmt(actual, unit), detail=detail,
        operands=operands, severity=severity,
    )


def _operand(rt: RTable, role: str, cell: tuple[int, int], loc: Location, coef: int) -> Operand:
    r, c = cell
    text = rt.body[r][c] if rt.present[r, c] else None
    return Operand(role, int(rt.values[r, c]), int(rt.halves[r, c]), rt.unit or "元", text, loc, coef)


# The identities are recognition's (``RTable.structure.blocks``, see
# ``recognise/structure.py``): this kind only evaluates them. Thousands per document:
# each block (one total against the same parts in every column, or in every row) is
# computed at once; only failures — and passes when they are kept — go through
# ``_compare`` one by one to build their findings.


def _blocks(ctx: Context, rt: RTable, p: Params, axis: str) -> None:
    st = rt.structure
    if st is None:
        return
    if not st.understood_on(axis):
        ctx.skipped(f"《{rt.title}》{st.reason}", f"{rt.id}: {st.reason_en}")
        return
    rx = re.compile(p.columns) if p.columns else None
    for b in st.blocks:
        if b.axis != axis or (not p.detail and b.level == "detail"):
            continue
        if rx is not None:
            name = rt.columns[b.anchor].name if axis == "columns" else None
            if name is not None and not rx.search(name):
                continue
            if axis == "rows":
                span = tuple(c for c in b.span if rx.search(rt.columns[c].name))
                if not span:
                    continue
                b = replace(b, span=span)
        what, what_en = _WHAT[b.level]
        diff, slack, live = block_residuals(rt.values, rt.halves, rt.merged, b)
        ok = block_ok(diff, slack, b.relation)
        if ctx.count_pass(int((ok & live).sum())):
            todo = np.flatnonzero(live & ~ok)
        else:
            todo = np.flatnonzero(live)
        for k in todo:
            total, parts = b.cells(int(k))
            _compare(ctx, rt, total, parts, what, what_en, b.relation)


_WHAT = {
    "total": ("各分项之和", "the sum of its items"),
    "parent": ("下级科目之和", "the sum of its children"),
    "detail": ("下级科目之和", "the sum of its children"),
    "of_which": ("其中项", "its of-which line"),
    "group": ("同行各列之和", "the sum of the row's columns"),
}


def _rows(ctx: Context, rt: RTable, p: Params) -> None:
    _blocks(ctx, rt, p, "rows")


def _columns(ctx: Context, rt: RTable, p: Params) -> None:
    if any(not rt.columns[c].path for side in rt.sides for c in side.value_cols) and not any(
        b.axis == "columns" for b in (rt.structure.blocks if rt.structure else [])
    ):
        ctx.skipped(f"《{rt.title}》有无法识别的表头，未核对列合计", f"{rt.id}: unreadable header")
        return
    _blocks(ctx, rt, p, "columns")


def _cells(ctx: Context, rt: RTable, p: Params) -> None:
    assert p.total is not None
    total = resolve(rt, p.total)
    if total is None:
        ctx.skipped(f"《{rt.title}》中找不到合计单元格{_cell_words(p.total)}")
        return
    parts = []
    for ref in p.parts:
        tables = ctx.tables(ref.table)
        hit = resolve(tables[0], ref) if tables and tables[0] is rt else resolve(rt, ref)
        if hit is not None:
            parts.append(hit)
        elif not ref.optional:
            ctx.skipped(f"《{rt.title}》中找不到分项单元格{_cell_words(ref)}")
            return
    if not parts:
        ctx.skipped(f"《{rt.title}》中找不到分项单元格")
        return
    _compare(ctx, rt, total, parts, "所列各项之和", "the sum of the listed cells")
