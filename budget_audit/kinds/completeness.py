"""completeness — every table the 目录 lists is printed, under the same title, and
every table says its unit.

What it checks
    ``what: toc`` — each 表 entry of the 目录 has a table of the same title (numbering,
    punctuation and the year ignored). A table of the same role under another title is
    a warning-level title mismatch; no table of that role at all is a missing table.
    ``what: unit`` — each table with amounts prints its unit (单位：元/百元/万元); a
    table without one is reported with the unit the tool inferred and why.
Why it matters
    The 目录 is the reader's index: a listed table that is absent, or retitled, makes
    the disclosure incomplete. A table with no unit can be misread by a factor of 100 or
    10,000.
Passing example
    目录 "五、2021年一般公共预算支出表" and a table titled "2021年一般公共预算支出表"
Failing example
    目录 "九、2021年政府性基金支出情况表" and no such table
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from ..model import Location
from ..recognise.lexicon import lexicon, norm
from ..recognise.tables import classify_role
from .base import Context

KIND = "completeness"
_ENUM = re.compile(
    r"^((附表|表)[\d一二三四五六七八九十]{1,3}(-\d{1,2})?[、.．:：\s]*"
    r"|(附表|表)?([（(][\d一二三四五六七八九十]{1,3}[)）]|[\d一二三四五六七八九十]{1,3}[-、.．:：\s]+))?"
)
# A part heading of the 目录 ("第二部分", "二、表格部分"), not a table.
_PART = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．][^，。]{0,8}部分$)")
_TAIL = re.compile(r"[；;。，,.…·\d\s]+$")


@dataclass(frozen=True)
class Params:
    what: Literal["toc", "unit", "standard"]
    # standard: the tables every document of the kind publishes; "a|b": table a, or a
    # table b that publishes a's content within it
    roles: tuple[str, ...] = ()
    # standard: prose that explains an absent table, by role ("没有…政府性基金…支出")
    explained_by: tuple[str, ...] = ()


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    what = check.params.what
    if what == "toc":
        _toc(ctx)
    elif what == "unit":
        _unit(ctx)
    else:
        _standard(ctx, check.params)


def _standard(ctx: Context, p: Params) -> None:
    """Each standard table is published, or its absence or emptiness is explained."""
    if not any(rt.role for rt in ctx.facts.tables):
        ctx.skipped("本文件没有表格（表格可能另册公开，可与表格文件一并检查）", "no tables in this file")
        return
    prose = "".join(norm(para.text) for para in ctx.facts.doc.paragraphs)
    for k, role in enumerate(p.roles):
        # "a|b": the table, or another that publishes its content (a template's own).
        tables = [rt for rt in ctx.facts.tables if rt.role in role.split("|")]
        why = p.explained_by[k] if k < len(p.explained_by) else None
        explained = bool(why and re.search(why, prose))
        zh = lexicon().role_zh(role.split("|")[0])
        if tables and not all(rt.empty for rt in tables):
            ctx.passed(f"已公开《{zh}》", f"{role} published")
            continue
        if tables:
            rt = tables[0]
            loc = Location(file=rt.table.source, page=rt.table.first_page, table=rt.id, table_title=rt.title)
            if rt.table.notes or explained:
                ctx.passed(f"《{zh}》为空表，已说明", f"{role} empty and explained", [loc])
            else:
                ctx.failed(
                    f"《{rt.title}》为空表，但表下和正文都没有说明原因（如“本单位无…支出，故本表无数据”）",
                    f"{rt.title} is empty and nothing explains why",
                    [loc],
                    severity="warning",
                )
            continue
        if explained:
            ctx.passed(f"未公开《{zh}》，正文已说明没有此项支出", f"{role} absent, explained")
        else:
            ctx.failed(
                f"文档中没有《{zh}》，正文也没有说明没有此项收支；按规定应公开（无数据的表也应公开并注明）",
                f"no {role} table and no explanation",
                [],
                severity="warning",
            )


def clean_title(text: str) -> str:
    t = norm(text)
    t = re.sub(r"[.…·]{2,}\d*$", "", t)  # dot leaders and page numbers
    t = _TAIL.sub("", t)
    t = _ENUM.sub("", t)
    t = re.sub(r"^((?:19|20)\d{2})年度?", "", t)
    t = re.sub(r"[(（](?:19|20)\d{2}年度?[)）]", "", t)
    return t.replace("“", "").replace("”", "").replace('"', "")


def toc_entries(ctx: Context) -> list[tuple[str, Location]]:
    paras = ctx.facts.doc.paragraphs
    start = next((k for k, p in enumerate(paras[:80]) if norm(p.text) in ("目录", "目次")), None)
    if start is None:
        return []
    entries = []
    seen_parts: set[str] = set()
    for p in paras[start + 1 : start + 80]:
        t = norm(p.text)
        part = _PART.match(t)
        if part:
            if part.group(0) in seen_parts:
                break  # the body starts: its first part heading repeats the TOC's
            seen_parts.add(part.group(0))
            continue
        if len(t) > 60:
            break
        if re.fullmatch(r"[（(][^（()）]*[)）]", t):
            continue  # a note in brackets: "（具体部门预算公开报表）"
        if "表" in t and not t.startswith("附件") and not t.startswith("附表:"):
            entries.append((p.text, Location(file=p.source, page=p.page, paragraph=p.index, text=p.text)))
    return entries


def _toc(ctx: Context) -> None:
    entries = toc_entries(ctx)
    if entries and not any(rt.role for rt in ctx.facts.tables):
        ctx.skipped("本文件没有表格（表格可能另册公开，可与表格文件一并检查）", "no tables in this file")
        return
    if not entries:
        ctx.skipped("未找到目录，或目录未列出表格", "no table of contents")
        return
    titles = {clean_title(rt.title): rt for rt in ctx.facts.tables}
    for raw, loc in entries:
        text = norm(raw).rstrip("；;。，,")
        want = clean_title(raw)
        if not want:
            continue
        hit = titles.get(want) or next(
            (rt for t, rt in titles.items() if t and (want in t or t.endswith(want) or _common_suffix(t, want) >= 8)),
            None,
        )
        if hit is not None:
            ctx.passed("目录所列表格存在", "listed table present", [loc])
            continue
        role = classify_role(want)
        if role is None:
            # A group heading ("五、单位预算表") or a table kind the tool does not know:
            # report it only when no table has a similar title.
            best = max((difflib.SequenceMatcher(None, want, t).ratio() for t in titles), default=0)
            if re.search(r"^.{0,12}(部门|单位)?(预算|决算)(公开)?表(格)?$", want) or best >= 0.6:
                ctx.passed("目录分组标题或近似表题", "group heading or close title", [loc])
                continue
        same_role = sorted(
            (rt for rt in ctx.facts.tables if role and rt.role == role),
            key=lambda rt: -difflib.SequenceMatcher(None, want, clean_title(rt.title)).ratio(),
        )
        if same_role:
            ctx.failed(
                f"目录列出《{text}》，但附表中对应的表题为《{same_role[0].title}》，标题不一致",
                f"TOC lists '{text}' but the table is titled '{same_role[0].title}'",
                [loc, Location(file=same_role[0].table.source, page=same_role[0].table.first_page, table=same_role[0].id, table_title=same_role[0].title)],
                expected=text,
                actual=same_role[0].title,
                detail={"problem": "title_mismatch"},
                severity="warning",
            )
        else:
            ctx.failed(
                f"目录列出《{text}》，但文档中没有这张表",
                f"TOC lists '{text}' but the document has no such table",
                [loc],
                expected=text,
                actual="（缺失）",
                detail={"problem": "missing"},
            )


def _common_suffix(a: str, b: str) -> int:
    """Length of the common ending once a "(2026年度)" qualifier is dropped: titles that
    share their specific part ("…共同事权转移支付绩效目标表") name the same table."""
    a = re.sub(r"[(（][^)）]*[)）]$", "", a)
    b = re.sub(r"[(（][^)）]*[)）]$", "", b)
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _unit(ctx: Context) -> None:
    any_amounts = False
    for rt in ctx.facts.tables:
        if not rt.present.any() or rt.role is None or not norm(rt.title):
            continue  # no amounts, not recognised, or a list without a heading block
        any_amounts = True
        loc = Location(file=rt.table.source, page=rt.table.first_page, table=rt.id, table_title=rt.title)
        if not rt.unit_inferred:
            ctx.passed("已标明单位", "unit stated", [loc])
            continue
        if rt.unit:
            why = "本文档其他表格均以此为单位"
            ctx.failed(
                f"《{rt.title}》未标明金额单位，按{why}推断为“{rt.unit}”，请在表头注明",
                f"{rt.title} states no unit; inferred '{rt.unit}' from the other tables",
                [loc],
                expected=f"单位：{rt.unit}",
                actual="（未标明）",
            )
        else:
            ctx.failed(
                f"《{rt.title}》未标明金额单位，且无法从其他表格推断",
                f"{rt.title} states no unit and none can be inferred",
                [loc],
                actual="（未标明）",
            )
    if not any_amounts:
        ctx.skipped("没有含金额的表格", "no tables with amounts")

