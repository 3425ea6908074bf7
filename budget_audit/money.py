"""Integer money and percentages: parsing, units, intervals, formatting.

This is the only module that knows about units (元/百元/千元/万元/亿元) and about how a
printed number stands for an interval. Nothing here uses float or Decimal.

Amounts are int counts of 厘 (0.001 元, a tenth of 分). A printed number stands for the
interval of values that round to it: "1183.9" 万元 is [1183.85, 1183.95] 万元. Half of the
smallest step anybody prints (1 分) is 5 厘, so every interval bound is an exact integer.
Intervals are treated as closed: a value exactly on a rounding boundary is accepted, so
the tool never reports a rounding tie as an error.

Percentages are int counts of 1e-6 percentage points (PCT_SCALE per 1%), again so that
half of a printed step (e.g. 0.005% for "94.06%") is an integer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# 1 元 = 1000 厘 (base unit).
LI_PER_YUAN = 1000
UNIT_LI: dict[str, int] = {
    "分": 10,
    "元": LI_PER_YUAN,
    "百元": 100 * LI_PER_YUAN,
    "千元": 1000 * LI_PER_YUAN,
    "万元": 10_000 * LI_PER_YUAN,
    "十万元": 100_000 * LI_PER_YUAN,
    "百万元": 1_000_000 * LI_PER_YUAN,
    "亿元": 100_000_000 * LI_PER_YUAN,
}
PCT_SCALE = 1_000_000  # units per 1 percentage point

# No budget prints a figure near 1,000 万亿元 (10^15 元; China's whole general public
# budget is under 30 万亿元): such a number is an extraction error or a forged file,
# and refused as input (AmountOutOfRange). Sums of many bounded figures can still pass
# int64, so tables whose values could overflow are summed as Python ints
# (``overflow_safe``).
MAX_AMOUNT_YUAN = 10**15
MAX_LI = MAX_AMOUNT_YUAN * 1000
INT64_SAFE = 2**62


class AmountOutOfRange(ValueError):
    """A printed amount beyond any budget; ``where`` says where it was printed."""

    def __init__(self, text: str, unit: str, where: str = "", page: int | None = None) -> None:
        self.text, self.unit, self.where, self.page = text, unit, where, page
        super().__init__(
            f"{where + '：' if where else ''}金额「{text.strip()[:40]}」{unit} 超出任何预算可能的数额"
            f"（上限 {MAX_AMOUNT_YUAN // 10**12:,} 万亿元），可能是提取错误或文件已被篡改"
        )


def check_amount(value_li: int, text: str, unit: str, where: str = "", page: int | None = None) -> int:
    """``value_li`` when it is within ±MAX_LI, else AmountOutOfRange."""
    if -MAX_LI <= value_li <= MAX_LI:
        return value_li
    raise AmountOutOfRange(text, unit, where, page)

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％（）　", "0123456789.,-+%() "
)
_NUMBER_RE = re.compile(
    r"^(?P<neg1>[-−–])?\(?(?P<neg2>[-−–])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\)?$"
)
_DASHES = {"-", "—", "–", "−", "--", "——", "/", "－", "—-"}


def normalise_digits(text: str) -> str:
    """Full-width digits and punctuation to ASCII; strips spaces inside numbers."""
    return text.translate(_FULLWIDTH)


@dataclass(frozen=True, slots=True)
class Number:
    """A printed decimal: ``digits * 10**-decimals`` exactly as written."""

    digits: int  # signed
    decimals: int
    text: str

    def scaled(self, factor: int) -> tuple[int, int]:
        """(value, half_step) in units where 1 printed unit is ``factor``.

        ``factor`` must be divisible by 2 * 10**decimals, else ValueError (the number is
        printed more finely than the base unit can hold).
        """
        den = 10**self.decimals
        if factor % (2 * den):
            raise ValueError(f"{self.text!r} is finer than the base unit")
        return self.digits * (factor // den), factor // den // 2


def parse_number(text: str | None) -> Number | None:
    """Parse a printed number cell; ``None`` if it is not a number.

    Empty cells and dashes are *not* numbers here: callers decide whether a blank means
    zero (see :func:`parse_cell`). Results are memoised: a document repeats its cell
    texts many times and recognition asks about each more than once.
    """
    if text is None:
        return None
    return _parse_number(text)


@lru_cache(maxsize=1 << 16)
def _parse_number(text: str) -> Number | None:
    s = normalise_digits(text).strip().replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    m = _NUMBER_RE.match(s)
    if not m:
        return None
    negative = bool(m.group("neg1") or m.group("neg2")) or (
        s.startswith("(") and s.endswith(")")
    )
    int_part = m.group("int").replace(",", "")
    frac = m.group("frac") or ""
    digits = int(int_part + frac)
    return Number(-digits if negative else digits, len(frac), text)


def is_blank_amount(text: str | None) -> bool:
    """True for an empty cell or a dash placeholder, which tables use for zero."""
    if text is None:
        return True
    s = normalise_digits(text).strip().replace(" ", "")
    return s == "" or s in _DASHES


@dataclass(frozen=True, slots=True)
class Amount:
    """Money in 厘 with the half-width of its rounding interval (0 = exact)."""

    value: int
    half: int = 0
    text: str = ""
    unit: str = "元"

    @property
    def lo(self) -> int:
        return self.value - self.half

    @property
    def hi(self) -> int:
        return self.value + self.half

    @classmethod
    def from_number(cls, number: Number, unit: str, exact: bool = False) -> Amount:
        """Raises AmountOutOfRange beyond MAX_LI, ValueError when too fine."""
        value, half = number.scaled(UNIT_LI[unit])
        check_amount(value, number.text, unit)
        return cls(value, 0 if exact else half, number.text, unit)

    def overlaps(self, other: Amount) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def parse_amount(text: str, unit: str, exact: bool = False) -> Amount | None:
    number = parse_number(text)
    if number is None:
        return None
    try:
        return Amount.from_number(number, unit, exact)
    except AmountOutOfRange:
        raise
    except ValueError:
        return None


def unit_of(text: str) -> str | None:
    """Unit named in a unit line such as "单位：百元" or "金额单位：万元"."""
    s = normalise_digits(text).replace(" ", "")
    m = re.search(r"(?:金额)?单位[:：]?\s*(亿元|百万元|十万元|万元|千元|百元|元)", s)
    if m:
        return m.group(1)
    m = re.search(r"[（(](亿元|万元|千元|百元|元)[)）]", s)
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class Percent:
    """A printed percentage in PCT_SCALE units with its rounding half-width."""

    value: int
    half: int
    text: str

    @property
    def lo(self) -> int:
        return self.value - self.half

    @property
    def hi(self) -> int:
        return self.value + self.half


def parse_percent(text: str) -> Percent | None:
    number = parse_number(text.rstrip("%％ "))
    if number is None:
        return None
    value, half = number.scaled(PCT_SCALE)
    return Percent(value, half, text)


# ---------------------------------------------------------------------------
# Interval arithmetic on ratios, by integer cross-multiplication.


def ratio_range(
    num_lo: int, num_hi: int, den_lo: int, den_hi: int
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Range of num/den (both non-negative, den > 0) as two fractions (lo, hi).

    Returns ((n, d) low, (n, d) high) or None when the denominator may be zero.
    """
    if den_hi <= 0:
        return None
    den_lo = max(den_lo, 0)
    num_lo = max(num_lo, 0)
    if num_hi < 0:
        return None
    low = (num_lo, den_hi)
    high = (num_hi, den_lo) if den_lo > 0 else (1, 0)  # (1, 0) = +infinity
    return low, high


