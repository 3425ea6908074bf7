"""classification — a 政府收支分类 code and the name printed beside it agree.

What it checks
    Every 类/款/项 row of every table whose code is in the shipped classification
    (``budget_audit/data/function_codes.csv``: codes and names harvested from about 290
    real budget and final-account documents, 2017–2026, with the names each code has
    carried) prints one of that code's names. A code the list does not know, or knows
    from one document only (a harvested name may be noise), is *unknown*, not wrong;
    a code printed without a name is not compared. A table where most coded rows
    carry other names (three or more, over a third) lists projects or units beside
    their codes: its name column is not the codes' names, and it is skipped.
    With ``system: economic``: every 部门预算支出经济分类 code (3xx, 3xxxx) and the
    政府预算支出经济分类 code printed beside it (5xx, 5xxxx) carry one of their known
    names (a 款 row printed with its 类's name is accepted as a house style), and the
    pair's 类 is one that real documents pair (501↔301, 505↔301/302, 509↔303, …;
    ``budget_audit/data/econ_pairs.csv``); an unseen pairing is a warning.
    With ``system: outdated``: no class row of a table of a document of 2019 or later
    names a 功能分类 class by its name before the 2019 reform ("医疗卫生与计划
    生育支出" is "卫生健康支出", "文化体育与传媒支出" "文化旅游体育与传媒支出", "国土海洋
    气象等支出" "自然资源海洋气象等支出"; names in ``recognise/lexicon.yaml``).
Why it matters
    A row labelled "一般公共预算支出" under code 201 (一般公共服务支出) is a typing error
    that breaks every lookup by name; a wrong code misfiles the spending.
Passing example
    201 一般公共服务支出
Failing example
    201 一般公共预算支出
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from ..model import Location
from ..recognise.lexicon import economic_codes, function_codes, lexicon_data, norm
from .base import Context, cell_location

KIND = "classification"


@dataclass(frozen=True)
class Params:
    ranks: tuple[int, ...] = (10, 20, 30)
    system: Literal["function", "economic", "outdated"] = "function"


def _names(entry) -> set[str]:  # noqa: ANN001
    return {norm(entry.name), *(norm(a) for a in entry.alt_names)}


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    if check.params.system == "economic":
        _economic(ctx)
        return
    if check.params.system == "outdated":
        _outdated(ctx)
        return
    codes = function_codes()
    seen = False
    for rt in ctx.facts.tables:
        checked = []  # (item, entry, matches)
        for side in rt.sides[:1]:
            for item in side.items:
                if not item.code or item.rank not in check.params.ranks or not item.code.startswith("2"):
                    continue
                seen = True
                entry = codes.get(item.code)
                if entry is None or not entry.confident or not item.label or item.grouping:
                    # Unknown (or seen in one document only), or printed without a name.
                    continue
                checked.append((item, entry, _matches(item.label, _names(entry))))
        wrong = [(item, entry) for item, entry, ok in checked if not ok]
        if len(wrong) >= 3 and 3 * len(wrong) > len(checked):
            # Most rows carry another name than their code's: the label column holds
            # project or unit names beside the code, not the code's name.
            ctx.skipped(
                f"《{rt.title}》的名称列不是科目名称（多数行为项目或单位名称），未核对科目名称",
                f"{rt.id}: the name column holds project names, not code names",
            )
            continue
        if not ctx.count_pass(len(checked) - len(wrong)):
            for item, _entry, ok in checked:
                if ok:
                    ctx.passed("科目名称与编码一致", "name matches code", [cell_location(ctx.facts, rt, item.row, None)])
        for item, entry in wrong:
            loc = cell_location(ctx.facts, rt, item.row, None)
            ctx.failed(
                f"《{rt.title}》科目 {item.code} 的名称印为“{item.raw_label.strip()}”，"
                f"政府收支分类中该编码为“{entry.name}”",
                f"{rt.title}: code {item.code} is labelled '{item.raw_label.strip()}', expected '{entry.name}'",
                [loc],
                expected=entry.name,
                actual=item.raw_label.strip(),
            )
    if not seen:
        ctx.skipped("表格中没有功能分类科目编码", "no function codes in the tables")


def _matches(label: str, names: set[str]) -> bool:
    """The printed name is one of the code's names, or differs by an ending of at most
    two characters, or is the start of one (at least six characters: a name cut off by
    a narrow cell, 机关事业单位基本养老 for 机关事业单位基本养老保险缴费支出)."""
    return label in names or any(
        label
        and (label.startswith(n) or n.startswith(label))
        and (abs(len(n) - len(label)) <= 2 or (len(label) >= 6 and n.startswith(label)))
        for n in names
    )


@lru_cache(maxsize=1)
def _pair_data() -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """Class-level pairings seen in real tables, and every code seen in a pairing."""
    path = resources.files("budget_audit").joinpath("data", "econ_pairs.csv")
    with path.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pairs = frozenset((r["gov_econ_code"][:3], r["dept_econ_code"][:3]) for r in rows)
    codes = frozenset(c for r in rows for c in (r["gov_econ_code"], r["dept_econ_code"]))
    return pairs, codes


def _class_pairs() -> frozenset[tuple[str, str]]:
    return _pair_data()[0]


def _name_ok(code: str, label: str) -> bool | None:
    """True/False when the code is known, None when it is not."""
    codes = economic_codes()
    entry = codes.get(code)
    if entry is None:
        return None
    names = _names(entry)
    parent = codes.get(code[:3]) if len(code) == 5 else None
    if parent is not None:
        names |= _names(parent)  # a 款 printed with its 类's name: a house style
    return label in names or any(label and (label.startswith(n) or n.startswith(label)) and abs(len(n) - len(label)) <= 2 for n in names)


def _economic(ctx: Context) -> None:
    seen = False
    pairs = _class_pairs()
    for rt in ctx.facts.tables:
        if rt.role not in ("gpb_basic", "economic_summary", "expenditure_summary", "gpb_expenditure"):
            continue
        for side in rt.sides:
            for item in side.items:
                checks = []
                if item.code and item.code[0] == "3" and len(item.code) in (3, 5):
                    checks.append((item.code, item.label, item.raw_label))
                if item.alt_code and item.alt_code[0] == "5" and len(item.alt_code) in (3, 5) and item.alt_label:
                    checks.append((item.alt_code, item.alt_label, item.alt_label))
                for code, label, raw in checks:
                    ok = _name_ok(code, label)
                    if ok is None or not label:
                        continue
                    seen = True
                    if ok:
                        if not ctx.count_pass():
                            ctx.passed("经济分类名称与编码一致", "name matches code", [cell_location(ctx.facts, rt, item.row, None)])
                        continue
                    loc = cell_location(ctx.facts, rt, item.row, None)
                    entry = economic_codes()[code]
                    ctx.failed(
                        f"《{rt.title}》经济分类科目 {code} 的名称印为“{raw.strip()}”，该编码应为“{entry.name}”",
                        f"{rt.title}: economic code {code} is labelled '{raw.strip()}', expected '{entry.name}'",
                        [loc],
                        expected=entry.name,
                        actual=raw.strip(),
                    )
                if item.code and item.alt_code and item.code[0] == "3" and item.alt_code[0] == "5":
                    seen = True
                    pair = (item.alt_code[:3], item.code[:3])
                    # Judged only between codes real tables pair with others: the harvested
                    # pairings are partial, a pair of rarely printed codes proves nothing.
                    attested = {item.code, item.alt_code} <= _pair_data()[1]
                    if pair in pairs or not attested:
                        if not ctx.count_pass():
                            ctx.passed("两套经济分类对应关系常见", "pairing seen in real documents", [cell_location(ctx.facts, rt, item.row, None)])
                    else:
                        loc = cell_location(ctx.facts, rt, item.row, None)
                        ctx.failed(
                            f"《{rt.title}》部门经济分类 {item.code} 与政府经济分类 {item.alt_code} 配对，"
                            f"这种类级对应（{pair[1]}↔{pair[0]}）在真实文件中未见过，请核对",
                            f"{rt.title}: {item.code} paired with {item.alt_code}, an unseen class pairing",
                            [loc],
                            severity="warning",
                            actual=f"{item.code}↔{item.alt_code}",
                        )
    if not seen:
        ctx.skipped("表格中没有可核对的经济分类科目编码", "no economic codes in the tables")


@lru_cache(maxsize=1)
def _outdated_names() -> tuple[tuple[str, re.Pattern[str], str, int], ...]:
    return tuple(
        (str(e["code"]), re.compile(e["old"]), e["new"], int(e["since"]))
        for e in lexicon_data()["outdated_function_names"]
    )


# Tables whose rows are 功能分类 classes even when printed without codes ("一、…支出").
_CLASS_TABLES = {"revenue_expenditure_summary", "fiscal_summary"}


def _outdated(ctx: Context) -> None:
    """A 功能分类 class printed with the name it had before the 2019 reform (医疗卫生与计划
    生育支出 for 卫生健康支出, 文化体育与传媒支出, 国土海洋气象等支出) in a table of a
    document of a later year: rows copied from an old template."""
    year = ctx.facts.meta.year
    if year is None:
        ctx.skipped("无法确定文档年度", "document year unknown")
        return
    found = 0
    places: list[tuple[str, str | None, Location]] = []  # (name, code if any, where)
    # The prose is not held to the classification's names ("医疗卫生支出…万元" is how
    # people speak); a table's class row is.
    for rt in ctx.facts.tables:
        for side in rt.sides:
            for item in side.items:
                # A row names a class by its code, or by its place in a 收支总表 ("八、…");
                # a project or unit of the same words is no class.
                if item.code or (rt.role in _CLASS_TABLES and item.enumerated):
                    places.append((item.label, item.code, cell_location(ctx.facts, rt, item.row, None)))
    for label, code, loc in places:
        for klass, rx, new, since in _outdated_names():
            if year < since or not rx.fullmatch(label) or (code is not None and not code.startswith(klass)):
                continue
            found += 1
            ctx.failed(
                f"“{label}”是{since}年改革前的科目名称，{year}年度应为“{new}”",
                f"'{label}' is the class name before {since}; in {year} it is '{new}'",
                [loc],
                expected=new,
                actual=label,
            )
    if not found:
        ctx.passed("未见改革前的科目名称", "no outdated class names")
