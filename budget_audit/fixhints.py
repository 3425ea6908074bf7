"""Fix hints and grouping: which cell (or prose figure), changed to which value, makes
the failing findings hold — and which findings one misprint explains.

Works from data, never from formatted messages: each arithmetic finding carries its
operands (``findings.Operand``: role, integer value and half-width, unit, printed text,
location, coefficient in ``Σ coef × value = 0``), and each table whose identities a
small edit explains carries that edit (``AuditResult.explanations``, from
``recognise/structure.py``, which also made sure the edit breaks none of the table's
passing identities). So:

1. an edit recognition named (one candidate only) is the hint for every failing
   finding that has the edited cell among its operands, when the edit's change fixes
   that finding;
2. otherwise, a cell that takes part in several failing findings is the culprit when
   one change to it fixes them all; a cell or prose figure in a single finding is named
   only when its value and the corrected one differ by a recognisable typing slip;
3. a prose figure compared with a cell already found wrong shares that cell's hint:
   the table, not the prose, is what to correct.

Recognised slips (between the printed and the corrected value): two digits swapped, a
digit missing, a digit doubled (or one extra), one digit mistyped, a 万元/元 unit slip
(x10000), a sign slip, and a blank where a figure is due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .findings import AuditResult, Finding, Operand
from .model import Location
from .money import UNIT_LI, format_amount, parse_number, slip_between

Key = tuple[str, ...]

SLIP_TEXT = {
    "swap": ("两位数字颠倒", "two digits swapped"),
    "missing_digit": ("漏了一位数字", "a digit missing"),
    "doubled_digit": ("多写了一位数字（重复）", "a digit doubled"),
    "extra_digit": ("多写了一位数字", "an extra digit"),
    "typo": ("一位数字写错", "one digit mistyped"),
    "unit": ("单位错位（万元/元，相差 10000 倍）", "a 万元/元 unit slip (x10000)"),
    "sign": ("正负号错误", "wrong sign"),
    "blank": ("应填数字处为空白", "left blank"),
}


@dataclass
class Hint:
    """A suggested correction for one cell (or prose figure)."""

    location: Location
    current: str | None  # printed value, when known
    suggested: str | None  # the value it should have, when the current one is known
    delta: str  # signed change, in the cell's unit
    slip: str | None  # a key of SLIP_TEXT
    fixes: list[str] = field(default_factory=list)  # check ids of the findings it fixes
    confidence: str = "high"  # high: named by the table's structure or several findings
    unit: str = ""  # the unit current/suggested are printed in (元, 百元, 万元, …)

    def text(self, lang: str = "zh", count: bool = True) -> str:
        """The hint in words; ``count=False`` leaves out how many findings it fixes
        (a report that lists them under it says so itself)."""
        loc = self.location.describe(lang)
        slip = SLIP_TEXT[self.slip][0 if lang == "zh" else 1] if self.slip else ""
        n = len(self.fixes)
        if lang == "zh":
            if self.suggested is not None:
                now = self.current if self.current else "空白"
                s = f"{loc}写错：{now} 应为 {self.suggested}"
            else:
                s = f"{loc}写错：应{'增加' if not self.delta.startswith('-') else '减少'} {self.delta.lstrip('-+')}"
            s += f"（{slip}）" if slip else ""
            return s + (f"；改正后 {n} 处不一致全部消除" if n > 1 and count else "")
        if self.suggested is not None:
            now = self.current if self.current else "blank"
            s = f"{loc} is wrong: {now} should be {self.suggested}"
        else:
            s = f"{loc} is wrong: change it by {self.delta}"
        s += f" ({slip})" if slip else ""
        return s + (f"; this fixes all {n} findings" if n > 1 and count else "")

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "location": self.location.to_dict(),
            "current": self.current,
            "suggested": self.suggested,
            "delta": self.delta,
            "slip": self.slip,
            "unit": self.unit,
            "fixes": self.fixes,
            "confidence": self.confidence,
            "text": self.text(lang),
        }


@dataclass
class Group:
    """Findings one misprint explains: the hint first, then the identities it breaks."""

    hint: Hint
    findings: list[int]  # indices into result.findings


def classify_slip(printed: str, corrected: str) -> str | None:
    """What slip turns ``corrected`` into ``printed``? Compares digit strings."""
    a, b = _num(printed), _num(corrected)
    if a is None or b is None:
        return None
    dec = max(a[1], b[1])
    return slip_between(a[0] * 10 ** (dec - a[1]), b[0] * 10 ** (dec - b[1]))


def _num(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    n = parse_number(text.replace("万元", "").replace("元", "").strip())
    return (n.digits, n.decimals) if n else None


# ---------------------------------------------------------------------------
# Corrections of one operand


def _key(loc: Location | None) -> Key | None:
    if loc is None:
        return None
    if loc.table is not None and loc.row is not None and loc.column is not None:
        return (loc.file or "", loc.table, str(loc.row), loc.column)
    if loc.paragraph is not None and loc.text:
        return (loc.file or "", "¶", str(loc.paragraph), loc.text)
    return None


def corrected(op: Operand, delta: int) -> tuple[str | None, str | None]:
    """(suggested text, slip) for ``op`` changed by ``delta`` (厘), printed with the
    operand's own decimals (at least those the change needs)."""
    factor = UNIT_LI.get(op.unit, 1000)
    printed = parse_number(op.text) if op.text else None
    decimals = printed.decimals if printed is not None else 0
    while decimals < 6 and (delta * 10**decimals) % factor:
        decimals += 1
    suggested = format_amount(op.value + delta, op.unit, decimals)
    if printed is None:
        return suggested, "blank" if not op.text else None
    return suggested, classify_slip(op.text or "", suggested)


