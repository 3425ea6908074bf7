"""execution — budget execution in a 决算: 决算数 against 年初预算, as the prose states it.

What it checks
    The 决算 template explains every spending line as "年初预算为B万元，支出决算为A万元，
    完成年初预算的Y%。决算数小于预算数的主要原因：…". For every such pair (the budget
    amount, then the 决算 amount, in one paragraph, within ``section``):

    * a stated rate: Y% must equal A / B (``完成年初预算的98.20%``);
    * the comparison words must match the two numbers: 决算数大于预算数 needs A > B,
      小于 needs A < B, 等于 / 与预算数持平 needs A = B ("基本持平" is a judgement: it is
      checked only when the two numbers are in fact equal);
    * with ``source``, A must equal that table cell (e.g. the 合计 of the
      一般公共预算财政拨款支出决算表); with ``by_name``, when the paragraph names its
      line as "X（类）Y（款）Z（项）", A must equal that row of the table (its parent
      rows must carry the names of the 款 and 类 too);
    * with ``budget_source``, B must equal that table cell (the 预算数 column of the
      “三公” table); a 决算 amount stated with a rate but no budget of its own
      ("因公出国（境）费决算为0.00万元，完成预算的0%") is checked against that cell.

    ``subject`` restricts the check to pairs whose wording matches it;
    ``other_sections`` leaves out the sections other checks read (so that a statement
    is not reported twice). The reasons that follow are free text and are not read.
    The actual amount may be called 决算数 or 执行数 ("全年预算数X万元，执行数Y万元，完成
    预算的Z%", as project self-evaluations print it).
Rounding
    Every printed number stands for the interval of its last digit; a rate or a
    comparison fails only when no values inside the intervals give it (integer
    cross-multiplication). A budget of zero gives no rate: a rate stated for it is
    wrong ("年初预算0万元，支出决算94.5万元，完成年初预算的95.89%"), unless the actual is
    zero too (0 of 0: nothing to check).
Why it matters
    "完成年初预算的98.20%" or "决算数小于预算数" is what a reader takes from the
    section; when it does not follow from the two numbers beside it, one of the three
    is wrong.
Passing example
    "年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。决算数小于预算数"
Failing example
    "年初预算为135.90万元，支出决算为135.25万元。决算数大于预算数的主要原因：…"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..money import (
    format_amount,
    format_percent_range,
    percent_consistent,
    ratio_range,
    zero_base,
)
from ..recognise.lexicon import lexicon_data, norm, pattern_words
from ..recognise.prose import Claim
from ..recognise.tables import RTable
from .base import CellRef, Context, cell_location, claim_location, fmt_amount, resolve
from .prose_amount import ENUM_LEAD

KIND = "execution"


@dataclass(frozen=True)
class Params:
    section: str | None = None  # regex on the section heading of the claims
    other_sections: str | None = None  # regex: sections whose statements other checks read
    subject: str | None = (
        None  # regex on the wording of the pair (budget + actual clause)
    )
    source: CellRef | None = None  # the cell the 决算 amount must equal
    by_name: CellRef | None = None  # table (+ column) of the row named "X（项）"
    budget_source: CellRef | None = (
        None  # the cell the budget must equal / stands in for it
    )


@dataclass(frozen=True)
class _Words:
    budget: re.Pattern[str]
    actual: re.Pattern[str]
    more: re.Pattern[str]
    less: re.Pattern[str]
    equal: re.Pattern[str]
    roughly: re.Pattern[str]
    named_item: re.Pattern[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    f = lexicon_data()["final"]
    return _Words(
        budget=re.compile(f["budget_phrase"]),
        actual=re.compile(f["actual_phrase"]),
        more=re.compile(f["more"]),
        less=re.compile(f["less"]),
        equal=re.compile(f["equal"]),
        roughly=re.compile(f["roughly"]),
        named_item=re.compile(f["named_item"]),
    )


@dataclass
class _Pair:
    actual: Claim
    budget: Claim | None
    tail: str  # paragraph text after the actual amount, up to the next budget amount
    head: str  # paragraph text before the budget (or actual) amount


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    pairs = _pairs(ctx, p)
    if not pairs:
        ctx.skipped(
            "正文没有“年初预算为…，支出决算为…”式的表述",
            "no budget-execution statement",
        )
        return
    for pair in pairs:
        budget = _budget(ctx, p, pair)
        _rate(ctx, pair, budget)
        if pair.budget is not None:  # a comparison speaks of a budget the text states
            _comparison(ctx, pair, budget)
        _actual_vs_table(ctx, p, pair)


# -- finding the statements ---------------------------------------------------


def _pairs(ctx: Context, p: Params) -> list[_Pair]:
    w = _words()
    claims = [
        c
        for c in ctx.facts.prose.claims
        if c.kind == "amount"
        and (p.section is None or re.search(p.section, c.sentence.section))
        and (p.other_sections is None or not re.search(p.other_sections, c.sentence.section))
    ]
    out: list[_Pair] = []
    for k, claim in enumerate(claims):
        if not w.actual.search(claim.phrase):
            continue
        prev = claims[k - 1] if k else None
        budget = (
            prev
            if prev is not None
            and prev.sentence.para == claim.sentence.para
            and w.budget.search(prev.phrase)
            and not w.actual.search(prev.phrase)
            else None
        )
        if budget is None and not (p.budget_source and claim.rate is not None):
            continue
        wording = (budget.phrase if budget else "") + claim.phrase
        if p.subject and not re.search(p.subject, wording):
            continue
        text = _paragraph_text(ctx, claim)
        first = budget or claim
        end = _offset(ctx, claim) + (claim.end - claim.start)
        nxt = next(
            (
                c
                for c in claims[k + 1 :]
                if c.sentence.para == claim.sentence.para and w.budget.search(c.phrase)
            ),
            None,
        )
        stop = _offset(ctx, nxt) - len(nxt.phrase) if nxt is not None else len(text)
        out.append(_Pair(claim, budget, text[end:stop], _head(ctx, first)))
    return out


def _head(ctx: Context, first: Claim) -> str:
    """The text between the previous amount and this statement.

    It names the line the statement is about ("1、一般公共服务支出（类）财政事务（款）
    行政运行（项）。主要用于：…"), which producers often print as a paragraph (or a
    heading) of its own, sometimes broken before its "（项）".
    """
    prose = ctx.facts.prose
    prev = next(
        (c for c in reversed(prose.claims[: first.id]) if c.kind == "amount"), None
    )
    stop_s, stop = first.sentence.index, first.start - len(first.phrase)
    start_s, start = (prev.sentence.index, prev.end) if prev is not None else (0, 0)
    if start_s == stop_s:
        return first.sentence.text[start:stop]
    parts = [prose.sentences[start_s].text[start:]]
    parts += [s.text for s in prose.sentences[start_s + 1 : stop_s]]
    parts.append(first.sentence.text[:stop])
    return "".join(parts)


def _paragraph_text(ctx: Context, claim: Claim) -> str:
    return "".join(
        s.text for s in ctx.facts.prose.sentences if s.para == claim.sentence.para
    )


def _offset(ctx: Context, claim: Claim) -> int:
    """Position of the claim's number in its paragraph text."""
    before = sum(
        len(s.text)
        for s in ctx.facts.prose.sentences
        if s.para == claim.sentence.para and s.index < claim.sentence.index
    )
    return before + claim.start


