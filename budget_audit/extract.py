"""``budget-audit extract``: the parsed model as JSON — what the extractor saw."""

from __future__ import annotations

from typing import Any

from .api import meta_record
from .ingest import ingest
from .recognise import recognise


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
                "pages": t.pages,
                "org_line": t.org_line,
                "unit_line": t.unit_line,
                "unit": rt.unit,
                "unit_inferred": rt.unit_inferred,
                "notes": t.notes,
                "columns": [{"index": c.index, "kind": c.kind, "header": list(c.path)} for c in rt.columns],
                "header_rows": rt.header_rows,
                "rows": [row.texts for row in t.rows],
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