@dataclass
class _Need:
    finding: int
    lo: int  # the change (厘) that makes the finding hold lies in [lo, hi]
    hi: int
    op: Operand


def _needs(findings: list[Finding]) -> dict[Key, list[_Need]]:
    needs: dict[Key, list[_Need]] = defaultdict(list)
    for i, f in enumerate(findings):
        if f.status != "fail" or not f.operands:
            continue
        res = sum(o.coef * o.value for o in f.operands)
        slack = sum(abs(o.coef) * o.half for o in f.operands)
        for o in f.operands:
            k = _key(o.location)
            if k is None or o.coef not in (1, -1):
                continue
            # res + coef*d within [-slack, slack]
            a, b = (-res - slack, -res + slack) if o.coef == 1 else (res - slack, res + slack)
            needs[k].append(_Need(i, a, b, o))
    return needs


def _fmt_delta(op: Operand, delta: int) -> str:
    text = format_amount(abs(delta), op.unit)
    return ("-" if delta < 0 else "+") + text


def _hint(op: Operand, delta: int, fixes: list[str], confidence: str = "high") -> Hint:
    suggested, slip = corrected(op, delta)
    assert op.location is not None
    return Hint(op.location, op.text, suggested, _fmt_delta(op, delta), slip, fixes, confidence, op.unit)


# ---------------------------------------------------------------------------


def hints_for(result: AuditResult, cell_text: Callable[[Location], str | None] | None = None) -> dict[int, Hint]:
    """Hints keyed by the index of the finding in ``result.findings`` they explain.

    ``cell_text`` is accepted for callers that can read a cell's printed text from the
    PDF; operands already carry it, so it is used only when an operand lacks it.
    """
    findings = result.findings
    needs = _needs(findings)
    hints: dict[int, Hint] = {}
    # 1. Edits recognition named from the table's whole structure.
    for ex in getattr(result, "explanations", None) or []:
        if ex.get("alternatives", 1) != 1:
            continue
        for edit in ex.get("edits", ()):
            cell: Key = (edit["file"], edit["table"], str(edit["row"]), edit["column"])
            ns = [n for n in needs.get(cell, []) if n.lo <= edit["delta"] <= n.hi and n.finding not in hints]
            if not ns:
                continue
            op = ns[0].op
            if op.text is None and edit.get("text") is not None and cell_text is None:
                op = Operand(op.role, op.value, op.half, op.unit, edit["text"], op.location, op.coef)
            hint = _hint(op, edit["delta"], sorted({findings[n.finding].check_id for n in ns}))
            for n in ns:
                hints[n.finding] = hint
    # 2. A cell several failing findings share, with one change fixing them all; a
    # single finding's cell only with a recognisable slip.
    ranked = sorted(needs.items(), key=lambda kv: (-len({n.finding for n in kv[1]}), kv[0]))
    for _, ns in ranked:
        todo = [n for n in ns if n.finding not in hints]
        if not todo or len(todo) < len({n.finding for n in ns}):
            continue
        lo = max(n.lo for n in todo)
        hi = min(n.hi for n in todo)
        if lo > hi:
            continue
        exact = [-_exact(findings[n.finding], n.op) for n in todo]
        delta = min(max(exact[0], lo), hi)
        if delta == 0:
            continue
        op = todo[0].op
        if op.text is None and cell_text is not None and op.location is not None:
            op = Operand(op.role, op.value, op.half, op.unit, cell_text(op.location), op.location, op.coef)
        hint = _hint(op, delta, sorted({findings[n.finding].check_id for n in todo}))
        if len({n.finding for n in todo}) < 2 and not hint.slip:
            continue  # one finding, many candidate cells: naming one would be a guess
        if len({n.finding for n in todo}) < 2:
            hint.confidence = "medium"
        for n in todo:
            hints[n.finding] = hint
    # 3. Prose compared with a cell already found wrong: the cell is what to correct.
    by_cell = {_key(h.location): h for h in hints.values()}
    for i, f in enumerate(findings):
        if i in hints or f.status != "fail" or f.kind != "prose_amount":
            continue
        shared = next((by_cell[key] for o in f.operands if (key := _key(o.location)) in by_cell), None)
        if shared is not None:
            shared.fixes.append(f.check_id)
            hints[i] = shared
    return hints


def _exact(f: Finding, op: Operand) -> int:
    """The change of ``op`` that makes ``f``'s identity hold exactly, negated."""
    res = sum(o.coef * o.value for o in f.operands)
    return res * op.coef


def groups(result: AuditResult, hints: dict[int, Hint] | None = None) -> list[Group]:
    """Findings grouped by the misprint that explains them, in document order."""
    hints = hints if hints is not None else hints_for(result)
    by_hint: dict[int, Group] = {}
    for i, h in sorted(hints.items()):
        g = by_hint.get(id(h))
        if g is None:
            g = by_hint[id(h)] = Group(h, [])
        g.findings.append(i)
    return sorted(by_hint.values(), key=lambda g: (g.hint.location.page or 0, g.findings[0]))
