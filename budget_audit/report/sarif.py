"""SARIF 2.1.0: one run, the checks that ran as rules (with their manual as help
text), every failing (or crashed) finding as a result.

A PDF has no lines: a result's physical location names the file and, as its region,
the page as ``startLine`` (the message starts with the page too, so a viewer that
shows lines still reads right); its ``properties`` carry page, table, row, column and
box, and a logical location names the table and row (or the paragraph) in words.
``partialFingerprints`` carry the baseline fingerprint, which survives
re-typesetting. A finding that one misprint explains together with others carries
``properties.group`` (the entry's number in the report, the headline naming the
wrong cell, the checks it breaks); its hint is in ``properties.hint``. Unreadable documents are tool execution notifications (errors), and
so are the files a scan could not take (notes). The output
validates against the official SARIF 2.1.0 schema (``tests/data``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..baseline import document_identity, fingerprint
from ..findings import AuditResult, Finding
from ..model import Location
from .common import ITEMS, hints, listed, message, stream_json

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str | None) -> str:
    """A relative URI reference: the path relative to the working directory, with
    every character that is not allowed in a URI (spaces, Chinese) percent-encoded."""
    if not path:
        return ""
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return quote(os.fsencode(rel.replace(os.sep, "/")), safe="/")  # a GBK name: its bytes


def _location(loc: Location, lang: str) -> dict[str, Any]:
    props = {k: v for k, v in loc.to_dict().items() if k not in ("file",)}
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
    if loc.page:
        physical["region"] = {"startLine": loc.page}  # a PDF's page stands for the line
    out: dict[str, Any] = {"physicalLocation": physical}
    where = loc.describe(lang)
    if where:
        out["logicalLocations"] = [{"name": where, "kind": "table" if loc.table else "paragraph"}]
    if props:
        out["properties"] = props
    return out


def _help(kind: str, check_id: str, lang: str) -> dict[str, str]:
    """The rule's help: its kind's manual (Chinese or English) and how to read more."""
    from ..kinds import KINDS
    from ..rules_doc import manuals_zh

    if lang == "zh":
        text = manuals_zh().get(kind, "") + f"\n\n详见：budget-audit rules explain {check_id}"
    else:
        module = KINDS.get(kind)
        text = ((module.__doc__ or "") if module else "").strip() + f"\n\nMore: budget-audit rules explain {check_id} --lang en"
    return {"text": text.strip()}


def _rules(results: Sequence[AuditResult], lang: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in results:
        for o in r.outcomes:
            if o.check_id not in seen:
                seen[o.check_id] = {
                    "id": o.check_id,
                    "name": o.name or o.check_id,
                    "shortDescription": {"text": o.title or o.check_id},
                    "help": _help(o.kind, o.check_id, lang),
                    "defaultConfiguration": {"level": _LEVEL.get(o.severity, "warning")},
                    "properties": {"kind": o.kind},
                }
        for f in r.findings:
            seen.setdefault(
                f.check_id,
                {"id": f.check_id, "shortDescription": {"text": f.title or f.check_id}, "help": _help(f.kind, f.check_id, lang)},
            )
    return [seen[k] for k in sorted(seen)]


def _result(f: Finding, r: AuditResult, index: dict[str, int], hint: Any, lang: str) -> dict[str, Any]:
    text = message(f, lang)
    props: dict[str, Any] = {"status": f.status, "severity": f.severity}
    if f.expected is not None:
        props["expected"] = f.expected
    if f.actual is not None:
        props["actual"] = f.actual
    if hint is not None:
        props["hint"] = hint.to_dict(lang)
        text += "\n" + hint.text(lang)
    first = f.locations[0] if f.locations else None
    if first is not None and first.page:
        text = (f"第{first.page}页：" if lang == "zh" else f"p. {first.page}: ") + text
    locs = [_location(loc, lang) for loc in f.locations] or [_location(Location(file=r.file), lang)]
    return {
        "ruleId": f.check_id,
        "ruleIndex": index[f.check_id],
        "kind": "fail",
        "level": "error" if f.status == "error" else _LEVEL.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": locs[:1],
        "relatedLocations": [dict(loc, id=n) for n, loc in enumerate(locs[1:], 1)] if len(locs) > 1 else [],
        "partialFingerprints": {"budgetAudit/v1": fingerprint(f, document_identity(r))},
        "properties": props,
    }


def render_scan(results: Sequence[AuditResult], options: dict[str, Any] | None = None) -> str:
    buf = io.StringIO()
    write_scan(results, options or {}, buf)
    return buf.getvalue()


def _doc_results(r: AuditResult, index: dict[str, int], options: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    h = hints(r, options)
    group_of = {i: (n, e) for n, e in enumerate(listed(r, options)) if e.group for i, _ in e.items}
    out = []
    for i, f in enumerate(r.findings):
        if f.status in ("fail", "error"):
            res = _result(f, r, index, h.get(i), lang)
            if i in group_of:  # one misprint explains it and others: say which
                n, e = group_of[i]
                res["properties"]["group"] = {"entry": n + 1, "headline": e.headline(lang), "checks": [g.check_id for _, g in e.items]}
            if not res["relatedLocations"]:
                del res["relatedLocations"]
            out.append(res)
    return out


def write_scan(results: Sequence[AuditResult], options: dict[str, Any], out: TextIO) -> None:
    """The SARIF log written to ``out``: one pass over the results for the rules, the
    artifacts and the notes (small), one writing each document's results as it is
    read; no document is held."""
    lang = options.get("lang", "zh")
    rules = _rules(results, lang)
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    notes = []
    artifacts: set[str] = set()
    for r in results:
        artifacts.update(_uri(p) for p in r.files)
        if r.error:
            notes.append({"level": "error", "message": {"text": r.error}, "locations": [_location(Location(file=r.file), lang)]})
    # Files a scan could not take (unsupported types): notes, not errors.
    skipped = [
        {"level": "note", "message": {"text": why}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(os.path.join(options.get("scan_dir") or "", path))}}}]}
        for path, why in options.get("not_taken") or []
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "budget-audit",
                        "version": __version__,
                        "informationUri": "https://github.com/budget-audit/budget-audit",
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": a}} for a in sorted(artifacts)],
                "invocations": [{"executionSuccessful": not notes or len(notes) < len(results), "toolExecutionNotifications": notes + skipped}],
                "results": ITEMS,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    stream_json(out, log, (res for r in results if not r.error for res in _doc_results(r, index, options, lang)))


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    return render_scan([result], options)
