"""Prose → claims: every amount, share, change, count and 其中 breakdown the text states.

The text is read sentence by sentence (split at 。！？). Each number with a unit is a
token; the few characters before it say what it is:

* ``占94.06%`` is the *share* of the amount just before it;
* ``增加1183.9万元`` / ``增长319.86%`` is a *change* of the amount it follows (the one
  whose subject the change names, else the nearest); the words give its direction;
* ``50万元以上`` is a threshold, not a quantity;
* anything else is a *plain* claim whose subject is the clause before the number.

``X，其中：A、B（a、b）`` makes A and B the parts of X, a and b the parts of A.
Paragraphs broken mid-sentence by the producer (a line that does not end a sentence,
followed by one that is not a heading) are joined first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Paragraph
from ..money import (
    Amount,
    AmountOutOfRange,
    Number,
    Percent,
    parse_number,
    parse_percent,
)
from .claims import Scope
from .lexicon import lexicon_data, norm

_END = "。！？；：:;…”」）)"


@dataclass(frozen=True)
class ProseLexicon:
    up: re.Pattern[str]
    down: re.Pattern[str]
    flat: re.Pattern[str]
    share_prefix: re.Pattern[str]
    rate_prefix: re.Pattern[str]
    threshold_suffix: re.Pattern[str]
    comparison: re.Pattern[str]
    subject_tail: re.Pattern[str]
    headings: re.Pattern[str]
    token: re.Pattern[str]
    breakdown: re.Pattern[str]
    breakdown_start: re.Pattern[str]
    breakdown_lead: re.Pattern[str]
    reason: re.Pattern[str]
    partial: re.Pattern[str]
    subject_bracket: re.Pattern[str]
    more_than: re.Pattern[str]
    less_than: re.Pattern[str]


@lru_cache(maxsize=1)
def prose_lexicon() -> ProseLexicon:
    p = lexicon_data()["prose"]
    glue = p["change_glue"]
    units = p["count_units"]
    token = re.compile(
        r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        r"(?P<unit>亿元|万元|千元|元|%|个百分点|" + units[1:-1] + r")"
    )
    return ProseLexicon(
        up=re.compile(p["up_words"] + glue + "$"),
        down=re.compile(p["down_words"] + glue + "$"),
        flat=re.compile(p["flat_words"]),
        share_prefix=re.compile(p["share_prefix"]),
        rate_prefix=re.compile(p["rate_prefix"]),
        threshold_suffix=re.compile(p["threshold_suffix"]),
        comparison=re.compile(p["comparison"]),
        subject_tail=re.compile(p["subject_tail"]),
        headings=re.compile(p["headings"]),
        token=token,
        breakdown=re.compile(p["breakdown"]),
        breakdown_start=re.compile("^(" + p["breakdown"] + ")"),
        breakdown_lead=re.compile(p["breakdown_lead"]),
        reason=re.compile(p["reason"]),
        partial=re.compile(p["partial_breakdown"]),
        subject_bracket=re.compile(p["subject_bracket"]),
        more_than=re.compile(p["more_than"]),
        less_than=re.compile(p["less_than"]),
    )


@dataclass
class Sentence:
    index: int
    text: str  # normalised: no white space, ASCII digits
    para: int
    page: int | None
    section: str
    source: str | None = None


@dataclass
class Change:
    direction: int | None = None  # +1, -1 (None: the words disagree)
    amount: Amount | None = None
    pct: Percent | None = None
    amount_word: str | None = None
    pct_word: str | None = None
    amount_dir: int | None = None
    pct_dir: int | None = None
    text: str = ""
    prior: Amount | None = None  # the prior-year value, when the text states it
    prior_claim: int | None = None  # the claim that states it ("2025年执行数为A万元，…")
    reason_pct: Percent | None = None  # a rate in the reason clause after the change ("主要原因是…统一压减10%")


@dataclass
class Claim:
    id: int
    kind: str  # "amount" | "count"
    subject: str  # the clause before the number, less comparisons and filler
    phrase: str  # the clause before the number, as printed (normalised)
    sentence: Sentence
    start: int
    end: int
    text: str
    amount: Amount | None = None
    count: int | None = None
    count_unit: str | None = None
    share: Percent | None = None
    share_of: str = ""  # what the share is of, as printed ("本年支出预算", "“三公”经费")
    change: Change | None = None
    parts: list[int] = field(default_factory=list)
    parent: int | None = None
    parts_partial: bool = False  # "主要包括…": the parts need not add up to it
    restates: int | None = None  # a list item repeating a part given before (lists.py)
    rate: Percent | None = None
    scope: Scope = field(default_factory=Scope)  # set by recognise.claims.scope_claims


@dataclass
class Prose:
    sentences: list[Sentence]
    claims: list[Claim]
    headings: list[tuple[int, str]]  # (paragraph index, heading text)
    orphans: list[tuple[Sentence, str]]  # tokens that could not be bound


def logical_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Join paragraphs that the producer broke in the middle of a sentence."""
    lex = prose_lexicon()
    out: list[Paragraph] = []
    for para in paragraphs:
        text = para.text.strip()
        if not text:
            continue
        if _PAGE_MARK.match(norm(text)):
            continue  # "─ 10 ─" between two halves of a sentence: the page's number
        if out:
            prev = out[-1]
            prev_text = prev.text.rstrip()
            if (
                len(norm(prev_text)) >= 20
                and prev_text[-1] not in _END
                and not lex.headings.match(norm(text))
                and not _NUMBERED.match(norm(text))
                # "（一）收入预算：2026年收入预算3,558.35万元，其中：一般公共预算" is no
                # heading but a line broken before its end: a heading states no amount
                # and then runs on.
                and (not is_heading(prev_text) or lex.token.search(norm(prev_text)) is not None)
            ):
                out[-1] = Paragraph(prev.index, prev_text + text, prev.page, prev.bbox, prev.source)
                continue
        out.append(para)
    return out


