"""Table structure from the table's own arithmetic.

A recognised table implies identities: each total row is the sum of the rows it closes,
each parent row the sum of its children (类 = Σ 款, 款 = Σ 项, 一、= Σ 1、2、…), each
header group's total column the sum of the group's other columns. This module owns
them: it derives them as :class:`Block` s (one total against the same parts in every
column, or in every row), and decides which *reading* of the table they come from.

Readings. The rows of a side get a hierarchy from several signals — printed codes,
numbering (一、/（一）/1./(1)), the national classification names (a row named 行政运行
is a 项) — and, independently, from the numbers themselves (a row followed by rows that
add up to it is their parent). Where the signals leave more than one reading, the one
under which the table's identities hold is taken: structure is inferred from the
arithmetic, not forced on it.

Small edits. Real published tables hold almost all their identities; a misprint
touches one or two cells. When some identities still fail under the chosen reading,
:func:`explain` looks for the fewest cells (one or two) whose change makes every
identity of the table hold — failing and passing alike — or for one row that the
total left out or counted twice. When such an edit exists, the failures are the
document's (they become findings); when none does, the reading is wrong, not the
document: the table is marked *not understood* (``Structure.status``) with the reason,
and no error is reported for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from ..money import UNIT_LI, parse_number, slip_between
from .lexicon import economic_names_by_level, function_names_by_level, lexicon

# ---------------------------------------------------------------------------
# Identities


@dataclass(frozen=True, slots=True)
class Block:
    """Identities of one shape: ``anchor`` = Σ ``parts`` along ``axis``, once for each
    element of ``span``.

    ``axis == "rows"``: row ``anchor`` equals the sum of rows ``parts`` in each column
    of ``span``. ``axis == "columns"``: column ``anchor`` equals the sum of columns
    ``parts`` in each row of ``span``. ``relation == "ge"``: the anchor is at least the
    part (an "其中" line under its parent).
    """

    axis: str
    side: int
    anchor: int
    parts: tuple[int, ...]
    span: tuple[int, ...]
    relation: str = "eq"
    level: str = "total"  # total | parent | detail | of_which | group

    def cells(self, k: int) -> tuple[tuple[int, int], list[tuple[int, int]]]:
        """The total cell and the part cells of the k-th identity of the block."""
        s = self.span[k]
        if self.axis == "rows":
            return (self.anchor, s), [(p, s) for p in self.parts]
        return (s, self.anchor), [(s, p) for p in self.parts]

    def contains(self, cell: tuple[int, int]) -> int | None:
        """Index into ``span`` of the identity that holds ``cell``, if any."""
        r, c = cell
        line, cross = (r, c) if self.axis == "rows" else (c, r)
        if line != self.anchor and line not in self.parts:
            return None
        try:
            return self.span.index(cross)
        except ValueError:
            return None

    def coef(self, cell: tuple[int, int]) -> int:
        line = cell[0] if self.axis == "rows" else cell[1]
        return 1 if line == self.anchor else -1


def block_residuals(values: np.ndarray, halves: np.ndarray, merged: np.ndarray | None, b: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(total − Σ parts, slack, live) for each identity of ``b``; an identity whose
    total is covered by a merged cell is not live (nothing printed to compare)."""
    span = np.asarray(b.span, dtype=np.int64)
    parts = np.asarray(b.parts, dtype=np.int64)
    if b.axis == "rows":
        diff = values[b.anchor, span] - values[np.ix_(parts, span)].sum(axis=0)
        slack = halves[b.anchor, span] + halves[np.ix_(parts, span)].sum(axis=0)
        live = ~merged[b.anchor, span] if merged is not None else np.ones(len(span), dtype=bool)
    else:
        diff = values[span, b.anchor] - values[np.ix_(span, parts)].sum(axis=1)
        slack = halves[span, b.anchor] + halves[np.ix_(span, parts)].sum(axis=1)
        live = ~merged[span, b.anchor] if merged is not None else np.ones(len(span), dtype=bool)
    return diff, slack, live


def block_ok(diff: np.ndarray, slack: np.ndarray, relation: str) -> np.ndarray:
    return np.abs(diff) <= slack if relation == "eq" else diff >= -slack


# ---------------------------------------------------------------------------
# What recognition records


@dataclass(frozen=True, slots=True)
class Edit:
    """A cell whose value, changed by ``delta`` (厘), makes the identities hold."""

    cell: tuple[int, int]
    delta: int


@dataclass(frozen=True, slots=True)
class Explanation:
    """The small edit that explains every failing identity of a table.

    ``kind``: ``cells`` (one or two cells misprinted), ``row_value`` (one number
    misprinted in row ``row``, repeated in the columns that print it: 合计, 小计 and
    一般公共预算 of a row funded from one source carry the same figure), ``row_omitted``
    (a total left out row ``row``: it is short of it in every column), ``row_extra`` (a
    total counts row ``row`` that it should not, or counts it twice), ``row_missing``
    (total row ``row`` exceeds its printed rows by amounts that no printed row carries
    but that a row of their own would: one missing row; no cell is named).
    """

    kind: str
    edits: tuple[Edit, ...]
    identities: int
    row: int | None = None
    alternatives: int = 1  # equally small edits found (2: more than one)


@dataclass
class Structure:
    blocks: list[Block] = field(default_factory=list)
    status: str = "ok"  # ok | rows_not_understood | not_understood
    reason: str = ""
    reason_en: str = ""
    readings: dict[int, str] = field(default_factory=dict)  # side -> reading taken
    failing: int = 0
    passing: int = 0
    explanations: list[Explanation] = field(default_factory=list)  # one per misprint

    @property
    def understood(self) -> bool:
        return self.status == "ok"

    def understood_on(self, axis: str) -> bool:
        """Whether the identities along ``axis`` ("rows" or "columns") can be trusted."""
        return self.status == "ok" or (self.status == "rows_not_understood" and axis == "columns")

    @property
    def explanation(self) -> Explanation | None:
        """The first misprint's explanation (most tables have at most one)."""
        return self.explanations[0] if self.explanations else None