# -- the budget ------------------------------------------------------------------


def _cell(ctx: Context, ref: CellRef) -> tuple[RTable, tuple[int, int]] | None:
    for rt in ctx.tables(ref.table):
        hit = resolve(rt, ref)
        if hit is not None:
            return rt, hit
    return None


def _budget(ctx: Context, p: Params, pair: _Pair) -> tuple[int, int, str] | None:
    """(lo, hi, text) of the budget: the prose's, else the table's (``budget_source``)."""
    table = _cell(ctx, p.budget_source) if p.budget_source else None
    if pair.budget is not None:
        b = pair.budget.amount
        assert b is not None
        if table is not None:
            _compare_cell(ctx, pair.budget, table, "年初预算")
        return b.lo, b.hi, fmt_amount(b)
    if table is None:
        if p.budget_source is not None:
            ctx.skipped(
                f"表中找不到{pattern_words(p.budget_source.row or p.budget_source.column)}，无法核对“完成预算的%”",
                "budget cell not found",
            )
        return None
    rt, cell = table
    v, h = int(rt.values[cell]), int(rt.halves[cell])
    loc = cell_location(ctx.facts, rt, *cell)
    return (
        v - h,
        v + h,
        f"{format_amount(v, rt.unit or '元')}{rt.unit or ''}（{loc.column or ''}）",
    )


