"""prose_amount — an amount stated in the prose equals the table quantity it names.

What it checks
    Every prose claim whose phrase matches ``subject`` (and, if given, whose section
    heading matches ``section``) is compared with the value ``source`` names, after
    unit conversion (prose 万元, tables 元/百元/万元). With ``by_name`` the row is the
    one the claim itself names: "一般公共服务支出1461.74万元" is compared with the row of
    that name — or, when the table misnames the row, with the row whose 功能分类 code the
    name belongs to. ``sum_of`` compares with the sum of several cells
    (人员经费 = 工资福利支出 + 对个人和家庭的补助). With ``at_most`` the figure is only
    a part of the cell's quantity (机关运行经费 of the 基本支出 total, the money of the
    projects with 绩效目标 of the 项目支出): it may equal the cell, never exceed it; a
    bound leaves the claim to the checks that compare it exactly (GEN-301).
Scope
    A figure in a sub-unit's section ("十七、XX管理局", "一、XX局（本级）") is that
    unit's, not the department's: it is compared only by checks with ``by_unit``, with
    the row of the table that carries the unit's name (``unit_total``: the claim whose
    subject is the unit's name, i.e. its total). ``fund`` restricts a check to claims of
    that fund scope: an all-funds table (``fund: '^$'``) is not compared with
    "一般公共预算财政拨款支出…" (recognise/claims.py decides each claim's scope).
Rounding
    "1554.03万元" stands for [1554.025, 1554.035] 万元; it agrees with the table when that
    interval meets the table value's own interval.
Why it matters
    Readers quote the prose; a prose figure that no table supports misleads them.
Passing example
    "收入总计1554.03万元" and 收支总表 收入合计 155,403 百元
Failing example
    "支出总计1545.03万元" but 收支总表 支出合计 155,403 百元 (= 1554.03 万元)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..findings import Operand
from ..money import format_amount
from ..recognise.lexicon import function_codes, norm, pattern_words
from ..recognise.prose import Claim
from ..recognise.tables import RTable
from .base import (
    CellRef,
    Context,
    cell_location,
    claim_location,
    default_column,
    find_column,
    resolve,
)

KIND = "prose_amount"


@dataclass(frozen=True)
class NameRef:
    table: str
    also: tuple[str, ...] = ()  # further table roles to look in, in order
    column: str | None = None
    ranks: tuple[int, ...] = ()  # empty: any level


@dataclass(frozen=True)
class Params:
    phrase: str | None = None  # regex on the clause before the number, as printed
    subject: str | None = None  # regex on that clause less comparisons and filler
    section: str | None = None
    exclude: str | None = None  # regex: claims whose phrase matches are not compared
    source: CellRef | None = None
    sum_of: tuple[CellRef, ...] = ()
    by_name: NameRef | None = None
    any_of: tuple[CellRef, ...] = ()  # the claim agrees with one of these cells
    by_column: CellRef | None = None  # the column named like the claim, in this row (no row: its total)
    by_unit: CellRef | None = None  # the row of the sub-unit whose section the claim is in
    headline: bool = False  # only claims that name the department or year first
    fund: str | None = None  # regex the claim's fund scope must match ('^$': all funds)
    code: str | None = None  # regex the code printed with the claim's subject must match
    parent: str | None = None  # a part of a breakdown: regex its total's subject must match
    units: bool = False  # also claims in a sub-unit's section (by_unit: only those)
    unit_total: bool = False  # only claims whose subject is their unit's name
    department_row: bool = False  # by_unit: the row of the department itself (its own claims)
    # The claim is a part of the cell's quantity, not the quantity itself: it may not
    # exceed it ("涉及项目预算资金X" of some projects ≤ the 项目支出 total). A bound
    # leaves the claim to the checks that can compare it exactly (GEN-301).
    at_most: bool = False

    def __post_init__(self) -> None:
        if self.phrase is None and self.subject is None:
            raise ValueError("需要 phrase 或 subject")
        sources = (self.source, self.sum_of or None, self.by_name, self.any_of or None, self.by_column, self.by_unit)
        if sum(x is not None for x in sources) != 1:
            raise ValueError("需要且只能有 source、sum_of、by_name、any_of、by_column、by_unit 之一")


def select_claims(ctx: Context, p: Params) -> list[Claim]:
    """The claims a check compares: by wording, section and scope. A figure of a
    sub-unit's section ("十七、XX管理局") is the unit's, not the department's: only a
    check that reads unit rows (``by_unit``) takes it. With ``fund``, the claim's fund
    scope must match ("一般公共预算财政拨款支出…" is no all-funds figure)."""
    out = []
    # Compiled once per call (re's own cache costs a lookup per claim).
    ph = re.compile(p.phrase).search if p.phrase else None
    sub = re.compile(p.subject).search if p.subject else None
    sec = re.compile(p.section).search if p.section else None
    exc = re.compile(p.exclude).search if p.exclude else None
    fund = re.compile(p.fund).search if p.fund is not None else None
    for claim in ctx.facts.prose.claims:
        if claim.kind != "amount":
            continue
        scope = claim.scope
        if scope.period == "prior":
            continue  # "2025年预算数为A万元": last year's figure is not in this year's tables
        if scope.reason:
            continue  # a figure in a reason clause details the reason, not the item
        by_unit = p.by_unit is not None and not p.department_row
        if (scope.unit is not None) != by_unit and not (p.units and scope.unit is not None):
            continue
        if p.unit_total and (scope.unit is None or norm(claim.subject) != scope.unit):
            continue
        if fund and not fund(scope.fund or ""):
            continue
        if p.code is not None and not re.search(p.code, scope.code or "-"):
            continue
        if p.parent is not None and claim.parent is not None:
            total = ctx.facts.prose.claims[claim.parent]
            if not re.search(p.parent, total.scope.subject):
                continue  # "污水处理费225,954.52万元，其中：政府性基金52,765.99万元": of an item
        if ph and not ph(claim.phrase):
            continue
        if sub and not (sub(claim.subject) or sub(scope.subject)):
            continue
        if p.headline and not scope.headline:
            continue  # a headline names the department or the year, or opens its paragraph
        if sec and not sec(scope.context):
            continue
        if exc and exc(claim.phrase):
            continue
        out.append(claim)
    return out


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    claims = select_claims(ctx, p)
    if not claims:
        ctx.skipped("正文没有相应的金额表述", "no such amount in the prose")
        return
    for claim in claims:
        target = _target(ctx, p, claim)
        if isinstance(target, str):
            if p.by_name is None:
                ctx.skipped(target, target)
            continue
        (value, half, unit, where) = target
        compare_claim(ctx, claim, value, half, unit, where, at_most=p.at_most)


def cell_target(ctx: Context, rt: RTable, hit: tuple[int, int]) -> tuple[int, int, str | None, Any]:
    """(value, half, unit, where) of one table cell; ``where()`` gives its locations and
    description, built only when a finding needs them."""

    def where():  # noqa: ANN202
        loc = cell_location(ctx.facts, rt, *hit)
        return [loc], f"《{rt.title}》{loc.row_label or ''}「{loc.column or ''}」"

    return int(rt.values[hit]), int(rt.halves[hit]), rt.unit, where


def _target(ctx: Context, p: Params, claim: Claim):  # noqa: ANN202
    if p.by_unit is not None:
        name = (ctx.facts.meta.department or "") if p.department_row else (claim.scope.unit or "")
        if p.department_row:
            # "2026年深圳市民政局（本级）所有项目支出…": the sentence names the department's
            # own part — its row, not the department's.
            own = _OWN_PART.match(claim.sentence.text)
            if own and name and _org(name) in _org(own.group(1)):
                name = own.group(1)
        return _unit_target(ctx, p.by_unit, name)
    if p.by_column is not None:
        name = ENUM_LEAD.sub("", norm(claim.subject))
        ref = CellRef(p.by_column.table, p.by_column.row, rf"(^|/){re.escape(name)}(合计)?$")
        for rt in ctx.tables(ref.table):
            if ref.row is None:
                total = _column_total(ctx, rt, ref.column or "")
                if total is not None:
                    return total
                continue
            hit = resolve(rt, ref)
            if hit is not None:
                return cell_target(ctx, rt, hit)
        return f"表中没有名为「{name}」的列（或其合计）"
    if p.any_of:
        found = []
        for ref in p.any_of:
            for rt in ctx.tables(ref.table):
                hit = resolve(rt, ref)
                if hit is not None:
                    found.append((rt, hit))
        if not found:
            return "表中找不到可对照的合计，无法核对正文金额"
        if p.at_most:
            return cell_target(ctx, *found[0])  # bounds are listed tightest first
        a = claim.amount
        assert a is not None
        # Prefer the cell the claim agrees with ("收入预算" may mean 收入总计 or 本年收入合计),
        # else the nearest one (a truncated figure is compared with what it truncates).
        def gap(f: tuple[RTable, tuple[int, int]]) -> int:
            value, half = int(f[0].values[f[1]]), int(f[0].halves[f[1]])
            return max(0, a.lo - (value + half), (value - half) - a.hi)

        found.sort(key=gap)
        rt, hit = found[0]
        return cell_target(ctx, rt, hit)
    if p.source is not None:
        for rt in ctx.tables(p.source.table):
            hit = resolve(rt, p.source)
            if hit is not None:
                return cell_target(ctx, rt, hit)
        empty = _empty_table(ctx, p.source.table)
        if empty is not None:
            return empty
        return f"表中找不到{pattern_words(p.source.row or p.source.column)}，无法核对正文金额"
    if p.sum_of:
        total = half = 0
        cells = []
        unit = None
        for ref in p.sum_of:
            cell = next(
                ((t, h) for t in ctx.tables(ref.table) if (h := resolve(t, ref)) is not None), None
            )
            if cell is None:
                if ref.optional:
                    continue
                return f"表中找不到{pattern_words(ref.row or ref.column)}，无法核对正文金额"
            rt, hit = cell
            total += int(rt.values[hit])
            half += int(rt.halves[hit])
            unit = unit or rt.unit
            cells.append((rt, hit))

        def where():  # noqa: ANN202
            locs = [cell_location(ctx.facts, rt, *hit) for rt, hit in cells]
            return locs, "、".join(f"{loc.row_label or loc.column}" for loc in locs) + "之和"

        return total, half, unit, where
    assert p.by_name is not None
    key = name_key(claim.subject)
    if claim.scope.code is not None and (key is None or key.code is None):
        key = NameKey(claim.scope.code, key.names if key else frozenset(), key.parent if key else None)
    if key is None:
        return f"无法从「{claim.subject}」读出科目名称"
    for role in (p.by_name.table, *p.by_name.also):
        for rt in ctx.tables(role):
            hit = _row_by_name(rt, key, p.by_name)
            if hit is not None:
                return cell_target(ctx, rt, hit)
    return f"表中找不到{pattern_words(claim.subject)}"


def _empty_table(ctx: Context, role: str):  # noqa: ANN202
    """A table of ``role`` published empty ("本表无数据") states zero for every item: the
    prose may not state amounts for it (issue 11: the 三公 table emptied)."""
    rt = next((t for t in ctx.tables(role) if t.empty), None)
    if rt is None:
        return None
    table = rt

    def where():  # noqa: ANN202
        loc = cell_location(ctx.facts, table, None, None)
        return [loc], f"《{table.title}》（空表，无数据）"

    return 0, 0, rt.unit, where


def _unit_target(ctx: Context, ref: CellRef, unit: str):  # noqa: ANN202
    """The cell of a unit (a sub-unit, or the department in a table keyed by unit): the
    row labelled with the unit's name."""
    want = _org(unit)
    for rt in ctx.tables(ref.table):
        # The unit's name may stand in any label column ("预算单位" before "科目名称").
        labels = [c.index for c in rt.columns if c.kind == "label"]
        rows = [r for r, cells in enumerate(rt.body) if any(c < len(cells) and _org(cells[c]) == want for c in labels)]
        if len(rows) != 1:
            continue
        for side in rt.sides:
            col = find_column(rt, side, ref.column)
            if col is not None:
                return cell_target(ctx, rt, (rows[0], col))
    return f"表中没有「{unit}」一行"