def percent_consistent(
    pct: Percent, low: tuple[int, int], high: tuple[int, int]
) -> bool:
    """Whether [pct.lo, pct.hi] (in PCT_SCALE per %) meets the ratio range [low, high].

    A ratio r = n/d in percent is 100*n/d; compare pct * d against 100 * PCT_SCALE * n.
    """
    (ln, ld), (hn, hd) = low, high
    scale = 100 * PCT_SCALE
    # need pct.hi >= 100*ln/ld  and  pct.lo <= 100*hn/hd
    ok_low = pct.hi * ld >= scale * ln
    ok_high = True if hd == 0 else pct.lo * hd <= scale * hn
    return ok_low and ok_high


def zero_base(num_lo: int, num_hi: int, den_lo: int, den_hi: int, pct: Percent) -> str | None:
    """How a stated rate num/den = pct stands when the base may be zero.

    ``None``: the base is surely positive (check the rate as usual). ``"none"``: no
    positive base lies in the interval, or only bases so small that num/den exceeds
    the stated rate (a rate of a base of zero — "增加9.15万元，增长100%" of a new item,
    "预算0万元…完成预算的95.89%" — does not exist: the figure is wrong). ``"open"``:
    only a near-zero base would give it, or the numerator may be zero too (0 of 0):
    nothing can be said.
    """
    if den_lo > 0:
        return None
    rng = ratio_range(num_lo, num_hi, den_lo, den_hi)
    if rng is None:
        # 0 of 0 printed as "0%" says nothing wrong; any other rate of nothing is.
        return "open" if num_lo <= 0 and pct.lo <= 0 else "none"
    if num_lo > 0 and not percent_consistent(pct, *rng):
        return "none"
    return "open"