# ---------------------------------------------------------------------------
# Row identities from a hierarchy


def _top(items, parents: list[int | None], k: int) -> bool:  # noqa: ANN001
    it = items[k]
    return parents[k] is None and not it.total and not (it.of_which and not it.enumerated)


def row_blocks(side_idx: int, items, parents: list[int | None], cols: list[int]) -> list[Block]:  # noqa: ANN001
    """The row identities a hierarchy (``parents``, an index into ``items`` per item)
    implies on ``cols``: totals over the top-level rows they close, parents over their
    children, "其中" lines not above their parent."""
    if not cols:
        return []
    span = tuple(cols)
    out: list[Block] = []
    total_idx = [k for k, it in enumerate(items) if it.total]
    leading = False  # once a total heads its rows, the later ones do too
    for n, k in enumerate(total_idx):
        prev = total_idx[n - 1] if n else -1
        scope = [] if leading else [j for j in range(prev + 1, k) if _top(items, parents, j)]
        if prev >= 0 and scope:
            scope = [prev] + scope
        if not scope and (k == prev + 1 or leading):
            leading = leading or n > 0
            nxt = total_idx[n + 1] if n + 1 < len(total_idx) else len(items)
            scope = [j for j in range(k + 1, nxt) if _top(items, parents, j)]
            if n + 1 < len(total_idx) and items[nxt].label == items[k].label:
                scope = []
        if scope:
            out.append(Block("rows", side_idx, items[k].row, tuple(items[j].row for j in scope), span))
    children: dict[int, list[int]] = {}
    for k, p in enumerate(parents):
        if p is not None:
            children.setdefault(p, []).append(k)
    for k, kids in sorted(children.items()):
        if items[k].total:
            continue
        summed = [j for j in kids if not (items[j].of_which and not items[j].enumerated)]
        if summed:
            level = "detail" if all(items[j].rank == 40 for j in summed) else "parent"
            out.append(Block("rows", side_idx, items[k].row, tuple(items[j].row for j in summed), span, level=level))
        else:
            for j in kids:
                out.append(Block("rows", side_idx, items[k].row, (items[j].row,), span, "ge", "of_which"))
    return out


def parents_from_ranks(items, ranks: list[int]) -> list[int | None]:  # noqa: ANN001
    """Parent = nearest preceding non-total item of lower rank, within a total block."""
    parents: list[int | None] = [None] * len(items)
    stack: list[int] = []
    for idx, item in enumerate(items):
        if item.total:
            stack = []
            continue
        while stack and ranks[stack[-1]] >= ranks[idx]:
            stack.pop()
        if stack:
            parents[idx] = stack[-1]
        stack.append(idx)
    return parents


# ---------------------------------------------------------------------------
# Readings of a side's hierarchy


def name_ranks(items, ranks: list[int]) -> list[int] | None:  # noqa: ANN001
    """Ranks from the national classification names, for rows printed without a code:
    a row named like a 款 (审计事务) is a 款, one named like a 项 (行政运行) a 项; 经济分类
    names give 类/款 of their own system (below the 功能分类 rows when both appear)."""
    func = function_names_by_level()
    econ = economic_names_by_level()
    levels: list[tuple[str, int] | None] = []
    for it in items:
        if it.code or it.total or it.of_which:
            levels.append(None)
            continue
        label = it.label
        if label in func["项"] and label not in func["款"] and label not in func["类"]:
            levels.append(("f", 30))
        elif label in func["款"] and label not in func["类"]:
            levels.append(("f", 20))
        elif label in func["类"]:
            levels.append(("f", 10))
        elif label in econ["类"]:
            levels.append(("e", 0))
        elif label in econ["款"]:
            levels.append(("e", 5))
        else:
            levels.append(None)
    if not any(lv is not None for lv in levels):
        return None
    has_func = any(lv is not None and lv[0] == "f" for lv in levels) or any(it.code for it in items)
    out = list(ranks)
    for k, lv in enumerate(levels):
        if lv is None:
            continue
        kind, rank = lv
        out[k] = rank if kind == "f" else (40 + rank if has_func else 10 + 2 * rank)
    return out if out != ranks else None


def numbering_allows(items, child: int, parent: int) -> bool:  # noqa: ANN001
    """Numbered rows keep their numbering's levels: "二、" never sits under "一、" of the
    same style — unless the numbering starts again below the parent ("一、本年支出" over
    "一、一般公共服务支出 / 二、…": the first row of that style after it is numbered 1)."""
    ea, eb = items[child], items[parent]
    if not (ea.enumerated and eb.enumerated) or ea.rank > eb.rank:
        return True
    if ea.rank < eb.rank:
        return False
    restart = next((it for it in items[parent + 1 : child + 1] if it.enumerated and it.rank == eb.rank), None)
    return restart is not None and restart.enum_no == 1


class _Budget(Exception):
    pass