_OWN_PART = re.compile(r"^(?:(?:19|20)\d{2}年度?)?(.{2,30}?[(（]本级[)）])")


def _org(name: str) -> str:
    return re.sub(r"[()（）]", "", norm(name))


def _column_total(ctx: Context, rt: RTable, pattern: str):  # noqa: ANN202
    """(value, half, unit, where) of a column's total: its 合计 row, or — in a table whose
    rows are all details of one level (no row is another's parent) — the sum of its rows."""
    rx = re.compile(pattern)
    for side in rt.sides:
        cols = [c for c in side.value_cols if rx.search(rt.columns[c].name)]
        if len(cols) != 1:
            continue
        col = cols[0]
        total = next((i for i in side.items if i.total), None)
        if total is not None:
            return cell_target(ctx, rt, (total.row, col))
        if not side.items or any(i.parent is not None or i.of_which for i in side.items):
            return None
        rows = [i.row for i in side.items]

        def where(col: int = col):  # noqa: ANN202
            loc = cell_location(ctx.facts, rt, None, col)
            return [loc], f"《{rt.title}》「{loc.column or ''}」各行之和"

        value = sum(int(rt.values[r, col]) for r in rows)
        half = sum(int(rt.halves[r, col]) for r in rows)
        return value, half, rt.unit, where
    return None


