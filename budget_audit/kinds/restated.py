"""restated — a figure repeated in a list item equals the figure first given.

What it checks
    A total given with its parts in one sentence ("预算10,737.69万元，包括在职人员经费
    6,516.50万元、公用经费1,079.33万元…") and then explained item by item ("（一）在职人员
    经费6,516.50万元，主要是…"; "（二）公用经费1,079.33万元，…"): each item restates a part
    and must repeat its figure. Recognition (``recognise/lists.py``) links an item to the
    part it restates by its numbering and its name; this kind compares the two numbers.
Rounding
    Both figures stand for the interval of their last printed digit; they agree when the
    intervals meet ("8,327.5万元" restates "8,327.50万元").
Why it matters
    The two figures are typed twice by hand; a reader who takes one of them gets a
    different budget from one who takes the other.
Passing example
    "…包括在职人员经费6,516.50万元、公用经费1,079.33万元。（一）在职人员经费6,516.50万元…
    （二）公用经费1,079.33万元…"
Failing example
    "…包括公用经费857.93万元…。（二）公用经费875.93万元…"
Mode ``repeated``
    A document-level figure stated twice in its own words ("单位预留机动经费预算数为182.92
    万元" in the 收入 section, "单位预留机动经费182.92万元，占0.6%" in the 支出 section;
    "一般公共预算收入预算" in the summary, "一般公共预算拨款收入" later) must be stated
    with one amount. Two statements are of one figure when both are headline figures
    (recognise/claims.py), name the same item in their own words, and agree in fund,
    unit, and the words that choose a total (总计, 合计, 本年, 当年, 结转, 年初).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..findings import Operand
from ..recognise.lexicon import norm
from ..recognise.prose import Claim
from .base import Context, claim_location, fmt_amount
from .prose_amount import income_core

KIND = "restated"


@dataclass(frozen=True)
class Params:
    mode: Literal["listed", "repeated"] = "listed"


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    if check.params.mode == "repeated":
        _repeated(ctx)
        return
    claims = ctx.facts.prose.claims
    todo = [c for c in claims if c.restates is not None]
    if not todo:
        ctx.skipped("正文没有逐项复述的金额", "no figure restated in a list")
        return
    for item in todo:
        assert item.restates is not None
        _compare(ctx, item, claims[item.restates])


def _compare(ctx: Context, item: Claim, first: Claim) -> None:
    """The later statement ``item`` against the first: their intervals must meet."""
    a, b = item.amount, first.amount
    if a is None or b is None:
        return
    ctx.used_claim(item)
    ctx.used_claim(first)
    if a.lo <= b.hi and b.lo <= a.hi:
        if not ctx.count_pass():
            ctx.passed("复述的金额一致", "restated figure agrees",
                       [claim_location(ctx.facts, item), claim_location(ctx.facts, first)],
                       expected=first.text, actual=item.text)
        return
    loc_item, loc_first = claim_location(ctx.facts, item), claim_location(ctx.facts, first)
    ctx.failed(
        f"「{item.phrase}{item.text}」与前文「{first.phrase}{first.text}」是同一项目，金额却不同"
        f"（{fmt_amount(a)} ≠ {fmt_amount(b)}）",
        f"'{item.phrase}{item.text}' restates '{first.phrase}{first.text}' with another figure",
        [loc_item, loc_first],
        expected=fmt_amount(b),
        actual=fmt_amount(a),
        operands=(
            Operand("left", a.value, a.half, a.unit, a.text, loc_item, coef=1),
            Operand("right", b.value, b.half, b.unit, b.text, loc_first, coef=-1),
        ),
    )


# Words that choose which total a figure is: "收入预算总计" (with carry-over) is not
# "本年收入合计"; "当年一般公共预算支出" is not one that holds a carry-over.
_TOTAL_WORDS = re.compile(r"总计|合计|本年|当年|上年结转|结转|年初|年末")


def _key(claim: Claim) -> tuple[str, ...] | None:
    """What makes two statements one figure, or None for a figure that is not a
    document-level figure named in its own words."""
    s = claim.scope
    if claim.kind != "amount" or claim.amount is None or not s.headline:
        return None
    if s.period != "current" or s.reason or s.narrative:
        return None
    subject = norm(s.subject or claim.subject)
    if len(subject) < 3 or subject not in norm(claim.phrase):
        return None  # named by a heading or a list, not by its own words
    words = "".join(sorted(set(_TOTAL_WORDS.findall(claim.phrase))))
    return (income_core(subject), s.fund or "", s.unit or "", words, s.code or "")


def _repeated(ctx: Context) -> None:
    groups: dict[tuple[str, ...], list[Claim]] = {}
    for claim in ctx.facts.prose.claims:
        key = _key(claim)
        if key is not None:
            groups.setdefault(key, []).append(claim)
    repeated = [same for same in groups.values() if len(same) > 1]
    if not repeated:
        ctx.skipped("正文没有以同样措辞重复陈述的金额", "no figure stated twice in the same words")
        return
    for same in repeated:
        for other in same[1:]:
            _compare(ctx, other, same[0])
