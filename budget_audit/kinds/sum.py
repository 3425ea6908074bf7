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
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..model import Location
from ..recognise.lexicon import lexicon
from ..recognise.tables import Item, RTable, Side
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
    locs = [loc_total] + [cell_location(ctx.facts, rt, r, c) for r, c in parts[:20]]
    where = f"《{rt.title}》{loc_total.row_label or ''}「{loc_total.column or ''}」"
    if relation == "eq":
        msg = f"{where}为 {fmt(actual, unit)}，{what}应为 {fmt(expected, unit)}，差 {fmt(diff, unit)}（单位：{unit or '未知'}）"
        msg_en = f"{rt.title} {loc_total.row_label} [{loc_total.column}] is {fmt(actual, unit)}; {what_en} gives {fmt(expected, unit)} (diff {fmt(diff, unit)})"
    else:
        msg = f"{where}为 {fmt(actual, unit)}，小于其中项 {fmt(expected, unit)}（单位：{unit or '未知'}）"
        msg_en = f"{rt.title} {loc_total.row_label} is {fmt(actual, unit)}, less than its of-which line {fmt(expected, unit)}"
    if slack:
        msg += f"；已按打印精度允许 ±{fmt(slack, unit)}"
    ctx.failed(msg, msg_en, locs, expected=fmt(expected, unit), actual=fmt(actual, unit), detail=detail)


# Thousands of comparisons per document: each block of them (one total row against the
# same part rows in every column, or one total column against the same part columns in
# every row) is computed at once; only failures — and passes when they are kept — go
# through ``_compare`` one by one to build their findings.


def _across_columns(ctx: Context, rt: RTable, total_row: int, part_rows: list[int], cols: list[int], what: str, what_en: str) -> None:
    c = np.asarray(cols, dtype=np.int64)
    r = np.asarray(part_rows, dtype=np.int64)
    v, h = rt.values, rt.halves
    diff = v[total_row, c] - v[np.ix_(r, c)].sum(axis=0)
    slack = h[total_row, c] + h[np.ix_(r, c)].sum(axis=0)
    live = ~rt.merged[total_row, c] if rt.merged is not None else np.ones(len(c), dtype=bool)
    _settle(ctx, rt, np.abs(diff) <= slack, live, lambda i: ((total_row, cols[i]), [(pr, cols[i]) for pr in part_rows]), what, what_en)


def _across_rows(ctx: Context, rt: RTable, rows: np.ndarray, total_col: int, part_cols: list[int], what: str, what_en: str) -> None:
    if not len(rows):
        return
    c = np.asarray(part_cols, dtype=np.int64)
    v, h = rt.values, rt.halves
    diff = v[rows, total_col] - v[np.ix_(rows, c)].sum(axis=1)
    slack = h[rows, total_col] + h[np.ix_(rows, c)].sum(axis=1)
    live = ~rt.merged[rows, total_col] if rt.merged is not None else np.ones(len(rows), dtype=bool)
    _settle(
        ctx, rt, np.abs(diff) <= slack, live,
        lambda i: ((int(rows[i]), total_col), [(int(rows[i]), pc) for pc in part_cols]), what, what_en,
    )


def _settle(ctx: Context, rt: RTable, ok: np.ndarray, live: np.ndarray, cells, what: str, what_en: str) -> None:  # noqa: ANN001
    if ctx.count_pass(int((ok & live).sum())):
        todo = np.flatnonzero(live & ~ok)
    else:
        todo = np.flatnonzero(live)
    for i in todo:
        total, parts = cells(int(i))
        _compare(ctx, rt, total, parts, what, what_en)


def _value_cols(rt: RTable, side: Side, p: Params) -> list[int]:
    cols = [c for c in side.value_cols if rt.columns[c].additive]
    if p.columns:
        rx = re.compile(p.columns)
        cols = [c for c in cols if rx.search(rt.columns[c].name)]
    return cols


