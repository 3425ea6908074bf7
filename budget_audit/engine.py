"""Run checks over recognised facts and collect every finding.

A check whose kind raises is recorded as ``error`` (with the exception's type and
message) and the run goes on; a check that reports nothing is ``skipped``.
"""

from __future__ import annotations

from collections import Counter

from .findings import CheckOutcome, Finding
from .kinds import KINDS
from .kinds.base import Context
from .recognise import Facts
from .rulebook import Check, Rulebook


def run(
    book: Rulebook, facts: Facts, lang: str = "zh", keep_passes: bool = False
) -> tuple[list[Finding], list[CheckOutcome], dict[int, list[str]]]:
    findings: list[Finding] = []
    outcomes: list[CheckOutcome] = []
    claim_checks: dict[int, list[str]] = {}
    compared: set[int] = set()
    # Kinds that take what the others left (prose_lookup) run last, in rulebook order.
    ordered = sorted(book.checks, key=lambda c: bool(getattr(KINDS.get(c.kind), "AFTER_OTHERS", False)))
    for check in ordered:
        ctx = Context(
            facts=facts, check=check, claim_checks=claim_checks, compared=compared, lang=lang, keep_passes=keep_passes
        )
        if facts.meta.kind not in check.applies_to:
            if not check.applies_to:
                ctx.skipped("该检查已停用", "disabled")
            else:
                ctx.skipped(
                    f"仅适用于{'/'.join(check.applies_to)}，本文档为{facts.meta.kind}",
                    f"applies to {'/'.join(check.applies_to)} only",
                )
        else:
            try:
                KINDS[check.kind].evaluate(check, ctx)
            except Exception as exc:  # a crashing kind must not stop the run
                ctx.findings.append(
                    Finding(
                        check_id=check.id,
                        check_name=check.name,
                        kind=check.kind,
                        title=check.title,
                        status="error",
                        severity=check.severity,
                        message=f"检查执行出错：{type(exc).__name__}: {exc}",
                        message_en=f"check crashed: {type(exc).__name__}: {exc}",
                        detail=(("exception", type(exc).__name__),),
                    )
                )
            if not ctx.reported:
                ctx.skipped("没有可核对的内容", "nothing to check")
        findings.extend(ctx.findings)
        outcomes.append(_outcome(check, ctx.findings, ctx.passes))
    return findings, outcomes, claim_checks


def _outcome(check: Check, findings: list[Finding], passes: int = 0) -> CheckOutcome:
    counts = Counter(f.status for f in findings)
    if passes:
        counts["pass"] += passes
    for status in ("fail", "error", "pass", "skipped"):
        if counts.get(status):
            break
    reasons = sorted({f.message for f in findings if f.status == "skipped"})[:5]
    return CheckOutcome(
        check_id=check.id,
        name=check.name,
        title=check.title,
        kind=check.kind,
        severity=check.severity,
        status=status,
        counts=dict(sorted(counts.items())),
        reasons=reasons,
    )
