"""prose_lookup — a prose amount no other check compared agrees with the table row it names.

What it checks
    The prose names items the table-specific checks do not list: "对事业单位经常性补助
    （505）183.93万元", "住房公积金（项）：支出1,073.77万元", "“卫生健康支出”科目2,206万元".
    Each amount of this year that no other check compared with a table is looked up by
    what it names — its classification code, else its item name (less the endings that
    vary: 费用/经费/费, 支出, 预算, 资金, 科目) — in the rows of every table of accounts.
    Every row found gives one value (its current-year total column). The prose agrees
    when one of them does.
When it fails
    Only when the rows of tables limited to the claim's own fund (一般公共预算,
    政府性基金, 财政拨款 — read from the claim's words and section — or all funds) agree
    among themselves and the prose says another thing; for a claim that names no fund,
    when every row found says the same. A 财政拨款 table stands for 一般公共预算 when the
    department has no 政府性基金, 国有资本经营 or 上年结转 money. Rows that disagree with
    each other (an all-funds table beside a 一般公共预算 one) leave the claim unverified,
    reported as skipped.
Rounding
    "183.93万元" stands for [183.925, 183.935] 万元 and agrees with a table value whose own
    interval meets it.
Why it matters
    The figures of the 情况说明 that no rule names are as often mistyped as those that one
    does; without this check they pass unread.
Passing example
    "机关工资福利支出（501）305.57万元" and 政府预算经济分类表 501 机关工资福利支出 3,055,700.00 元
Failing example
    "机关工资福利支出（501）350.57万元" but the table's 501 row is 3,055,700.00 元 (= 305.57万元)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..recognise.claims import fund_named
from ..recognise.lexicon import lexicon, norm
from ..recognise.prose import Claim
from ..recognise.tables import Item, RTable
from .base import Context, default_column
from .prose_amount import (
    LEVEL,
    cell_target,
    codes_by_core,
    compare_claim,
    fund_income,
    name_core,
    name_key,
)

KIND = "prose_lookup"
# Run after every other check: it takes the claims they left uncompared.
AFTER_OTHERS = True


@dataclass(frozen=True)
class Params:
    section: str | None = None  # regex the claim's section heading must match
    exclude: str | None = None  # regex: claims whose phrase matches are not looked up
    min_name: int = 3  # the shortest item name looked up by name (codes always are)


class Found(NamedTuple):
    """One table row the claim names: its value in the row's total column."""

    fund: str  # the fund the table is limited to ("" for all funds)
    value: int
    half: int
    unit: str | None
    where: Any  # () -> (locations, description), built only for a finding
    role: str | None


# Words that make a subject a total or a comparison, not one item's name.
_NOT_AN_ITEM = re.compile(r"合计|总计|总额|共计|小计|增加|减少|增长|下降|比上年|较上年|上年|同比")


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    claims = [c for c in ctx.facts.prose.claims if _eligible(ctx, p, c)]
    if not claims:
        ctx.skipped("正文没有其他检查未核对、且能按名称或科目编码查找的金额", "no uncompared amounts to look up")
        return
    # Tables of accounts whose rows are items (not units: a row under a unit's row is
    # that unit's figure, not the department's).
    tables = [
        rt for rt in ctx.facts.tables
        if lexicon().accounts(rt.role) and not rt.empty and rt.keyed_by is None
    ]
    only_gpb = _only_general_budget(ctx)
    looked = 0
    for claim in claims:
        found = _rows(ctx, tables, claim, p.min_name)
        if not found:
            continue
        looked += 1
        a = claim.amount
        assert a is not None
        agree = [t for t in found if a.lo <= t.value + t.half and t.value - t.half <= a.hi]
        if agree:
            _compare(ctx, claim, agree[0])
            continue
        if _named_project(claim) is not None:
            # The money a 重点绩效评价 of a project covers may reach beyond the
            # department's own project row (transfers to districts): agreement verifies
            # it, a difference proves nothing.
            ctx.skipped(
                f"「{claim.phrase}{claim.text}」与项目表中该项目的金额不同；评价涉及的资金范围可能更大，不作判断",
                f"'{claim.phrase}{claim.text}': differs from the project's row; the evaluation may cover more",
            )
            continue
        # Only a table of the whole budget (not of 基本支出 or of projects, unless the claim
        # speaks of them) limited to the claim's own fund says what the figure must be.
        fund = _fund_alias(claim.scope.fund or "", only_gpb)
        found = [t for t in found if _whole_for(t.role, claim)]
        same_fund = [t for t in found if _fund_alias(t.fund, only_gpb) == fund]
        if same_fund and len({(t.value, t.half) for t in same_fund}) == 1:
            _compare(ctx, claim, same_fund[0])
            continue
        # A figure that names no fund, where every table says the same: whatever its
        # scope, that is its value.
        if not claim.scope.fund and len({(t.value, t.half) for t in found}) == 1:
            _compare(ctx, claim, found[0])
            continue
        why = "各表中同名行的数值互不相同" if same_fund else "同名行所在的表与正文所说的资金范围不同"
        if not found:
            why = "同名行只在基本支出表、项目表等只含部分支出的表中"
        ctx.skipped(
            f"「{claim.phrase}{claim.text}」：{why}，无法确定对照哪一个",
            f"'{claim.phrase}{claim.text}': " + ("rows of that name disagree" if same_fund else "rows found are of another fund scope"),
        )
    if not looked and not ctx.reported:
        ctx.skipped("正文金额在各表中找不到同名（或同编码）的行", "no row named like the uncompared amounts")


