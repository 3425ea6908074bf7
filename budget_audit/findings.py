"""Findings and the audit result: the one record list behind every output format.

A :class:`Finding` is one check's outcome at one place: ``pass``, ``fail``,
``skipped`` (a precondition was unmet; ``message`` says which) or ``error`` (the kind
crashed; the run went on). Findings are frozen data, never exceptions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .model import Location

STATUSES = ("fail", "error", "skipped", "pass")
SEVERITIES = ("error", "warning", "info")
SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Finding:
    check_id: str
    status: str
    severity: str
    message: str  # Chinese
    message_en: str = ""
    locations: tuple[Location, ...] = ()
    expected: str | None = None
    actual: str | None = None
    detail: tuple[tuple[str, Any], ...] = ()
    check_name: str = ""
    kind: str = ""
    title: str = ""

    def to_record(self, lang: str = "zh") -> dict[str, Any]:
        rec: dict[str, Any] = {
            "check_id": self.check_id,
            "check_name": self.check_name,
            "kind": self.kind,
            "status": self.status,
            "severity": self.severity,
            "message": self.message if lang == "zh" else (self.message_en or self.message),
            "locations": [loc.to_dict() for loc in self.locations],
        }
        if self.expected is not None:
            rec["expected"] = self.expected
        if self.actual is not None:
            rec["actual"] = self.actual
        if self.detail:
            rec["detail"] = dict(self.detail)
        return rec


@dataclass
class CheckOutcome:
    """The coverage ledger's line for one check."""

    check_id: str
    name: str
    title: str
    kind: str
    severity: str
    status: str  # fail | error | pass | skipped
    counts: dict[str, int]
    reasons: list[str]


@dataclass
class AuditResult:
    file: str
    files: list[str]
    meta: dict[str, Any]
    findings: list[Finding]
    outcomes: list[CheckOutcome]
    tables: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    extraction_notes: list[str] = field(default_factory=list)
    timings: dict[str, int] = field(default_factory=dict)  # milliseconds
    error: str | None = None  # set when the document could not be read at all

    def failures(self, fail_on: str = "warning") -> list[Finding]:
        ranks = {"error": 0, "warning": 1, "info": 2}
        limit = ranks[fail_on]
        return [
            f
            for f in self.findings
            if f.status == "fail" and ranks.get(f.severity, 0) <= limit
        ]

    def stats(self) -> dict[str, int]:
        counter = Counter(o.status for o in self.outcomes)
        return {
            "checks": len(self.outcomes),
            "passed": counter.get("pass", 0),
            "failed": counter.get("fail", 0),
            "skipped": counter.get("skipped", 0),
            "errors": counter.get("error", 0),
            "findings": sum(1 for f in self.findings if f.status == "fail"),
        }

    def coverage(self) -> dict[str, Any]:
        # Numbers in the description of work targets are not figures of the budget.
        claims = [c for c in self.claims if not c.get("scope", {}).get("narrative")]
        claims_total = len(claims)
        verified = sum(1 for c in claims if c.get("checked_by"))
        recognised = sum(1 for t in self.tables if t.get("role"))
        checks = len(self.outcomes)
        evaluated = sum(1 for o in self.outcomes if o.status in ("pass", "fail"))
        return {
            "checks_evaluated": evaluated,
            "checks_total": checks,
            "tables_recognised": recognised,
            "tables_total": len(self.tables),
            "claims_verified": verified,
            "claims_total": claims_total,
            # Share of numeric prose claims that some check compared with something.
            "claim_coverage_pct": (100 * verified // claims_total) if claims_total else 100,
            "check_coverage_pct": (100 * evaluated // checks) if checks else 0,
        }

    def to_records(self, lang: str = "zh", include_passed: bool = False) -> dict[str, Any]:
        findings = [
            f.to_record(lang)
            for f in self.findings
            if include_passed or f.status != "pass"
        ]
        return {
            "schema_version": SCHEMA_VERSION,
            "file": self.file,
            "files": self.files,
            "document": self.meta,
            "status": self.status(),
            "error": self.error,
            "stats": self.stats(),
            "coverage": self.coverage(),
            "checks": [
                {
                    "check_id": o.check_id,
                    "name": o.name,
                    "title": o.title,
                    "kind": o.kind,
                    "severity": o.severity,
                    "status": o.status,
                    "counts": o.counts,
                    "reasons": o.reasons,
                }
                for o in self.outcomes
            ],
            "findings": findings,
            "tables": self.tables,
            "claims": self.claims,
            "extraction_notes": self.extraction_notes,
        }

    def status(self) -> str:
        if self.error:
            return "unreadable"
        if any(f.status == "fail" and f.severity == "error" for f in self.findings):
            return "fail"
        if any(f.status == "fail" for f in self.findings):
            return "warn"
        return "pass"