def ratio_to_percent_text(n: int, d: int, decimals: int = 2) -> str:
    """n/d as a percentage rounded half-up to ``decimals`` places, e.g. "94.06%"."""
    if d == 0:
        return "∞"
    sign = "-" if (n < 0) != (d < 0) and n != 0 else ""
    n, d = abs(n), abs(d)
    scaled = n * 100 * 10**decimals
    q, r = divmod(scaled, d)
    if 2 * r >= d:
        q += 1
    whole, frac = divmod(q, 10**decimals)
    return f"{sign}{whole}.{frac:0{decimals}d}%" if decimals else f"{sign}{whole}%"


def format_amount(li: int, unit: str, decimals: int | None = None) -> str:
    """Format a 厘 count in ``unit``, rounding half-up, with thousands separators.

    ``decimals`` defaults to the fewest places that show the value exactly (max 6).
    """
    factor = UNIT_LI[unit]
    sign = "-" if li < 0 else ""
    li = abs(li)
    if decimals is None:
        decimals = 0
        while decimals < 6 and (li * 10**decimals) % factor:
            decimals += 1
    q, r = divmod(li * 10**decimals, factor)
    if 2 * r >= factor:
        q += 1
    whole, frac = divmod(q, 10**decimals)
    body = f"{whole:,}" + (f".{frac:0{decimals}d}" if decimals else "")
    return sign + body


def format_interval(lo: int, hi: int, unit: str) -> str:
    if lo == hi:
        return format_amount(lo, unit)
    return f"[{format_amount(lo, unit)}, {format_amount(hi, unit)}]"


def format_percent_range(low: tuple[int, int], high: tuple[int, int]) -> str:
    lo = ratio_to_percent_text(*low, decimals=3)
    hi = "∞" if high[1] == 0 else ratio_to_percent_text(*high, decimals=3)
    return lo if lo == hi else f"[{lo}, {hi}]"


def slip_between(printed: int, corrected: int) -> str | None:
    """The typing slip that turns ``corrected`` into ``printed`` (both the digits of a
    number at one scale): ``sign``, ``unit`` (x10000, 元/万元), ``swap`` (two digits
    exchanged), ``typo`` (one digit wrong), ``missing_digit``, ``doubled_digit`` or
    ``extra_digit``; None when the two differ otherwise (or not at all)."""
    x, y = printed, corrected
    if x == y:
        return None
    if x == -y:
        return "sign"
    if y and (x == y * 10000 or y == x * 10000):
        return "unit"
    p, c = str(abs(x)), str(abs(y))
    if len(p) == len(c):
        diff = [i for i in range(len(p)) if p[i] != c[i]]
        if len(diff) == 2 and p[diff[0]] == c[diff[1]] and p[diff[1]] == c[diff[0]]:
            return "swap"
        if len(diff) == 1:
            return "typo"
        return None
    if len(p) + 1 == len(c) and any(c[:i] + c[i + 1 :] == p for i in range(len(c))):
        return "missing_digit"
    if len(p) == len(c) + 1:
        for i in range(len(p)):
            if p[:i] + p[i + 1 :] == c:
                doubled = (i > 0 and p[i - 1] == p[i]) or (i + 1 < len(p) and p[i + 1] == p[i])
                return "doubled_digit" if doubled else "extra_digit"
    return None


def overflow_safe(values: Any, halves: Any) -> tuple[Any, Any]:
    """Numpy int64 arrays of a table's amounts and half-steps, as they are when no sum
    over a whole row or column can leave int64; otherwise the same values as Python
    ints (dtype object), so sums stay exact however large the table."""
    import numpy as np

    if not values.size:
        return values, halves
    peak = max(int(np.abs(values).max()), int(np.abs(halves).max()))
    if peak * (sum(values.shape) + 1) < INT64_SAFE:
        return values, halves
    return values.astype(object), halves.astype(object)
