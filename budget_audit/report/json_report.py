"""JSON output: one document's records, or a scan's list of them. Deterministic:
keys in a fixed order, no timings, no absolute timestamps.

Schema (version 2.0; ``groups``, ``findings[].group`` and ``hint.unit`` were added
without a version change: nothing that was there changed) of one document::

    {schema_version, file, files[], document{kind, scope, consolidated, year,
     department, pages, format, recognised}, status (pass|insufficient|warn|fail|
     unrecognised|unreadable), status_reason, error,
     stats{checks, passed, failed, skipped, errors, findings, not_applicable},
     coverage{checks_evaluated, checks_total, tables_recognised, tables_total,
              claims_verified, claims_total, claim_coverage_pct (null: no prose
              number, n/a), check_coverage_pct},
     checks[{check_id, name, title, kind, severity, status, counts, reasons[]}],
       (the ledger: every check that applies to the document's kind and ran —
        passed, failed or crashed; skipped ones too, with their reasons, under
        --show-skipped; counts: comparisons passed / failed / skipped)
     findings[{check_id, check_name, kind, status, severity, message,
               locations[{file, page, table, table_title, row, row_label, column,
                          paragraph, text, bbox}], expected, actual, detail,
               hint{location, current, suggested, delta, slip, unit, fixes[],
                    confidence, text},   (only when budget_audit.fixhints names a cell)
               group}],   (index into groups, for a finding one misprint explains)
     groups[{headline, severity, hint{...as above}, findings[], checks[]}],
       (one misprint, one entry: the findings one cell edit explains — two or
        more — under the wrong cell; ``headline`` names that cell, what it
        should read and the slip, as every report prints it; ``findings`` are
        indices into ``findings``, ``checks`` their check ids; worst first, in
        the order reports list them; always present, [] when there is none)
     tables[{id, title, role, role_zh, pages, unit, unit_inferred, rows, columns,
             empty, unparsed_cells}],
     claims[{id, text, kind, page, paragraph, section,
             scope{subject, code, unit, fund, period, headline, narrative},
             checked_by[]}],   (scope: what recognition says the number is about;
                                narrative numbers are left out of the coverage)
     extraction_notes[],
     baseline{suppressed, stale[], changed[], accepted[]}}   (only with --baseline)

``findings`` lists what failed or crashed, never what was skipped; passing
comparisons are only counted (``checks[].counts.pass``) unless ``check
--show-passed`` asks for each of them with its message and location (they are then
built while the rules run). Checks written for another kind of document (决算 checks
on a 预算) are not run and only counted (``stats.not_applicable``).

A scan: ``{schema_version, summary{documents, by_status, findings, by_check,
unrecognised[] (files not recognised as 预算/决算 disclosures, not checked), reused},
documents[...], not_taken[{file, reason}]}``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any, TextIO

from ..findings import SCHEMA_VERSION, AuditResult
from ..recognise.lexicon import lexicon
from .common import ITEMS, STATUS_WORDS, hints, listed, shown, stream_json


def record(result: AuditResult, options: dict[str, Any], with_baseline: bool = True) -> dict[str, Any]:
    lang = options.get("lang", "zh")
    rec = result.to_records(lang, options.get("show_passed", False), options.get("show_skipped", False))
    h = hints(result, options)
    kept = [i for i, f in shown(result, options) if f.status != "skipped"]
    position = {i: n for n, i in enumerate(kept)} if len(kept) == len(rec["findings"]) else {}
    for i, n in position.items():
        if i in h:
            rec["findings"][n]["hint"] = h[i].to_dict(lang)
    rec["groups"] = []
    for e in listed(result, options):
        if not e.group or e.hint is None or any(i not in position for i, _ in e.items):
            continue
        for i, _ in e.items:
            rec["findings"][position[i]]["group"] = len(rec["groups"])
        rec["groups"].append({
            "headline": e.headline(lang),
            "severity": e.severity,
            "hint": e.hint.to_dict(lang),
            "findings": [position[i] for i, _ in e.items],
            "checks": [f.check_id for _, f in e.items],
        })
    roles = lexicon()
    rec["tables"] = [dict(tb, role_zh=roles.role_zh(tb["role"]) if tb.get("role") else None) for tb in rec["tables"]]
    if with_baseline and options.get("baseline") is not None:
        rec["baseline"] = options["baseline"].to_dict()
    return rec


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    return json.dumps(record(result, options), ensure_ascii=False, indent=2) + "\n"


def render_scan(results: Sequence[AuditResult], options: dict[str, Any] | None = None) -> str:
    buf = io.StringIO()
    write_scan(results, options or {}, buf)
    return buf.getvalue()


def write_scan(results: Sequence[AuditResult], options: dict[str, Any], out: TextIO) -> None:
    """The scan's JSON written to ``out`` document by document: one pass for the
    summary, one writing each record as it is read (a scan's results come back from
    its journal one at a time; none is held)."""
    out_: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "summary": summary(results), "documents": ITEMS}
    if options.get("reused") is not None:
        out_["summary"]["reused"] = options["reused"]
    out_["not_taken"] = [{"file": f, "reason": why} for f, why in options.get("not_taken") or []]
    if options.get("baseline") is not None:
        out_["baseline"] = options["baseline"].to_dict()
    stream_json(out, out_, (record(r, options, with_baseline=False) for r in results))


def summary(results: Sequence[AuditResult]) -> dict[str, Any]:
    """Counts over a run, in one pass (a scan's results are read back from its
    journal one at a time)."""
    by_check: dict[str, int] = {}
    by_status = dict.fromkeys(STATUS_WORDS["zh"], 0)
    findings = 0
    not_disclosures = []
    for r in results:
        st = r.status()
        by_status[st] += 1
        if st == "unrecognised":
            not_disclosures.append(r.file)
        findings += r.stats()["findings"]
        for f in r.findings:
            if f.status == "fail":
                by_check[f.check_id] = by_check.get(f.check_id, 0) + 1
    return {
        "documents": len(results),
        "by_status": by_status,
        "findings": findings,
        "by_check": dict(sorted(by_check.items())),
        "unrecognised": not_disclosures,
    }