_NET = re.compile(r"(增减)?相抵(后|之后)?")

# A page number standing alone ("─ 10 ─", "- 3 -", "第3页", "3/25").
_PAGE_MARK = re.compile(r"^(?:[-－—─–_~]+\d{1,4}[-－—─–_~]+|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$")

# A paragraph opening with "(19)" starts a list item, even after a line that does not
# end a sentence.
_NUMBERED = re.compile(r"^[(（]\d{1,2}[)）]")


def is_heading(text: str) -> bool:
    t = norm(text)
    return bool(prose_lexicon().headings.match(t)) and len(t) <= 40 and "。" not in t


def _heading_level(text: str) -> int:
    t = norm(text)
    if t.startswith("第") and "部分" in t[:6]:
        return 0
    if re.match(r"^[一二三四五六七八九十]{1,3}、", t):
        return 1
    if re.match(r"^[（(][一二三四五六七八九十]{1,3}[)）]", t):
        return 2
    return 3


def _amount(num: Number, unit: str) -> Amount | None:
    try:
        return Amount.from_number(num, unit)
    except AmountOutOfRange:
        raise  # an input error (money.py), not a number too fine to hold
    except ValueError:
        return None


def parse_prose(paragraphs: list[Paragraph]) -> Prose:
    lex = prose_lexicon()
    sentences: list[Sentence] = []
    claims: list[Claim] = []
    headings: list[tuple[int, str]] = []
    orphans: list[tuple[Sentence, str]] = []
    levels: dict[int, str] = {}
    for para in logical_paragraphs(paragraphs):
        if is_heading(para.text):
            level = _heading_level(para.text)
            levels = {k: v for k, v in levels.items() if k < level}
            levels[level] = norm(para.text)
            headings.append((para.index, norm(para.text)))
            # A heading may itself carry claims ("（一）机关运行经费支出情况").
        section = " / ".join(levels[k] for k in sorted(levels))
        para_claims: list[Claim] = []
        text = norm(para.text)
        for piece in split_sentences(text):
            if not piece:
                continue
            sent = Sentence(len(sentences), piece, para.index, para.page, section, para.source)
            sentences.append(sent)
            _parse_sentence(sent, claims, orphans, lex, para_claims)
    return Prose(sentences, claims, headings, orphans)


_OPEN, _CLOSE = "（(", "）)"


