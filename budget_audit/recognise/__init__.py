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
from .lexicon import norm
from .prose import Prose, parse_prose
from .tables import RTable, recognise_table

_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})年度?(?:部门|单位)?(?:汇总)?(?:预算|决算)")
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


def _meta(doc: Document, tables: list[RTable]) -> DocMeta:
    meta = DocMeta()
    cover = [norm(p.text) for p in doc.paragraphs[:12]]
    cover_text = "".join(cover)
    for text in cover:
        m = _YEAR_TITLE.search(text)
        if m:
            meta.year = int(m.group(1))
            meta.kind = "决算" if "决算" in m.group(0) else "预算"
            meta.evidence["year"] = text
            d = _DEPT_BEFORE_YEAR.match(text)
            if d:
                meta.department = d.group("dept")
                meta.evidence["department"] = text
            break
    if meta.year is None:
        years = Counter(
            int(m.group(1)) for t in tables for m in [re.search(r"((?:19|20)\d{2})年", norm(t.title))] if m
        )
        if years:
            meta.year = years.most_common(1)[0][0]
            meta.evidence["year"] = "表格标题"
    if meta.kind is None:
        titles = cover_text + "".join(norm(t.title) for t in tables)
        meta.kind = "决算" if titles.count("决算") > titles.count("预算") else "预算"
    meta.scope = "单位" if re.search(r"单位(预算|决算)", cover_text) else "部门"
    meta.consolidated = "汇总" in cover_text
    if meta.department is None:
        orgs = Counter(
            re.sub(r"^[^:：]*[:：]", "", norm(t.table.org_line))
            for t in tables
            if t.table.org_line
        )
        if orgs:
            meta.department = orgs.most_common(1)[0][0]
            meta.evidence["department"] = "表格单位名称"
    if meta.department:
        meta.department = re.sub(r"(系统)$", "", meta.department)
    return meta


def recognise(doc: Document) -> Facts:
    units = [u for t in doc.tables if (u := unit_of(t.unit_line or ""))]
    tables = [recognise_table(t, units) for t in doc.tables]
    prose = parse_prose(doc.paragraphs)
    facts = Facts(doc=doc, meta=_meta(doc, tables), tables=tables, prose=prose)

    return facts
