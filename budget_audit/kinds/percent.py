"""percent — a share or a growth rate recomputes from the numbers the text states.

What it checks
    ``mode: share`` — "一般公共服务支出1461.74万元，占94.06%" must equal 1461.74 / the total
    the paragraph states before its list (the 其中 total, else the nearest earlier amount
    without a share; other amounts of the paragraph are tried before failing).
    ``mode: growth`` — "增加1183.9万元，增长319.86%" of a current 1554.03万元 must equal
    1183.9 / (1554.03 − 1183.9); for 减少/下降 the base is current + change. When the text
    states last year's figure ("2025年预算执行数为A万元，2026年预算安排B万元，比2025年
    预算执行数减少X%"; "比上年预算（上年A万元）"), the base is that figure, and the change,
    the rate or "持平" must agree with it. A rate of a zero base does not exist: it is
    reported ("增加9.15万元，增长100%" of a new item).
Rounding
    Every printed number stands for the interval its last digit allows; the check fails
    only when no values inside the stated intervals give the printed percentage (the
    GRIM/statcheck approach), computed by integer cross-multiplication.
Why it matters
    A percentage that does not follow from the amounts beside it is a typing or
    copy-paste error that readers cannot detect by eye.
Passing example
    "支出1554.03万元…增加1183.9万元，增长319.86%" (1183.9 / 370.13 = 319.86%)
Failing example
    "公务接待费1.15万元，减少0.58万元，下降23.53%" (0.58 / 1.73 = 33.53%)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..money import (
    PCT_SCALE,
    Percent,
    format_amount,
    format_percent_range,
    percent_consistent,
    ratio_range,
    zero_base,
)
from ..recognise.prose import Claim
from .base import Context, claim_location, fmt_amount

KIND = "percent"


@dataclass(frozen=True)
class Params:
    mode: Literal["share", "growth"]
    section: str | None = None


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001

    p: Params = check.params
    claims = [
        c
        for c in ctx.facts.prose.claims
        if c.kind == "amount" and (p.section is None or re.search(p.section, c.sentence.section))
    ]
    if p.mode == "share":
        todo = [c for c in claims if c.share is not None]
        if not todo:
            ctx.skipped("正文没有“占…%”的表述", "no shares stated")
        for claim in todo:
            _share(ctx, claim)
    else:
        both = [c for c in claims if c.change and c.change.amount is not None and c.change.pct is not None]
        # "2025年预算执行数为A万元，2026年预算安排B万元，比2025年减少X%", "与上年持平":
        # last year's figure is stated, and one of change and rate (or 持平).
        priors = [c for c in claims if c.change and c.change.prior is not None and c not in both]
        if not both and not priors:
            ctx.skipped("正文没有同时给出增减额和增减率（或上年数）的表述", "no change with both amount and rate")
        for claim in both:
            _growth(ctx, claim)
        for claim in claims:
            if claim.change and claim.change.pct is None and claim.change.reason_pct is not None:
                _reason_rate(ctx, claim)
        for claim in priors:
            _against_prior(ctx, claim)


def _candidates(ctx: Context, claim: Claim) -> list[Claim]:
    prose = ctx.facts.prose
    before = [
        c
        for c in prose.claims
        if c.kind == "amount" and c.sentence.para == claim.sentence.para and c.id < claim.id
    ]
    preferred: list[Claim] = []
    if claim.parent is not None:
        preferred.append(prose.claims[claim.parent])
    no_share = [c for c in before if c.share is None]
    if no_share:
        preferred.append(no_share[-1])
    rest = [c for c in reversed(before) if c not in preferred and c.share is None]
    # The paragraph's section total may be stated in an earlier paragraph of the section.
    section = [
        c
        for c in prose.claims
        if c.kind == "amount" and c.id < claim.id and c.sentence.section == claim.sentence.section and c not in before
    ]
    ordered = preferred + rest + section[::-1]
    # "占本年支出预算35.77%": a base whose phrase names what the share is of comes first.
    if _named_base(claim):
        named = [c for c in ordered if _names(claim, c)]
        ordered = named + [c for c in ordered if c not in named]
    return ordered


TRUNCATED = "；差异小于末位一个单位，像是截断而非四舍五入"


def truncated(pct: Percent, rng: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """The printed rate is the recomputed one cut after its last digit (10.877% printed
    10.87%) rather than rounded: wrong, but by less than one printed step (a warning, as
    for amounts)."""
    return pct.half > 0 and percent_consistent(Percent(pct.value + pct.half, pct.half, pct.text), *rng)


def _named_base(claim: Claim) -> str:
    """What a share says it is of ("占本年支出预算35.77%" → "支出预算"), or ""."""
    core = re.sub(r"^(本年|全年|年度|部门|单位)|(的|总额|合计|总计|总数)$", "", claim.share_of.strip("“”\"'"))
    return core if len(core) >= 2 else ""


_TOTAL = re.compile(r"合计|总计|总额|总数|总体|总预算|总决算")


def _names(claim: Claim, base: Claim) -> bool:
    """Is ``base`` the figure the share says it is of? "占本年支出合计的14.27%" names a
    total: a 支出 figure that is not one ("年初预算139,217.01万元") is not its base."""
    core = _named_base(claim)
    if not core or not (core in base.phrase or core in base.subject):
        return False
    return not _TOTAL.search(claim.share_of) or bool(_TOTAL.search(base.phrase)) or core == base.subject


def _share(ctx: Context, claim: Claim) -> None:
    a, pct = claim.amount, claim.share
    assert a is not None and pct is not None
    loc = claim_location(ctx.facts, claim)
    named = _named_base(claim)
    cands = [
        c for c in _candidates(ctx, claim)
        if c.amount and c.amount.value > 0 and (c.share is None or _names(claim, c))
    ]
    if not cands:
        _share_of_listed_total(ctx, claim, loc)
        return
    for base in cands:
        b = base.amount
        assert b is not None
        rng = ratio_range(a.lo, a.hi, b.lo, b.hi)
        if rng and percent_consistent(pct, *rng):
            ctx.used_claim(claim)
            ctx.used_claim(base)
            ctx.passed("占比可复算", "share recomputes", [loc], expected=format_percent_range(*rng), actual=pct.text + "%")
            return
    listed = _listed_total(ctx, claim)
    if listed is not None:
        rng = ratio_range(a.lo, a.hi, *listed)
        if rng and percent_consistent(pct, *rng):
            # The stated shares add up to 100% of the listed items, and this one is its
            # share of their sum: the denominator is the list's own total.
            ctx.used_claim(claim)
            ctx.passed("占比可由所列各项之和复算", "share of the listed total recomputes", [loc],
                       expected=format_percent_range(*rng), actual=pct.text + "%")
            return
    if named and not any(_names(claim, c) for c in cands):
        # "占一般公共预算支出的35.77%": the base the sentence names is not stated in the
        # prose; dividing by another figure would test a share nobody claimed.
        ctx.skipped(f"「{claim.phrase}{claim.text}」的占比分母“{claim.share_of}”正文未写明，未核对",
                    "the base the share names is not stated")
        return
    base = cands[0]
    b = base.amount
    assert b is not None
    rng = ratio_range(a.lo, a.hi, b.lo, b.hi)
    expect = format_percent_range(*rng) if rng else "无法计算"
    msg = (
        f"「{claim.phrase}{claim.text}，占{pct.text}%」：按 {fmt_amount(a)} ÷ {fmt_amount(b)}（{base.phrase}）"
        f"复算为 {expect}，与所写 {pct.text}% 不符"
    )
    msg_en = f"share {pct.text}% of '{claim.phrase}' recomputes to {expect} ({fmt_amount(a)} / {fmt_amount(b)})"
    ctx.used_claim(claim)
    cut = rng is not None and truncated(pct, rng)
    ctx.failed(msg + (TRUNCATED if cut else ""), msg_en, [loc], expected=expect, actual=pct.text + "%",
               detail={"base": base.phrase + base.text}, severity="warning" if cut else None)


def _growth(ctx: Context, claim: Claim) -> None:
    ch = claim.change
    cur = claim.amount
    assert ch is not None and ch.amount is not None and ch.pct is not None and cur is not None
    loc = claim_location(ctx.facts, claim)
    x = ch.amount
    direction = ch.amount_dir or ch.pct_dir or 1
    prior_year_amount = claim.scope.period == "prior"
    if ch.prior is None and prior_year_amount:
        # "（2016年度部门支出预算安排为8,648.07万元），增加498.72万元": the amount the
        # change follows is itself last year's.
        den_lo, den_hi = cur.lo, cur.hi
        prior_text = fmt_amount(cur)
    elif ch.prior is not None:
        # The text states last year's value: the rate is change / prior.
        den_lo, den_hi = ch.prior.lo, ch.prior.hi
        prior_text = fmt_amount(ch.prior)
    elif direction > 0:
        # prior = current - change
        den_lo, den_hi = cur.lo - x.hi, cur.hi - x.lo
        prior_text = f"{fmt_amount(cur)} − {fmt_amount(x)}"
    else:
        den_lo, den_hi = cur.lo + x.lo, cur.hi + x.hi
        prior_text = f"{fmt_amount(cur)} + {fmt_amount(x)}"
    if ch.prior is None and direction > 0 and den_hi < 0 and not prior_year_amount:
        # An increase larger than the amount it led to: last year would be negative.
        msg = (
            f"「{claim.phrase}{claim.text}」写{ch.amount_word or '增加'}{fmt_amount(x)}，大于本年数本身："
            f"上年数 = {prior_text} < 0，不可能；增加额或本年数有误"
        )
        msg_en = f"'{claim.phrase}{claim.text}' rose by {fmt_amount(x)}, more than the amount itself: the prior would be negative"
        ctx.used_claim(claim)
        ctx.failed(msg, msg_en, [loc], expected=f"≤ {fmt_amount(cur)}", actual=fmt_amount(x))
        return
    verdict = zero_base(x.lo, x.hi, den_lo, den_hi, ch.pct)
    if verdict == "none":
        # A new item ("增加1326.81万元，增长100%" of 1326.81万元): last year was zero, and a
        # rate of zero does not exist — "100%" is a convention, not a figure (issue 11).
        msg = (
            f"「{claim.phrase}{claim.text}」{ch.amount_word or '变动'}{fmt_amount(x)}：上年数 = {prior_text}，"
            f"为零（新增项目），增长率无从计算，不应写“{ch.pct_word or '增长'}{ch.pct.text}%”"
        )
        ctx.used_claim(claim)
        ctx.failed(msg, f"rate {ch.pct.text}% of a prior of zero ({prior_text}): no such rate exists",
                   [loc], expected="无（上年为零）", actual=ch.pct.text + "%")
        return
    rng = ratio_range(x.lo, x.hi, den_lo, den_hi)
    if verdict == "open" or rng is None:
        ctx.skipped(f"「{claim.phrase}」上年数可能为零，增长率无法复算", "prior value may be zero")
        return
    expect = format_percent_range(*rng)
    if ch.prior is not None and not _prior_agrees(cur, ch.prior, x, direction):
        p = ch.prior
        msg = (
            f"「{claim.phrase}{claim.text}」与所述上年数 {fmt_amount(p)} 相差 "
            f"{format_amount(cur.value - p.value, cur.unit)}{cur.unit}，但文中写{ch.amount_word or '变动'}{fmt_amount(x)}"
        )
        ctx.used_claim(claim)
        ctx.failed(msg, f"current minus the stated prior is not the stated change {fmt_amount(x)}", [loc],
                   expected=f"{format_amount(abs(cur.value - p.value), cur.unit)}{cur.unit}", actual=fmt_amount(x))
        return
    ctx.used_claim(claim)
    if ch.prior_claim is not None:
        ctx.used_claim(ctx.facts.prose.claims[ch.prior_claim])
    if percent_consistent(ch.pct, *rng):
        ctx.passed("增减率可复算", "rate recomputes", [loc], expected=expect, actual=ch.pct.text + "%")
        return
    msg = (
        f"「{claim.phrase}{claim.text}」的{ch.amount_word or '变动'}{fmt_amount(x)}、{ch.pct_word or '变动'}{ch.pct.text}%："
        f"上年数 = {prior_text}，复算增减率为 {expect}，与所写 {ch.pct.text}% 不符"
    )
    msg_en = f"rate {ch.pct.text}% of '{claim.phrase}' recomputes to {expect} (change {fmt_amount(x)}, prior {prior_text})"
    cut = truncated(ch.pct, rng)
    ctx.failed(msg + (TRUNCATED if cut else ""), msg_en, [loc], expected=expect, actual=ch.pct.text + "%",
               severity="warning" if cut else None)


def _reason_rate(ctx: Context, claim: Claim) -> None:
    """"减少42.75万元，主要原因是…经费统一压减10%": the reason's rate is the change's
    when it recomputes (then the figure is verified); when not, it is the rate of part of
    the change — no finding."""
    ch, cur = claim.change, claim.amount
    assert ch is not None and ch.reason_pct is not None
    if ch.amount is None or cur is None or ch.prior is not None:
        return
    x, direction = ch.amount, ch.amount_dir or 1
    den_lo, den_hi = (cur.lo - x.hi, cur.hi - x.lo) if direction > 0 else (cur.lo + x.lo, cur.hi + x.hi)
    rng = ratio_range(x.lo, x.hi, den_lo, den_hi) if den_lo > 0 else None
    if rng is not None and percent_consistent(ch.reason_pct, *rng):
        ctx.used_claim(claim)
        if not ctx.count_pass():
            ctx.passed("原因中的比例即增减率，可复算", "the rate in the reason recomputes",
                       [claim_location(ctx.facts, claim)], expected=format_percent_range(*rng), actual=ch.reason_pct.text + "%")


def _against_prior(ctx: Context, claim: Claim) -> None:
    """The stated change (an amount, a rate, or 持平) against the stated prior figure."""
    ch, cur = claim.change, claim.amount
    assert ch is not None and ch.prior is not None and cur is not None
    prior = ch.prior
    direction = ch.amount_dir if ch.amount_dir is not None else ch.pct_dir
    if direction is None:
        direction = ch.direction
    if direction is None or (ch.amount is None and ch.pct is None and direction != 0):
        return
    loc = claim_location(ctx.facts, claim)
    stated = f"上年 {fmt_amount(prior)}、本年 {fmt_amount(cur)}"
    diff_lo, diff_hi = cur.lo - prior.hi, cur.hi - prior.lo  # current − prior
    if direction == 0:
        ok, expect, said = diff_lo <= 0 <= diff_hi, "持平", ch.text or "持平"
    elif ch.amount is not None:
        ok = _prior_agrees(cur, prior, ch.amount, direction)
        expect = f"{format_amount(abs(cur.value - prior.value), cur.unit)}{cur.unit}"
        said = f"{ch.amount_word or '变动'}{fmt_amount(ch.amount)}"
    else:
        assert ch.pct is not None
        num_lo, num_hi = (diff_lo, diff_hi) if direction > 0 else (-diff_hi, -diff_lo)
        verdict = zero_base(num_lo, num_hi, prior.lo, prior.hi, ch.pct)
        rng = ratio_range(num_lo, num_hi, prior.lo, prior.hi)
        if verdict == "open" or (verdict is None and rng is None):
            ctx.skipped(f"「{claim.phrase}」上年数可能为零，增长率无法复算", "prior value may be zero")
            return
        ok = verdict is None and rng is not None and percent_consistent(ch.pct, *rng)
        expect = format_percent_range(*rng) if rng else "无（上年为零）"
        said = f"{ch.pct_word or '变动'}{ch.pct.text}%"
        if not ok and ch.prior_claim is None:
            # "比上年1.43万元，增加0.68%": a change word left out — read as the change,
            # the figure may give the rate; then the words, not the numbers, are at fault.
            x = prior
            den_lo, den_hi = (cur.lo - x.hi, cur.hi - x.lo) if direction > 0 else (cur.lo + x.lo, cur.hi + x.hi)
            alt = ratio_range(x.lo, x.hi, den_lo, den_hi) if den_lo > 0 else None
            if alt is not None and percent_consistent(ch.pct, *alt):
                ctx.skipped(f"「{claim.phrase}{claim.text}」的“比上年{fmt_amount(prior)}”缺少增减字样，按增减额读时增减率相符",
                            "a change word is missing; read as the change, the rate agrees")
                return
    ctx.used_claim(claim)
    if ch.prior_claim is not None:
        ctx.used_claim(ctx.facts.prose.claims[ch.prior_claim])
    if ok:
        if not ctx.count_pass():
            ctx.passed("增减与上年数相符", "change agrees with the prior figure", [loc], expected=expect, actual=said)
        return
    ctx.failed(
        f"「{claim.phrase}{claim.text}」写{said}，但{stated}，应为{expect}",
        f"'{claim.phrase}{claim.text}' says {said} but the prior is {fmt_amount(prior)}: expected {expect}",
        [loc],
        expected=expect,
        actual=said,
    )


def _listed_total(ctx: Context, claim: Claim) -> tuple[int, int] | None:
    """(lo, hi) of the sum of the amounts listed with shares alongside this one — in the
    same sentence, or in the section with the same "占…" wording — when their shares
    add up to 100%; else None."""
    siblings = [
        c for c in ctx.facts.prose.claims
        if c.share is not None and c.amount is not None
        and (c.sentence is claim.sentence or (
            claim.share_of and c.share_of == claim.share_of and c.sentence.section == claim.sentence.section
        ))
    ]
    shares = [c.share for c in siblings if c.share is not None]
    amounts = [c.amount for c in siblings if c.amount is not None]
    pct_lo = sum(s.lo for s in shares)
    pct_hi = sum(s.hi for s in shares)
    if len(siblings) < 2 or not (pct_lo <= 100 * PCT_SCALE <= pct_hi):
        return None
    return sum(a.lo for a in amounts), sum(a.hi for a in amounts)


def _share_of_listed_total(ctx: Context, claim: Claim, loc) -> None:  # noqa: ANN001
    """No total is stated: when the shares listed add up to 100%, the base is the sum
    of the listed amounts ("因公出国106万元，占16.06%；…；公务接待费397.5万元，占60.22%")."""
    listed = _listed_total(ctx, claim)
    if listed is None:
        ctx.skipped(f"「{claim.phrase}{claim.text}」找不到作为分母的总额", "no base amount found")
        return
    a, pct = claim.amount, claim.share
    assert a is not None and pct is not None
    rng = ratio_range(a.lo, a.hi, *listed)
    expect = format_percent_range(*rng) if rng else "无法计算"
    ctx.used_claim(claim)
    if rng and percent_consistent(pct, *rng):
        ctx.passed("占比可由所列各项之和复算", "share of the listed total recomputes", [loc], expected=expect, actual=pct.text + "%")
        return
    ctx.failed(
        f"「{claim.phrase}{claim.text}，占{pct.text}%」：所列各项占比合计为100%，按各项之和复算为 {expect}，与所写不符",
        f"share {pct.text}% of '{claim.phrase}' recomputes to {expect} of the listed total",
        [loc],
        expected=expect,
        actual=pct.text + "%",
    )


def _prior_agrees(cur, prior, x, direction: int) -> bool:  # noqa: ANN001
    """current − prior lies within the stated change (with its direction)."""
    lo, hi = cur.lo - prior.hi, cur.hi - prior.lo
    want_lo, want_hi = (x.lo, x.hi) if direction > 0 else (-x.hi, -x.lo)
    return lo <= want_hi and want_lo <= hi