def split_sentences(text: str) -> list[str]:
    """Split at 。！？ — except inside brackets that close later in the text: in
    "A210.39万元（B40万元；C170.39万元，比上年减少6.04万元。）比上年减少6.04万元，下降2.8%"
    the bracket is an aside of A's sentence and the change after it is A's."""
    out: list[str] = []
    start = depth = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "。！？" and (depth == 0 or not _closes(text, i + 1, depth)):
            out.append(text[start : i + 1])
            start, depth = i + 1, 0
    if start < len(text):
        out.append(text[start:])
    return out


def _closes(text: str, i: int, depth: int) -> bool:
    """Do the ``depth`` brackets open at ``i`` close soon (an aside, not a bracket left
    open by the producer: the look-ahead is bounded, so a long paragraph stays linear)?"""
    for ch in text[i : i + 400]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return True
    return False


_DELIMS = "，,；;：:。（(）)、"
# "比上年预算（上年3,468.18万元）减少…": the amount is last year's, not a new claim.
_PRIOR = re.compile(
    r"((比|较|与)(19|20)\d{2}年(度|初)?([^，,。；;]{0,6}?(预算|决算|执行))?|上年|上一年|去年|上年度)"
    r"(同期|年初)?(预算|决算|执行)?(数)?(为|是)?$"
)


def _clause_prefix(text: str, start: int, floor: int) -> str:
    """Text of the clause before ``start``: back to a delimiter or the previous token.

    A short bracketed part of a name ("因公出国（境）费") does not end the clause, nor
    does a code or level printed after a name, even right before the number
    ("行政运行（2011301）2093.85万元", "机关服务（项）支出").
    """
    lex = prose_lexicon()
    i = start - 1
    while i >= floor:
        ch = text[i]
        if ch in "）)":
            j = max(text.rfind("（", floor, i), text.rfind("(", floor, i))
            if j >= 0 and ((i - j <= 5 and i + 1 < start) or lex.subject_bracket.fullmatch(text[j + 1 : i])):
                i = j - 1
                continue
        if ch in _DELIMS:
            # "1.住房公积金（项）：支出1,073.77万元": a clause of one bare word after a colon
            # ("支出", "预算数") says what the figure is of the item before the colon.
            if ch in "：:" and _BARE_AFTER_COLON.fullmatch(text[i + 1 : start]):
                i -= 1
                continue
            break
        i -= 1
    return text[i + 1 : start]


# What a figure is, said bare after its item and a colon: "支出", "预算数", "2018年预算支出合计".
_BARE_WORDS = r"\s*(?:(?:19|20)\d{2}\s*年度?)?\s*(?=\S)(?:预算|决算)?(?:支出|收入|安排|金额)?(?:预算数?|决算数?|合计|总计)?(?:为|是)?\s*"
_BARE_AFTER_COLON = re.compile(_BARE_WORDS)
_BARE_TAIL = re.compile(r"[：:]" + _BARE_WORDS + "$")


def _subject(prefix: str, lex: ProseLexicon) -> str:
    s = _BARE_TAIL.sub("", prefix) if not _BARE_TAIL.fullmatch(prefix) else prefix
    s = re.sub(r"^(其中|主要|包括|分别|具体|一是|二是|三是|四是|五是)[:：]?", "", s)
    s = re.sub(r"^([（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．])", "", s)
    s = lex.comparison.sub("", s)
    for _ in range(3):
        s2 = lex.subject_tail.sub("", s)
        if s2 == s:
            break
        s = s2
    return s


