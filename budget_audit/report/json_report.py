"""JSON output: one document's records, or a scan's list of them. Deterministic:
keys in a fixed order, no timings, no absolute timestamps.

Schema (version 1.0) of one document::

    {schema_version, file, files[], document{kind, scope, consolidated, year,
     department, pages, format}, status (pass|warn|fail|unreadable), error,
     stats{checks, passed, failed, skipped, errors, findings},
     coverage{checks_evaluated, checks_total, tables_recognised, tables_total,
              claims_verified, claims_total, claim_coverage_pct, check_coverage_pct},
     checks[{check_id, name, title, kind, severity, status, counts, reasons[]}],
     findings[{check_id, check_name, kind, status, severity, message,
               locations[{file, page, table, table_title, row, row_label, column,
                          paragraph, text, bbox}], expected, actual, detail}],
     tables[{id, title, role, pages, unit, unit_inferred, rows, columns, empty,
             unparsed_cells}],
     claims[{id, text, kind, page, paragraph, section, checked_by[]}],
     extraction_notes[]}
"""

from __future__ import annotations

import json
from typing import Any

from ..findings import AuditResult


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    rec = result.to_records(options.get("lang", "zh"), options.get("show_passed", False))
    return json.dumps(rec, ensure_ascii=False, indent=2) + "\n"


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    docs = [r.to_records(lang, options.get("show_passed", False)) for r in results]
    summary = {
        "documents": len(results),
        "by_status": {s: sum(1 for r in results if r.status() == s) for s in ("pass", "warn", "fail", "unreadable")},
        "findings": sum(r.stats()["findings"] for r in results) if results else 0,
    }
    out = {"schema_version": "1.0", "summary": summary, "documents": docs}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
