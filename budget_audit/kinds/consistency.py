"""consistency — the document's year and department are the same everywhere.

What it checks
    ``what: year`` — every table title, every heading and every 目录 entry that names a
    year names the document's year (taken from the cover: "XX局2021年度部门预算").
    Prose sentences are not checked: they legitimately name earlier years when they
    compare ("与2020年相比", "2020年期末").
    ``what: dates`` — dates in the prose agree with the year: a 决算 of year Y reports
    stocks "截至Y年12月31日" (a 预算 of Y: at the end of Y−1), and a change is measured
    against Y−1 ("比Y−1年增加…"; a wrong comparison year is a warning).
    ``what: department`` — every 单位名称/编制单位 line names the document's department
    (or one of the units the prose lists as included, for a 汇总 document).
Why it matters
    A title left over from last year's file ("2020年部门支出总体情况表" in a 2021 budget)
    tells readers the table may be stale, and is the first thing a reviewer notices.
Passing example
    Cover "2021年度部门预算", table "2021年部门支出总体情况表"
Failing example
    Cover "2021年度部门预算", table "2020年部门支出总体情况表"; a 2024 决算 saying
    "截至2023年12月31日，本部门共有车辆5辆"; template wording "下降（增长）", "主要原因是。"
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
    what: Literal["year", "department", "placeholders", "dates"]


def evaluate(check, ctx: Context) -> None:  # noqa: ANN001
    what = check.params.what
    if what == "year":
        _year(ctx)
    elif what == "department":
        _department(ctx)
    elif what == "dates":
        _dates(ctx)
    else:
        _placeholders(ctx)


# "截至2023年12月31日", "截止2023年底": the date a stock figure (assets, vehicles) is taken.
_AS_OF = re.compile(r"(截至|截止|截止到|截至到)((?:19|20)\d{2})年(?:度)?(12月31日|12月底|12月末|年底|年末|底|末)")
# "与2022年相比", "比2022年增加", "较2022年": the year a change is measured against.
_AGAINST = re.compile(r"(?:与|比|较)((?:19|20)\d{2})年(?:度)?(年初|预算|决算|执行|同期)?")


def _dates(ctx: Context) -> None:
    """Dates in the prose agree with the document's year: a 决算 of year Y reports its
    stocks at the end of Y ("截至Y年12月31日") and a 预算 of Y at the end of Y−1; a
    change is measured against the year before ("比Y−1年增加…"; a 决算's own "Y年年初
    预算" aside)."""
    meta = ctx.facts.meta
    year = meta.year
    if year is None:
        ctx.skipped("无法确定文档年度", "document year unknown")
        return
    final = meta.kind == "决算"
    as_of_ok = {year} if final else {year - 1, year}
    checked = False
    for para in ctx.facts.doc.paragraphs:
        text = norm(para.text)
        for m in _AS_OF.finditer(text):
            checked = True
            stated = int(m.group(2))
            if stated in as_of_ok:
                if not ctx.count_pass():
                    ctx.passed("截至日期与年度相符", "date agrees", [_para_loc(para)])
                continue
            want = f"{year}年12月31日" if final else f"{year - 1}年末（或{year}年）"
            ctx.failed(
                f"「{m.group(0)}」与本{meta.kind}的年度（{year}年）不符：应为截至{want}",
                f"'{m.group(0)}' does not match the document's year {year}",
                [_para_loc(para)],
                expected=want,
                actual=m.group(0),
            )
        for m in _AGAINST.finditer(text):
            stated = int(m.group(1))
            if final and stated == year and m.group(2) in ("年初", "预算"):
                continue  # "与2024年年初预算相比": the 决算's own budget
            checked = True
            if stated == year - 1:
                if not ctx.count_pass():
                    ctx.passed("比较年度相符", "comparison year agrees", [_para_loc(para)])
                continue
            ctx.failed(
                f"「{m.group(0)}」：本文档为{year}年度，上年应为{year - 1}年",
                f"'{m.group(0)}': the year before {year} is {year - 1}",
                [_para_loc(para)],
                expected=f"{year - 1}年",
                actual=f"{stated}年",
                severity="warning",
            )
    if not checked:
        ctx.skipped("正文没有截至日期或与某年度的比较", "no dated statement")


def _para_loc(para) -> Location:  # noqa: ANN001
    return Location(file=para.source, page=para.page, paragraph=para.index, text=para.text)


# Template residue: placeholders and editing notes that should not be published.
_RESIDUE = re.compile(
    r"(?<![A-Za-z])(XX|ＸＸ|xx)(?![A-Za-z])|××|＊＊|待填写|请填写|此处填写|填报说明|公开时(请)?删除|请删除|删除此|"
    r"增加[（(]减少[)）]|增长[（(](减少|下降)[)）]|[（(]增加[/／]减少[)）]|"
    r"下降[（(](增长|增加)[)）]|减少[（(](增加|增长)[)）]|大于[（(]小于[)）]|"
    r"原因(是|为|[:：])[:：]?[。；;]|"
    r"（注：[^）]{0,40}(删除|修改)[^）]{0,10}）|\(注：[^)]{0,40}(删除|修改)[^)]{0,10}\)"
)


def _placeholders(ctx: Context) -> None:
    paras = ctx.facts.doc.paragraphs
    texts = [p.text for p in paras]
    for rt in ctx.facts.tables:
        texts += [rt.title, rt.table.org_line or "", *rt.table.notes] + [c for row in rt.body for c in row]
    if texts and _RESIDUE.search("\n".join(texts)) is None:
        # One search over everything: residue is rare, so the usual answer is settled at
        # once. (A match across two joined texts only sends us to the exact pass below.)
        ctx.passed("未发现模板残留", "no template residue")
        return
    checked = 0
    seen: set[str] = set()
    for para in ctx.facts.doc.paragraphs:
        checked += 1
        for m in _RESIDUE.finditer(para.text):
            if m.group(0) in seen:
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
        for text in [rt.title, rt.table.org_line or "", *rt.table.notes] + [c for row in rt.body for c in row]:
            checked += 1
            hit = _RESIDUE.search(text)
            if hit is None:
                continue
            m = hit
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


_NAMED_IN_BRACKETS = re.compile(r"[(（](?!(19|20)\d{2}年度?[)）])[^()（）]*(19|20)\d{2}年[^()（）]+[)）]")


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
        # "…1.5TMRI（2021年医疗卫生机构能力提升补助资金）项目绩效自评表（2022年度）": a
        # year inside a bracketed name (a fund, a project) is that name's, not the title's.
        years = {int(y) for y in _YEAR.findall(t)}
        if not years:
            continue
        own = {int(y) for y in _YEAR.findall(_NAMED_IN_BRACKETS.sub("", t))}
        if year in own:
            # The title states the document's year; another year inside a bracketed
            # name ("（2021年医疗卫生机构能力提升补助资金）") is that name's.
            years = own
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
