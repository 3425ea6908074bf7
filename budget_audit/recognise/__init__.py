"""Layout → meaning for a whole document: what the rules run over.

``recognise(doc)`` returns :class:`Facts`: the document's identity (kind, year,
department), every table recognised (role, header tree, rows, values) and every prose
claim, plus what could not be recognised, so the report can say so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import Document
from ..money import unit_of
from .claims import scope_claims
from .identity import identify
from .lexicon import lexicon as _lexicon
from .lexicon import norm
from .lists import link_lists
from .prose import Prose, parse_prose
from .structure import Structure, build_structure
from .tables import RTable, recognise_table

# "2026年部门预算", "2026年度单位决算", "2020年部门综合预算" (西安), "2026部门预算" (no 年).
_YEAR_TITLE = re.compile(
    r"((?:19|20)\d{2})(?:年度?(?:部门|单位)?|度?(?:部门|单位))(?:综合)?(?:汇总)?(?:预算|决算)"
)
_DEPT_BEFORE_YEAR = re.compile(
    r"^(?P<dept>.{2,60}?)(?:[(（](?:汇总|本级|单位|部门)[)）])?(?:系统)?(?:(?:19|20)\d{2})年度?"
)


@dataclass
class DocMeta:
    kind: str | None = None  # "预算" | "决算"
    scope: str | None = None  # "部门" | "单位"
    consolidated: bool = False  # (汇总)
    year: int | None = None
    department: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass
class Facts:
    doc: Document
    meta: DocMeta
    tables: list[RTable]
    prose: Prose
    notes: list[str] = field(default_factory=list)

    def by_role(self, role: str) -> list[RTable]:
        return [t for t in self.tables if t.role == role]

    @property
    def unrecognised_tables(self) -> list[RTable]:
        return [t for t in self.tables if t.role is None]

    def table(self, table_id: str) -> RTable | None:
        return next((t for t in self.tables if t.id == table_id), None)


_ORG_SUFFIX = re.compile(
    r"(局|委员会|委|厅|院|办公室|办|中心|部|会|所|站|队|处|馆|场|政府|法院|检察院|学校|医院|公司|社|团|署|支队|大队|总队|联合会|协会)$"
)
_LEAD = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\d+[.、．]|关于|附件\d*[:：]?)+")


_YEAR_FIRST = re.compile(r"((?:19|20)\d{2})年度?(?P<dept>[^，。:：]{2,40}?)(?:[(（](?:汇总|本级)[)）])?(?:部门|单位)(?:预算|决算)")


def _dept_from(text: str) -> str | None:
    first = _YEAR_FIRST.search(text)
    if first and _ORG_SUFFIX.search(first.group("dept")):
        return first.group("dept")
    m = _YEAR_TITLE.search(text)
    if not m:
        return None
    before = _LEAD.sub("", text[: m.start()])
    before = re.sub(r"[(（](汇总|本级|单位|部门)[)）]$", "", before)
    before = re.sub(r"(系统|本级)$", "", before)
    before = re.sub(r"[(（](汇总|本级|单位|部门)[)）]$", "", before)
    before = re.sub(r"(?<=.{2})(部门|单位)$", "", before)  # "北京市医疗保障局部门2026年度…"
    if 2 <= len(before) <= 40 and _ORG_SUFFIX.search(before):
        return before
    return None


def _meta(doc: Document, tables: list[RTable]) -> DocMeta:
    meta = DocMeta()
    paras = [norm(p.text) for p in doc.paragraphs[:60]]
    toc = next((k for k, t in enumerate(paras) if t in ("目录", "目次")), None)
    cover = paras[: toc if toc is not None and toc <= 8 else 4]
    candidates = ["".join(cover)] + cover + paras
    for text in candidates:
        m = _YEAR_TITLE.search(text) or _YEAR_FIRST.search(text)
        if not m:
            continue
        if meta.year is None:
            meta.year = int(m.group(1))
            meta.kind = "决算" if "决算" in m.group(0) else "预算"
            meta.evidence["year"] = text[:60]
            meta.evidence["kind"] = m.group(0)
        dept = _dept_from(text)
        if dept:
            meta.department = dept
            meta.evidence["department"] = text[:60]
            break
    if meta.year is None:
        years = Counter(
            int(m.group(1)) for t in tables for m in [re.search(r"((?:19|20)\d{2})年", norm(t.title))] if m
        )
        if years:
            meta.year = years.most_common(1)[0][0]
            meta.evidence["year"] = "表格标题"
    cover_text = "".join(cover)
    if meta.kind is None:
        titles = cover_text + "".join(norm(t.title) for t in tables)
        meta.kind = "决算" if titles.count("决算") > titles.count("预算") else "预算"
        if titles.count("决算") or titles.count("预算"):
            meta.evidence["kind"] = "表格标题"
        # else: nothing says 预算 or 决算; the kind is a default and the report says the
        # document was not recognised as a disclosure (unless a table role was).
    meta.scope = "单位" if re.search(r"单位(预算|决算)", cover_text) else "部门"
    meta.consolidated = "汇总" in cover_text
    if meta.department is None:
        orgs = Counter(
            re.sub(r"(系统|本级)$", "", re.sub(r"^[^:：]*[:：]", "", norm(t.table.org_line)))
            for t in tables
            if t.table.org_line
        )
        if orgs:
            meta.department = orgs.most_common(1)[0][0]
            meta.evidence["department"] = "表格单位名称"
    return meta


def recognise(doc: Document) -> Facts:
    units = [u for t in doc.tables if (u := unit_of(t.unit_line or ""))]
    tables = [recognise_table(t, units, structure=False) for t in doc.tables]
    for rt in tables:
        identify(rt)
        # Sums are read only from tables of accounts (not 绩效目标表, 人员情况表, …).
        rt.structure = build_structure(rt) if _lexicon().accounts(rt.role) else Structure()
    prose = parse_prose(doc.paragraphs)
    link_lists(prose)
    facts = Facts(doc=doc, meta=_meta(doc, tables), tables=tables, prose=prose)
    for rt in tables:
        rt.year = facts.meta.year
    scope_claims(prose, facts.meta.department, facts.meta.year)
    return facts