def _rows(ctx: Context, rt: RTable, p: Params) -> None:
    for side in rt.sides:
        cols = _value_cols(rt, side, p)
        if not cols:
            continue
        items = side.items
        # Totals: each closes the top-level rows since the previous total (or, for a
        # total printed first, the rows up to the next total).
        total_idx = [k for k, it in enumerate(items) if it.total]
        leading = False  # once a total heads its rows, the later ones do too
        for n, k in enumerate(total_idx):
            prev = total_idx[n - 1] if n else -1
            scope = [] if leading else [j for j in range(prev + 1, k) if _top(items[j])]
            if prev >= 0 and scope:
                scope = [prev] + scope
            if not scope and (k == prev + 1 or leading):
                leading = leading or n > 0
                nxt = total_idx[n + 1] if n + 1 < len(total_idx) else len(items)
                scope = [j for j in range(k + 1, nxt) if _top(items[j])]
                if n + 1 < len(total_idx) and items[nxt].label == items[k].label:
                    scope = []
            if not scope:
                continue
            _across_columns(ctx, rt, items[k].row, [items[j].row for j in scope], cols, "各分项之和", "the sum of its items")
        for item in items:
            if item.total or not item.children:
                continue
            kids = [items[j] for j in item.children]
            if not p.detail and all(kid.rank == 40 for kid in kids):
                continue
            summed = [kid for kid in kids if not (kid.of_which and not kid.enumerated)]
            if summed:
                what = "下级科目之和" if item.code else "所属各项之和"
                _across_columns(ctx, rt, item.row, [kid.row for kid in summed], cols, what, "the sum of its children")
            else:
                for c in cols:
                    for kid in kids:
                        _compare(ctx, rt, (item.row, c), [(kid.row, c)], "其中项", "its of-which line", "ge")


def _top(item: Item) -> bool:
    return item.parent is None and not item.total and not (item.of_which and not item.enumerated)


def _columns(ctx: Context, rt: RTable, p: Params) -> None:
    lex = lexicon()
    for side in rt.sides:
        cols = _value_cols(rt, side, p)
        if len(cols) < 2:
            continue
        if any(not rt.columns[c].path for c in side.value_cols):
            ctx.skipped(f"《{rt.title}》有无法识别的表头，未核对列合计", f"{rt.id}: unreadable header")
            continue
        paths = {c: rt.columns[c].path for c in cols}
        groups: dict[tuple[str, ...], list[int]] = {}
        for c, path in paths.items():
            for depth in range(len(path)):
                groups.setdefault(path[:depth], []).append(c)
        for prefix, members in groups.items():
            depth = len(prefix)
            totals = [c for c in members if len(paths[c]) == depth + 1 and lex.total_columns.match(paths[c][-1])]
            if len(totals) != 1:
                continue
            total = totals[0]
            parts = _group_parts(prefix, members, paths, total, lex)
            if not parts:
                continue
            involved = [total] + parts
            rows = np.flatnonzero(rt.present[:, involved].any(axis=1))
            _across_rows(ctx, rt, rows, total, parts, "同行各列之和", "the sum of the row's columns")


def _group_parts(
    prefix: tuple[str, ...], members: list[int], paths: dict[int, tuple[str, ...]], total: int, lex
) -> list[int]:  # noqa: ANN001
    """Columns whose sum the group's total column should equal: one per child node."""
    depth = len(prefix)
    children: dict[str, list[int]] = {}
    for c in members:
        if c == total:
            continue
        children.setdefault(paths[c][depth], []).append(c)
    parts: list[int] = []
    for label, cols in children.items():
        if lex.of_which.match(label):
            continue
        if len(cols) == 1 and len(paths[cols[0]]) == depth + 1:
            parts.append(cols[0])
            continue
        # A sub-group stands for its own total column, else for all its leaves.
        sub = [c for c in cols if len(paths[c]) == depth + 2 and lex.total_columns.match(paths[c][-1])]
        if len(sub) == 1:
            parts.append(sub[0])
        else:
            leaves = [c for c in cols if not any(lex.of_which.match(x) for x in paths[c][depth:])]
            if not leaves:
                return []
            parts.extend(leaves)
    return parts


def _cells(ctx: Context, rt: RTable, p: Params) -> None:
    assert p.total is not None
    total = resolve(rt, p.total)
    if total is None:
        ctx.skipped(f"《{rt.title}》中找不到合计单元格 {p.total.row or ''}{p.total.column or ''}")
        return
    parts = []
    for ref in p.parts:
        tables = ctx.tables(ref.table)
        hit = resolve(tables[0], ref) if tables and tables[0] is rt else resolve(rt, ref)
        if hit is not None:
            parts.append(hit)
        elif not ref.optional:
            ctx.skipped(f"《{rt.title}》中找不到分项单元格 {ref.row or ''}{ref.column or ''}")
            return
    if not parts:
        ctx.skipped(f"《{rt.title}》中找不到分项单元格")
        return
    _compare(ctx, rt, total, parts, "所列各项之和", "the sum of the listed cells")
