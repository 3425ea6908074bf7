"""What every kind shares: the evaluation context, cell/claim selectors and locations.

A kind's ``evaluate(check, ctx)`` reports through ``ctx.passed / ctx.failed /
ctx.skipped``; the engine turns a check that reported nothing into ``skipped``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding
from ..model import Location
from ..money import Amount, format_amount
from ..recognise import Facts
from ..recognise.lexicon import lexicon
from ..recognise.prose import Claim
from ..recognise.tables import Item, RTable, Side


@dataclass(frozen=True)
class CellRef:
    """One value in a table: the row whose label matches ``row`` (a regex on the label
    with white space removed; a pattern of digits matches the row's code instead) and
    the column whose header path matches ``column`` (default: the row's first amount
    column). A table printed the other way round (items as columns, one data row) is
    read with ``row`` matched against column headers."""

    table: str
    row: str | None = None
    column: str | None = None
    optional: bool = False  # in a list of parts: a missing cell counts as zero


@dataclass
class Context:
    facts: Facts
    check: Any  # rulebook.Check
    findings: list[Finding] = field(default_factory=list)
    claim_checks: dict[int, list[str]] = field(default_factory=dict)
    # Claims some check compared with a table figure (shared by the checks of one run).
    compared: set[int] = field(default_factory=set)
    lang: str = "zh"
    # Passing comparisons: kept as findings only when asked for (--show-passed);
    # otherwise only counted, and kinds skip building their messages and locations.
    keep_passes: bool = True
    passes: int = 0

    # -- reporting ---------------------------------------------------------
    def _add(self, status: str, message: str, message_en: str, locations: list[Location], **kw: Any) -> None:
        check = self.check
        detail = kw.pop("detail", None) or {}
        severity = kw.pop("severity", None) or check.severity
        self.findings.append(
            Finding(
                check_id=check.id,
                check_name=check.name,
                kind=check.kind,
                title=check.title,
                status=status,
                severity=severity,
                message=message,
                message_en=message_en,
                locations=tuple(locations),
                detail=tuple(sorted(detail.items())),
                **kw,
            )
        )

    def passed(self, message: str, message_en: str = "", locations: list[Location] | None = None, **kw: Any) -> None:
        if not self.keep_passes:
            self.passes += 1
            return
        self._add("pass", message, message_en, locations or [], **kw)

    def count_pass(self, n: int = 1) -> bool:
        """Count ``n`` passes without building them and return True, when passes are
        not kept; return False (count nothing) when the caller must build them."""
        if self.keep_passes:
            return False
        self.passes += n
        return True

    @property
    def reported(self) -> bool:
        return bool(self.findings) or self.passes > 0

    def failed(self, message: str, message_en: str = "", locations: list[Location] | None = None, **kw: Any) -> None:
        self._add("fail", message, message_en, locations or [], **kw)

    def skipped(self, reason: str, reason_en: str = "") -> None:
        self._add("skipped", reason, reason_en, [])

    def used_claim(self, claim: Claim) -> None:
        self.claim_checks.setdefault(claim.id, []).append(self.check.id)

    # -- tables ------------------------------------------------------------
    def tables(self, role: str) -> list[RTable]:
        return self.facts.by_role(role)

    @property
    def file(self) -> str:
        return self.facts.doc.path


def cell_location(facts: Facts, rt: RTable, row: int | None, col: int | None) -> Location:
    item_label = None
    if row is not None:
        side = rt.side_of_col(col) if col is not None else (rt.sides[0] if rt.sides else None)
        item = next((i for i in side.items if i.row == row), None) if side else None
        if item is not None:
            item_label = item.raw_label.strip() or (item.code or "") or ("合计" if item.total else None)
            if item.code and item.code not in (item_label or ""):
                item_label = f"{item.code} {item_label}"
    bbox = None
    if row is not None and col is not None:
        bbox = _cell_bbox(rt, row, col)
    return Location(
        file=rt.table.source or facts.doc.path,
        page=rt.page_of_row(row) if row is not None else rt.table.first_page,
        table=rt.id,
        table_title=rt.title,
        row=row + 1 if row is not None else None,
        row_label=item_label,
        column=rt.columns[col].name if col is not None else None,
        bbox=bbox,
    )


def _cell_bbox(rt: RTable, row: int, col: int) -> tuple[float, float, float, float] | None:
    raw = rt.table.rows[rt.body_raw[row]] if row < len(rt.body_raw) else None
    if raw is None or col >= len(raw.cells):
        return None
    return raw.cells[col].bbox


def claim_location(facts: Facts, claim: Claim) -> Location:
    s = claim.sentence
    return Location(
        file=s.source or facts.doc.path,
        page=s.page,
        paragraph=s.para,
        text=s.text,
    )


def fmt(li: int, unit: str | None) -> str:
    return format_amount(li, unit or "元")


def fmt_amount(a: Amount) -> str:
    return a.text + a.unit if a.text else format_amount(a.value, a.unit) + a.unit


def find_items(rt: RTable, pattern: str) -> list[tuple[Side, Item]]:
    """Rows whose label (or code, for a digit pattern) matches ``pattern``."""
    rx = re.compile(pattern)
    by_code = bool(re.fullmatch(r"\^?\d+\$?", pattern))
    labels = [c.index for c in rt.columns if c.kind == "label"]
    out = []
    for side in rt.sides:
        for item in side.items:
            key = item.code or "" if by_code else item.label
            if key and rx.search(key):
                out.append((side, item))
            elif not by_code and item.unlabelled_total and rx.search("合计"):
                out.append((side, item))
            elif not by_code and not item.label and len(labels) > 1 and any(
                c < len(rt.body[item.row]) and rt.body[item.row][c] and rx.search(rt.body[item.row][c]) for c in labels
            ):
                # A row whose label column is blank names itself in another label column
                # ("合计", "一、货物" under 采购品目大类, before 采购组织形式).
                out.append((side, item))
    return out


def default_column(rt: RTable, cols: list[int], year: int | None) -> int | None:
    """The value column a reference means when it names none: the current year's when
    the table prints several years side by side (a 三公 table prints last year's and
    this year's figures), else the first. A year inside a group's name that no other
    column contradicts ("2026年政府采购项目/小计") is not a choice of year."""
    if not cols:
        return None
    dated = re.compile(r"((?:19|20)\d{2})年|上年")
    years = {m.group(0) for c in cols for m in dated.finditer(rt.columns[c].name)}
    other_years = years - {f"{year}年"}
    if year is not None and other_years:
        this = [c for c in cols if f"{year}年" in rt.columns[c].name]
        if this:
            return this[0]
        rest = [c for c in cols if not dated.search(rt.columns[c].name)]
        if rest:
            return rest[0]
    return cols[0]


def find_column(rt: RTable, side: Side, pattern: str | None) -> int | None:
    if not side.value_cols:
        return None
    if pattern is None:
        return default_column(rt, side.value_cols, rt.year)
    rx = re.compile(pattern)
    return default_column(rt, [c for c in side.value_cols if rx.search(rt.columns[c].name)], rt.year)


def resolve(rt: RTable, ref: CellRef) -> tuple[int, int] | None:
    """(row, col) of the value a CellRef names, or None.

    ``a||b`` in ``row`` or ``column`` gives alternatives in order of preference.
    """
    if ref.row and "||" in ref.row:
        for alt in ref.row.split("||"):
            hit = resolve(rt, CellRef(ref.table, alt, ref.column))
            if hit is not None:
                return hit
        return None
    if ref.column and "||" in ref.column:
        for alt in ref.column.split("||"):
            hit = resolve(rt, CellRef(ref.table, ref.row, alt))
            if hit is not None:
                return hit
        return None
    if ref.row is not None:
        hits = find_items(rt, ref.row)
        for side, item in hits:
            col = find_column(rt, side, ref.column)
            if col is not None and not (rt.merged is not None and rt.merged[item.row, col]):
                return item.row, col
        # Items printed as columns (a 三公 table across the page): a table of at most
        # three body rows whose column headers name the items — or one whose 合计 row
        # heads a row per unit (read on the 合计 row).
        if len(rt.body) > 3 and not any(item.total for side in rt.sides for item in side.items):
            return None
        rx = re.compile(ref.row)
        lex = lexicon()
        matches: list[int] = []
        for column in rt.columns:
            path = column.path
            names = [path[-1]] if path else []
            if len(path) >= 2 and lex.total_columns.match(path[-1]):
                names.append(path[-2])
            if column.kind == "amount" and any(rx.search(p) for p in names):
                if ref.column and not re.search(ref.column, column.name):
                    continue
                matches.append(column.index)
        row = _data_row(rt)
        if not matches and row is not None:
            matches = _fund_split(rt, rx, row)
        best = default_column(rt, matches, rt.year)
        return (row, best) if row is not None and best is not None else None
    if ref.column is not None:
        for column in rt.columns:
            if column.kind == "amount" and re.search(ref.column, column.name):
                row = _data_row(rt)
                if row is not None:
                    return row, column.index
        return _measure_row_cell(rt, re.compile(ref.column))
    return None


def _measure_row_cell(rt: RTable, rx: re.Pattern[str]) -> tuple[int, int] | None:
    """A table printed across the page with one row per measure (items as columns, rows
    "预算数" and "决算数"): a cell is named by its column and its row's label, as
    "公务接待费/决算数" names it in a table with one column per measure. Only in a
    table of at most three body rows, where a row cannot be an item."""
    if len(rt.body) > 3:
        return None
    labels = [c.index for c in rt.columns if c.kind == "label"]
    hits = []
    for r, cells in enumerate(rt.body):
        label = next((cells[c] for c in labels if c < len(cells) and cells[c]), "")
        if not label:
            continue
        hits += [
            (r, column.index)
            for column in rt.columns
            if column.kind == "amount" and rx.search(f"{column.name}/{label}")
        ]
    return hits[0] if len(hits) == 1 else None


_FUND = re.compile(r"^(一般公共预算|政府性基金(预算)?|国有资本经营(预算)?)(拨款|资金)?$")


def _fund_split(rt: RTable, rx: re.Pattern[str], row: int) -> list[int]:
    """An item printed as one column per fund ("因公出国(境)费 / 一般公共预算 | 政府性基金
    预算 | 国有资本经营预算"): the item's value is the one fund column that is not zero in
    ``row`` (or the first when all are); several nonzero funds give no single cell."""
    lex = lexicon()
    cols: list[int] = []
    for column in rt.columns:
        path = column.path
        if column.kind != "amount" or len(path) < 2 or not _FUND.match(path[-1]):
            continue
        names = [path[-2]]
        if len(path) >= 3 and lex.total_columns.match(path[-2]):
            names.append(path[-3])
        if any(rx.search(p) for p in names):
            cols.append(column.index)
    nonzero = [c for c in cols if int(rt.values[row, c]) != 0]
    if len(nonzero) > 1:
        return []
    return nonzero or cols[:1]


def _data_row(rt: RTable) -> int | None:
    """The total row of a horizontal table (or its only row); in a table that prints one
    row per year ("2025年", "2026年", "增减变化金额"), the row of the document's year."""
    if rt.year is not None:
        for r, cells in enumerate(rt.body):
            if any(re.fullmatch(rf"{rt.year}年(度)?(预算数?)?", c) for c in cells):
                return r
    for side in rt.sides:
        for item in side.items:
            if item.total:
                return item.row
    return 0 if rt.body else None