# -- the three statements ----------------------------------------------------------


def _used(ctx: Context, pair: _Pair) -> None:
    """Both figures of the pair were compared (a rate or a comparison word)."""
    ctx.used_claim(pair.actual)
    if pair.budget is not None:
        ctx.used_claim(pair.budget)


def _rate(ctx: Context, pair: _Pair, budget: tuple[int, int, str] | None) -> None:
    a, pct = pair.actual.amount, pair.actual.rate
    if pct is None or budget is None:
        return
    assert a is not None
    loc = claim_location(ctx.facts, pair.actual)
    b_lo, b_hi, b_text = budget
    verdict = zero_base(a.lo, a.hi, b_lo, b_hi, pct)
    if verdict == "none":
        # "年初预算0万元，支出决算94.5万元，完成年初预算的95.89%": a share of nothing.
        _used(ctx, pair)
        ctx.failed(
            f"「{pair.actual.phrase}{pair.actual.text}，完成预算的{pct.text}%」：预算数 {b_text} 为零，"
            f"完成率无从计算，所写 {pct.text}% 不可能",
            f"execution rate {pct.text}% of a budget of zero ({b_text}): no such rate exists",
            [loc],
            expected="无（预算为零）",
            actual=pct.text + "%",
        )
        return
    rng = ratio_range(a.lo, a.hi, b_lo, b_hi)
    if verdict == "open" or rng is None:
        ctx.skipped(
            f"「{pair.actual.phrase}{pair.actual.text}」的预算数可能为零，完成率无法复算",
            "zero budget",
        )
        return
    expect = format_percent_range(*rng)
    _used(ctx, pair)
    if percent_consistent(pct, *rng):
        ctx.passed(
            "完成率可复算",
            "execution rate recomputes",
            [loc],
            expected=expect,
            actual=pct.text + "%",
        )
        return
    msg = (
        f"「{pair.actual.phrase}{pair.actual.text}，完成预算的{pct.text}%」：按 {fmt_amount(a)} ÷ {b_text}"
        f"复算为 {expect}，与所写 {pct.text}% 不符"
    )
    msg_en = f"execution rate {pct.text}% recomputes to {expect} ({fmt_amount(a)} / {b_text})"
    ctx.failed(msg, msg_en, [loc], expected=expect, actual=pct.text + "%")


def _comparison(ctx: Context, pair: _Pair, budget: tuple[int, int, str] | None) -> None:
    if budget is None:
        return
    w = _words()
    a = pair.actual.amount
    assert a is not None
    b_lo, b_hi, b_text = budget
    tail = pair.tail
    # The first comparison after the pair is the one that speaks of it.
    found = []
    for word, rx in (
        ("roughly", w.roughly),
        ("more", w.more),
        ("less", w.less),
        ("equal", w.equal),
    ):
        m = rx.search(tail)
        if m:
            found.append((m.start(), word, m.group(0)))
    if not found:
        return
    _, word, said = min(found)
    loc = claim_location(ctx.facts, pair.actual)
    overlap = a.lo <= b_hi and b_lo <= a.hi
    if word == "more":
        ok = a.hi > b_lo
    elif word == "less":
        ok = a.lo < b_hi
    elif word == "equal":
        ok = overlap
    else:  # roughly: a judgement; only an exact agreement can be confirmed
        if not overlap:
            ctx.skipped(
                f"「{said}」是判断，{fmt_amount(a)} 与 {b_text} 不等，不作核对",
                "'roughly equal' not checked",
            )
            return
        ok = True
    _used(ctx, pair)
    pair_text = f"预算 {b_text}、决算 {fmt_amount(a)}"
    if ok:
        ctx.passed(
            f"「{said}」与{pair_text}相符",
            "comparison agrees",
            [loc],
            expected=pair_text,
            actual=said,
        )
        return
    rel = "大于" if a.lo > b_hi else "小于" if a.hi < b_lo else "等于"
    msg = f"正文称「{said}」，但{pair_text}，决算数{rel}预算数"
    msg_en = f"text says '{said}' but budget {b_text}, actual {fmt_amount(a)}"
    ctx.failed(msg, msg_en, [loc], expected=f"决算数{rel}预算数", actual=said)