ENUM_LEAD = re.compile(r"^([（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．](?!\d))")
LEVEL = re.compile(r"[（(](类|款|项)[)）]")


@dataclass(frozen=True)
class NameKey:
    code: str | None
    names: frozenset[str]  # acceptable spellings of the row label
    parent: str | None  # the 款 named before a 项, to tell apart rows of one name


def name_core(name: str) -> str:
    """A name less the endings that vary between prose and tables (费用/经费/费, 支出,
    资金: "年终结转结余资金" is the row "年终结转结余")."""
    name = name.replace("（", "(").replace("）", ")")
    return re.sub(r"(资金)?(预算)?(支出)?(预算)?$", "", re.sub(r"(费用|经费)$", "费", name))


# A fund's income, spelled "一般公共预算拨款收入", "一般公共预算收入", "一般公共预算拨款"
# or "一般公共预算财政拨款收入".
_FUND_INCOME = re.compile(r"^(一般公共预算|政府性基金|国有资本经营)(?:预算)?(?:财政)?(?:拨款收入|拨款|收入)$")


def fund_income(name: str) -> str | None:
    """One spelling of a fund's income ("一般公共预算收入"), or None for another name."""
    income = _FUND_INCOME.match(name_core(name))
    return income.group(1) + "收入" if income else None


