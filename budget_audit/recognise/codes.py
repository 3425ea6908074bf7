"""Rebuild 类/款/项 codes from what a table prints.

Tables print 支出功能分类 codes in separate 类/款/项 columns ("201","03","01"), joined
("2010301"), or only partly: a 款 row shows just "03" and a 项 row just "01", so the
full code must be rebuilt from the rows above. A bare two-digit fragment is a 款 when
the current 类 plus it names the row's label in the classification, a 项 when the
current 款 plus it does; failing that, the position decides (a fragment right under a
类 is a 款, under a 款 a 项). Rows repeating the code of the 项 just above with another
name are economic-class detail rows under that 项 (rank 40).
部门/政府预算经济分类 codes (3xx/5xx) are 类 (3 digits) and 款 (5 digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import function_codes, function_names_by_level, norm

_DIGITS = re.compile(r"^\d{2,9}$")
_GENERIC_XIANG = re.compile(r"^(行政运行|一般行政管理事务|机关服务|事业运行|其他.*支出)$")

RANK_BY_LEN = {3: 10, 5: 20, 7: 30}


@dataclass
class CodeState:
    lei: str | None = None
    kuan: str | None = None
    xiang: str | None = None
    xiang_label: str | None = None
    prev_rank: int | None = None
    kuan_cols: set[int] | None = None
    xiang_cols: set[int] | None = None


def _known(code: str, label: str) -> bool:
    entry = function_codes().get(code)
    if entry is None:
        return False
    names = {norm(entry.name), *(norm(a) for a in entry.alt_names)}
    return label in names


def _set(state: CodeState, code: str, rank: int, label: str) -> None:
    if rank == 10:
        state.lei, state.kuan, state.xiang = code, None, None
    elif rank == 20:
        state.lei, state.kuan, state.xiang = code[:3], code, None
    elif rank == 30:
        state.lei, state.kuan, state.xiang = code[:3], code[:5], code
        state.xiang_label = label
    state.prev_rank = rank


_BRACKETS = re.compile(r"^[\[［【(（]?(\d{2,9})[\]］】)）]?$")


def code_text(text: str) -> str | None:
    """The digits of a printed code: "201", "[20111]", "【2010301】"; None otherwise."""
    m = _BRACKETS.match(text) if text else None
    return m.group(1) if m else None


def split_code_cells(
    cells: list[tuple[int, str]],
    label: str,
    state: CodeState,
    levels: dict[int, int] | None = None,
) -> tuple[str | None, int | None]:
    """Return (full code, rank) for one row, updating ``state``.

    ``levels`` names the columns of a split code (类 10 / 款 20 / 项 30 under a 科目编码
    header): their position, not the digits, says which level a fragment is.
    """
    parts = [(c, d) for c, t in cells if (d := code_text(t))]
    if not parts:
        return None, None
    if levels and all(levels.get(c) for c, _ in parts):
        return _by_level(parts, levels, label, state)
    text = "".join(t for _, t in parts)
    col = parts[0][0]
    if len(parts) == 1 and len(text) == 2:
        return _fragment(text, col, label, state)
    if len(text) not in RANK_BY_LEN or text[0] == "0":
        # Unit codes ("024", "024001") and other code systems: a longer code sits
        # under the shorter code it extends.
        return text, 10 + 3 * len(text)
    rank = RANK_BY_LEN[len(text)]
    if rank == 30 and text == state.xiang and label != state.xiang_label:
        state.prev_rank = 40
        return text, 40
    _set(state, text, rank, label)
    if rank == 20:
        state.kuan_cols = (state.kuan_cols or set()) | {parts[-1][0]}
    return text, rank


def _by_level(
    parts: list[tuple[int, str]], levels: dict[int, int], label: str, state: CodeState
) -> tuple[str | None, int | None]:
    """A code printed over 类/款/项 columns: each column holds its own level, either as
    a fragment (款 "03") or written out in full (款 "20103"); missing higher levels come
    from the rows above (a 项 row printing only "99" under 207 99 is 2079999)."""
    by = {levels[c]: t for c, t in parts}
    lei = by.get(10) or state.lei
    kuan = by.get(20)
    xiang = by.get(30)
    if kuan is not None and len(kuan) == 2:
        kuan = (lei or "") + kuan
    if xiang is not None and len(xiang) == 2:
        base = kuan or state.kuan
        if base is None:
            return xiang, None
        xiang = base + xiang
    code = xiang or kuan or lei
    if code is None or len(code) not in RANK_BY_LEN:
        return code, None
    rank = RANK_BY_LEN[len(code)]
    if rank == 30 and code == state.xiang and label != state.xiang_label:
        state.prev_rank = 40
        return code, 40
    _set(state, code, rank, label)
    return code, rank


def _fragment(frag: str, col: int, label: str, state: CodeState) -> tuple[str | None, int | None]:
    as_kuan = state.lei + frag if state.lei else None
    as_xiang = state.kuan + frag if state.kuan else None
    rank: int | None = None
    if as_kuan and _known(as_kuan, label):
        rank = 20
    elif as_xiang and _known(as_xiang, label):
        rank = 30
    elif as_xiang and _GENERIC_XIANG.match(label):
        rank = 30
    elif as_kuan and state.prev_rank == 10:
        rank = 20
    elif as_xiang and state.prev_rank == 20:
        rank = 30
    elif as_kuan and label in function_names_by_level().get("款", set()):
        rank = 20
    elif as_xiang and label in function_names_by_level().get("项", set()):
        rank = 30
    elif as_kuan and state.kuan_cols and col in state.kuan_cols:
        rank = 20
    elif as_xiang:
        rank = 30
    elif as_kuan:
        rank = 20
    if rank is None:
        return frag, None
    code = as_kuan if rank == 20 else as_xiang
    assert code is not None
    if rank == 20:
        state.kuan_cols = (state.kuan_cols or set()) | {col}
    _set(state, code, rank, label)
    return code, rank
