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
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Operand
from .base import Context, claim_location, fmt_amount

KIND = "restated"


@dataclass(frozen=True)
class Params:
    pass


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    claims = ctx.facts.prose.claims
    todo = [c for c in claims if c.restates is not None]
    if not todo:
        ctx.skipped("正文没有逐项复述的金额", "no figure restated in a list")
        return
    for item in todo:
        assert item.restates is not None
        first = claims[item.restates]
        a, b = item.amount, first.amount
        if a is None or b is None:
            continue
        ctx.used_claim(item)
        ctx.used_claim(first)
        if a.lo <= b.hi and b.lo <= a.hi:
            if ctx.count_pass():
                continue
            ctx.passed("复述的金额一致", "restated figure agrees",
                       [claim_location(ctx.facts, item), claim_location(ctx.facts, first)],
                       expected=first.text, actual=item.text)
            continue
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