def income_core(name: str) -> str:
    """``name_core``, with one spelling for each fund's income."""
    return fund_income(name) or name_core(name)


def name_key(subject: str) -> NameKey | None:
    s = re.sub(r"[“”\"「」]", "", norm(subject))
    s = re.sub(r"科目$", "", s)
    for _ in range(3):
        s2 = ENUM_LEAD.sub("", s)
        if s2 == s:
            break
        s = s2
    code = None
    m = re.match(r"^(\d{3,7})[-—－]?(.*)$", s)
    if m:
        code, s = m.group(1), m.group(2)
    segments = [x for x in LEVEL.split(s) if x and x not in ("类", "款", "项")]
    segments = [x for x in segments if name_core(x)]
    if not segments:
        return NameKey(code, frozenset(), None) if code else None
    target = segments[-1]
    parent = segments[-2] if len(segments) > 1 else None
    core = name_core(target)
    if len(core) < 2 or core in ("预算", "合计", "总计", "收入", "本年"):
        return NameKey(code, frozenset(), parent) if code else None
    return NameKey(code, frozenset({core}), parent)


@lru_cache(maxsize=1)
def codes_by_core() -> dict[str, set[str]]:
    """Function codes by the core of each name they have carried (built once)."""
    index: dict[str, set[str]] = {}
    for code, entry in function_codes().items():
        for name in (entry.name, *entry.alt_names):
            index.setdefault(name_core(norm(name)), set()).add(code)
    return index