def _actual_vs_table(ctx: Context, p: Params, pair: _Pair) -> None:
    chain = [
        (m.group("level"), ENUM_LEAD.sub("", norm(m.group("name"))))  # "1.一般公共服务支出（类）"
        for m in _words().named_item.finditer(pair.head)
    ]
    marked = bool(re.search(r"\((类|款|项)\)", pair.head))
    target: tuple[RTable, tuple[int, int]] | None = None
    if marked and p.by_name is not None:
        target = _named_row(ctx, p.by_name, chain)
        if target is None:
            names = "".join(f"{n}（{lvl}）" for lvl, n in chain)
            ctx.skipped(f"表中找不到「{names}」，未核对其决算数", "named row not found")
            return
    elif not marked and p.source is not None:
        target = _cell(ctx, p.source)
        if target is None:
            ctx.skipped(
                f"表中找不到{pattern_words(p.source.row or p.source.column)}，未核对决算数",
                "cell not found",
            )
            return
    if target is None:
        return
    _compare_cell(ctx, pair.actual, target, "决算数")


def _named_row(
    ctx: Context, ref: CellRef, chain: list[tuple[str, str]]
) -> tuple[RTable, tuple[int, int]] | None:
    levels = {lvl: name for lvl, name in chain}
    leaf = levels.get("项") or levels.get("款") or levels.get("类")
    want_up = [
        levels[lvl] for lvl in ("款", "类") if lvl in levels and levels[lvl] != leaf
    ]
    for rt in ctx.tables(ref.table):
        for side in rt.sides:
            col = next(
                (
                    c
                    for c in side.value_cols
                    if ref.column is None or re.search(ref.column, rt.columns[c].name)
                ),
                None,
            )
            if col is None:
                continue
            for item in side.items:
                if item.label != leaf:
                    continue
                ancestors = []
                parent = item.parent
                while parent is not None:
                    ancestors.append(side.items[parent].label)
                    parent = side.items[parent].parent
                # Every named ancestor must be among the row's parents (when the table
                # shows a hierarchy at all).
                if ancestors and not all(name in ancestors for name in want_up):
                    continue
                return rt, (item.row, col)
    return None


def _compare_cell(
    ctx: Context, claim: Claim, target: tuple[RTable, tuple[int, int]], what: str
) -> None:
    a = claim.amount
    assert a is not None
    rt, cell = target
    v, h = int(rt.values[cell]), int(rt.halves[cell])
    loc = cell_location(ctx.facts, rt, *cell)
    cloc = claim_location(ctx.facts, claim)
    ctx.used_claim(claim)
    table_text = f"{format_amount(v, rt.unit or '元')}{rt.unit or ''}"
    where = f"《{rt.title}》{loc.row_label or ''}「{loc.column or ''}」"
    if a.lo <= v + h and v - h <= a.hi:
        ctx.passed(
            f"{what}与表一致",
            "agrees with the table",
            [cloc, loc],
            expected=table_text,
            actual=claim.text,
        )
        return
    msg = f"正文{what}「{claim.phrase}{claim.text}」与{where} {table_text} 不一致"
    msg_en = f"prose '{claim.phrase}{claim.text}' disagrees with {rt.title} {loc.row_label} = {table_text}"
    ctx.failed(msg, msg_en, [cloc, loc], expected=table_text, actual=claim.text)
