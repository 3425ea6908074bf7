"""Fix hints: which single cell, changed to which value, would make the failing
arithmetic findings pass — and what kind of slip it looks like.

Works only from findings (their expected/actual strings and locations), never from the
document, so every reporter can show the same hints. A failing ``sum`` finding says
"total (locations[0]) is ``actual``, its parts add up to ``expected``": changing the
total by ``expected - actual`` fixes it, and so does changing any one part by
``actual - expected``. A failing ``equal`` finding says "left (locations[0]) is
``actual``, right (locations[1]) is ``expected``". A cell that takes part in several
failing findings is the culprit when one change to it would fix them all; that cell is
named with its current and corrected value. Amounts are integers (printed digits at a
common number of decimals), never floats.

Recognised slips (between the printed and the corrected value): two digits swapped,
a digit missing, a digit doubled (or one extra), one digit mistyped, a 万元/元 unit
slip (x10000) and a sign slip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .findings import AuditResult, Finding
from .model import Location
from .money import parse_number, slip_between

ARITHMETIC_KINDS = ("sum", "equal")
CellKey = tuple[str, str, int, str]  # file, table id, row, column

SLIP_TEXT = {
    "swap": ("两位数字颠倒", "two digits swapped"),
    "missing_digit": ("漏了一位数字", "a digit missing"),
    "doubled_digit": ("多写了一位数字（重复）", "a digit doubled"),
    "extra_digit": ("多写了一位数字", "an extra digit"),
    "typo": ("一位数字写错", "one digit mistyped"),
    "unit": ("单位错位（万元/元，相差 10000 倍）", "a 万元/元 unit slip (x10000)"),
    "sign": ("正负号错误", "wrong sign"),
}


@dataclass
class Hint:
    """A suggested correction for one cell (or prose figure)."""

    location: Location
    current: str | None  # printed value, when known
    suggested: str | None  # the value it should have, when the current one is known
    delta: str  # signed change
    slip: str | None  # a key of SLIP_TEXT
    fixes: list[str] = field(default_factory=list)  # check ids of the findings it fixes
    confidence: str = "high"  # high: one cell explains 2+ findings or a recognised slip

    def text(self, lang: str = "zh") -> str:
        loc = self.location.describe(lang)
        slip = SLIP_TEXT[self.slip][0 if lang == "zh" else 1] if self.slip else ""
        n = len(self.fixes)
        if lang == "zh":
            if self.suggested is not None:
                s = f"可能是{loc}写错：{self.current} 应为 {self.suggested}"
            else:
                s = f"可能是{loc}写错：应{'增加' if not self.delta.startswith('-') else '减少'} {self.delta.lstrip('-+')}"
            s += f"（{slip}）" if slip else ""
            return s + (f"；改正后 {n} 处不一致全部消除" if n > 1 else "")
        if self.suggested is not None:
            s = f"{loc} is probably wrong: {self.current} should be {self.suggested}"
        else:
            s = f"{loc} is probably wrong: change it by {self.delta}"
        s += f" ({slip})" if slip else ""
        return s + (f"; this fixes all {n} findings" if n > 1 else "")

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "location": self.location.to_dict(),
            "current": self.current,
            "suggested": self.suggested,
            "delta": self.delta,
            "slip": self.slip,
            "fixes": self.fixes,
            "confidence": self.confidence,
            "text": self.text(lang),
        }


# ---------------------------------------------------------------------------
# Fixed-point values: (digits, decimals) from printed text; arithmetic at a common scale


def _num(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    n = parse_number(text.replace("万元", "").replace("元", "").strip())
    return (n.digits, n.decimals) if n else None


def _scale(v: tuple[int, int], decimals: int) -> int:
    return v[0] * 10 ** (decimals - v[1])


def _fmt(value: int, decimals: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, frac = divmod(value, 10**decimals) if decimals else (value, 0)
    text = f"{whole:,}"
    if decimals:
        text += "." + str(frac).rjust(decimals, "0")
    return sign + text


def classify_slip(printed: str, corrected: str) -> str | None:
    """What slip turns ``corrected`` into ``printed``? Compares digit strings."""
    a, b = _num(printed), _num(corrected)
    if a is None or b is None:
        return None
    dec = max(a[1], b[1])
    return slip_between(_scale(a, dec), _scale(b, dec))


# ---------------------------------------------------------------------------


def _key(loc: Location) -> CellKey | None:
    if loc.table is None or loc.row is None or loc.column is None:
        return None
    return (loc.file or "", loc.table, loc.row, loc.column)


@dataclass
class _Need:
    finding: int  # index into result.findings
    delta: int  # change this cell needs, at ``decimals``
    decimals: int


def hints_for(result: AuditResult, cell_text: Callable[[Location], str | None] | None = None) -> dict[int, Hint]:
    """Hints keyed by the index of the finding in ``result.findings`` they explain.

    ``cell_text`` may read a cell's printed text (e.g. from the PDF, inside its bbox);
    it is used only when no finding states the cell's value.
    """
    needs: dict[CellKey, list[_Need]] = defaultdict(list)
    values: dict[CellKey, str] = {}
    locs: dict[CellKey, Location] = {}
    failing: list[int] = []
    for i, f in enumerate(result.findings):
        if f.status != "fail" or f.kind not in ARITHMETIC_KINDS or not f.locations:
            continue
        exp, act = _num(f.expected), _num(f.actual)
        if exp is None or act is None or not _same_units(f):
            continue
        dec = max(exp[1], act[1])
        diff = _scale(act, dec) - _scale(exp, dec)  # actual - expected
        failing.append(i)
        first = _key(f.locations[0])
        for n, loc in enumerate(f.locations):
            k = _key(loc)
            if k is None:
                continue
            locs.setdefault(k, loc)
            if n == 0:
                needs[k].append(_Need(i, -diff, dec))
                values.setdefault(k, f.actual or "")
            elif f.kind == "equal" and n == 1:
                needs[k].append(_Need(i, diff, dec))
                values.setdefault(k, f.expected or "")
            elif f.kind == "sum" and k != first:
                needs[k].append(_Need(i, diff, dec))
    hints: dict[int, Hint] = {}
    ranked = sorted(needs.items(), key=lambda kv: (-len({n.finding for n in kv[1]}), kv[0]))
    claimed: set[int] = set()
    for k, ns in ranked:
        findings = sorted({n.finding for n in ns})
        if any(i in claimed for i in findings):
            continue
        dec = max(n.decimals for n in ns)
        deltas = {n.delta * 10 ** (dec - n.decimals) for n in ns}
        if len(deltas) != 1:
            continue
        delta = deltas.pop()
        current = values.get(k) or (cell_text(locs[k]) if cell_text else None)
        cur = _num(current)
        suggested = _fmt(_scale(cur, max(dec, cur[1])) + delta * 10 ** (max(dec, cur[1]) - dec), max(dec, cur[1])) if cur else None
        slip = classify_slip(current, suggested) if current and suggested else None
        if len(findings) < 2 and not slip:
            continue  # one finding, many candidate cells: naming one would be a guess
        hint = Hint(locs[k], current, suggested, _fmt(delta, dec), slip, [result.findings[i].check_id for i in findings])
        for i in findings:
            hints[i] = hint
        claimed.update(findings)
    by_cell = {_key(h.location): h for h in hints.values()}
    hints.update(_prose_hints(result, claimed, by_cell))
    return hints


def _same_units(f: Finding) -> bool:
    d = dict(f.detail)
    return f.kind != "equal" or d.get("left_unit", "") == d.get("right_unit", "")


def _prose_hints(result: AuditResult, claimed: set[int], by_cell: dict[CellKey | None, Hint]) -> dict[int, Hint]:
    """A prose amount compared with a table cell already found wrong shares that cell's
    hint; otherwise one that differs from its table by a recognisable slip gets its own."""
    out: dict[int, Hint] = {}
    for i, f in enumerate(result.findings):
        if i in claimed or f.status != "fail" or f.kind != "prose_amount" or not f.locations:
            continue
        shared = next((by_cell[k] for k in map(_key, f.locations) if k in by_cell), None)
        if shared is not None:
            shared.fixes.append(f.check_id)
            out[i] = shared
            continue
        if not f.actual or not f.expected:
            continue
        slip = classify_slip(f.actual, f.expected)
        if not slip:
            continue
        a, e = _num(f.actual), _num(f.expected)
        assert a is not None and e is not None
        dec = max(a[1], e[1])
        out[i] = Hint(f.locations[0], f.actual, f.expected, _fmt(_scale(e, dec) - _scale(a, dec), dec), slip, [f.check_id])
    return out
