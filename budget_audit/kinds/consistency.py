"""consistency — the document's year and department are the same everywhere.

What it checks
    ``what: year`` — every table title, every heading and every 目录 entry that names a
    year names the document's year (taken from the cover: "XX局2021年度部门预算").
    Prose sentences are not checked: they legitimately name earlier years when they
    compare ("与2020年相比", "2020年期末").
    ``what: department`` — every 单位名称/编制单位 line names the document's department
    (or one of the units the prose lists as included, for a 汇总 document).
Why it matters
    A title left over from last year's file ("2020年部门支出总体情况表" in a 2021 budget)
    tells readers the table may be stale, and is the first thing a reviewer notices.
Passing example
    Cover "2021年度部门预算", table "2021年部门支出总体情况表"
Failing example
    Cover "2021年度部门预算", table "2020年部门支出总体情况表"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from ..model import Location
from ..recognise.lexicon import norm
from ..recognise.prose import is_heading
from ..recognise.tables import RTable
from .base import Context

KIND = "consistency"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
# A heading or title naming another year on purpose.
_OTHER_YEAR_OK = re.compile(r"(上年|上一年|比较|对比|与\d{4}年|\d{4}年?[-—至~]\d{4}|期末|结转|中期|规划|\d{4}年度?决算)")


@dataclass(frozen=True)
class Params:
    what: Literal["year", "department", "placeholders"]


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    what = check.params.what
    if what == "year":
        _year(ctx)
    elif what == "department":
        _department(ctx)
    else:
        _placeholders(ctx)


# Template residue: placeholders and editing notes that should not be published.
_RESIDUE = re.compile(
    r"(?<![A-Za-z])(XX|ＸＸ|xx)(?![A-Za-z])|××|＊＊|待填写|请填写|此处填写|填报说明|公开时(请)?删除|请删除|删除此|"
    r"增加[（(]减少[)）]|增长[（(](减少|下降)[)）]|[（(]增加[/／]减少[)）]|"
    r"（注：[^）]{0,40}(删除|修改)[^）]{0,10}）|\(注：[^)]{0,40}(删除|修改)[^)]{0,10}\)"
)


def _placeholders(ctx: Context) -> None:
    paras = ctx.facts.doc.paragraphs
    texts = [p.text for p in paras]
    for rt in ctx.facts.tables:
        texts += [rt.title, rt.table.org_line or ""] + [c for row in rt.body for c in row]
    if texts and _RESIDUE.search("\n".join(texts)) is None:
        # One search over everything: residue is rare, so the usual answer is settled at
        # once. (A match across two joined texts only sends us to the exact pass below.)
        ctx.passed("未发现模板残留", "no template residue")
        return
    checked = 0
    seen: set[str] = set()
    for para in ctx.facts.doc.paragraphs:
        checked += 1
        m = _RESIDUE.search(para.text)
        if m is None or m.group(0) in seen:
            continue  # one finding per kind of residue in the prose
        seen.add(m.group(0))
        loc = Location(file=para.source, page=para.page, paragraph=para.index, text=para.text)
        ctx.failed(
            f"正文含有模板残留或占位内容“{m.group(0)}”，公开前应替换或删除",
            f"template residue '{m.group(0)}' left in the text",
            [loc],
            actual=m.group(0),
        )
    for rt in ctx.facts.tables:
        for text in [rt.title, rt.table.org_line or ""] + [c for row in rt.body for c in row]:
            checked += 1
            m = _RESIDUE.search(text)
            if m is None:
                continue
            loc = Location(file=rt.table.source, page=rt.table.first_page, table=rt.id, table_title=rt.title, text=text)
            ctx.failed(
                f"《{rt.title}》含有模板残留或占位内容“{m.group(0)}”（{text[:30]}），公开前应替换或删除",
                f"template residue '{m.group(0)}' in table {rt.id}",
                [loc],
                actual=m.group(0),
            )
            break
    if checked and not any(f.status == "fail" for f in ctx.findings):
        ctx.passed("未发现模板残留", "no template residue")


def _year(ctx: Context) -> None:
    meta = ctx.facts.meta
    if meta.year is None:
        ctx.skipped("无法从封面或标题确定文档年度", "document year unknown")
        return
    year = meta.year
    places: list[tuple[str, Any]] = []  # (text, the table or paragraph it is in)
    for rt in ctx.facts.tables:
        places.append((rt.title, rt))
    for para in ctx.facts.doc.paragraphs:
        if "年" in para.text and (is_heading(para.text) or (len(norm(para.text)) <= 40 and "表" in para.text)):
            places.append((para.text, para))
    for text, where in places:
        if "年" not in text:
            continue
        t = norm(text)
        years = {int(y) for y in _YEAR.findall(t)}
        if not years:
            continue
        ok = years == {year} or _OTHER_YEAR_OK.search(t) is not None
        if ok and ctx.count_pass():
            continue
        if isinstance(where, RTable):
            loc = Location(file=where.table.source, page=where.table.first_page, table=where.id, table_title=where.title)
        else:
            loc = Location(file=where.source, page=where.page, paragraph=where.index, text=where.text)
        if ok:
            ctx.passed("年度一致", "year consistent", [loc])
            continue
        wrong = sorted(y for y in years if y != year)
        what = f"《{loc.table_title}》标题" if loc.table else f"「{text.strip()[:40]}」"
        ctx.failed(
            f"{what}写的是{'、'.join(map(str, wrong))}年，而本文档为{year}年度（{meta.evidence.get('year', '')[:40]}）",
            f"{text.strip()[:40]} names {wrong} but the document is for {year}",
            [loc],
            expected=str(year),
            actual="、".join(map(str, wrong)),
        )


def _department(ctx: Context) -> None:
    meta = ctx.facts.meta
    dept = norm(meta.department or "")
    if not dept:
        ctx.skipped("无法确定文档所属部门", "department unknown")
        return
    prose = "".join(norm(p.text) for p in ctx.facts.doc.paragraphs)
    checked = False
    for rt in ctx.facts.tables:
        line = rt.table.org_line
        if not line:
            continue
        name = re.sub(r"^[^:：]*[:：]", "", norm(line))
        name = re.sub(r"(单位|金额单位)[:：].*$", "", name)
        name = re.sub(r"系统$", "", name)
        if not name:
            continue
        checked = True
        loc = Location(file=rt.table.source, page=rt.table.first_page, table=rt.id, table_title=rt.title, text=line)
        if dept in name or name in dept or _same_org(name, dept) or (len(name) >= 4 and prose.count(name) >= 1):
            ctx.passed("单位名称一致", "name consistent", [loc])
        else:
            ctx.failed(
                f"《{rt.title}》的单位名称为“{name}”，与文档部门“{meta.department}”不一致，且正文未提及该单位",
                f"{rt.title} is labelled '{name}', not '{meta.department}'",
                [loc],
                expected=meta.department,
                actual=name,
            )
    if not checked:
        ctx.skipped("表格没有单位名称行", "no org lines")


def _same_org(a: str, b: str) -> bool:
    strip = lambda s: re.sub(r"[(（](汇总|本级|单位|部门)[)）]|本级$|机关$", "", s)  # noqa: E731
    return strip(a) == strip(b)
