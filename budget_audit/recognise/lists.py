"""Enumerated lists in the prose: which claims are the parts of a total, and which
restate a figure already given.

:mod:`prose` links the parts of a total within one sentence ("X万元，其中：A、B",
"X万元，包括A、B"). Documents also spread a breakdown over a list of paragraphs:

* a total whose sentence ends by announcing a list ("（五）项目支出1,531.45万元，具体
  包括：") followed by numbered paragraphs, each opening with one item and its amount
  ("1.规划类经费6.50万元，主要用于…", "2.审计管理业务506.95万元，…"): the items are the
  parts of the total (only the main ones when the lead says "主要包括");
* a total given with its parts in one sentence ("预算10,737.69万元，包括在职人员经费
  6,516.50万元、公用经费1,079.33万元…") and then explained item by item ("（一）在职人员
  经费6,516.50万元，主要是…"): each item *restates* a part, and must repeat its figure.

A heading that states a total ("（一）本年财政拨款收入67005.95万元") heads the list below it
even without such a word. Items are recognised by their numbering (1. 2. 3. / （一）（二）
/ (1)(2) …), which must run in sequence (it may continue the numbering of a list before:
"4. 5. 6." under a second heading); a paragraph with other numbering, or the end of the
total's section, ends the list; an item may have sub-items of another numbering. Recognition only links claims; the rules compare them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import lexicon_data
from .prose import Claim, Prose, is_heading

_CN = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}


@dataclass(frozen=True)
class _Words:
    lead_in: re.Pattern[str]
    partial: re.Pattern[str]
    markers: tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=1)
def _words() -> _Words:
    d = lexicon_data()["lists"]
    return _Words(
        lead_in=re.compile(d["lead_in"]),
        partial=re.compile(d["partial"]),
        markers=tuple((name, re.compile(rx)) for name, rx in d["markers"].items()),
    )


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _number(text: str) -> int | None:
    if text in _CIRCLED:
        return _CIRCLED.index(text) + 1
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN.get(text)
    if text.startswith("十"):
        return 10 + (_CN.get(text[1:], 0) if len(text) > 1 else 0)
    if len(text) >= 2 and text[1] == "十":
        tens = _CN.get(text[0], 0) * 10
        return tens + (_CN.get(text[2:], 0) if len(text) > 2 else 0)
    return None


def marker(text: str) -> tuple[str, int] | None:
    """("num", 3) for "3.规划…", ("paren-cn", 2) for "（二）…": the numbering a paragraph
    opens with, if any."""
    for style, rx in _words().markers:
        m = rx.match(text)
        if m:
            n = _number(m.group("n"))
            return (style, n) if n is not None else None
    return None


def core(subject: str) -> str:
    """A subject less what varies between a lead and its items: "对个人和家庭的补助支出"
    and "对个人和家庭补助支出" name the same part."""
    s = re.sub(r"[“”\"「」的]", "", subject)
    s = re.sub(r"(费用|经费)$", "费", s)
    return re.sub(r"(预算)?(支出)?(预算)?(数)?$", "", s)


@dataclass
class _Para:
    index: int
    section: str
    text: str
    claims: list[Claim] = field(default_factory=list)


def _paragraphs(prose: Prose) -> list[_Para]:
    out: dict[int, _Para] = {}
    for s in prose.sentences:
        p = out.setdefault(s.para, _Para(s.para, s.section, ""))
        p.text += s.text
    for c in prose.claims:
        out[c.sentence.para].claims.append(c)
    return [out[k] for k in sorted(out)]


def _opening_claim(para: _Para) -> Claim | None:
    """The amount an item paragraph opens with: in its first clause."""
    first = next((c for c in para.claims if c.kind == "amount"), None)
    if first is None or first.sentence.text is not para.claims[0].sentence.text:
        return None
    head = first.sentence.text[: first.start]
    m = marker(head)
    if m is None or re.search(r"[，,；;。：:]", head):
        return None
    return first


def _items(paras: list[_Para], start: int, section: str) -> list[tuple[_Para, Claim | None]]:
    """The numbered paragraphs after ``paras[start]`` within ``section``, in sequence."""
    out: list[tuple[_Para, Claim | None]] = []
    style: str | None = None
    first = 1
    own = marker(paras[start].text)  # the lead's own numbering: the level above the items
    for para in paras[start + 1 :]:
        if para.section != section and not para.section.startswith(section + " / "):
            break
        m = marker(para.text)
        if m is None:
            continue  # a continuation of the item before ("…主要原因是…")
        if own is not None and m[0] == own[0]:
            break  # the next item of the lead's own list
        if style is None:
            style, first = m
        if m[0] != style:
            continue  # a sub-item of the item before ("1．…" then "（1）…", "（2）…")
        if m[1] != first + len(out):
            break
        out.append((para, _opening_claim(para)))
    return out


def link_lists(prose: Prose) -> None:
    """Set ``parts``/``parent`` for totals followed by a list of their items, and
    ``restates`` for items that repeat a part given in a sentence before."""
    w = _words()
    paras = _paragraphs(prose)
    for k, para in enumerate(paras):
        amounts = [c for c in para.claims if c.kind == "amount"]
        if not amounts:
            continue
        last = amounts[-1]
        tail = last.sentence.text[last.end :]
        rest = para.text[para.text.index(last.sentence.text) + len(last.sentence.text) :]
        announced = w.lead_in.fullmatch(tail) is not None
        # A heading that states a total ("（一）本年财政拨款收入67005.95万元") heads the
        # items below it, even without "包括：".
        heading = not tail.strip("。") and is_heading(para.text)
        if not last.parts and not rest and (announced or heading):
            _link(prose, last, _items(paras, k, para.section), bool(w.partial.search(tail)), confirm=False)
        elif w.lead_in.fullmatch(para.text[para.text.rfind("。") + 1 :] or "-") and not amounts[0].parts:
            # "（3）行政事业单位养老支出705.90万元，…具体为：…。其中：" then "①…235.30万元"
            # "②…470.60万元": which figure "其中：" breaks down is not said; the items are
            # taken as the parts of the paragraph's first only when they add up to it.
            _link(prose, amounts[0], _items(paras, k, para.section), False, confirm=True)
        for total in amounts:
            if len(total.parts) >= 2:
                _restatements(prose, paras, k, total)


def _link(prose: Prose, total: Claim, items: list[tuple[_Para, Claim | None]], partial: bool, confirm: bool) -> None:
    claims = [c for _, c in items]
    if len(items) < 2 or any(c is None or c.parent is not None for c in claims):
        return
    parts = [c for c in claims if c is not None]
    if confirm:
        assert total.amount is not None
        lo = sum(c.amount.lo for c in parts if c.amount is not None)
        hi = sum(c.amount.hi for c in parts if c.amount is not None)
        if not (lo <= total.amount.hi and total.amount.lo <= hi):
            return
    for item in parts:
        item.parent = total.id
        total.parts.append(item.id)
    total.parts_partial = partial


def _restatements(prose: Prose, paras: list[_Para], k: int, total: Claim) -> None:
    parts = {core(prose.claims[i].subject): prose.claims[i] for i in total.parts}
    if len(parts) != len(total.parts):
        return  # two parts of one name: which one an item restates is unclear
    for _, item in _items(paras, k, paras[k].section):
        if item is None or item.restates is not None or item.id == total.id:
            continue
        part = parts.pop(core(item.subject), None)
        if part is not None and part is not item:
            item.restates = part.id