def _row_by_name(rt: RTable, key: NameKey, ref: NameRef) -> tuple[int, int] | None:
    """The one row the claim names (by code, else by label); None if none or ambiguous."""
    codes: set[str] = set()
    if key.code is None and key.names:
        index = codes_by_core()
        for name in key.names:
            codes |= index.get(name, set())
    hits: list[tuple[int, int]] = []
    for side in rt.sides:
        cols = [c for c in side.value_cols if ref.column is None or re.search(ref.column, rt.columns[c].name)]
        col = default_column(rt, cols, rt.year)
        if col is None:
            continue
        by_label = []
        by_code = []
        for item in side.items:
            if ref.ranks and item.rank not in ref.ranks:
                continue
            if key.code is not None:
                if item.code == key.code:
                    by_code.append(item)
                continue
            if name_core(item.label) in key.names:
                if key.parent and item.parent is not None:
                    parent = side.items[item.parent]
                    if name_core(parent.label) != name_core(key.parent):
                        continue
                by_label.append(item)
            elif item.code and item.code in codes:
                by_code.append(item)
        for item in by_label or by_code:
            hits.append((item.row, col))
    values = {int(rt.values[h]) for h in hits}
    return hits[0] if len(values) == 1 else None


def compare_claim(
    ctx: Context, claim: Claim, value: int, half: int, unit: str | None, where, at_most: bool = False  # noqa: ANN001
) -> None:
    """Compare the claim with a table value (both as intervals). With ``at_most`` the
    claim is a part of the value's quantity: it agrees unless its lowest reading is above
    the value's highest, and it is left to the checks that can compare it exactly."""
    ctx.used_claim(claim)
    if not at_most:
        ctx.compared.add(claim.id)
    a = claim.amount
    assert a is not None
    agrees = a.lo <= value + half and (at_most or value - half <= a.hi)
    if agrees and ctx.count_pass():
        return
    locs, what = where()
    loc = claim_location(ctx.facts, claim)
    table_text = f"{format_amount(value, unit or '元')}{unit or ''}"
    in_claim_unit = format_amount(value, a.unit, decimals=max(2, len(a.text.split('.')[-1]) if '.' in a.text else 2))
    detail = {"claim_interval": f"[{format_amount(a.lo, a.unit)}, {format_amount(a.hi, a.unit)}]{a.unit}"}
    if agrees:
        ctx.passed(
            "不超过所属总额" if at_most else "一致",
            "within its total" if at_most else "agrees",
            [loc, *locs],
            expected=f"≤ {table_text}" if at_most else table_text,
            actual=claim.text,
            detail=detail,
        )
        return
    operands = (
        Operand("claim", a.value, a.half, a.unit, a.text, loc, coef=1),
        Operand("source", value, half, unit or "元", None, locs[0] if len(locs) == 1 else None, coef=-1),
    )
    if at_most:
        ctx.failed(
            f"正文「{claim.phrase}{claim.text}」是{what} {table_text}（折合 {in_claim_unit}{a.unit}）的一部分，却大于它",
            f"prose '{claim.phrase}{claim.text}' is a part of {what} {table_text} (= {in_claim_unit} {a.unit}) but exceeds it",
            [loc, *locs],
            operands=operands,
            expected=f"≤ {in_claim_unit}{a.unit}",
            actual=claim.text,
            detail={**detail, "relation": "at_most"},
        )
        return
    step = 2 * a.half
    truncated = step > 0 and a.value <= value - half and value + half < a.value + step
    msg = (
        f"正文「{claim.phrase}{claim.text}」与{what} {table_text}（折合 {in_claim_unit}{a.unit}）不一致；"
        f"正文数字代表区间 {detail['claim_interval']}"
    )
    adjusted = step > 0 and not truncated and abs(a.value - value) < step + half
    if truncated:
        # The prose cut the table value instead of rounding it (282.168541 → 282.16).
        msg += "；差异小于末位一个单位，像是截断而非四舍五入（或为使分项之和与总数吻合而作的尾差调整）"
        detail["truncated"] = "true"
    elif adjusted:
        # 5,330.09 printed as 5,331 so that the listed items add up to the stated total:
        # a tail adjustment, still not the table's value.
        msg += "；差异不足末位一个单位，可能是为使分项之和与总数吻合而作的尾差调整"
        detail["tail_adjusted"] = "true"
    msg_en = f"prose '{claim.phrase}{claim.text}' disagrees with {what} {table_text} (= {in_claim_unit} {a.unit})"
    ctx.failed(
        msg,
        msg_en,
        [loc, *locs],
        operands=operands,
        expected=f"{in_claim_unit}{a.unit}",
        actual=claim.text,
        detail=detail,
        severity="warning" if truncated or adjusted else None,
    )
