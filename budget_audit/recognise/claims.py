"""Claim scope: what each prose number is about, computed once after the prose is read.

:mod:`prose` reads the numbers and binds shares and changes to them; this module
decides, for every claim, what a rule needs to know to find the figure to compare it
with — once, typed, and shown by ``budget-audit extract``. The kinds only read it.

* ``subject`` — the claim's subject less the department's name, the year and
  "本部门"-style words ("福州市医疗保障局2026年收入预算" → "收入"); a restatement whose
  subject says only "2026年预算数" takes the item its list entry names ("1.因公出国
  （境）费用。2026年预算数28.00万元" → "因公出国(境)费用").
* ``code`` — a classification code printed with the subject ("行政运行（2011301）").
* ``context`` — the section heading and the text before the claim (its paragraph, the
  two before it, and the lead-in of an enumerated list), where a rule finds what a list
  item is a part of.
* ``unit`` — the organisation the figure belongs to: ``None`` for the document's
  department; the name of a sub-unit when the claim sits in that unit's section
  ("十七、XX管理局", "一、XX局（本级）"). Such figures are not the department's.
* ``fund`` — the fund the figure is limited to (一般公共预算, 政府性基金, 国有资本经营,
  财政拨款), from the claim's own words, its 其中 parent, or its section; ``None`` for
  all funds.
* ``period`` — ``"prior"`` for a figure of an earlier year ("2025年当年预算执行数为A万元"),
  else ``"current"``; a breakdown whose parts are all of an earlier year is last year's
  and is not kept as the parts of this year's figure.
* ``headline`` — the claim names the department or the year first, or opens its
  paragraph with a full subject: a document-level total, not a list item.
* ``narrative`` — the number stands in the description of duties or work targets (职责,
  工作任务, 工作目标): a target of the department's work, not a figure of the budget;
  such numbers are not counted among the prose numbers a rule should verify.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .lexicon import lexicon_data, norm

if TYPE_CHECKING:  # prose.py holds a Scope on every claim
    from .prose import Claim, Prose, Sentence


@dataclass(frozen=True)
class Scope:
    subject: str = ""
    code: str | None = None
    context: str = ""
    unit: str | None = None
    fund: str | None = None
    period: str = "current"
    headline: bool = False
    narrative: bool = False
    reason: bool = False  # stated inside a reason clause ("主要原因是…今年预算培训费用1.20万元")

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"subject": self.subject, "period": self.period}
        for name in ("code", "unit", "fund"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.headline:
            out["headline"] = True
        if self.narrative:
            out["narrative"] = True
        if self.reason:
            out["reason"] = True
        return out


@dataclass(frozen=True)
class _Words:
    enum_lead: re.Pattern[str]
    list_item: re.Pattern[str]
    org_suffix: re.Pattern[str]
    self_words: re.Pattern[str]
    generic: re.Pattern[str]
    funds: tuple[tuple[str, re.Pattern[str]], ...]
    narrative: re.Pattern[str]
    code_tail: re.Pattern[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    s = lexicon_data()["scope"]
    return _Words(
        enum_lead=re.compile(s["enum_lead"]),
        list_item=re.compile(s["list_item"]),
        org_suffix=re.compile(s["org_suffix"]),
        self_words=re.compile(s["self_words"]),
        generic=re.compile(s["generic_subject"]),
        funds=tuple((name, re.compile(rx)) for name, rx in s["funds"].items()),
        narrative=re.compile(s["narrative_sections"]),
        code_tail=re.compile(s["code_tail"]),
    )


def bare_subject(subject: str, department: str | None, year: int | None) -> str:
    """The subject less the department's name, the year and "本部门"-style words:
    "福州市医疗保障局2026年收入预算" → "收入"."""
    w = _words()
    s = subject
    if department:
        s = s.replace(department + "系统", "").replace(department, "")
    s = w.self_words.sub("", s)
    if year:
        # "省检察院2018年度财政拨款基本支出": the department by a shorter name, then the year.
        s = re.sub(rf"^[^\d，。；]{{2,20}}?{_ORG_NAME_END}(?={year}年)", "", s)
        s = re.sub(rf"^{year}年度?", "", s)  # only this year: another year is a comparison
    s = w.self_words.sub("", s)
    return re.sub(r"(预算|预算数|安排)$", "", s)


_ORG_NAME_END = "(局|院|厅|委员会|委|办公室|办公厅|中心|政府|法院|检察院|集团|协会|联合会)"



def _other_side(subject: str) -> str | None:
    """"收入" for "支出" and back (the two sides of a budget's total); None otherwise."""
    if "收入" in subject:
        return subject.replace("收入", "支出")
    if "支出" in subject:
        return subject.replace("支出", "收入")
    return None


def _counted_before(prose: Prose, claim: Claim) -> str | None:
    before = [
        c for c in prose.claims
        if c.sentence is claim.sentence and c.kind == "count" and c.end <= claim.start
    ]
    if not before:
        return None
    count = before[-1]
    if claim.sentence.text[count.end : claim.start].strip() not in ("、", "，", ","):
        return None
    return count.scope.subject or count.subject or None


def _restated(subject: str, year: int | None) -> str:
    """"公务用车购置费2026年预算数" (already less its tail) → "公务用车购置费"."""
    if year:
        subject = re.sub(rf"(?<=.){year}年度?(预算|预算数|安排)?$", "", subject)
    return subject


def scope_claims(prose: Prose, department: str | None, year: int | None) -> None:
    """Fill ``claim.scope`` for every claim of ``prose`` (recognition's last step)."""
    w = _words()
    contexts = _Contexts(prose)
    dept_core = _org_core(norm(department or ""))
    first_of_para: dict[int, Claim] = {}
    first_of_sentence: dict[int, Claim] = {}
    for claim in prose.claims:
        first_of_para.setdefault(claim.sentence.para, claim)
        first_of_sentence.setdefault(claim.sentence.index, claim)
    with_numbers = {c.sentence.index for c in prose.claims}
    for claim in prose.claims:
        bare = bare_subject(claim.subject, department, year)
        subject, code = _split_code(_restated(bare, year), w)
        if not subject and claim.kind == "amount":
            # "计划购置车辆1辆、18万元": the amount after a count, with only "、" between,
            # is the money of what was counted.
            subject = _counted_before(prose, claim) or subject
        if w.generic.fullmatch(subject):
            subject = _item_of(prose, claim, with_numbers, w) or _heading_item(contexts, claim, w) or subject
        opens = first_of_para.get(claim.sentence.para) is claim and len(claim.phrase) >= 4
        headline = bare != claim.subject or opens
        lead = first_of_sentence[claim.sentence.index]
        if not headline and lead is not claim and lead.scope.headline and _other_side(lead.scope.subject) == subject:
            # "2026年本部门收入预算A万元，…；支出预算B万元，…": the other side of the
            # sentence's headline figure, in a parallel clause, is a headline too.
            headline = True
        period = "current"
        m = re.match(r"^((?:19|20)\d{2})年", claim.phrase)
        if m and year and int(m.group(1)) < year and not re.match(r"^\d{4}年度?(结转|结余)", claim.phrase):
            period = "prior"
        claim.scope = Scope(
            subject=subject,
            code=code,
            context=contexts.of(claim),
            unit=_unit_of(claim.sentence.section, dept_core, w),
            fund=_fund_of(prose, claim, w),
            period=period,
            headline=headline,
            narrative=bool(w.narrative.search(claim.sentence.section)),
            reason=_in_reason(claim, prose.sentences),
        )
    _link_priors(prose)
    for claim in prose.claims:
        parts = [prose.claims[i] for i in claim.parts]
        if parts and claim.scope.period == "current" and all(p.scope.period == "prior" for p in parts):
            # "支出996.33万元，较上年增加212.77万元，其中：2021年度专项业务费支出533万元…":
            # last year's parts, of last year's total — not a breakdown of this figure.
            claim.parts = []
            for part in parts:
                part.parent = None


def _link_priors(prose: Prose) -> None:
    """"2025年当年预算执行数为1200万元，2026年预算安排1100万元，比2025年预算执行数减少
    8.33%": the change of the current figure is against the earlier-year figure stated
    before it in the sentence (the base is that figure, not last year's budget)."""
    last_prior: Claim | None = None
    for claim in prose.claims:
        if last_prior is not None and last_prior.sentence is not claim.sentence:
            last_prior = None
        if claim.kind != "amount":
            continue
        if claim.scope.period == "prior" and claim.change is None and claim.parent is None:
            last_prior = claim
            continue
        ch = claim.change
        if last_prior is not None and ch is not None and ch.prior is None and last_prior.amount is not None:
            ch.prior = last_prior.amount
            ch.prior_claim = last_prior.id
            last_prior = None


def _split_code(subject: str, w: _Words) -> tuple[str, str | None]:
    """"行政运行(2011301)" → ("行政运行", "2011301")."""
    m = w.code_tail.search(subject)
    if m:
        return subject[: m.start()], m.group("code")
    return subject, None


def _item_of(prose: Prose, claim: Claim, with_numbers: set[int], w: _Words) -> str | None:
    """The item a restatement ("2026年预算数28.00万元") is about: the text of the
    sentence before it in its paragraph when that sentence carries no number and names
    an item ("1.因公出国（境）费用。")."""
    sent = claim.sentence
    if sent.index == 0:
        return None
    prev = prose.sentences[sent.index - 1]
    if prev.para != sent.para or prev.index in with_numbers:
        return None
    name = w.enum_lead.sub("", prev.text).rstrip("。:：")
    name = re.sub(r"[“”\"]", "", name)
    return name if 2 <= len(name) <= 20 else None


def _heading_item(contexts: _Contexts, claim: Claim, w: _Words) -> str | None:
    """The item a restatement is about when its heading names it ("（一）因公出国（境）
    经费" then "2026年预算安排7.05万元"): the first paragraph under a short heading."""
    sent = claim.sentence
    own = contexts.heading_para.get(sent.section)
    paras = [p for p in contexts.by_section.get(sent.section, []) if p != own]
    if not sent.section or not paras or paras[0] != sent.para:
        return None  # not the first paragraph under its heading (or the heading itself)
    heading = sent.section.split(" / ")[-1]
    name = w.enum_lead.sub("", heading)
    if re.search(r"\d", name) or not 2 <= len(name) <= 20:
        return None
    return name


@lru_cache(maxsize=1)
def _reason_words() -> re.Pattern[str]:
    return re.compile(lexicon_data()["prose"]["reason"])


_ENUMERATED = re.compile(r"^[:：]?(是)?[:：]?(一是|第一|首先|1[、.．]|[(（]1[)）]|[(（]一[)）])")
_NEW_STATEMENT = re.compile(r"^((19|20)\d{2}年|本(部门|单位))")


def _in_reason(claim: Claim, sentences: list[Sentence]) -> bool:
    """Is the claim inside a reason clause ("…增加1.91万元，增加的主要原因是…师资培训费今年
    预算10.19万元")? Such a figure details the reason (often a sub-unit's part), it is not
    the item's own figure. The clause runs to the next "；" — or, when the reasons are
    numbered ("原因是一是…。二是…"), on through the paragraph until a sentence opens a new
    statement ("2022年本部门…")."""
    sent = claim.sentence
    before = sent.text[: claim.start]
    found = [m.end() for m in _reason_words().finditer(before)]
    if found:
        return not re.search("[；;]", before[found[-1] :])
    k = sent.index
    while k > 0 and sentences[k - 1].para == sent.para and not _NEW_STATEMENT.match(sentences[k].text):
        k -= 1
        opened = [m.end() for m in _reason_words().finditer(sentences[k].text)]
        if opened:
            return bool(_ENUMERATED.match(sentences[k].text[opened[-1] :]))
    return False


def _org_core(name: str) -> str:
    return re.sub(r"[(（](本级|汇总)[)）]$", "", name)


_PART = re.compile(r"^第[一二三四五六七八九十\d]{1,3}(部分|章|篇|节)")


def _unit_of(section: str, dept_core: str, w: _Words) -> str | None:
    """The sub-unit whose section the claim sits in, if any (the innermost heading that
    names an organisation other than the department as a whole)."""
    for heading in reversed(section.split(" / ")):
        # "第三部分江苏省人大常委会办公厅": a part of the document, not a unit's number.
        name = _PART.sub("", w.enum_lead.sub("", heading))
        # "一带一路环境技术交流与转移中心（深圳）": a place, a short note or the unit's
        # other name ("…流域管理中心（深圳市治理深圳河办公室）") in brackets after its name.
        bare = re.sub(r"[(（](?!本级|汇总)[^()（）]{1,16}[)）]$", "", name)
        if not name or len(name) > 30 or re.search(r"\d", name) or not w.org_suffix.search(bare):
            continue
        core = _org_core(bare)
        if core != bare:  # "XX局（本级）": the department's own part, not the whole
            return name
        if dept_core and (core == dept_core or core in dept_core or dept_core.endswith(core)):
            return None
        return name
    return None


def fund_named(text: str) -> str | None:
    """The fund ``text`` names (一般公共预算, 政府性基金, 国有资本经营, 财政拨款), if any."""
    return _fund_named(text, _words())


def _fund_named(text: str, w: _Words) -> str | None:
    for name, rx in w.funds:
        if rx.search(text):
            return name
    return None


def _fund_of(prose: Prose, claim: Claim, w: _Words) -> str | None:
    own = _fund_named(claim.phrase, w)
    if own is not None:
        return own
    if claim.parent is not None:
        parent = prose.claims[claim.parent]
        return _fund_named(parent.phrase, w)
    for heading in reversed(claim.sentence.section.split(" / ")):
        named = _fund_named(heading, w)
        if named is not None:
            return named
    return None


class _Contexts:
    """The claim's section heading plus its paragraph up to the claim, the two
    paragraphs before it in its section and, for an item of an enumerated list
    ("3.“卫生健康支出”科目614万元"), the paragraph that leads the list in ("财政拨款支出主要
    内容如下："). Paragraph texts are gathered once per document."""

    def __init__(self, prose: Prose) -> None:
        self.prose = prose
        self.text: dict[int, str] = {}
        self.first: dict[int, str] = {}
        by_section: dict[str, list[int]] = {}
        for s in prose.sentences:
            if s.para not in self.text:
                self.text[s.para] = ""
                self.first[s.para] = s.text
                by_section.setdefault(s.section, []).append(s.para)
            self.text[s.para] += s.text
        self.by_section = by_section
        # The heading's own paragraph: the first of its section when it carries text.
        self.heading_para = {sec: para for para, sec in ((i, h) for i, h in _heading_sections(prose))}
        self.cache: dict[tuple[int, int], str] = {}
        self.leads: dict[str, dict[int, int]] = {}

    def _lead_ins(self, section: str) -> dict[int, int]:
        if section not in self.leads:
            self.leads[section] = _lead_in_map(self.by_section.get(section, []), self.first)
        return self.leads[section]

    def of(self, claim: Claim) -> str:
        s = claim.sentence
        key = (s.index, claim.start)
        if key in self.cache:
            return self.cache[key]
        # Near-linear in paragraphs (issue 13): the paragraphs before this one by
        # bisection, the list lead-ins computed once per section.
        order = self.by_section.get(s.section, [])
        at = bisect.bisect_left(order, s.para)
        chosen = set(order[max(0, at - 2) : at])
        if _words().list_item.match(self.first.get(s.para, "")):
            lead = self._lead_ins(s.section).get(s.para)
            if lead is not None:
                chosen.add(lead)  # the lead-in
        before = "".join(self.text[p] for p in sorted(chosen))
        own = "".join(x.text for x in self.prose.sentences[_first_sentence(self.prose, s.para, s.index) : s.index])
        out = s.section + " | " + before + own + s.text[: claim.start]
        self.cache[key] = out
        return out


def _lead_in_map(order: list[int], first: dict[int, str]) -> dict[int, int]:
    """For each list-item paragraph of a section, the last plain paragraph before it."""
    out: dict[int, int] = {}
    last: int | None = None
    item = _words().list_item
    for p in order:
        if item.match(first[p]):
            if last is not None:
                out[p] = last
        else:
            last = p
    return out


def _heading_sections(prose: Prose) -> list[tuple[int, str]]:
    """(paragraph, section) of every heading that carries sentences of its own."""
    headings = dict(prose.headings)
    return [(s.para, s.section) for s in prose.sentences if s.para in headings]


def _first_sentence(prose: Prose, para: int, index: int) -> int:
    i = index
    while i > 0 and prose.sentences[i - 1].para == para:
        i -= 1
    return i
