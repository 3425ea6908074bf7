"""The programmatic entry point: ``audit(paths) -> AuditResult``.

The CLI and the tests call this; it reads the document (one or several files that
together form one publication), recognises it, runs the checks that apply to its kind
and builds the coverage ledger.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .cache import ingest_cached
from .engine import run
from .errors import InputError
from .findings import AuditResult
from .ingest import ingest_many
from .model import Document
from .money import AmountOutOfRange
from .recognise import Facts, recognise
from .recognise.tables import RTable
from .rulebook import Rulebook, load


def audit(
    paths: list[str] | str,
    rulebook: Rulebook | None = None,
    lang: str = "zh",
    keep_passes: bool = False,
    parse_limits: tuple[float | None, int | None] | None = None,
) -> AuditResult:
    """Audit one document. Passing comparisons are counted in the ledger
    (``outcomes[].counts``); with ``keep_passes=True`` each is also kept as a
    ``pass`` finding with its message and location (``check --show-passed``). With
    ``parse_limits`` (seconds, MB) a parse the cache does not hold runs in a limited
    child process (``guard.ingest_limited``; a scan's workers are limited already)."""
    if isinstance(paths, str):
        paths = [paths]
    book = rulebook or load()
    timings: dict[str, int] = {}
    t0 = time.perf_counter_ns()
    # cache: parse once per file content (budget_audit/cache.py; BUDGET_AUDIT_CACHE=off)
    reader: Callable[[list[str]], Document] = ingest_many
    if parse_limits is not None:
        from .guard import ingest_limited

        seconds, memory = parse_limits
        reader = lambda ps: ingest_limited(ps, seconds, memory)  # noqa: E731
    doc = ingest_cached(list(paths), reader)
    t1 = time.perf_counter_ns()
    try:
        facts = recognise(doc)
    except AmountOutOfRange as exc:  # a figure beyond any budget: bad input, said where
        raise InputError(doc.path, str(exc), page=exc.page, hint="请核对该处数字或重新导出文件") from None
    t2 = time.perf_counter_ns()
    # Checks written for another kind of document (决算 checks on a 预算) are not run
    # and not listed: only counted.
    applicable = [c for c in book.checks if facts.meta.kind in c.applies_to]
    findings, outcomes, claim_checks = run(Rulebook(applicable, book.files), facts, lang, keep_passes)
    t3 = time.perf_counter_ns()
    timings = {"ingest": (t1 - t0) // 1_000_000, "recognise": (t2 - t1) // 1_000_000, "rules": (t3 - t2) // 1_000_000}
    return AuditResult(
        file=paths[0],
        files=list(paths),
        meta=meta_record(facts),
        findings=findings,
        outcomes=outcomes,
        tables=table_records(facts),
        claims=claim_records(facts, claim_checks),
        extraction_notes=list(doc.extraction_notes),
        timings=timings,
        not_applicable=len(book.checks) - len(applicable),
        explanations=explanation_records(facts),
    )


def meta_record(facts: Facts) -> dict[str, Any]:
    m = facts.meta
    return {
        "kind": m.kind,
        "scope": m.scope,
        "consolidated": m.consolidated,
        "year": m.year,
        "department": m.department,
        "pages": len(facts.doc.pages),
        "format": facts.doc.format,
        # A 预算/决算 disclosure: its cover or titles say so, or a table was recognised.
        "recognised": "kind" in m.evidence or any(t.role for t in facts.tables),
    }


def table_records(facts: Facts) -> list[dict[str, Any]]:
    out = []
    for rt in facts.tables:
        out.append(
            {
                "id": rt.id,
                "title": rt.title,
                "role": rt.role,
                "pages": list(rt.table.pages),
                "unit": rt.unit,
                "unit_inferred": rt.unit_inferred,
                "rows": len(rt.body),
                "columns": [c.name for c in rt.columns if c.kind == "amount"],
                "empty": rt.empty,
                "unparsed_cells": len(rt.unparsed),
                **structure_record(rt),
            }
        )
    return out


def structure_record(rt: RTable) -> dict[str, Any]:
    """How the table's structure was read: which identities it implies, whether they
    hold up to a small edit, and if not why the table counts as not understood."""
    st = rt.structure
    if st is None:
        return {}
    out: dict[str, Any] = {
        "structure": st.status,
        "identities": {"failing": st.failing, "passing": st.passing},
        "readings": sorted(set(st.readings.values())),
    }
    if st.reason and not st.understood:
        out["structure_reason"] = st.reason
    if st.explanations:
        out["explanations"] = [
            {
                "kind": ex.kind,
                "row": ex.row + 1 if ex.row is not None else None,
                "alternatives": ex.alternatives,
                "edits": [{"row": e.cell[0] + 1, "column": rt.columns[e.cell[1]].name, "delta": e.delta} for e in ex.edits],
            }
            for ex in st.explanations
        ]
    return out


def explanation_records(facts: Facts) -> list[dict[str, Any]]:
    """The edit recognition found that explains each table's failing identities, with
    the cells in the coordinates findings use (1-based body row, column name)."""
    out = []
    for rt in facts.tables:
        st = rt.structure
        if st is None:
            continue
        file = rt.table.source or facts.doc.path
        for ex in st.explanations:
            out.append(
                {
                    "table": rt.id,
                    "file": file,
                    "kind": ex.kind,
                    "alternatives": ex.alternatives,
                    "row": ex.row + 1 if ex.row is not None else None,
                    "edits": [
                        {
                            "file": file,
                            "table": rt.id,
                            "row": r + 1,
                            "column": rt.columns[c].name,
                            "delta": e.delta,
                            "text": rt.body[r][c] if rt.present[r, c] else None,
                        }
                        for e in ex.edits
                        for r, c in [e.cell]
                    ],
                }
            )
    return out


def claim_records(facts: Facts, claim_checks: dict[int, list[str]]) -> list[dict[str, Any]]:
    out = []
    for c in facts.prose.claims:
        out.append(
            {
                "id": c.id,
                "text": c.phrase + c.text,
                "kind": c.kind,
                "page": c.sentence.page,
                "paragraph": c.sentence.para,
                "section": c.sentence.section,
                "scope": c.scope.to_dict(),
                "checked_by": sorted(set(claim_checks.get(c.id, []))),
            }
        )
    return out
