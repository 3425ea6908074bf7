"""JSON output: one document's records, or a scan's list of them. Deterministic:
keys in a fixed order, no timings, no absolute timestamps.

Schema (version 1.0) of one document::

    {schema_version, file, files[], document{kind, scope, consolidated, year,
     department, pages, format}, status (pass|warn|fail|unreadable), error,
     stats{checks, passed, failed, skipped, errors, findings},
     coverage{checks_evaluated, checks_total, tables_recognised, tables_total,
              claims_verified, claims_total, claim_coverage_pct, check_coverage_pct},
     checks[{check_id, name, title, kind, severity, status, counts, reasons[]}],
       (counts: how many comparisons passed / failed / were skipped, per check)
     findings[{check_id, check_name, kind, status, severity, message,
               locations[{file, page, table, table_title, row, row_label, column,
                          paragraph, text, bbox}], expected, actual, detail,
               hint{location, current, suggested, delta, slip, fixes[], confidence,
                    text}}],   (hint only when budget_audit.fixhints names a cell)
     tables[{id, title, role, pages, unit, unit_inferred, rows, columns, empty,
             unparsed_cells}],
     claims[{id, text, kind, page, paragraph, section,
             scope{subject, code, unit, fund, period, headline, narrative},
             checked_by[]}],   (scope: what recognition says the number is about;
                                narrative numbers are left out of the coverage)
     extraction_notes[],
     baseline{suppressed, stale[]}}   (only with --baseline)

``findings`` lists what failed, was skipped or crashed; passing comparisons are only
counted (``checks[].counts.pass``) unless ``check --show-passed`` asks for each of them
with its message and location (they are then built while the rules run).

A scan: ``{schema_version, summary{documents, by_status, findings, by_check},
documents[...]}``.
"""

from __future__ import annotations

import json
from typing import Any

from ..findings import AuditResult
from .common import hints, shown


def record(result: AuditResult, options: dict[str, Any], with_baseline: bool = True) -> dict[str, Any]:
    lang = options.get("lang", "zh")
    rec = result.to_records(lang, options.get("show_passed", False))
    h = hints(result, options)
    listed = shown(result, options)
    if h and len(listed) == len(rec["findings"]):
        for (i, _), frec in zip(listed, rec["findings"], strict=False):
            if i in h:
                frec["hint"] = h[i].to_dict(lang)
    if with_baseline and options.get("baseline") is not None:
        rec["baseline"] = options["baseline"].to_dict()
    return rec


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    return json.dumps(record(result, options), ensure_ascii=False, indent=2) + "\n"


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    options = options or {}
    docs = [record(r, options, with_baseline=False) for r in results]
    out: dict[str, Any] = {"schema_version": "1.0", "summary": summary(results), "documents": docs}
    if options.get("baseline") is not None:
        out["baseline"] = options["baseline"].to_dict()
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def summary(results: list[AuditResult]) -> dict[str, Any]:
    by_check: dict[str, int] = {}
    for r in results:
        for f in r.findings:
            if f.status == "fail":
                by_check[f.check_id] = by_check.get(f.check_id, 0) + 1
    return {
        "documents": len(results),
        "by_status": {s: sum(1 for r in results if r.status() == s) for s in ("pass", "warn", "fail", "unreadable")},
        "findings": sum(r.stats()["findings"] for r in results) if results else 0,
        "by_check": dict(sorted(by_check.items())),
    }
