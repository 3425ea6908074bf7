"""``budget-audit extract``: the parsed model as JSON — what the extractor saw."""

from __future__ import annotations

from typing import Any

from .api import meta_record, structure_record
from .ingest import ingest
from .recognise import recognise
from .recognise.tables import RTable


def extract_record(path: str) -> dict[str, Any]:
    doc = ingest(path)
    facts = recognise(doc)
    tables = []
    for rt in facts.tables:
        t = rt.table
        tables.append(
            {
                "id": t.id,
                "title": t.title,
                "role": rt.role,
                "keyed_by": rt.keyed_by,
                "pages": t.pages,
                "org_line": t.org_line,
                "unit_line": t.unit_line,
                "unit": rt.unit,
                "unit_inferred": rt.unit_inferred,
                "notes": t.notes,
                "columns": [_column(c) for c in rt.columns],
                "header_rows": rt.header_rows,
                "rows": [row.texts for row in t.rows],
                "items": _items(rt),
                **structure_record(rt),
            }
        )
    return {
        "file": path,
        "document": meta_record(facts),
        "paragraphs": [{"index": p.index, "page": p.page, "text": p.text} for p in doc.paragraphs],
        "tables": tables,
        "claims": [
            {
                "id": c.id,
                "kind": c.kind,
                "phrase": c.phrase,
                "text": c.text,
                "section": c.sentence.section,
                "scope": c.scope.to_dict(),
            }
            for c in facts.prose.claims
        ],
        "extraction_notes": doc.extraction_notes,
    }


def _column(c) -> dict[str, Any]:  # noqa: ANN001
    out: dict[str, Any] = {"index": c.index, "kind": c.kind, "header": list(c.path)}
    if c.kind == "amount":
        out["additive"] = c.additive
        if c.subset:
            out["subset"] = True
    if c.code_system:
        out["code_system"] = c.code_system
    if c.code_level:
        out["code_level"] = {10: "类", 20: "款", 30: "项"}[c.code_level]
    return out


_LEVEL = {10: "类", 20: "款", 30: "项", 40: "明细"}


def _items(rt: RTable) -> list[dict[str, Any]]:
    """Each side's rows as recognition read them: code, level, parent (a body row
    number), and whether the row is a total, an "其中" line or a grouping row."""
    out = []
    for s, side in enumerate(rt.sides):
        for it in side.items:
            rec: dict[str, Any] = {"side": s, "row": it.row + 1, "label": it.label}
            if it.code:
                rec["code"] = it.code
            if it.rank in _LEVEL and it.code:
                rec["level"] = _LEVEL[it.rank]
            if it.parent is not None:
                rec["parent"] = side.items[it.parent].row + 1
            for flag in ("total", "of_which", "grouping"):
                if getattr(it, flag):
                    rec[flag] = True
            out.append(rec)
    return out
