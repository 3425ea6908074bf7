"""Table layout → meaning: role, header tree, column kinds, row items and their hierarchy.

A recognised table (:class:`RTable`) holds, for every body row and amount column, the
value in 厘 (numpy int64) and the half-width of its rounding interval. Rows are grouped
in *sides* (a two-sided 收支 table has a 收入 side and a 支出 side, each a label column
followed by its amount columns). Each side's rows are *items* with a rank (类 10, 款 20,
项 30, detail 40; 一、10, （一）15, 1、20, （1）25, ①30) from which parents are derived.
Nothing here checks an identity; kinds do that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from ..model import Cell, RawRow, Table
from ..money import (
    UNIT_LI,
    Number,
    check_amount,
    is_blank_amount,
    overflow_safe,
    parse_number,
    unit_of,
)
from .codes import CodeState, code_text, split_code_cells
from .lexicon import function_names_by_level, lexicon, norm
from .structure import Structure, build_structure

# A cell of a column-number row: a mark, a column number, or a number with the
# formula relating it to others ("3=1+2", "4=5+6+7").
_COLNUM_CELL = re.compile(r"^(\*\*|栏次|行次|[A-Z]|\d{1,2}(=\d{1,2}([+-]\d{1,2})+)?)$")
_COLNUM_MARKS = ("**", "栏次", "行次")
_LEADING_INT = re.compile(r"^\d{1,2}")
_ENUM = [
    (re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]"), 10),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]"), 15),
    (re.compile(r"^\d{1,2}[、.．](?!\d)"), 20),
    (re.compile(r"^[（(]\d{1,2}[)）]"), 25),
    (re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]"), 30),
]
_LABEL_HEADER = re.compile(r"^(项目|科目名称|项目名称|.*名称)$")
_DIGITS = re.compile(r"^\d{2,9}$")


@dataclass
class Column:
    index: int
    path: tuple[str, ...]
    kind: str = "text"  # code | index | label | amount | text
    additive: bool = True
    subset: bool = False  # a part of the amount beside it (扣除…后): adds up over rows, in no group
    code_level: int | None = None  # a split code's 类 (10) / 款 (20) / 项 (30) column
    code_system: str | None = None  # code columns: function | economic | unit

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def name(self) -> str:
        return "/".join(self.path) if self.path else f"第{self.index + 1}列"


@dataclass
class Item:
    """A row as seen from one side of the table."""

    row: int  # body row index, 0-based
    label: str
    raw_label: str
    code: str | None = None
    rank: int = 10
    total: bool = False
    of_which: bool = False
    parent: int | None = None  # index into Side.items
    children: list[int] = field(default_factory=list)
    unlabelled_total: bool = False
    enumerated: bool = False  # printed with 一、/1、/（1） etc.
    alt_code: str | None = None  # the paired code (政府预算经济分类 beside 部门预算经济分类)
    alt_label: str | None = None
    grouping: bool = False  # a funding-type ("全额") or unit row: its label names no 科目
    enum_no: int | None = None  # the number of a numbered row (一、 → 1, （三） → 3, 2. → 2)


@dataclass
class Side:
    label_col: int | None
    value_cols: list[int]
    items: list[Item] = field(default_factory=list)


@dataclass
class RTable:
    table: Table
    role: str | None
    unit: str | None
    unit_inferred: bool
    columns: list[Column]
    header_rows: int
    body: list[list[str]]  # normalised body texts
    body_pages: list[int | None]
    values: np.ndarray  # int64 [rows, cols], 厘
    halves: np.ndarray  # int64 [rows, cols]
    present: np.ndarray  # bool [rows, cols]: a number was printed
    sides: list[Side]
    merged: np.ndarray | None = None  # bool [rows, cols]: covered by a merged cell
    unparsed: list[tuple[int, int, str]] = field(default_factory=list)
    empty: bool = False
    year: int | None = None  # the document's year, set by recognise()
    keyed_by: str | None = None  # "unit": its rows are budget units (recognise/identity.py)
    body_raw: list[int] = field(default_factory=list)  # body row -> index into table.rows
    structure: Structure | None = None  # identities, reading, understood or not

    @property
    def id(self) -> str:
        return self.table.id

    @property
    def title(self) -> str:
        return self.table.title

    def amount_cols(self) -> list[int]:
        return [c.index for c in self.columns if c.kind == "amount"]

    def side_of_col(self, col: int) -> Side | None:
        for side in self.sides:
            if col in side.value_cols:
                return side
        return None

    def page_of_row(self, row: int) -> int | None:
        return self.body_pages[row] if 0 <= row < len(self.body_pages) else None


def classify_role(title: str) -> str | None:
    t = norm(title)
    for spec in lexicon().roles:
        if any(p.search(t) for p in spec.patterns):
            return spec.role
    return None


def _is_colnum_row(cells: list[str]) -> bool:
    """A column-number row ("栏次 1 2 3", "** ** 1 2", "1 2 3 4", "行次 1"): the numbers
    of the columns, printed under the header, never data. With a 栏次/行次/** mark two
    cells say so; without one, three consecutive small numbers do."""
    filled = [c for c in cells if c]
    if not filled or not all(_COLNUM_CELL.match(c) for c in filled):
        return False
    marked = any(c in _COLNUM_MARKS for c in filled)
    if len(filled) < (2 if marked else 3):
        return False
    nums = [int(m.group(0)) for c in filled if (m := _LEADING_INT.match(c))]
    # "1 2 3 4" or "** ** 1 2": consecutive small integers or star placeholders.
    return len(nums) < 2 or all(b - a == 1 for a, b in zip(nums, nums[1:], strict=False))


def _first_body_row(rows: list[list[str]]) -> int:
    lex = lexicon()
    for i, cells in enumerate(rows):
        if _is_colnum_row(cells):
            continue
        if any(parse_number(c) is not None for c in cells if c):
            return i
    # No numbers at all (an empty table): body starts at the first total/code/enum row.
    for i, cells in enumerate(rows):
        first = next((c for c in cells if c), "")
        if lex.total_rows.match(first) or _DIGITS.match(first):
            return i
    return len(rows)


def _header_paths(header: list[list[str]], ncols: int) -> list[tuple[str, ...]]:
    """Column paths from header rows, inheriting group labels across empty cells."""
    grid = [row + [""] * (ncols - len(row)) for row in header]
    filled = [list(r) for r in grid]
    for r, row in enumerate(grid):
        for c in range(ncols):
            if row[c]:
                continue
            # nearest non-empty cell to the left in this row
            left = next((k for k in range(c - 1, -1, -1) if grid[r][k]), None)
            if left is None:
                continue
            below_c = any(grid[rr][c] for rr in range(r + 1, len(grid)))
            below_left = any(grid[rr][left] for rr in range(r + 1, len(grid)))
            if below_c and below_left:
                filled[r][c] = grid[r][left]
    paths: list[tuple[str, ...]] = []
    for c in range(ncols):
        parts: list[str] = []
        for r in range(len(filled)):
            label = filled[r][c]
            if label:
                parts.append(label)
        paths.append(tuple(parts))
    return paths


def _column_kinds(
    paths: list[tuple[str, ...]], body: list[list[str]], ncols: int
) -> list[Column]:
    lex = lexicon()
    cols: list[Column] = []
    for c in range(ncols):
        cells = [row[c] for row in body if c < len(row)]
        numbers = [x for x in cells if x and parse_number(x) is not None]
        texts = [x for x in cells if x and parse_number(x) is None and not is_blank_amount(x)]
        path = paths[c]
        label = path[-1] if path else ""
        col = Column(c, path)
        cells_filled = [x for x in cells if x]
        wordy = [x for x in texts if code_text(x) is None]  # not "201" nor "[20111]"
        digit_only = numbers and all(_DIGITS.match(x) and "," not in x for x in numbers)
        if _is_index(label, numbers, texts, len(body)):
            col.kind = "index"
        elif (lex.code_columns.match(label) and len(wordy) <= len(cells_filled) // 2) or (
            any(lex.code_columns.match(p) for p in path) and digit_only and not texts
        ):
            col.kind = "code"
            col.code_level = lex.code_levels.get(label)
            col.code_system = _code_system(path)
        elif texts and len(texts) >= len(numbers):
            col.kind = "label"
        elif numbers or not texts:
            col.kind = "amount"
        if col.kind == "amount" and not numbers and _LABEL_HEADER.search(label) and "金额" not in label:
            col.kind = "label"
        col.additive = col.kind == "amount" and not any(
            lex.non_additive_columns.search(p) for p in path
        )
        col.subset = col.additive and any(lex.subset_columns.search(p) for p in path)
        cols.append(col)
    _confirm_code_levels(cols, body)
    # Leading columns before the first label column whose cells are short digit strings
    # are code columns even without a code header (e.g. a bare "科目编码" group).
    first_label = next((c.index for c in cols if c.kind == "label"), None)
    if first_label is not None:
        for col in cols[:first_label]:
            if col.kind == "index":
                continue
            cells = [row[col.index] for row in body if row[col.index]]
            if cells and all(_DIGITS.match(x) for x in cells):
                col.kind = "code"
                col.code_system = _code_system(col.path)
    return cols


_LEVEL_LENGTHS = {10: {3}, 20: {2, 5}, 30: {2, 7}}


def _confirm_code_levels(cols: list[Column], body: list[list[str]]) -> None:
    """A split code's 类/款/项 header is trusted only when every such column holds codes
    of its level (类 three digits, 款 two or five, 项 two or seven): a header printed one
    column off (text exports) must not move the codes."""
    levelled = [c for c in cols if c.code_level]
    ok = bool(levelled)
    for col in levelled:
        digits = [d for row in body if (d := code_text(row[col.index]))]
        if not digits or any(len(d) not in _LEVEL_LENGTHS[col.code_level or 0] for d in digits):
            ok = False
    if not ok:
        for col in levelled:
            col.code_level = None


def _code_system(path: tuple[str, ...]) -> str:
    """Which code a code column holds, from its header: a unit's or department's own
    code (单位编码, 部门代码: keys the row by who spends), an 经济分类 code, or else the
    row's 功能分类 科目."""
    text = "".join(path)
    if re.search(r"(单位|部门|机构)[^经功科]{0,6}(编码|代码|编号)", text):
        return "unit"
    if "经济" in text:
        return "economic"
    return "function"


def _is_index(label: str, numbers: list[str], texts: list[str], nrows: int) -> bool:
    """A row-number column: headed 序号/行次/…, or printing 1, 2, 3 … down the rows
    (small whole numbers, almost all one more than the number above)."""
    lex = lexicon()
    if lex.index_columns.match(label) and not texts:
        return True
    if len(numbers) < 3 or texts or any(not x.isdigit() for x in numbers):
        return False
    ints = [int(x) for x in numbers]
    steps = sum(1 for a, b in zip(ints, ints[1:], strict=False) if b == a + 1)
    return ints[0] <= 2 and max(ints) <= nrows + 2 and steps >= 0.8 * (len(ints) - 1)


def _classification_name(label: str) -> bool:
    names = function_names_by_level()
    return any(label in names[level] for level in names)


_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _enum_number(label: str) -> int | None:
    """The number a numbered label starts with: 一、 → 1, 十二、 → 12, （3） → 3, ② → 2."""
    m = re.match(r"^[（(]?([一二三四五六七八九十]{1,3}|\d{1,2}|[①-⑩])", label)
    if not m or _rank_of_label(label)[0] is None:
        return None
    t = m.group(1)
    if t in _CIRCLED:
        return _CIRCLED.index(t) + 1
    if t.isascii() and t.isdigit():
        return int(t)
    if t == "十":
        return 10
    if t.startswith("十"):
        return 10 + _CN_DIGITS.get(t[1], 0)
    if "十" in t:
        tens, _, ones = t.partition("十")
        return 10 * _CN_DIGITS.get(tens, 1) + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(t)


def _rank_of_label(label: str) -> tuple[int | None, str]:
    for pattern, rank in _ENUM:
        m = pattern.match(label)
        if m:
            return rank, label[m.end() :]
    return None, label


def _build_sides(cols: list[Column]) -> list[Side]:
    sides: list[Side] = []
    current: Side | None = None
    for col in cols:
        if col.kind == "label":
            current = Side(col.index, [])
            sides.append(current)
        elif col.kind == "amount":
            if current is None:
                current = Side(None, [])
                sides.append(current)
            current.value_cols.append(col.index)
    # A label column with no amounts of its own (e.g. the 部门经济分类 name beside the
    # 政府经济分类 name) is not a side.
    return [s for s in sides if s.value_cols]


def _items_for_side(
    side: Side,
    body: list[list[str]],
    code_cols: list[int],
    first_side: bool,
    present: np.ndarray,
    merged: np.ndarray,
    name_col: int | None = None,
    alt_cols: list[int] | None = None,
    code_levels: dict[int, int] | None = None,
) -> None:
    lex = lexicon()
    state = CodeState()
    levels = {c: lv for c in code_cols if (lv := code_levels.get(c))} if code_levels else None
    last_enum: int | None = None  # rank of the last 一、-style item in this block
    nest_base: int | None = None  # rank for a numbered list nested under a plain line
    for r, cells in enumerate(body):
        raw = cells[side.label_col] if side.label_col is not None else ""
        alt_label = None
        if name_col is not None:
            # Two classifications on one row: the name beside the first code is the
            # row's name; the side's own label names the paired code.
            raw, alt_label = cells[name_col] or raw, raw
        if not raw and side.label_col is not None and merged[r, side.label_col]:
            # A label cell merged across the page ("当年支出小计" over two sides).
            k = side.label_col
            while k > 0 and merged[r, k]:
                k -= 1
            raw = cells[k] if not merged[r, k] else ""
        if not raw and first_side:
            # "人员经费合计" printed across the code columns, its name cell left empty.
            raw = next((cells[c] for c in code_cols if cells[c] and not _DIGITS.match(cells[c])), "")
        label = norm(raw)
        code = None
        code_rank = None
        if first_side and code_cols:
            code, code_rank = split_code_cells(
                [(c, cells[c]) for c in code_cols], label, state, levels
            )
        has_values = bool(present[r, side.value_cols].any()) if side.value_cols else False
        if not label and not code and not has_values:
            continue
        of_which = bool(lex.of_which.match(label))
        bare = lex.of_which.sub("", label) if of_which else label
        enum_no = _enum_number(bare)
        enum_rank, bare = _rank_of_label(bare)
        is_total = bool(lex.total_rows.match(bare)) or bool(
            re.match(r"^(本年|当年|全年)?(收入|支出)?(合计?|总计?|小计)$", bare)
        )
        alt = "".join(cells[c] for c in alt_cols or [] if _DIGITS.match(cells[c] or ""))
        item = Item(
            row=r,
            label=bare,
            raw_label=raw,
            code=code,
            total=is_total,
            of_which=of_which,
            enumerated=enum_rank is not None,
            alt_code=alt or None,
            alt_label=norm(alt_label) if alt_label else None,
            enum_no=enum_no,
        )
        if not label and not code and has_values:
            item.total = True
            item.unlabelled_total = True
        # A unit's other name in brackets ("…慈善服务中心(…慈善医院)") does not hide its suffix.
        unit_name = re.sub(r"[（(][^（）()]*[)）]$", "", bare) or bare
        item.grouping = bool(lex.grouping_rows.match(bare)) or (
            bool(lex.unit_rows.search(bare) or lex.unit_rows.search(unit_name)) and not _classification_name(bare)
        )
        if code_rank is not None:
            item.rank = code_rank
        elif enum_rank is not None:
            item.rank = enum_rank
            prev = side.items[-1] if side.items else None
            restarts = re.match(r"^[（(]?(一|1)[、.．)）]", label) is not None
            if restarts and prev is not None and not prev.enumerated and not prev.total and not prev.of_which:
                # "上年结转结余 / 一、一般公共预算拨款 / 二、…": a numbered list that starts
                # again under an unnumbered line belongs to that line.
                nest_base = prev.rank + 5
            if nest_base is not None and enum_rank == 10:
                item.rank = nest_base
            elif enum_rank == 10:
                last_enum = enum_rank
        elif of_which and side.items:
            prev = side.items[-1]
            item.rank = prev.rank + (0 if prev.of_which else 1)
        elif last_enum is not None and not item.total:
            # An unnumbered line under "一、财政拨款收入" is one of its parts.
            item.rank = last_enum + 5
        else:
            item.rank = 10
        if item.total:
            last_enum = None
        if item.total or (enum_rank is None and not of_which):
            nest_base = None
        side.items.append(item)
    _link_parents(side)


def _link_parents(side: Side) -> None:
    """Parent = nearest preceding non-total item of lower rank, within a total block."""
    stack: list[int] = []
    for idx, item in enumerate(side.items):
        if item.total:
            stack = []
            continue
        while stack and side.items[stack[-1]].rank >= item.rank:
            stack.pop()
        if stack:
            item.parent = stack[-1]
            side.items[stack[-1]].children.append(idx)
        stack.append(idx)


def _infer_unit(table: Table, doc_units: list[str]) -> tuple[str | None, bool]:
    unit = unit_of(table.unit_line or "")
    if unit:
        return unit, False
    # A unit in a header cell: "金额（万元）", "单位：元".
    for row in table.rows[:4]:
        for text in row.texts:
            u = unit_of(text)
            if u:
                return u, False
    if doc_units:
        # The unit most tables of this document declare.
        best = max(set(doc_units), key=doc_units.count)
        return best, True
    return None, True


def _geometric_paths(
    table: Table, header_idx: list[int], body_idx: list[int], ncols: int
) -> list[tuple[str, ...]] | None:
    """Column paths from cell boxes: a header cell labels every column whose centre
    lies within its horizontal extent. None when the source gave no boxes."""
    centres: list[float | None] = []
    for c in range(ncols):
        xs = sorted(
            (cell.bbox[0] + cell.bbox[2]) / 2
            for i in body_idx + header_idx[-1:]
            for cell in table.rows[i].cells[c : c + 1]
            if cell.bbox is not None and cell.text is not None
        )
        centres.append(xs[len(xs) // 2] if xs else None)
    if any(x is None for x in centres):
        return None
    paths: list[list[str]] = [[] for _ in range(ncols)]
    spans = False
    for i in header_idx:
        for cell in table.rows[i].cells:
            label = norm(cell.text)
            if not label:
                continue
            if cell.bbox is None:
                return None
            x0, _, x1, _ = cell.bbox
            covered = [c for c in range(ncols) if x0 - 0.5 <= centres[c] <= x1 + 0.5]  # type: ignore[operator]
            spans = spans or len(covered) > 1
            for c in covered:
                paths[c].append(label)
    # Without any merged header cell the drawing says nothing the text does not: let
    # the caller infer group spans from the text instead.
    return [tuple(p) for p in paths] if spans else None


def _without_spacer_columns(table: Table) -> Table:
    """The table with its split columns joined: two adjacent physical columns of which,
    in every row, one is covered by a merged neighbour, and whose text sits sometimes
    in the one and sometimes in the other (a grid drawn with a thin column beside each
    real one, the text left on one page and right on the next), are one column. A
    header merged over two columns (text left, right covered) is not such a pair. The
    Document is not changed."""
    rows = [list(r.cells) for r in table.rows]
    ncols = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([Cell(None)] * (ncols - len(r)))
    # Only rows that print figures tell where a column's text sits (header rows merge
    # cells across columns and down rows in every direction).
    data: list[bool] | None = None
    c = 0
    joined = False
    while c + 1 < ncols:
        pair = [(r[c], r[c + 1]) for r in rows]
        if not all(a.text is None or b.text is None for a, b in pair):
            c += 1
            continue
        if data is None:
            data = [any(parse_number(cell.text) is not None for cell in r if cell.text) for r in rows]
        left = any(d and a.text and b.text is None for d, (a, b) in zip(data, pair, strict=True))
        right = any(d and b.text and a.text is None for d, (a, b) in zip(data, pair, strict=True))
        if left and right and all(a.text is None or b.text is None for a, b in pair):
            for r in rows:
                a, b = r[c], r[c + 1]
                r[c] = b if a.text is None else a
                del r[c + 1]
            ncols -= 1
            joined = True
            continue
        c += 1
    if not joined:
        return table
    return replace(table, rows=[RawRow(cells, raw.page) for cells, raw in zip(rows, table.rows, strict=True)])


def recognise_table(table: Table, doc_units: list[str], structure: bool = True) -> RTable:
    """Read one table (``structure``: also derive its identities now; ``recognise``
    does that after the table's role is known)."""
    table = _without_spacer_columns(table)
    texts = [[norm(c) for c in row.texts] for row in table.rows]
    pages = [row.page for row in table.rows]
    ncols = max((len(r) for r in texts), default=0)
    texts = [r + [""] * (ncols - len(r)) for r in texts]
    start = _first_body_row(texts)
    header_idx = [i for i in range(start) if not _is_colnum_row(texts[i])]
    header = [texts[i] for i in header_idx]
    body_idx = [
        i
        for i in range(start, len(texts))
        if not _is_colnum_row(texts[i]) and texts[i] not in header and any(texts[i])
    ]
    body = [texts[i] for i in body_idx]
    body_pages = [pages[i] for i in body_idx]
    paths = _geometric_paths(table, header_idx, body_idx, ncols) if header_idx else None
    cols = _column_kinds(paths or _header_paths(header, ncols), body, ncols)
    unit, inferred = _infer_unit(table, doc_units)
    factor = UNIT_LI.get(unit or "元", 1000)

    n = len(body)
    merged = np.zeros((n, ncols), dtype=bool)
    for r, i in enumerate(body_idx):
        for c, cell in enumerate(table.rows[i].cells[:ncols]):
            merged[r, c] = cell.text is None
    values = np.zeros((n, ncols), dtype=np.int64)
    halves = np.zeros((n, ncols), dtype=np.int64)
    present = np.zeros((n, ncols), dtype=bool)
    unparsed: list[tuple[int, int, str]] = []
    numbers: dict[tuple[int, int], Number] = {}
    for r, cells in enumerate(body):
        for col in cols:
            if col.kind != "amount":
                continue
            text = cells[col.index]
            if is_blank_amount(text):
                continue
            number = parse_number(text)
            if number is None:
                unparsed.append((r, col.index, text))
                continue
            numbers[(r, col.index)] = number
    rounded = any(num.decimals for num in numbers.values())
    for (r, c), number in numbers.items():
        try:
            value, half = number.scaled(factor)
        except ValueError:
            unparsed.append((r, c, number.text))
            continue
        check_amount(value, number.text, unit or "元", f"《{table.title or table.id}》第{r + 1}行", body_pages[r])
        values[r, c] = value
        halves[r, c] = half if rounded else 0
        present[r, c] = True

    values, halves = overflow_safe(values, halves)
    sides = _build_sides(cols)
    # Each side reads the code columns printed between the previous side and its own
    # label column (a 基本支出决算表 prints 经济分类 codes on both of its sides).
    prev_end = -1
    for side in sides:
        label_at = side.label_col if side.label_col is not None else ncols
        # Code columns before the side's label, in runs split by label columns: the
        # first run is the row's classification (部门预算经济分类 in a two-system table),
        # a second run (政府预算经济分类) is kept as the row's paired code.
        runs: list[list[int]] = [[]]
        names: list[int | None] = []
        for c in range(prev_end + 1, label_at):
            if cols[c].kind == "code" and cols[c].code_system == "unit":
                continue  # who spends, not what for: never part of the row's 科目 code
            if cols[c].kind == "code":
                if len(runs) > len(names) + 1:
                    runs.append([])
                runs[-1].append(c)
            elif cols[c].kind == "label" and runs[-1] and len(names) < len(runs):
                names.append(c)
                runs.append([])
        runs = [r for r in runs if r]
        code_cols = runs[0] if runs else []
        name_col = names[0] if names and runs else None
        alt_cols = runs[1] if len(runs) > 1 else []
        levels = {c: lv for c in code_cols if (lv := cols[c].code_level)}
        _items_for_side(side, body, code_cols, bool(code_cols), present, merged, name_col, alt_cols, levels)
        prev_end = max(side.value_cols)
    rt = RTable(
        table=table,
        role=classify_role(table.title),
        unit=unit,
        unit_inferred=inferred,
        columns=cols,
        header_rows=len(header),
        body=body,
        body_pages=body_pages,
        values=values,
        halves=halves,
        present=present,
        sides=sides,
        merged=merged,
        unparsed=unparsed,
        empty=not present.any(),
        body_raw=body_idx,
    )
    if structure:
        rt.structure = build_structure(rt)
    return rt