# Tables of a part of the spending: a row there is the item's figure only for a claim
# about that part.
_PART_ROLES = {
    "gpb_basic": "基本支出",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目",
    "carryover": "结转",
    "government_procurement": "采购",
    "government_services": "购买服务",
    "three_public": "三公",
    "meeting_training": "会议费|培训费",
    "operating_costs": "机关运行",
}
# Sections and breakdowns of a part of the budget, which the checks of that part own.
_PART_SCOPE = re.compile(r"机关运行|三公|政府采购|购买服务|绩效|会议费|培训费")


def _whole_for(role: str | None, claim: Claim) -> bool:
    words = _PART_ROLES.get(role or "")
    return words is None or bool(re.search(words, claim.sentence.section + claim.phrase))


# "拟对应急物资储备项目开展部门重点绩效评价，涉及预算资金192.84万元": the money of the one
# project the sentence names (not of "…等2个项目").
_PROJECT_NAMED = re.compile(
    r"对[“\"]?(?P<name>[^，,。；;、“”\"]{2,40}?)[”\"]?(?:等?1个)?项目(?:开展|实施|进行)[^，,。；;]{0,20}[，,]涉及(?:项目)?(?:预算)?资金$"
)
_MONEY_ONLY = re.compile(r"(涉及)?(项目)?(预算)?资金")


def _named_project(claim: Claim) -> str | None:
    if not _MONEY_ONLY.fullmatch(claim.scope.subject or claim.subject):
        return None
    m = _PROJECT_NAMED.search(claim.sentence.text[: claim.start])
    return m.group("name") if m else None


def _eligible(ctx: Context, p: Params, claim: Claim) -> bool:
    if claim.kind != "amount" or claim.amount is None or claim.id in ctx.compared:
        return False
    s = claim.scope
    if s.period != "current" or s.reason or s.narrative or s.unit is not None:
        return False
    if _named_project(claim) is not None:
        return True
    if p.section is not None and not re.search(p.section, claim.sentence.section):
        return False
    if p.exclude is not None and re.search(p.exclude, claim.phrase):
        return False
    if _PART_SCOPE.search(claim.sentence.section):
        return False
    if claim.parent is not None and _PART_SCOPE.search(ctx.facts.prose.claims[claim.parent].phrase):
        return False  # "机关运行经费82万元，其中：公务接待费2万元": that part's item
    return not _NOT_AN_ITEM.search(claim.subject) and not _NOT_AN_ITEM.search(s.subject or "")


def _compare(ctx: Context, claim: Claim, row: Found) -> None:
    compare_claim(ctx, claim, row.value, row.half, row.unit, row.where)


_OTHER_FISCAL_FUNDS = re.compile(
    r"^((政府性基金|国有资本经营)(预算)?(财政)?(拨款)?(收入|资金)?|(上年|年初)结转(和|及)?(结余)?(资金)?)$"
)


def _only_general_budget(ctx: Context) -> bool:
    """Whether the department's 财政拨款 is all this year's 一般公共预算: its summary
    tables print 政府性基金, 国有资本经营 and 上年结转 income rows of zero. Then a 财政拨款
    table's rows are the 一般公共预算 figures (with a carry-over, its spending is in them)."""
    seen = False
    for role in ("fiscal_summary", "revenue_expenditure_summary"):
        for rt in ctx.tables(role):
            for side in rt.sides:
                col = default_column(rt, side.value_cols, rt.year)
                if col is None:
                    continue
                for item in side.items:
                    if _OTHER_FISCAL_FUNDS.match(re.sub(r"^[\d一二三四五六七八九十]+[、.．]", "", norm(item.label))):
                        seen = True
                        if int(rt.values[item.row, col]) != 0:
                            return False
    return seen


