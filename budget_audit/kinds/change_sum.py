"""change_sum — the change of a total equals the sum of the changes of its parts.

What it checks
    In the section ``section``, the claim whose subject matches ``total`` states a
    change against last year (增加/减少 X万元, or 持平); each part (``parts``: subject
    patterns, a part may list its own sub-parts) states its change too. The total's
    change must equal the sum of the parts' changes, within the printed precision —
    equivalently, last year's total must equal the sum of last year's parts. A part
    whose change is not stated but whose sub-parts' changes are is the sum of those.
Why it matters
    "三公经费比上年增加3.42万元" while 因公出国 持平, 公务用车 +4, 公务接待 −0.58 is
    consistent; a change in one figure that was not carried into the others is not.
Passing example
    三公 +3.42 = 因公出国 0 + 公务用车购置费 0 + 公务用车运行费 +4 + 公务接待费 −0.58
Failing example
    三公 +3.42 but 公务用车运行费 +4 and 公务接待费 −0.85
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..money import format_amount
from ..recognise.lexicon import pattern_words
from ..recognise.prose import Claim
from .base import Context, claim_location

KIND = "change_sum"


@dataclass(frozen=True)
class Part:
    subject: str
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Params:
    total: str
    parts: tuple[Part, ...]
    section: str | None = None


def _find(claims: list[Claim], pattern: str) -> Claim | None:
    rx = re.compile(pattern)
    return next((c for c in claims if rx.search(c.subject)), None)


def _delta(claim: Claim | None) -> tuple[int, int] | None:
    """The signed change as an interval (lo, hi) in 厘, or None when not stated."""
    if claim is None or claim.change is None or claim.change.amount is None:
        return None
    ch = claim.change
    direction = ch.amount_dir if ch.amount_dir is not None else ch.direction
    if direction is None:
        return None
    a = ch.amount
    if a is None:
        return None
    if direction == 0:
        return 0, 0
    return (a.lo, a.hi) if direction > 0 else (-a.hi, -a.lo)


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    claims = [
        c for c in ctx.facts.prose.claims
        if c.kind == "amount" and (p.section is None or re.search(p.section, c.sentence.section))
    ]
    total = _find(claims, p.total)
    t = _delta(total)
    if total is None or t is None:
        ctx.skipped("正文没有说明总额比上年的增减", "no stated change of the total")
        return
    lo = hi = 0
    used: list[Claim] = []
    for part in p.parts:
        claim = _find(claims, part.subject)
        d = _delta(claim)
        if d is None and part.parts:
            subs = [_find(claims, sp) for sp in part.parts]
            deltas = [x for c in subs if (x := _delta(c)) is not None]
            if len(deltas) == len(subs):
                d = (sum(x[0] for x in deltas), sum(x[1] for x in deltas))
                used.extend(c for c in subs if c is not None)
        if d is None:
            ctx.skipped(f"正文没有说明{pattern_words(part.subject)}比上年的增减", "a part's change is not stated")
            return
        if claim is not None:
            used.append(claim)
        lo += d[0]
        hi += d[1]
    for c in [total, *used]:
        ctx.used_claim(c)
    loc = claim_location(ctx.facts, total)
    unit = total.amount.unit if total.amount else "万元"
    expected = f"[{format_amount(lo, unit)}, {format_amount(hi, unit)}]{unit}"
    actual = f"{'+' if t[0] >= 0 else ''}{format_amount((t[0] + t[1]) // 2, unit)}{unit}"
    if t[0] <= hi and lo <= t[1]:
        ctx.passed("各分项增减之和与总额增减一致", "changes add up", [loc], expected=expected, actual=actual)
        return
    ctx.failed(
        f"「{total.phrase}{total.text}」比上年变动 {actual}，但各分项比上年的变动之和为 {expected}，两者不一致",
        f"the total changes by {actual} but its parts change by {expected}",
        [loc] + [claim_location(ctx.facts, c) for c in used],
        expected=expected,
        actual=actual,
    )
