"""count — stated counts and breakdowns add up.

What it checks
    ``mode: list`` — "设下列7个内设科室，包括：办公室、…" names as many items as it says
    (items are separated by 、 outside brackets, up to the end of the sentence); so does
    "下设行政综合科、计划管理科、东部巡查科、西部巡查科，共4个部门" (the count after the list).
    ``mode: breakdown`` — "X，其中：A、B（a、b）" has X = A + B and A = a + b, for counts
    (编制 = 行政编制 + 事业编制; 公务员编制 + 工勤编制 = 行政编制; 车辆) and, with
    ``kind: amount``, for amounts (收入合计 = Σ 各项收入; 政府采购 = 货物 + 工程 + 服务).
    "X，包括A、B" is read the same way. A breakdown with one part only says "of which",
    and "X，主要包括A、B" names only the main parts: both are checked not to exceed X.
Why it matters
    Staffing and structure figures are checked by 编办 and 人大 against other records;
    an internal contradiction is an embarrassment that a machine can catch.
Passing example
    "编制34名，其中：行政编制19名，事业编制15名"
Failing example
    "设下列8个内设科室，包括：办公室、政务服务管理科、…、机关党委"（7 个）
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..findings import Operand
from ..recognise.prose import Claim
from .base import Context, claim_location, fmt_amount

KIND = "count"


@dataclass(frozen=True)
class Params:
    mode: Literal["list", "breakdown", "repeated"]
    subject: str = "."  # regex on the total's phrase
    of: Literal["count", "amount"] = "count"
    section: str | None = None
    keys: tuple[str, ...] = ()  # repeated: one regex per quantity stated more than once


_LIST = re.compile(
    r"(?P<n>\d+)个(?P<what>[^，,。；;:：、]{0,12}?(科室|处室|机构|部门|单位|内设机构|直属单位|二级机构|下属单位|事业单位))"
    r"[^。；:：]{0,12}?(包括|分别是|分别为|为|即)?[:：](?P<list>[^。；]+)"
)


# The count after the list: "市饮用水源保护管理办公室下设行政综合科、计划管理科、东部巡查科、
# 西部巡查科，共4个部门。"
_LIST_AFTER = re.compile(
    r"(下设|设有|内设|包括|包含)[:：]?(?P<list>[^。；;:：]{2,600}?)[，,]?共计?(?P<n>\d+)(个|家)"
    r"(?P<what>[^，,。；;、]{0,12}?(科室|处室|机构|部门|单位|内设机构|直属单位|二级机构|下属单位|事业单位))"
)


# The count after the noun: "内设机构13个，包括：办公室、综合计划处、…".
_LIST_NOUN_FIRST = re.compile(
    r"(?P<what>(科室|处室|机构|部门|内设机构|直属单位|二级机构|下属单位|事业单位|预算单位))(共计|共有|共)?(?P<n>\d+)(个|家)"
    r"[，,]?(具体)?(包括|分别是|分别为|为|即)?[:：](?P<list>[^。；]+)"
)


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    p: Params = check.params
    if p.mode == "list":
        _lists(ctx, p)
    elif p.mode == "repeated":
        _repeated(ctx, p)
    else:
        _breakdowns(ctx, p)


def _repeated(ctx: Context, p: Params) -> None:
    """The same count stated in two places (在职人数 in 概况 and again later) agrees."""
    found = False
    for key in p.keys:
        rx = re.compile(key)
        groups: dict[str, list[Claim]] = {}
        for c in ctx.facts.prose.claims:
            m = rx.search(c.subject) if c.kind == "count" and c.parent is None else None
            if m:
                groups.setdefault(_qualifier(c.subject[: m.start()]), []).append(c)
        for same in groups.values():
            if len(same) < 2:
                continue
            found = True
            _agree(ctx, same)
    if not found:
        ctx.skipped("正文没有重复陈述的人数、编制或车辆数", "no count stated twice")


# "行政编制91人" and "在职人员编制408人" are different quantities: the kind of post
# (or staff) before the key word must be the same for two counts to be compared.
_QUALIFIER = re.compile(r"(行政|事业|参公|参照公务员法管理|工勤|机关|全额拨款|差额拨款|自收自支|退休|离休)(单位|人员)?$")


def _qualifier(before: str) -> str:
    m = _QUALIFIER.search(before)
    return m.group(1) if m else ""


def _agree(ctx: Context, same: list[Claim]) -> None:
    """Each later statement of the count against the first."""
    first = same[0]
    for other in same[1:]:
        if other.count_unit != first.count_unit:
            continue
        ctx.used_claim(first)
        ctx.used_claim(other)
        locs = [claim_location(ctx.facts, first), claim_location(ctx.facts, other)]
        if other.count == first.count:
            ctx.passed("前后一致", "consistent", locs, expected=first.text, actual=other.text)
        else:
            ctx.failed(
                f"「{first.phrase}{first.text}」与后文「{other.phrase}{other.text}」说法不一致",
                f"'{first.phrase}{first.text}' contradicts '{other.phrase}{other.text}'",
                locs,
                expected=first.text,
                actual=other.text,
            )


def split_items(text: str) -> list[str]:
    items, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        if ch in "、,，" and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    out: list[str] = []
    for item in (i.strip() for i in items if i.strip()):
        # "A处和B办公室": two units joined by 和/及 when both halves are unit names.
        parts = re.split(r"(?:以及|和|及)", item)
        if len(parts) > 1 and all(_UNIT_SUFFIX.search(p) for p in parts):
            out.extend(parts)
        else:
            out.extend(_range(item))
    return _join_halves(out)


_CN_DIGITS = "一二三四五六七八九十"
_RANGE = re.compile(r"^(?P<stem>.*?)(?P<a>[一二三四五六七八九十])(?P<suffix>处|科|室|部|组|队|股)至(?P=stem)(?P<b>[一二三四五六七八九十])(?P=suffix)$")


def _range(item: str) -> list[str]:
    """"综合一处至综合九处" names nine offices."""
    m = _RANGE.match(item)
    if m is None:
        return [item]
    a, b = _CN_DIGITS.index(m.group("a")), _CN_DIGITS.index(m.group("b"))
    if b <= a:
        return [item]
    return [f"{m.group('stem')}{_CN_DIGITS[k]}{m.group('suffix')}" for k in range(a, b + 1)]


def _join_halves(items: list[str]) -> list[str]:
    """In a list of offices, a short piece with no office ending is the first half of the
    next name, split at its "、" ("重组、资本运营处" is one office)."""
    def office(name: str) -> bool:
        return len(name) >= 3 and _UNIT_SUFFIX.search(name) is not None  # "重组" is no 组

    if sum(1 for i in items if office(i)) * 2 <= len(items):
        return items
    out: list[str] = []
    for item in items:
        if out and not office(out[-1]) and len(out[-1]) <= 6 and office(item):
            out[-1] = out[-1] + "、" + item
        else:
            out.append(item)
    return out


_NOT_COUNTED = re.compile(r"[（(][^（）()]*(不纳入|不计入|不计算在|不含在|不占)[^（）()]*[）)]$")

_UNIT_SUFFIX = re.compile(r"(处|科|室|部|中心|所|办公室|队|组|局|委员会|党委|站|院|馆|股|办)(（[^）]*）|\([^)]*\))?$")


def _lists(ctx: Context, p: Params) -> None:
    found = False
    for sent in ctx.facts.prose.sentences:
        if p.section and not re.search(p.section, sent.section):
            continue
        found_here = [*_LIST.finditer(sent.text), *_LIST_AFTER.finditer(sent.text)]
        for m in found_here or list(_LIST_NOUN_FIRST.finditer(sent.text)):
            if not re.search(p.subject, m.group("what")):
                continue
            listing = m.group("list")
            if re.search(r"见下表|如下|详见|下表|详细情况|见附表", listing):
                continue  # the list is printed elsewhere (a table)
            # "…、建筑废弃物管理处，1个非独立核算单位：…": a new count ends the list.
            listing = re.split(r"[，,；;]\d+(?:个|家|名)", listing)[0]
            if re.search(r"[《》〔〕]", listing) or re.search(r"\d+(个|家|名)", listing):
                continue  # a citation, or counts of its own (a breakdown), not a list of names
            stated = int(m.group("n"))
            # "…、人事处，另设机关党委、工会": what is set up besides is not counted.
            listing = re.split(r"[，,、；;](另设|另有|此外|另外|还设有?)", listing)[0]
            items = split_items(listing.rstrip("等"))
            # "机关党委（不纳入内设机构数）": named, but marked as not counted.
            items = [i for i in items if not _NOT_COUNTED.search(i)]
            if stated > 1 and "、" not in listing and len(items) < 2:
                continue  # not an enumeration
            found = True
            loc = claim_location(ctx.facts, _as_claim(sent))
            for claim in ctx.facts.prose.claims:
                if claim.sentence is sent and claim.count == stated:
                    ctx.used_claim(claim)
            if len(items) == stated:
                ctx.passed("数量一致", "count matches", [loc], expected=str(stated), actual=str(len(items)))
            else:
                msg = f"文中说{stated}个{m.group('what')}，但列出了{len(items)}个：{'、'.join(items)}"
                msg_en = f"says {stated} {m.group('what')} but lists {len(items)}"
                ctx.failed(msg, msg_en, [loc], expected=str(len(items)), actual=str(stated))
    if not found:
        ctx.skipped("正文没有“设N个…：A、B…”式的列举", "no enumerated list")


class _SentenceClaim:
    def __init__(self, sent) -> None:  # noqa: ANN001
        self.sentence = sent


def _as_claim(sent) -> Claim:  # noqa: ANN001
    return _SentenceClaim(sent)  # type: ignore[return-value]


def _value(c: Claim) -> tuple[int, int]:
    if c.amount is not None:
        return c.amount.lo, c.amount.hi
    assert c.count is not None
    return c.count, c.count


def _text(c: Claim) -> str:
    return fmt_amount(c.amount) if c.amount is not None else c.text


def _breakdowns(ctx: Context, p: Params) -> None:
    claims = ctx.facts.prose.claims
    todo = [
        c
        for c in claims
        if c.parts and c.kind == p.of and re.search(p.subject, c.phrase)
        and (p.section is None or re.search(p.section, c.sentence.section))
    ]
    if not todo:
        ctx.skipped("正文没有“其中”分项表述", "no breakdowns stated")
        return
    for total in todo:
        parts = [claims[i] for i in total.parts]
        ctx.used_claim(total)
        for part in parts:
            ctx.used_claim(part)
        loc = claim_location(ctx.facts, total)
        t_lo, t_hi = _value(total)
        lo = sum(_value(x)[0] for x in parts)
        hi = sum(_value(x)[1] for x in parts)
        if len(parts) == 1 or total.parts_partial:
            ok = lo <= t_hi
        else:
            ok = lo <= t_hi and t_lo <= hi
            if not ok:
                ok = _nested_ok(parts, t_lo, t_hi)
            if not ok:
                ok = _of_the_prior(total, lo, hi)
        listing = " + ".join(f"{x.subject}{_text(x)}" for x in parts)
        if ok:
            ctx.passed("分项相加一致", "breakdown adds up", [loc], expected=listing, actual=_text(total))
            continue
        relation = "超过" if len(parts) == 1 or total.parts_partial else "之和不等于"
        msg = f"「{total.phrase}{total.text}」，其中 {listing}，分项{relation}总数"
        msg_en = f"'{total.phrase}{total.text}': parts {listing} do not add up"
        ctx.failed(msg, msg_en, [loc], expected=_text(total), actual=listing,
                   operands=(_operand(ctx, total, "total", 1), *(_operand(ctx, x, "part", -1) for x in parts)))


def _operand(ctx: Context, claim: Claim, role: str, coef: int) -> Operand:
    loc = claim_location(ctx.facts, claim)
    if claim.amount is not None:
        a = claim.amount
        return Operand(role, a.value, a.half, a.unit, a.text, loc, coef)
    return Operand(role, claim.count or 0, 0, claim.count_unit or "", claim.text, loc, coef)


def _of_the_prior(total: Claim, lo: int, hi: int) -> bool:
    """"996.33万元，较上年增加212.77万元，其中：2021年度…533万元、…": parts stated after a
    change that add up to last year's figure (the total less the change) are last
    year's breakdown, not this year's."""
    ch = total.change
    if ch is None or ch.amount is None or ch.direction is None or total.amount is None:
        return False
    a, c = total.amount, ch.amount  # both in 厘
    prior = a.value - ch.direction * c.value
    slack = a.half + c.half
    return lo - slack <= prior <= hi + slack


def _nested_ok(parts: list[Claim], t_lo: int, t_hi: int) -> bool:
    """Allow a part followed by its own unbracketed details (A, a1, a2, B): drop runs of
    parts that add up to the part before them, then compare again."""
    values = [_value(x) for x in parts]
    keep = list(range(len(values)))
    i = 0
    while i < len(keep):
        lo_i, hi_i = values[keep[i]]
        acc_lo = acc_hi = 0
        for j in range(i + 1, len(keep)):
            acc_lo += values[keep[j]][0]
            acc_hi += values[keep[j]][1]
            if j - i >= 2 and acc_lo <= hi_i and lo_i <= acc_hi:
                del keep[i + 1 : j + 1]
                break
        i += 1
    if len(keep) == len(values):
        return False
    lo = sum(values[k][0] for k in keep)
    hi = sum(values[k][1] for k in keep)
    return lo <= t_hi and t_lo <= hi
