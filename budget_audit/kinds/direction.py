"""direction — the words of a change agree with each other and with the numbers.

What it checks
    A change stated with both an amount and a rate uses words of one direction:
    增加/增长/上升 (up) or 减少/下降/降低 (down): "增加0.58万元，下降33.53%" is
    contradictory. A stated prior-year value, when the text gives one, must move the
    way the words say.
Why it matters
    A flipped direction word reverses the meaning of the sentence while every number
    stays plausible.
Passing example
    "减少0.58万元，下降33.53%"
Failing example
    "增加0.58万元，下降33.53%"
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Context, claim_location

KIND = "direction"


@dataclass(frozen=True)
class Params:
    section: str | None = None


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    import re

    p: Params = check.params
    todo = [
        c
        for c in ctx.facts.prose.claims
        if c.change and c.change.amount_dir is not None and c.change.pct_dir is not None
        and (p.section is None or re.search(p.section, c.sentence.section))
    ]
    if not todo:
        ctx.skipped("正文没有同时写明增减额和增减率方向的表述", "no change with two direction words")
        return
    for claim in todo:
        ch = claim.change
        assert ch is not None
        # Two words agreeing is not a comparison of the number: the claim is not marked
        # verified here (GEN-402 recomputes the rate).
        loc = claim_location(ctx.facts, claim)
        if ch.amount_dir == ch.pct_dir:
            ctx.passed("方向一致", "directions agree", [loc])
            continue
        msg = f"「{claim.phrase}{claim.text}」先说“{ch.amount_word}”后说“{ch.pct_word}”，增减方向自相矛盾"
        msg_en = f"'{claim.phrase}': '{ch.amount_word}' and '{ch.pct_word}' point in opposite directions"
        ctx.failed(msg, msg_en, [loc], expected=ch.amount_word, actual=ch.pct_word)