def _fund_alias(fund: str, only_gpb: bool) -> str:
    return "一般公共预算" if only_gpb and fund == "财政拨款" else fund


def _ambiguous(core: str, cls: bool = False) -> bool:
    """A name several classification codes carry ("行政运行" under every 款): without
    its code or 款 it names no one row (with "（类）", only codes of a 类 count)."""
    codes = codes_by_core().get(core, set())
    return len([c for c in codes if len(c) == 3] if cls else codes) > 1


def _value_column(rt: RTable, cols: list[int]) -> int | None:
    """The column a bare figure of an item means: the row's total (合计/总计, the
    outermost one) among this year's columns, else the first of them."""
    lex = lexicon()
    totals = [c for c in cols if rt.columns[c].path and lex.total_columns.match(rt.columns[c].path[-1])]
    if totals:
        depth = min(len(rt.columns[c].path) for c in totals)
        col = default_column(rt, [c for c in totals if len(rt.columns[c].path) == depth], rt.year)
        if col is not None:
            return col
    return default_column(rt, cols, rt.year)


def _project_rows(ctx: Context, tables: list[RTable], name: str) -> list[Found]:
    """The row of the project table labelled with the project's name (its total
    column), taken as the whole figure of that project (fund '')."""
    want = {name_core(norm(name)), name_core(norm(name) + "项目")}
    out = []
    for rt in tables:
        if rt.role != "project_expenditure":
            continue
        for side in rt.sides:
            col = _value_column(rt, side.value_cols)
            if col is None:
                continue
            # The name may stand in any label column (项目名称 before 项目类别).
            labels = [c.index for c in rt.columns if c.kind == "label"]
            rows = [
                it for it in side.items
                if any(c < len(rt.body[it.row]) and name_core(norm(rt.body[it.row][c])) in want for c in labels)
            ]
            if len(rows) == 1:
                out.append(Found("", *cell_target(ctx, rt, (rows[0].row, col)), None))
    return out


def _named(label: str, names: set[str]) -> bool:
    """Is the row labelled ``label`` one of ``names``? An income row may leave out
    "收入" ("一般公共预算拨款" for the prose's "一般公共预算拨款收入"), and a fund's
    income is one row however either spells it."""
    core = name_core(label)
    if core in names or (not core.endswith("收入") and name_core(label + "收入") in names):
        return True
    income = fund_income(label)
    return income is not None and any(fund_income(n) == income for n in names)


def _rows(ctx: Context, tables: list[RTable], claim: Claim, min_name: int) -> list[Found]:
    """Every row the claim names, one per table side."""
    project = _named_project(claim)
    if project is not None:
        return _project_rows(ctx, tables, project)
    subject = claim.scope.subject or claim.subject
    key = name_key(subject)
    code = claim.scope.code or (key.code if key else None)
    # "检察（款）": a name with its level is a classification row even when short.
    shortest = 2 if LEVEL.search(subject) else min_name
    names = set() if key is None else {n for n in key.names if len(n) >= shortest}
    # "其他支出（类）": a 类 of that name is one row, though its 款 and 项 share the name.
    cls = bool(re.search(r"[(（]类[)）]", subject))
    if code is None and (key is None or key.parent is None):
        names = {n for n in names if not _ambiguous(n, cls)}
    if code is None and not names:
        return []
    carried = bool(_CARRY_OVER.search(subject))
    out = []
    for rt in tables:
        fund = fund_named(norm(rt.title)) or ""  # from the title ("一般公共预算支出表"); "" all funds
        for side in rt.sides:
            col = _value_column(rt, side.value_cols)
            if col is None:
                continue
            for item in side.items:
                if item.code is not None and code is not None:
                    if item.code != code:
                        continue
                elif not _named(norm(item.label), names):
                    continue  # a row without a code is found by its name
                elif cls and item.code is not None and len(item.code) != 3:
                    continue
                elif key is not None and key.parent and item.parent is not None:
                    if name_core(side.items[item.parent].label) != name_core(key.parent):
                        continue
                if rt.merged is not None and rt.merged[item.row, col]:
                    continue
                if not carried and _under_carry_over(side.items, item.parent):
                    continue  # "上年结转 / (一)一般公共预算拨款": the carry-over's part
                out.append(Found(fund, *cell_target(ctx, rt, (item.row, col)), rt.role))
    return out


_CARRY_OVER = re.compile(r"结转|结余")


def _under_carry_over(items: list[Item], parent: int | None) -> bool:
    while parent is not None:
        if _CARRY_OVER.search(items[parent].label):
            return True
        parent = items[parent].parent
    return False