def arithmetic_parents(
    items,  # noqa: ANN001
    values: np.ndarray,
    halves: np.ndarray,
    rows_of: list[int],
    code_of: list[str | None],
    steps: int = 200_000,
) -> list[int | None] | None:
    """A hierarchy under which every parent is the sum of its children and each total
    the sum of the rows it closes, found from the numbers alone (``values``: one row
    per item, the side's additive columns). Rows with printed codes keep their codes'
    nesting (a code sits under a code it extends, or under a grouping row of its own
    code); numbered rows keep their numbering's levels. None when no such hierarchy
    exists (or the search runs out of ``steps``).

    Depth-first over positions, parent readings first: ``trees(i)`` are the ends of
    the subtrees that can be rooted at row i (a parent whose following rows add up to
    it, else a leaf); ``forest(j, target)`` the first few ends e such that rows j..e-1
    are trees whose roots add up to ``target``. Both are memoised; sums are Python
    integers (a row of a few columns is cheaper so than as an array).
    """
    n = len(items)
    if n == 0 or values.shape[1] == 0:
        return None
    vals = [tuple(int(x) for x in row) for row in values]
    hals = [tuple(int(x) for x in row) for row in halves]
    width = values.shape[1]
    zero = (0,) * width
    nonneg = all(x >= 0 for row in vals for x in row)
    summed = [not it.total and not (it.of_which and not it.enumerated) for it in items]
    budget = [steps]
    local_steps = 4000  # one parent's search: beyond it, the rows do not add up to it

    def may_nest(child: int, parent: int | None) -> bool:
        return parent is None or _may_nest(items, code_of, child, parent)

    def constraint(parent: int | None) -> tuple:
        if parent is None:
            return ()
        it = items[parent]
        return (code_of[parent], it.rank if it.enumerated else None)

    def skip(j: int, end: int) -> int:
        # "其中" lines belong to the row above them and are not summed.
        while j < end and not summed[j]:
            j += 1
        return j

    tree_memo: dict[int, dict[int, tuple[int, ...] | None]] = {}
    forest_memo: dict[tuple, dict[int, tuple[int, ...]]] = {}

    def trees(i: int, end: int) -> dict[int, tuple[int, ...] | None]:
        """Subtree ends for root i -> the roots of its children (None: a leaf)."""
        got = tree_memo.get(i)
        if got is not None:
            return got
        out: dict[int, tuple[int, ...] | None] = {}
        if any(vals[i]) and i + 1 < end:
            for e, roots in forest(skip(i + 1, end), end, vals[i], hals[i], i).items():
                out.setdefault(e, roots)
        out.setdefault(skip(i + 1, end), None)
        tree_memo[i] = out
        return out

    def forest(j: int, end: int, target: tuple[int, ...] | None, slack: tuple[int, ...], parent: int | None) -> dict[int, tuple[int, ...]]:
        key = (j, target, constraint(parent), parent is None)
        got = forest_memo.get(key)
        if got is not None:
            return got
        out: dict[int, tuple[int, ...]] = {}
        stack: list[tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = [(j, zero, zero, ())]
        seen: set[tuple[int, tuple[int, ...]]] = set()
        local = local_steps
        while stack and local > 0:
            budget[0] -= 1
            local -= 1
            if budget[0] < 0:
                raise _Budget
            pos, acc, acc_slack, roots = stack.pop()
            if roots and (
                (target is None and pos >= end)
                or (target is not None and all(abs(t - a) <= s + h for t, a, s, h in zip(target, acc, slack, acc_slack, strict=True)))
            ):
                out.setdefault(pos, roots)
                # The first reading that adds up is taken; rows of zero right after it
                # may still belong to it (they add nothing either way).
                k, tail = pos, roots
                while k < end and summed[k] and not any(vals[k]) and may_nest(k, parent):
                    tail = tail + (k,)
                    k = skip(k + 1, end)
                    out.setdefault(k, tail)
                break
            if pos >= end or not may_nest(pos, parent):
                continue
            if target is not None:
                new_acc = tuple(a + v for a, v in zip(acc, vals[pos], strict=True))
                new_slack = tuple(a + h for a, h in zip(acc_slack, hals[pos], strict=True))
                if nonneg and any(a > t + s + h for a, t, s, h in zip(new_acc, target, slack, new_slack, strict=True)):
                    continue
            else:
                # Without a target only the positions matter: sums are not kept.
                new_acc, new_slack = acc, acc_slack
            mark = (pos, new_acc)
            if mark in seen:
                continue
            seen.add(mark)
            # Pushed in order so that the longest subtree (a parent reading) pops first.
            for e in sorted(trees(pos, end)):
                stack.append((e, new_acc, new_slack, roots + (pos,)))
        forest_memo[key] = out
        return out

    parents: list[int | None] = [None] * n

    def assign(roots: tuple[int, ...], stop: int, parent: int | None) -> None:
        bounds = list(roots[1:]) + [stop]
        for r, e in zip(roots, bounds, strict=True):
            parents[r] = parent
            kids = trees(r, seg_end)[e]
            if kids is not None:
                assign(kids, e, r)

    try:
        start = 0
        while start < n:
            if items[start].total:
                start += 1
                continue
            stop = start
            while stop < n and not items[stop].total:
                stop += 1
            seg_end = stop
            tree_memo.clear()
            forest_memo.clear()
            after = stop if stop < n else None
            before = start - 1 if start > 0 else None
            targets: list[tuple[tuple[int, ...] | None, tuple[int, ...]]] = []
            if after is not None:
                targets.append((vals[after], hals[after]))
                if before is not None:
                    diff = tuple(a - b for a, b in zip(vals[after], vals[before], strict=True))
                    both = tuple(a + b for a, b in zip(hals[after], hals[before], strict=True))
                    targets.append((diff, both))
            if before is not None:
                targets.append((vals[before], hals[before]))
            targets = [(t, h) for t, h in targets if t is not None and any(t)]
            targets.append((None, zero))
            first = skip(start, stop)
            for target, slack in targets:
                ends = forest(first, stop, target, slack, None)
                if stop in ends:
                    assign(ends[stop], stop, None)
                    break
            start = stop
    except _Budget:
        return None
    _of_which_under_the_row_above(items, summed, parents)
    return parents


def _may_nest(items, code_of: list[str | None], child: int, parent: int) -> bool:  # noqa: ANN001
    """Whether ``child`` may sit under ``parent``: their numbering allows it, and a
    printed code sits only under a code it extends."""
    if not numbering_allows(items, child, parent):
        return False
    a, b = code_of[child], code_of[parent]
    return not (a and b) or a.startswith(b)


def _of_which_under_the_row_above(items, summed: list[bool], parents: list[int | None]) -> None:  # noqa: ANN001
    """"其中" lines (not summed) belong to the summed row above them."""
    for k in range(len(items)):
        if not summed[k] and not items[k].total and k > 0:
            p = k - 1
            while p > 0 and not summed[p] and not items[p].total:
                p -= 1
            parents[k] = p if not items[p].total else None


def bottom_up_parents(
    items,  # noqa: ANN001
    values: np.ndarray,
    halves: np.ndarray,
    code_of: list[str | None],
) -> list[int | None]:
    """A hierarchy read bottom-up: going from the last row to the first, a row whose
    value is the sum of the subtrees right below it (the fewest that add up to it) is
    their parent, else a leaf. Equal chains resolve from the bottom (案件质量管理 200
    over 宣传片 100 over 宣传片 100: the second 宣传片 is under the first, not both under
    案件质量管理), and no search is needed: linear in the rows times the depth."""
    n = len(items)
    vals = [tuple(int(x) for x in row) for row in values]
    hals = [tuple(int(x) for x in row) for row in halves]
    width = values.shape[1] if n else 0
    nonneg = all(x >= 0 for row in vals for x in row)
    summed = [not it.total and not (it.of_which and not it.enumerated) for it in items]
    parents: list[int | None] = [None] * n

    def may_nest(child: int, parent: int) -> bool:
        return _may_nest(items, code_of, child, parent)

    stack: list[int] = []  # roots of the subtrees below, nearest last
    for r in range(n - 1, -1, -1):
        it = items[r]
        if it.total:
            stack = []  # a total closes a block: nothing nests across it
            continue
        if not summed[r]:
            continue
        v = vals[r]
        if any(v):
            acc = [0] * width
            acc_s = [0] * width
            take = 0
            for k in range(1, len(stack) + 1):
                child = stack[-k]
                if not may_nest(child, r):
                    break
                acc = [a + x for a, x in zip(acc, vals[child], strict=True)]
                acc_s = [a + h for a, h in zip(acc_s, hals[child], strict=True)]
                if nonneg and any(a > t + s + h for a, t, s, h in zip(acc, v, hals[r], acc_s, strict=True)):
                    break
                if all(abs(t - a) <= s + h for a, t, s, h in zip(acc, v, hals[r], acc_s, strict=True)):
                    take = k
                    break
            for _ in range(take):
                parents[stack.pop()] = r
        stack.append(r)
    _of_which_under_the_row_above(items, summed, parents)
    return parents


# ---------------------------------------------------------------------------
# Column identities from the header tree


def column_blocks(rt, side_idx: int, cols: list[int]) -> list[Block]:  # noqa: ANN001
    """For each header group with one total column (合计/小计/总计…): the total equals
    the sum of the group's other columns — one per child node; a sub-group stands for
    its own total column, else for all its leaves. Which columns those are is read from
    the header tree and confirmed by the numbers: "其中" columns are left out unless the
    total is their sum ("小计 | 其中：基本支出 | 项目支出" prints 小计 = 基本支出 + 项目支出),
    and a group whose total is not the sum of its parts in most rows is no total at
    all (a band of memo columns, a misread header): it implies nothing."""
    lex = lexicon()
    if len(cols) < 2 or any(not rt.columns[c].path for c in cols):
        return []
    paths = {c: rt.columns[c].path for c in cols}
    groups: dict[tuple[str, ...], list[int]] = {}
    for c, path in paths.items():
        for depth in range(len(path)):
            groups.setdefault(path[:depth], []).append(c)
    out: list[Block] = []
    for prefix, members in groups.items():
        depth = len(prefix)
        totals = [c for c in members if len(paths[c]) == depth + 1 and lex.total_columns.match(paths[c][-1])]
        if len(totals) != 1:
            continue
        total = totals[0]
        best: tuple[tuple[int, int], Block] | None = None
        for with_of_which in (False, True):
            parts = _group_parts(prefix, members, paths, total, with_of_which)
            if not parts or (best is not None and tuple(parts) == best[1].parts):
                continue
            involved = [total] + parts
            rows = np.flatnonzero(rt.present[:, involved].any(axis=1))
            if not len(rows):
                continue
            block = Block("columns", side_idx, total, tuple(parts), tuple(int(r) for r in rows), level="group")
            diff, slack, live = block_residuals(rt.values, rt.halves, rt.merged, block)
            fails = int((live & ~block_ok(diff, slack, "eq")).sum())
            if (with_of_which or len(parts) == 1) and fails:
                # "其中" columns count as parts only when the total is exactly their
                # sum with their siblings in every row; a total of one column only
                # when the two are equal in every row (合计 | 一般公共预算 prints one
                # source of several).
                continue
            if with_of_which and len(parts) < 2:
                continue
            score = (fails, -len(parts))
            if best is None or score < best[0]:
                best = (score, block)
        if best is None:
            continue
        (fails, _), block = best
        if fails > 2 and 3 * fails > len(block.span):
            continue  # not a sum in many rows: no total relation after all
        out.append(block)
    return out


def _group_parts(
    prefix: tuple[str, ...], members: list[int], paths: dict[int, tuple[str, ...]], total: int, of_which: bool = False
) -> list[int]:
    lex = lexicon()
    depth = len(prefix)
    children: dict[str, list[int]] = {}
    for c in members:
        if c == total:
            continue
        children.setdefault(paths[c][depth], []).append(c)
    parts: list[int] = []
    for label, cols in children.items():
        if lex.of_which.match(label) and not of_which:
            continue
        if len(cols) == 1 and len(paths[cols[0]]) == depth + 1:
            parts.append(cols[0])
            continue
        sub = [c for c in cols if len(paths[c]) == depth + 2 and lex.total_columns.match(paths[c][-1])]
        if len(sub) == 1:
            parts.append(sub[0])
        else:
            leaves = [c for c in cols if of_which or not any(lex.of_which.match(x) for x in paths[c][depth:])]
            if not leaves:
                return []
            parts.extend(leaves)
    return parts


# ---------------------------------------------------------------------------
# Choosing a reading and judging the table


def _tally(rt, blocks: list[Block]) -> tuple[int, int]:  # noqa: ANN001
    """(failing identities, passing identities whose total is not zero)."""
    fails = passes = 0
    for b in blocks:
        diff, slack, live = block_residuals(rt.values, rt.halves, rt.merged, b)
        ok = block_ok(diff, slack, b.relation)
        fails += int((live & ~ok).sum())
        if b.axis == "rows":
            nonzero = rt.values[b.anchor, np.asarray(b.span)] != 0
        else:
            nonzero = rt.values[np.asarray(b.span), b.anchor] != 0
        passes += int((live & ok & nonzero).sum())
    return fails, passes


def additive_cols(rt, side) -> list[int]:  # noqa: ANN001
    return [c for c in side.value_cols if rt.columns[c].additive]


def choose_readings(rt) -> tuple[list[Block], dict[int, str]]:  # noqa: ANN001
    """Row blocks of every side under the reading whose identities hold best, and the
    name of each side's reading."""
    blocks: list[Block] = []
    taken: dict[int, str] = {}
    for s, side in enumerate(rt.sides):
        cols = additive_cols(rt, side)
        items = side.items
        signal_ranks = [it.rank for it in items]
        base = [it.parent for it in items]
        candidates: list[tuple[str, list[int | None]]] = [("signals", base)]
        named = name_ranks(items, signal_ranks)
        if named is not None:
            candidates.append(("names", parents_from_ranks(items, named)))
        grouped = grouped_parents(items, base)
        if grouped != base:
            candidates.append(("groups", grouped))
        if cols and items:
            vals = rt.values[np.ix_([it.row for it in items], cols)]
            halves = rt.halves[np.ix_([it.row for it in items], cols)]
            # A grouping row (a unit, a funding type) often repeats the code of its first
            # row: its code does not constrain what sits under it.
            codes = [None if it.grouping else it.code for it in items]
            arith = arithmetic_parents(items, vals, halves, [it.row for it in items], codes)
            if arith is not None and arith != base:
                candidates.append(("arithmetic", arith))
            upward = bottom_up_parents(items, vals, halves, codes)
            if upward != base and upward != arith:
                candidates.append(("arithmetic", upward))
            # Units nested in units as the numbers nest them, every other row under the
            # unit above it: one wrong cell under a unit does not unmake the unit.
            for nested in (arith, upward):
                if nested is not None and grouped != base:
                    mixed = grouped_parents(items, base, nested)
                    if mixed != grouped and all(mixed != c for _, c in candidates):
                        candidates.append(("groups", mixed))
        best: tuple[tuple[int, int, int], str, list[Block], list[int | None]] | None = None
        codes_seen = [None if it.grouping else it.code for it in items]
        for name, parents in candidates:
            bl = row_blocks(s, items, parents, cols)
            fails, passes = _tally(rt, bl)
            # A row placed away from the code it extends counts against a reading as
            # much as an identity that fails: the codes are printed evidence too.
            conflicts = code_conflicts(items, parents, codes_seen)
            score = (fails + conflicts, fails, -passes)
            if best is None or score < best[0]:
                best = (score, name, bl, parents)
        assert best is not None
        _, name, bl, parents = best
        if name != "signals":
            _relink(side, parents)
        taken[s] = name
        blocks.extend(bl)
    return blocks, taken


def grouped_parents(items, base: list[int | None], nested: list[int | None] | None = None) -> list[int | None]:  # noqa: ANN001
    """Grouping rows (a unit, a funding type) as the parents of the rows below them up
    to the next grouping row or total; a unit row sits under a funding-type row above
    it. Rows the signals already place keep their parent. This reading does not depend
    on the numbers, so one wrong cell under a unit does not unmake the unit. With
    ``nested`` (another reading), a unit row that reading puts under another unit row
    stays there."""
    funding_type = lexicon().grouping_rows
    parents = list(base)
    funding: int | None = None
    group: int | None = None
    for k, it in enumerate(items):
        if it.total:
            funding = group = None
            continue
        if it.grouping:
            if funding_type.match(it.label or ""):
                funding, group = k, None
            else:
                up = nested[k] if nested is not None else None
                if up is not None and items[up].grouping:
                    parents[k] = up
                elif parents[k] is None:
                    parents[k] = funding
                group = k
            continue
        holder = group if group is not None else funding
        if parents[k] is None and holder is not None:
            parents[k] = holder
    return parents


def code_conflicts(items, parents: list[int | None], codes: list[str | None]) -> int:  # noqa: ANN001
    """Rows not under the nearest row above them whose code their own code extends
    (2010301 under 20103, within one block: a total row closes it)."""
    conflicts = 0
    for k, code in enumerate(codes):
        if not code:
            continue
        for j in range(k - 1, -1, -1):
            if items[j].total:
                break
            cj = codes[j]
            if cj and len(cj) < len(code) and code.startswith(cj):
                a = parents[k]
                seen = 0
                while a is not None and a != j and seen <= k:
                    a = parents[a]
                    seen += 1
                conflicts += a != j
                break
    return conflicts


def _relink(side, parents: list[int | None]) -> None:  # noqa: ANN001
    for it in side.items:
        it.children = []
    for k, p in enumerate(parents):
        side.items[k].parent = p
        if p is not None:
            side.items[p].children.append(k)


def build_structure(rt) -> Structure:  # noqa: ANN001
    """The identities of ``rt`` under its best reading, and whether they hold up to a
    small edit."""
    if rt.empty:
        return Structure(status="ok", reason="无数据")
    blocks, readings = choose_readings(rt)
    for s, side in enumerate(rt.sides):
        blocks.extend(column_blocks(rt, s, [c for c in additive_cols(rt, side) if not rt.columns[c].subset]))
    st = Structure(blocks=blocks, readings=readings)
    failing: list[tuple[Block, int, int, int]] = []
    passing = 0
    for b in blocks:
        diff, slack, live = block_residuals(rt.values, rt.halves, rt.merged, b)
        ok = block_ok(diff, slack, b.relation)
        for k in np.flatnonzero(live & ~ok):
            failing.append((b, int(k), int(diff[k]), int(slack[k])))
        passing += int((live & ok).sum())
    st.failing, st.passing = len(failing), passing
    if not failing:
        return st
    # Failures that share no cell (and are not the same identity in other columns) are
    # separate misprints: each must be explained by its own small edit, and there may be
    # only a few of them — many separate failures mean the reading is wrong.
    parts = components(failing)
    found: list[Explanation] = []
    if len(parts) <= _MAX_MISPRINTS:
        for part in parts:
            ex = explain(rt, blocks, part)
            if ex is None:
                found = []
                break
            found.append(ex)
    st.explanations = found
    if not found:
        # The rows' hierarchy may be misread while each row's own columns (合计 = 基本支出
        # + 项目支出, confirmed on the other rows) still add up but for a misprint: keep
        # those identities, skip the rows' ones.
        in_rows = [f for f in failing if f[0].axis == "rows"]
        in_cols = [f for f in failing if f[0].axis == "columns"]
        col_blocks = [b for b in blocks if b.axis == "columns"]
        col_found: list[Explanation] = []
        col_parts = components(in_cols)
        if in_rows and len(col_parts) <= _MAX_MISPRINTS:
            for part in col_parts:
                ex = explain(rt, col_blocks, part)
                if ex is None:
                    col_found = []
                    break
                col_found.append(ex)
        if in_rows and (not in_cols or col_found):
            st.status = "rows_not_understood"
            st.explanations = col_found
            st.reason = (
                f"{len(in_rows)} 处合计与分项不符，且无法用改动一两个单元格来解释：更可能是表格的"
                "行层级（或跨页拼接）未被正确识别，故不据此报错；各行内的列合计照常核对"
            )
            st.reason_en = (
                f"{len(in_rows)} row identities fail and no edit of one or two cells explains them: "
                "the rows' hierarchy was probably misread, so no error is reported for it; "
                "each row's column sums are still checked"
            )
            return st
        st.status = "not_understood"
        st.reason = (
            f"{len(failing)} 处合计与分项不符，且无法用改动一两个单元格来解释："
            "更可能是表格结构（层级、合计列或跨页拼接）未被正确识别，故不据此报错"
        )
        st.reason_en = (
            f"{len(failing)} identities fail and no edit of one or two cells explains them: "
            "the table's structure was probably misread, so no error is reported"
        )
    return st


_MAX_MISPRINTS = 3


def components(failing: list[tuple[Block, int, int, int]]) -> list[list[tuple[Block, int, int, int]]]:
    """The failing identities grouped: two are together when they share a cell or are
    the same identity in another column (or row) of one block."""
    parent = list(range(len(failing)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[object, int] = {}
    for i, (b, k, _, _) in enumerate(failing):
        total, parts = b.cells(k)
        for key in (("block", id(b)), total, *parts):
            j = first_of.setdefault(key, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[Block, int, int, int]]] = {}
    for i, f in enumerate(failing):
        groups.setdefault(find(i), []).append(f)
    return list(groups.values())


# ---------------------------------------------------------------------------
# The smallest edit that explains the failures

_MAX_FAILING = 40


@dataclass(frozen=True, slots=True)
class _Constraint:
    """After the edit, ``residual + Σ coef × delta`` must lie in [lo, hi]."""

    coefs: tuple[tuple[tuple[int, int], int], ...]  # (cell, coef)
    residual: int
    lo: int
    hi: int | None  # None: no upper bound ("ge")


def _identities_with(blocks: list[Block], rt, cell: tuple[int, int]) -> list[tuple[Block, int]]:  # noqa: ANN001
    out = []
    for b in blocks:
        k = b.contains(cell)
        if k is not None and not (rt.merged is not None and rt.merged[b.cells(k)[0]]):
            out.append((b, k))
    return out


def _constraint(rt, b: Block, k: int, edited: list[tuple[int, int]]) -> _Constraint:  # noqa: ANN001
    total, parts = b.cells(k)
    diff = int(rt.values[total]) - sum(int(rt.values[p]) for p in parts)
    slack = int(rt.halves[total]) + sum(int(rt.halves[p]) for p in parts)
    coefs = tuple((c, b.coef(c)) for c in edited if b.contains(c) == k)
    return _Constraint(coefs, diff, -slack, slack if b.relation == "eq" else None)


def _solve_one(cons: list[_Constraint], cell: tuple[int, int]) -> int | None:
    """A non-zero delta for ``cell`` meeting every constraint (the one nearest to what
    the first constraint holding the cell asks), or None."""
    lo: int | None = None
    hi: int | None = None
    wanted: int | None = None
    for c in cons:
        coef = dict(c.coefs).get(cell, 0)
        if coef == 0:
            if c.residual < c.lo or (c.hi is not None and c.residual > c.hi):
                return None
            continue
        # c.lo <= residual + coef*d <= c.hi
        low: int | None
        high: int | None
        if coef > 0:
            low, high = c.lo - c.residual, None if c.hi is None else c.hi - c.residual
        else:
            low, high = (None if c.hi is None else c.residual - c.hi), c.residual - c.lo
        if low is not None:
            lo = low if lo is None else max(lo, low)
        if high is not None:
            hi = high if hi is None else min(hi, high)
        if wanted is None:
            wanted = -c.residual * coef
    if wanted is None or (lo is not None and hi is not None and lo > hi):
        return None
    d = wanted
    if lo is not None:
        d = max(d, lo)
    if hi is not None:
        d = min(d, hi)
    return d or None


def _holds(cons: list[_Constraint], deltas: dict[tuple[int, int], int]) -> bool:
    for c in cons:
        v = c.residual + sum(coef * deltas.get(cell, 0) for cell, coef in c.coefs)
        if v < c.lo or (c.hi is not None and v > c.hi):
            return False
    return True


def explain(rt, blocks: list[Block], failing: list[tuple[Block, int, int, int]]) -> Explanation | None:  # noqa: ANN001
    """The smallest edit under which every identity of the table holds: one cell, one
    row's repeated figure, one row a total left out (or counted twice), or two cells.
    None when there is none. ``alternatives`` counts the equally small edits found
    (capped at 2): when there are several, the edit explains the table but cannot name
    the cell."""
    if len(failing) > _MAX_FAILING * 4:
        return None
    cells_of = []
    for b, k, _, _ in failing:
        total, parts = b.cells(k)
        cells_of.append({total, *parts})
    searches = (
        _one_cell(rt, blocks, failing, cells_of),
        _row_pattern(rt, failing),
        _row_value(rt, blocks, failing),
        _two_cells(rt, blocks, failing, cells_of) if len(failing) <= _MAX_FAILING else iter(()),
        _row_missing(rt, blocks, failing),
    )
    for found in searches:
        first = next(found, None)
        if first is not None:
            more = next(found, None) is not None
            return replace(first, alternatives=2 if more else 1)
    return None


def _one_cell(rt, blocks: list[Block], failing, cells_of: list[set]) -> Iterator[Explanation]:  # noqa: ANN001
    common = set.intersection(*cells_of) if cells_of else set()
    for cell in sorted(common):
        ids = _identities_with(blocks, rt, cell)
        cons = [_constraint(rt, b, k, [cell]) for b, k in ids]
        d = _solve_one(cons, cell)
        if d is not None and _holds(cons, {cell: d}):
            yield Explanation("cells", (Edit(cell, d),), len(failing))


def _two_cells(rt, blocks: list[Block], failing, cells_of: list[set]) -> Iterator[Explanation]:  # noqa: ANN001
    # The first failing identity holds one of the two cells.
    first = cells_of[0]
    for c1 in sorted(first):
        rest = [cs for cs in cells_of if c1 not in cs]
        if not rest:
            continue
        for c2 in sorted(set.intersection(*rest)):
            if c2 == c1:
                continue
            both = {(id(b), k): (b, k) for b, k in _identities_with(blocks, rt, c1) + _identities_with(blocks, rt, c2)}
            cons = [_constraint(rt, b, k, [c1, c2]) for b, k in both.values()]
            only1 = [c for c in cons if len(c.coefs) == 1 and c.coefs[0][0] == c1]
            only2 = [c for c in cons if len(c.coefs) == 1 and c.coefs[0][0] == c2]
            d1 = _solve_one(only1, c1) if only1 else None
            d2 = _solve_one(only2, c2) if only2 else None
            joint = [c for c in cons if len(c.coefs) == 2]
            if d1 is None and d2 is None:
                continue
            if (d1 is None or d2 is None) and joint:
                c = joint[0]
                co = dict(c.coefs)
                if d1 is None:
                    assert d2 is not None
                    d1 = -(c.residual + co[c2] * d2) * co[c1]
                else:
                    d2 = -(c.residual + co[c1] * d1) * co[c2]
            if d1 is None or d2 is None or d1 == 0 or d2 == 0:
                continue
            if _holds(cons, {c1: d1, c2: d2}) and (d1 == -d2 or _plausible(rt, {c1: d1, c2: d2}, failing)):
                yield Explanation("cells", (Edit(c1, d1), Edit(c2, d2)), len(failing))


def cell_slip(rt, cell: tuple[int, int], delta: int) -> str | None:  # noqa: ANN001
    """The typing slip a change of ``delta`` (厘) to ``cell`` would correct, as printed:
    "131,056" for 131,065 is two digits swapped. A blank cell that should hold a
    figure counts as a slip ("blank")."""
    r, c = cell
    number = parse_number(rt.body[r][c])
    if number is None:
        return "blank" if not rt.present[r, c] else None
    factor = UNIT_LI.get(rt.unit or "元", 1000)
    step = factor // 10**number.decimals if factor >= 10**number.decimals else 0
    if step == 0 or delta % step:
        return None
    return slip_between(number.digits, number.digits + delta // step)


def _plausible(rt, edits: dict[tuple[int, int], int], failing: list[tuple[Block, int, int, int]]) -> bool:  # noqa: ANN001
    """Several cells edited together read as one misprint only when they are not just
    the totals of every failing identity (a total short of its parts by the same amount
    in each column is what rows missing from our reading look like) — unless each
    correction is a recognisable typing slip."""
    anchors = {b.cells(k)[0] for b, k, _, _ in failing}
    if not set(edits) <= anchors:
        return True
    return all(cell_slip(rt, cell, d) is not None for cell, d in edits.items())


def _row_value(rt, blocks: list[Block], failing: list[tuple[Block, int, int, int]]) -> Iterator[Explanation]:  # noqa: ANN001
    """One figure misprinted in one row, the same wrong number in each column that
    repeats it: the same change to those cells makes every identity hold."""
    if any(b.axis != "rows" for b, _, _, _ in failing):
        return
    rows = None
    for b, _, _, _ in failing:
        lines = {b.anchor, *b.parts}
        rows = lines if rows is None else rows & lines
    for r in sorted(rows or ()):
        wanted: dict[tuple[int, int], int] = {}
        for b, k, diff, _ in failing:
            cell = (r, b.span[k])
            want = -diff * b.coef(cell)
            if wanted.setdefault(cell, want) != want:
                break
        else:
            if len(set(wanted.values())) != 1 or len(wanted) < 2:
                continue
            cells = sorted(wanted)
            seen: dict[tuple[int, int], tuple[Block, int]] = {}
            for cell in cells:
                for b, k in _identities_with(blocks, rt, cell):
                    seen[(id(b), k)] = (b, k)
            cons = [_constraint(rt, b, k, cells) for b, k in seen.values()]
            # Only the totals above the row can fail, so any row under them could be
            # "the" misprint: it must look like one (the same typing slip in each cell).
            if _holds(cons, wanted) and all(cell_slip(rt, cell, d) for cell, d in wanted.items()):
                yield Explanation("row_value", tuple(Edit(c, d) for c, d in wanted.items()), len(failing), r)


def _row_pattern(rt, failing: list[tuple[Block, int, int, int]]) -> Iterator[Explanation]:  # noqa: ANN001
    """Every failing identity is one total row's, in several columns, and it is short
    of (or over by) exactly one row of the table in each of them.

    Only rows whose place the printed signals fix count: a row left out of a total must
    be a top-level row by its code or numbering (a 类 such as 222 粮油物资储备支出, or an
    "一、" line) — a row we merely failed to nest would look the same; a row a total
    counts twice must be an "其中" line or a total itself."""
    anchors = {(b.axis, b.anchor) for b, _, _, _ in failing}
    if len(anchors) != 1:
        return
    axis, anchor = anchors.pop()
    if axis != "rows":
        return
    b0 = failing[0][0]
    if not all(b is b0 for b, _, _, _ in failing):
        return
    span = list(b0.span)
    diffs = {b.span[k]: d for b, k, d, _ in failing}
    slack = {b.span[k]: s for b, k, _, s in failing}
    res = np.array([diffs.get(c, 0) for c in span], dtype=np.int64)
    tol = np.array([slack.get(c, 0) for c in span], dtype=np.int64)
    items = {it.row: it for it in rt.sides[b0.side].items}
    edits = tuple(Edit((anchor, c), int(-d)) for c, d in diffs.items())
    for r in range(rt.values.shape[0]):
        it = items.get(r)
        if r == anchor or it is None:
            continue
        v = rt.values[r, span]
        if not v.any():
            continue
        near = rt.halves[r, span] + tol
        top_by_signal = (it.code is not None and it.rank == 10) or (it.enumerated and it.rank == 10)
        if r in b0.parts and top_by_signal and (np.abs(res + v) <= near).all():
            yield Explanation("row_omitted", edits, len(failing), r)
        elif r not in b0.parts and (it.of_which or it.total) and (np.abs(res - v) <= near).all():
            yield Explanation("row_extra", edits, len(failing), r)


def _row_missing(rt, blocks: list[Block], failing: list[tuple[Block, int, int, int]]) -> Iterator[Explanation]:  # noqa: ANN001
    """Every failing identity is one total row's, in two columns or more, the total
    over its rows in each by an amount of one sign — and those amounts are a row in
    themselves: wherever the row's columns add up (合计 = 基本支出 + 项目支出), so do
    they. The total holds amounts that no printed row carries (a row, a unit or a page
    left out of the listing, or a total that adds figures listed nowhere). Only for a
    total printed after its rows."""
    b0 = failing[0][0]
    if b0.axis != "rows" or b0.level != "total" or len(failing) < 2:
        return
    if not all(b is b0 for b, _, _, _ in failing):
        return
    diffs = {b.span[k]: d for b, k, d, _ in failing}
    slack = {b.span[k]: s for b, k, _, s in failing}
    if not all(d > 0 for d in diffs.values()):
        return  # the total over its rows, never under them
    anchor = b0.anchor
    if anchor < max(b0.parts):
        # A 合计 printed above its rows may have rows on a page not joined to it; one
        # printed after them closes a listing that visibly ended there.
        return
    for cb in blocks:
        if cb.axis != "columns" or anchor not in cb.span:
            continue
        cols = (cb.anchor, *cb.parts)
        if not any(c in diffs for c in cols):
            continue
        net = diffs.get(cb.anchor, 0) - sum(diffs.get(c, 0) for c in cb.parts)
        if abs(net) > sum(slack.get(c, 0) for c in cols) + int(rt.halves[anchor, list(cols)].sum()):
            return
    yield Explanation("row_missing", (), len(failing), anchor)