def _parse_sentence(
    sent: Sentence,
    claims: list[Claim],
    orphans: list[tuple[Sentence, str]],
    lex: ProseLexicon,
    para_claims: list[Claim],
) -> None:
    text = sent.text
    local: list[Claim] = []  # plain claims of this sentence, in order
    last_change: Claim | None = None  # base whose change was set by the last token
    floor = 0
    of_which_total: Claim | None = None
    depth_parent: list[Claim] = []
    # "…总金额为4641.62万元。其中拟购买货物962.86万元；…": the parts of the paragraph's
    # last amount, in a sentence of their own.
    lead = next((c for c in reversed(para_claims) if c.kind == "amount"), None)
    if lead is not None and lex.breakdown_start.match(text) and not lead.parts:
        of_which_total = lead
        depth_parent = [lead]
        lead.parts_partial = bool(lex.partial.search(text))
    in_reason = False  # inside "主要原因是…": amounts there are not parts of a breakdown
    # The figure whose own comparison a reason clause restates against a prior it names
    # ("…主要原因是…，比2025年执行数483,923.17万元增加11,913.03万元，增长2.46%").
    restated: Claim | None = None
    tokens = list(lex.token.finditer(text))
    for m in tokens:
        start, end = m.start(), m.end()
        # "…0万元，…与2020年相比持平": a flat change of the claim before this token.
        if local and local[-1].change is None and lex.flat.search(text[floor:start]):
            local[-1].change = Change(direction=0, amount=Amount(0), amount_dir=0, text="持平")
        unit = m.group("unit")
        prefix = _clause_prefix(text, start, floor)
        wide = text[floor:start]
        floor_before = floor
        floor = end
        if unit == "个百分点":
            continue
        if unit == "%":
            pct = parse_percent(m.group("num"))
            if pct is None:
                continue
            share = lex.share_prefix.search(prefix)
            if share:
                base = next((c for c in reversed(local) if c.kind == "amount"), None)
                if base is None or base.share is not None:
                    orphans.append((sent, m.group(0)))
                else:
                    base.share = pct
                    base.share_of = share.group(1) or ""
                continue
            direction = _direction(prefix, lex)
            if (
                direction is None
                and not prefix
                and text[start - 1 : start] in "（("
                and last_change is not None
                and last_change.change is not None
                and last_change.change.pct is None
                and last_change.change.amount_dir is not None
            ):
                # "增加27.47万元（402.20%）": a bare rate in brackets right after a change
                # is that change's rate, in its direction.
                direction = last_change.change.amount_dir
            if direction is not None:
                target = last_change if last_change and last_change.change and last_change.change.pct is None else None
                if target is None:
                    target = _find_base(local or para_claims, prefix, lex, _bracket_depth(text, start) if local else None)
                    if target is not None and target.change is None:
                        target.change = Change()
                    elif target is not None and target.change and target.change.pct is not None:
                        target = None
                if (
                    target is not None
                    and target.change is not None
                    and target is not restated
                    and _in_reason_after(target, sent, start, lex)
                ):
                    # "减少42.75万元，主要原因是…统一压减10%": the reason's rate, which may
                    # or may not be the rate of the whole change.
                    if target.change.reason_pct is None and target.change.pct is None:
                        target.change.reason_pct = pct
                    last_change = None
                    continue
                if target is None or target.change is None:
                    orphans.append((sent, m.group(0)))
                    continue
                ch = target.change
                ch.pct, ch.pct_dir, ch.pct_word = pct, direction, _word(prefix, lex)
                ch.text = (ch.text + "，" if ch.text else "") + text[max(0, start - 4) : end]
                _settle(ch)
                last_change = None
                continue
            if lex.rate_prefix.search(prefix):
                base = next((c for c in reversed(local) if c.kind == "amount"), None)
                if base is not None:
                    base.rate = pct
            continue
        number = parse_number(m.group("num"))
        if number is None:
            continue
        after = text[end : end + 6]
        if lex.threshold_suffix.match(after):
            continue
        direction = _direction(prefix, lex)
        if direction is not None and unit.endswith("元") and _NET.search(prefix):
            # "增减相抵后增加164.48万元": the net change restated at the end of a reason,
            # already stated with its figure — not the change of the figure before it.
            orphans.append((sent, m.group(0)))
            continue
        if direction is not None and unit.endswith("元"):
            base = _find_base(local or para_claims, prefix, lex, _bracket_depth(text, start) if local else None)
            if (
                base is None
                or (base.change is not None and base.change.amount is not None)
                or (base is not restated and _in_reason_after(base, sent, start, lex))
            ):
                orphans.append((sent, m.group(0)))
                continue
            base.change = base.change or Change()
            base.change.amount = _amount(number, unit)
            base.change.amount_dir = direction
            base.change.amount_word = _word(prefix, lex)
            base.change.text = text[max(0, start - 4) : end]
            _settle(base.change)
            last_change = base
            continue
        if direction is not None:
            continue  # a change of a count ("增加2人"): not modelled yet
        if unit.endswith("元") and _PRIOR.search(prefix):
            base = next((c for c in reversed(local) if c.kind == "amount"), None)
            if base is not None:
                base.change = base.change or Change()
                if (
                    prefix[:1] in "比较与"
                    and base.change.amount is None
                    and base.change.pct is None
                    and _in_reason_after(base, sent, start, lex)
                ):
                    # A comparison with no subject of its own inside the figure's reason
                    # is the figure's: the change and rate after it are its change.
                    restated = base
                base.change.prior = _amount(number, unit)
                continue
        claim = Claim(
            id=len(claims),
            kind="amount" if unit.endswith("元") else "count",
            subject=_subject(prefix, lex),
            phrase=prefix,
            sentence=sent,
            start=start,
            end=end,
            text=m.group(0),
        )
        if claim.kind == "amount":
            claim.amount = _amount(number, unit)
            if claim.amount is None:
                continue
        else:
            if number.decimals:
                continue
            claim.count = number.digits
            claim.count_unit = unit
        # 其中 structure: parts of the claim before "其中", nested by brackets.
        depth = _bracket_depth(text, start)
        between = text[local[-1].end if local else 0 : start]
        ended = re.search("[；;。]", between) is not None
        if ended:
            # A reason clause ("…，主要原因是…减少2.44万元") runs to the next "；".
            in_reason = bool(lex.reason.search(re.split("[；;。]", between)[-1]))
            if of_which_total is not None and _adds_up(of_which_total, claims):
                # "编制408人，其中行政编制91人、事业编制317人；实有人员380人…": the parts
                # already make the total; what follows "；" is not one of them.
                of_which_total = None
        else:
            in_reason = in_reason or bool(lex.reason.search(between))
        trigger = lex.breakdown.search(wide)
        if (
            trigger
            and local
            # "其中" always opens parts; "包括" only right after the amount ("…共7个处室，
            # 派出机构包括…" opens a clause of its own).
            and (trigger.group(0) == "其中" or lex.breakdown_lead.fullmatch(wide[: trigger.start()]))
            # "人员经费760.95万元，主要包括：基本工资、津贴补贴…；日常运转经费793.08万元":
            # the word opened a list of names, which ended before this amount.
            and not re.search("[；;。]", wide[trigger.end() :])
        ):
            if of_which_total is None:
                of_which_total = local[-1]
                depth_parent = [of_which_total]
            elif local[-1].parent == of_which_total.id and depth_parent[-1] is local[-1]:
                # "项目支出X，具体包括：A项目Y，主要包括：a、b": a's and b's total is A.
                of_which_total = local[-1]
                depth_parent = [of_which_total]
            of_which_total.parts_partial = bool(lex.partial.search(wide))
            in_reason = False
        if of_which_total is not None and not in_reason and claim.kind == of_which_total.kind and (
            claim.count_unit == of_which_total.count_unit
        ):
            while len(depth_parent) > depth + 1:
                depth_parent.pop()
            if len(depth_parent) == depth + 1:
                parent = depth_parent[depth]
                claim.parent = parent.id
                parent.parts.append(claim.id)
                depth_parent = depth_parent[: depth + 1] + [claim]
        del floor_before
        claims.append(claim)
        local.append(claim)
        para_claims.append(claim)
        last_change = None
    if local and local[-1].change is None and lex.flat.search(text[floor:]):
        local[-1].change = Change(direction=0, amount=Amount(0), amount_dir=0, text="持平")


