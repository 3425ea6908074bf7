"""Helpers shared by ingesters: attach the title, 单位名称 and unit lines to tables.

Every ingester ends with the same shape: a list of text paragraphs in reading order and a
list of tables, each known to sit just before paragraph number ``pos``. The short lines
right above a table are its title, its org line and its unit line; they are moved out of
the prose into the table. Notes printed under a table (本表无数据, 注：…) are copied to it.
"""

from __future__ import annotations

import re

from ..model import Table
from ..money import unit_of

ORG_LINE = re.compile(
    r"^\s*(单位名称|编制单位|编制部门|部门名称|预算单位|填报单位|部门|部门（单位）|部门\(单位\)|部门（单位）名称|部门\(单位\)名称)\s*[:：]"
    r"|^\s*单位\s*[:：]\s*(?!(亿元|万元|千元|百元|元)\s*$)\S{2,}"
)
UNIT_ONLY = re.compile(r"^\s*(金额)?单位\s*[:：]\s*(亿元|万元|千元|百元|元)\s*$")
_TITLE_HINT = re.compile(r"(表|情况|明细|预算|决算)\s*[（(]?[^，。；]*$")
_YEAR_SUFFIX = re.compile(r"^\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$")
_SUBTITLE = re.compile(r"^\s*[（(][^（()）]{2,40}[)）]\s*$")
_YEAR_START = re.compile(r"^\s*(19|20)\d{2}\s*年")
_NOTE = re.compile(r"^\s*(注[:：\d]|说明[:：]|备注|本表|本单位|本部门)|无数据|故本表|无此项|没有.{0,20}(支出|收入|数据)")
_TABLE_NO = re.compile(r"^\s*((附表|表)\s*[\d一二三四五六七八九十]+(-\d+)?|(公开)?\s*\d+\s*表)\s*$")


def split_unit_org(line: str) -> tuple[str | None, str | None]:
    """Split a line such as "编制单位：XX局    单位：元" into (org_line, unit_line)."""
    unit_match = re.search(r"(金额)?单位\s*[:：]\s*(亿元|万元|千元|百元|元)\s*$", line)
    if ORG_LINE.match(line):
        if unit_match and unit_match.start() > 0:
            return line[: unit_match.start()].strip(), unit_match.group(0).strip()
        return line.strip(), None
    if unit_match and UNIT_ONLY.match(line):
        return None, line.strip()
    return None, None


def looks_like_title(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 80:
        return False
    if t.endswith(("。", "；", "，", "：", ":")):
        return False
    if "，" in t and len(t) > 30:
        return False
    return bool(_TITLE_HINT.search(t)) or bool(_YEAR_SUFFIX.match(t))


def _wrapped_title_head(above: str, first: str) -> bool:
    """``above`` is the first line of a title whose rest, ``first``, holds its 表: it
    names no table itself, ends without punctuation and either starts with the year
    ``first`` lacks, or ``first`` is a bare fragment ("表", "算表")."""
    a, f = above.strip(), first.strip()
    if "表" in a or not looks_like_title(a) or _TABLE_NO.match(a):
        return False
    if len(f) <= 3:
        return True
    return bool(_YEAR_START.match(a)) and not _YEAR_START.match(f) and not re.match(
        r"^(附表|表|[一二三四五六七八九十\d]+[、.．])", f
    )


def attach_table_context(
    tables: list[Table],
    positions: list[int],
    paragraphs: list[tuple[str, int]],
) -> list[tuple[str, int]]:
    """Fill title/org/unit/notes of each table; return the paragraphs left as prose.

    ``positions[k]`` is the index in ``paragraphs`` before which table k was printed.
    """
    consumed: set[int] = set()
    for table, pos in zip(tables, positions, strict=True):
        title_parts: list[str] = []
        j = pos - 1
        taken = 0
        while j >= 0 and j not in consumed and taken < 5:
            text, page = paragraphs[j]
            # "单位:万元常委会办公厅": a unit line with the wrapped end of the org line.
            wrapped = re.match(r"^\s*((?:金额)?单位\s*[:：]\s*(?:亿元|万元|千元|百元|元))(\S+)$", text)
            if wrapped and j > 0 and ORG_LINE.match(paragraphs[j - 1][0]):
                table.unit_line = table.unit_line or wrapped.group(1)
                table.org_line = table.org_line or paragraphs[j - 1][0].strip() + wrapped.group(2)
                consumed.update({j, j - 1})
                taken += 2
                j -= 2
                continue
            org, unit = split_unit_org(text)
            if org or unit:
                table.org_line = table.org_line or org
                table.unit_line = table.unit_line or unit
            elif _TABLE_NO.match(text):
                pass
            elif (_YEAR_SUFFIX.match(text) or _SUBTITLE.match(text)) and not title_parts:
                # "（2026年度）" or "（按支出功能分类科目-不含上年结转）" under the title
                title_parts.insert(0, text.strip())
            elif looks_like_title(text) and not any("表" in p for p in title_parts):
                title_parts.insert(0, text.strip())
                table.title_page = page
            else:
                break
            consumed.add(j)
            taken += 1
            j -= 1
            if title_parts and "表" in title_parts[0]:
                # A title wrapped over two lines: "2021年部门综合预算政府采购（资产配置、
                # 购买服务）" above "预算表（不含上年结转）" — the line above starts with
                # the year the fragment lacks.
                if j >= 0 and j not in consumed and _wrapped_title_head(paragraphs[j][0], title_parts[0]):
                    title_parts[0] = paragraphs[j][0].strip() + title_parts[0]
                    table.title_page = paragraphs[j][1]
                    consumed.add(j)
                break
        table.title = " ".join(title_parts)
        if table.unit_line is None:
            # Some producers print the unit inside the title: "…情况表（单位：万元）".
            if unit_of(table.title):
                table.unit_line = table.title
    # Notes: short paragraphs after a table, before the next table's context.
    starts = sorted(positions)
    for table, pos in zip(tables, positions, strict=True):
        nxt = min((p for p in starts if p > pos), default=len(paragraphs))
        for k in range(pos, min(nxt, pos + 4)):
            if k in consumed:
                break
            text = paragraphs[k][0]
            if _NOTE.search(text):
                table.notes.append(text)
    return [p for n, p in enumerate(paragraphs) if n not in consumed]
