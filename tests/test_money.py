"""money: parsing printed numbers, intervals and integer percentage checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_audit.money import (
    PCT_SCALE,
    Amount,
    format_amount,
    is_blank_amount,
    parse_amount,
    parse_number,
    parse_percent,
    percent_consistent,
    ratio_range,
    ratio_to_percent_text,
    unit_of,
)


@pytest.mark.parametrize(
    "text,digits,decimals",
    [
        ("155,403", 155403, 0),
        ("155403", 155403, 0),
        ("1,554.03", 155403, 2),
        ("１５５４．０３", 155403, 2),
        ("(1,234)", -1234, 0),
        ("-1,234", -1234, 0),
        ("0.00", 0, 2),
    ],
)
def test_parse_number(text: str, digits: int, decimals: int) -> None:
    n = parse_number(text)
    assert n is not None and (n.digits, n.decimals) == (digits, decimals)


@pytest.mark.parametrize("text", ["三公", "十一、", "2021年", "1,23", "", None, "12a"])
def test_not_numbers(text) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["", "-", "—", " ", None, "－"])
def test_blank_means_zero(text) -> None:
    assert is_blank_amount(text)


def test_units_and_intervals() -> None:
    prose = parse_amount("1554.03", "万元")
    table = parse_amount("155,403", "百元", exact=True)
    assert prose is not None and table is not None
    assert prose.value == table.value
    assert (prose.lo, prose.hi) == (prose.value - 50_000, prose.value + 50_000)
    assert table.half == 0
    coarse = parse_amount("8", "万元")
    assert coarse is not None and coarse.lo == 75_000_000 and coarse.hi == 85_000_000


def test_unit_line() -> None:
    assert unit_of("单位：百元") == "百元"
    assert unit_of("金额单位：万元") == "万元"
    assert unit_of("编制单位：某局  单位：元") == "元"
    assert unit_of("单位名称：某局") is None


def test_percent_recomputes_with_rounding() -> None:
    a = parse_amount("1461.74", "万元")
    b = parse_amount("1554.03", "万元")
    assert a and b
    rng = ratio_range(a.lo, a.hi, b.lo, b.hi)
    assert rng is not None
    assert percent_consistent(parse_percent("94.06"), *rng)
    assert not percent_consistent(parse_percent("96.04"), *rng)
    # "3.8%" is [3.75, 3.85]: 59.13 / 1554.03 = 3.805%
    c = parse_amount("59.13", "万元")
    rng2 = ratio_range(c.lo, c.hi, b.lo, b.hi)
    assert percent_consistent(parse_percent("3.8"), *rng2)
    assert percent_consistent(parse_percent("3.80"), *rng2)


def test_format() -> None:
    assert format_amount(155_403 * 100_000, "百元") == "155,403"
    assert format_amount(15_540_300_000, "万元") == "1,554.03"
    assert ratio_to_percent_text(1183_90, 370_13) == "319.86%"


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_rounded_percent_always_consistent(n: int, d: int) -> None:
    """Any ratio, printed rounded to two places, is accepted for its exact inputs."""
    text = ratio_to_percent_text(n, d).rstrip("%")
    pct = parse_percent(text)
    assert pct is not None
    assert percent_consistent(pct, (n, d), (n, d))


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_format_roundtrip(li: int) -> None:
    text = format_amount(li * 10, "元")
    a = parse_amount(text, "元", exact=True)
    assert a is not None and a.value == li * 10
    assert Amount(a.value).lo == a.value
    assert PCT_SCALE == 1_000_000