def _in_reason_after(base: Claim, sent: Sentence, pos: int, lex: ProseLexicon) -> bool:
    """Is ``pos`` inside a reason clause opened after ``base`` ("…增加164.48万元，主要原因
    是运转类经费统一压减10%"): a change there is of the reason's item, not of ``base``.
    The clause runs to the next "；"."""
    between = sent.text[base.end if base.sentence is sent else 0 : pos]
    found = [m.end() for m in lex.reason.finditer(between)]
    return bool(found) and not re.search("[；;]", between[found[-1] :])


def _adds_up(total: Claim, claims: list[Claim]) -> bool:
    """The parts listed so far already make the total (within their printed precision)."""
    if not total.parts:
        return False
    lo = hi = 0
    for i in total.parts:
        part = claims[i]
        if part.amount is not None:
            lo, hi = lo + part.amount.lo, hi + part.amount.hi
        elif part.count is not None:
            lo, hi = lo + part.count, hi + part.count
    if total.amount is not None:
        return lo <= total.amount.hi and total.amount.lo <= hi
    return total.count is not None and lo <= total.count <= hi


def _bracket_depth(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth


def _direction(prefix: str, lex: ProseLexicon) -> int | None:
    if lex.up.search(prefix) or lex.more_than.search(prefix):
        return 1
    if lex.down.search(prefix) or lex.less_than.search(prefix):
        return -1
    return None


def _word(prefix: str, lex: ProseLexicon) -> str | None:
    m = lex.up.search(prefix) or lex.down.search(prefix) or lex.more_than.search(prefix) or lex.less_than.search(prefix)
    return m.group(0) if m else None


def _settle(ch: Change) -> None:
    dirs = {d for d in (ch.amount_dir, ch.pct_dir) if d is not None}
    ch.direction = dirs.pop() if len(dirs) == 1 else None


_COMPARED_WITH = re.compile(r"(?:与|比|较|同)(?:上年|上一年|去年|上年度|(?:19|20)\d{2}年)")


def _find_base(local: list[Claim], prefix: str, lex: ProseLexicon, depth: int | None = None) -> Claim | None:
    """The claim a change refers to: the one its subject names, else the nearest."""
    amounts = [c for c in local if c.kind == "amount"]
    if depth is not None:
        # "支出100万元（其中基本支出60万元），比上年增长10%": a change outside the
        # brackets is not of a figure inside them.
        outer = [c for c in amounts if _bracket_depth(c.sentence.text, c.start) <= depth]
        amounts = outer or amounts
    if not amounts:
        return None
    # "比2025年预算执行数减少8.33%": what follows 比 names the base of the comparison,
    # not the figure that changed.
    prefix = _COMPARED_WITH.split(prefix)[0]
    word = _subject(lex.up.sub("", lex.down.sub("", prefix)), lex)
    word = re.sub(r"^(其中|同时|另外|与上年相比)", "", word)
    if word:
        for k in range(len(amounts) - 1, -1, -1):
            claim = amounts[k]
            if word in claim.subject or (claim.subject and claim.subject in word):
                return _outturn_of(claim, amounts[k + 1 : k + 2]) or claim
    return _closing_total(amounts[-1], local) or amounts[-1]


_OUTTURN = re.compile(r"(决算|执行数|实际支出|完成数)(数|为|是)?$")


def _outturn_of(claim: Claim, after: list[Claim]) -> Claim | None:
    """"年初预算A万元，支出决算B万元，…。与上年相比，财政拨款支出减少X万元": a change
    compared with last year is of the outturn stated right after the budget figure."""
    if not after or not re.search(r"预算(数|为|是)?$", claim.phrase):
        return None
    nxt = after[0]
    return nxt if nxt.sentence is claim.sentence and _OUTTURN.search(nxt.phrase) else None


def _closing_total(last: Claim, local: list[Claim]) -> Claim | None:
    """"收入344,447.70万元，其中：A、B、C、D，较上年减少129,422.00万元": a change right
    after a list of parts that make their total is the total's — when the parts are
    listed with 、 (names and amounts, no clause of their own) and none has a change."""
    total = next((c for c in local if c.id == last.parent), None)
    if total is None or len(total.parts) < 2 or total.parts[-1] != last.id or total.change is not None:
        return None
    parts = [c for c in local if c.id in total.parts]
    if len(parts) != len(total.parts) or any(c.change is not None for c in parts):
        return None
    text = last.sentence.text
    for a, b in zip(parts, parts[1:], strict=False):
        if a.sentence is not b.sentence or re.search("[，,；;。]", text[a.end : b.start]) or "、" not in text[a.end : b.start]:
            return None
    amounts = [c.amount for c in parts if c.amount is not None]
    if total.amount is None or len(amounts) != len(parts):
        return None
    lo, hi = sum(a.lo for a in amounts), sum(a.hi for a in amounts)
    return total if lo <= total.amount.hi and total.amount.lo <= hi else None
