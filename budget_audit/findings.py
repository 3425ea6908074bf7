"""Findings and the audit result: the one record list behind every output format.

A :class:`Finding` is one check's outcome at one place: ``pass``, ``fail``,
``skipped`` (a precondition was unmet; ``message`` says which) or ``error`` (the kind
crashed; the run went on). Findings are frozen data, never exceptions.

An arithmetic finding carries its *operands*, typed: each with its role in the
identity, its printed value as an integer interval and where it stands (a cell or a
sentence). The identity a finding tests is ``Σ coef × value = 0`` over its operands
(a total +1 and its parts −1; left +1 and right −1; a claim +1 and its source −1), so
fix hints and the grouping of findings by the edit that explains them read data,
never a formatted message.

An :class:`AuditResult` holds the findings of the checks that apply to the document's
kind (a 决算 check on a 预算 is not run and only counted in ``not_applicable``), the
coverage ledger, and the document's verdict (:meth:`AuditResult.status`): besides
pass/warn/fail, a document not recognised as a 预算/决算 disclosure is
``unrecognised`` and one where (almost) nothing could be verified is
``insufficient`` — never "pass".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .model import Location

STATUSES = ("fail", "error", "skipped", "pass")
SEVERITIES = ("error", "warning", "info")
SCHEMA_VERSION = "2.0"
# Document verdicts, best first (``AuditResult.status``).
DOC_STATUSES = ("pass", "insufficient", "warn", "fail", "unrecognised", "unreadable")
# A document where fewer than this share (%) of the applicable checks could run is
# "insufficient": its "no finding" says little (a text file whose tables were
# published separately runs about 6 of 91 budget checks; a full document 40-65).
MIN_EVALUATED_PCT = 10


@dataclass(frozen=True, slots=True)
class Operand:
    """One number an identity is made of.

    ``value`` and ``half`` are integers in the base unit of ``unit``'s family: 厘 for
    money (``budget_audit.money.UNIT_LI``), ``PCT_SCALE`` units for percentages; the
    printed number stands for ``[value - half, value + half]``. ``coef`` is the
    operand's coefficient in the identity ``Σ coef × value = 0`` (0 when the operand
    only gives context, e.g. the base a share is divided by).
    """

    role: str  # total | part | left | right | claim | source | base | share | change
    value: int
    half: int = 0
    unit: str = "元"
    text: str | None = None  # as printed, when known
    location: Location | None = None
    coef: int = 0

    @property
    def lo(self) -> int:
        return self.value - self.half

    @property
    def hi(self) -> int:
        return self.value + self.half

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "value": self.value, "half": self.half, "unit": self.unit}
        if self.coef:
            out["coef"] = self.coef
        if self.text is not None:
            out["text"] = self.text
        if self.location is not None:
            out["location"] = self.location.to_dict()
        return out


def residual(operands: tuple[Operand, ...] | list[Operand]) -> tuple[int, int]:
    """(Σ coef × value, Σ |coef| × half): the identity holds when |first| <= second."""
    return (
        sum(o.coef * o.value for o in operands),
        sum(abs(o.coef) * o.half for o in operands),
    )


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
    operands: tuple[Operand, ...] = ()

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
        if self.operands:
            rec["operands"] = [o.to_dict() for o in self.operands]
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
    not_applicable: int = 0  # checks for another kind of document: not run, not listed
    # Small edits that explain a table's failing identities (recognise/structure.py):
    # {table, file, kind, alternatives, row, edits[{file, table, row, column, delta, text}]}
    explanations: list[dict[str, Any]] = field(default_factory=list)

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
            "not_applicable": self.not_applicable,
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
            # Share of numeric prose claims that some check compared with something;
            # None (n/a) when the document states none.
            "claim_coverage_pct": (100 * verified // claims_total) if claims_total else None,
            "check_coverage_pct": (100 * evaluated // checks) if checks else 0,
        }

    def to_records(
        self, lang: str = "zh", include_passed: bool = False, include_skipped: bool = False
    ) -> dict[str, Any]:
        """``findings`` holds what failed or crashed (and passed, when asked); skipped
        checks are counted in ``stats`` and listed in ``checks`` only when asked."""
        findings = [
            f.to_record(lang)
            for f in self.findings
            if f.status in ("fail", "error") or (include_passed and f.status == "pass")
        ]
        reason = self.status_reason()
        return {
            "schema_version": SCHEMA_VERSION,
            "file": self.file,
            "files": self.files,
            "document": self.meta,
            "status": self.status(),
            "status_reason": (reason[0] if lang == "zh" else reason[1]) if reason else None,
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
                if include_skipped or o.status != "skipped"
            ],
            "findings": findings,
            "tables": self.tables,
            "claims": self.claims,
            "extraction_notes": self.extraction_notes,
        }

    def recognised(self) -> bool:
        """Whether the document reads as a 预算/决算 disclosure (results written
        before this was recorded count as recognised)."""
        return self.meta.get("recognised", True) is not False

    def insufficient(self) -> tuple[str, str] | None:
        """Why (almost) nothing could be verified, in Chinese and English; or None."""
        applicable = len(self.outcomes)
        evaluated = sum(1 for o in self.outcomes if o.status in ("pass", "fail"))
        if not applicable:
            return "没有适用于本文档的检查", "no check applies to this document"
        if not any(t.get("role") for t in self.tables):
            return (
                "没有识别出预算/决算表格，表内合计、表间一致和正文与表格的核对都无法进行"
                "（表格如另册公开，请与正文文件一并检查）",
                "no budget table was recognised: sums, cross-table and prose-vs-table "
                "checks could not run (if the tables are a separate file, check both together)",
            )
        if evaluated * 100 < applicable * MIN_EVALUATED_PCT:
            return (
                f"适用的 {applicable} 项检查中只有 {evaluated} 项得以运行",
                f"only {evaluated} of {applicable} applicable checks could run",
            )
        return None

    def status(self) -> str:
        """The verdict: unreadable, unrecognised, fail, warn, insufficient or pass."""
        if self.error:
            return "unreadable"
        if not self.recognised():
            return "unrecognised"
        if any(f.status == "fail" and f.severity == "error" for f in self.findings):
            return "fail"
        if any(f.status == "fail" for f in self.findings):
            return "warn"
        if self.insufficient():
            return "insufficient"
        return "pass"

    def status_reason(self) -> tuple[str, str] | None:
        """What the verdict rests on when it is neither a finding nor a pass."""
        if self.error:
            return self.error, self.error
        if not self.recognised():
            return (
                "封面、标题和表格都没有表明这是部门/单位预算或决算公开文件",
                "neither the cover, the titles nor the tables show a budget or final-account disclosure",
            )
        return self.insufficient()
