"""JUnit XML for CI dashboards, agreeing with the exit code: one ``testsuite`` per
document, one ``testcase`` per check that ran.

A check is a ``failure`` only when it has failing findings at or above ``fail_on``
(the same threshold as the exit code; ``never``: no failure); findings below it stay
in the passing case's ``system-out``. A crashed check is an ``error`` whose ``type``
is the exception's class. Skipped checks are counted in the suite's properties and
listed as ``skipped`` cases only with ``show_skipped``. A document whose verdict is
"not recognised" (exit code 2) or "not verified enough" (exit code 1) gets a failing
``verdict`` case with the reason; an unreadable document is a suite with one erroring
``read`` case; the files a scan could not take are skipped cases of one more suite.
Findings one misprint explains stay in their checks' cases, each with the hint; the
suite's ``system-out`` names each such misprint and the checks it breaks.

Every attribute and text goes through ``textsafe.shown_lines`` before writing
(``_inert``): XML 1.0 cannot hold control characters, and a file name that is not
UTF-8 is shown decoded.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any, TextIO

from ..findings import AuditResult, Finding
from ..textsafe import shown_lines
from .common import STATUS_WORDS, at_or_above, hints, listed, message


def _line(f: Finding, lang: str, hint: Any) -> str:
    where = f.locations[0].describe(lang) if f.locations else ""
    line = f"[{f.severity}] {where} {message(f, lang)}".strip()
    if hint is not None:
        line += "\n  → " + hint.text(lang)
    return line


def _suite(parent: ET.Element, r: AuditResult, options: dict[str, Any]) -> dict[str, int]:
    lang = options.get("lang", "zh")
    fail_on = options.get("fail_on", "warning")
    m = r.meta
    name = shown_lines(" + ".join(r.files))
    suite = ET.SubElement(parent, "testsuite", name=name)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    props = ET.SubElement(suite, "properties")
    for key in ("department", "year", "kind", "scope"):
        if m.get(key) is not None:
            ET.SubElement(props, "property", name=key, value=shown_lines(str(m[key])))
    if r.error:
        case = ET.SubElement(suite, "testcase", classname=name, name="read")
        error = shown_lines(r.error)
        ET.SubElement(case, "error", message=error, type="unreadable").text = error
        counts.update(tests=1, errors=1)
        return _close(suite, counts)
    ET.SubElement(props, "property", name="status", value=r.status())
    ET.SubElement(props, "property", name="skipped_checks", value=str(r.stats()["skipped"]))
    h = hints(r, options)
    by_check: dict[str, list[int]] = {}
    for i, f in enumerate(r.findings):
        by_check.setdefault(f.check_id, []).append(i)
    show_skipped = options.get("show_skipped", False)
    for o in r.outcomes:
        if o.status == "skipped" and not show_skipped:
            continue
        case = ET.SubElement(suite, "testcase", classname=name, name=f"{o.check_id} {o.title}".strip())
        counts["tests"] += 1
        idx = by_check.get(o.check_id, [])
        errors = [r.findings[i] for i in idx if r.findings[i].status == "error"]
        failing = [i for i in idx if r.findings[i].status == "fail"]
        counted = [i for i in failing if at_or_above(r.findings[i].severity, fail_on)]
        if errors:
            counts["errors"] += 1
            exc = dict(errors[0].detail).get("exception") or "Exception"
            ET.SubElement(case, "error", message=message(errors[0], lang), type=str(exc)).text = "\n".join(
                message(f, lang) for f in errors
            )
        elif counted:
            counts["failures"] += 1
            first = r.findings[counted[0]]
            ET.SubElement(case, "failure", message=message(first, lang), type=o.kind).text = "\n".join(
                _line(r.findings[i], lang, h.get(i)) for i in counted
            )
        elif o.status == "skipped":
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message="；".join(o.reasons) or "skipped")
        if failing and len(counted) < len(failing):  # below --fail-on: reported, not failing
            below = [i for i in failing if i not in counted]
            ET.SubElement(case, "system-out").text = "\n".join(_line(r.findings[i], lang, h.get(i)) for i in below)
    status = r.status()
    if status in ("unrecognised", "insufficient") and fail_on != "never":
        case = ET.SubElement(suite, "testcase", classname=name, name="verdict")
        reason = r.status_reason()
        text = reason[0 if lang == "zh" else 1] if reason else ""
        ET.SubElement(case, "failure", message=f"{STATUS_WORDS[lang][status]}：{text}", type=status).text = text
        counts["tests"] += 1
        counts["failures"] += 1
    # Findings one misprint explains belong to several checks (cases): the suite says
    # which misprint each comes from (system-out follows the cases in the schema).
    misprints = [e.summary(lang) for e in listed(r, options) if e.group]
    if misprints:
        ET.SubElement(suite, "system-out").text = "\n".join(misprints)
    return _close(suite, counts)


def _close(suite: ET.Element, counts: dict[str, int]) -> dict[str, int]:
    for k, v in counts.items():
        suite.set(k, str(v))
    return counts


def render_scan(results: Sequence[AuditResult], options: dict[str, Any] | None = None) -> str:
    buf = io.StringIO()
    write_scan(results, options or {}, buf)
    return buf.getvalue()


def write_scan(results: Sequence[AuditResult], options: dict[str, Any], out: TextIO) -> None:
    """The XML written to ``out`` suite by suite: one pass for the totals the root
    element carries, one writing each document's suite as it is read (none held)."""
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for r in results:
        for k, v in _suite(ET.Element("testsuites"), r, options).items():
            total[k] += v
    not_taken = options.get("not_taken") or []
    extra = None
    if not_taken:  # files a scan could not take: skipped cases, one per file
        extra = ET.Element("testsuite", name="未检查的文件" if options.get("lang", "zh") == "zh" else "files not checked")
        for path, why in not_taken:
            ET.SubElement(ET.SubElement(extra, "testcase", classname=path, name="read"), "skipped", message=why)
        _close(extra, {"tests": len(not_taken), "failures": 0, "errors": 0, "skipped": len(not_taken)})
        total["tests"] += len(not_taken)
        total["skipped"] += len(not_taken)
    root = ET.Element("testsuites", name="budget-audit")
    for k, v in total.items():
        root.set(k, str(v))
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    if not len(results) and extra is None:
        out.write(ET.tostring(root, encoding="unicode") + "\n")
        return
    root.text = "\x00"
    head, tail = ET.tostring(root, encoding="unicode").split("\x00")
    out.write(head)

    def one(suite: ET.Element) -> None:
        ET.indent(suite, level=1)
        _inert(suite)
        out.write("\n  " + ET.tostring(suite, encoding="unicode"))

    for r in results:
        holder = ET.Element("testsuites")
        _suite(holder, r, options)
        one(holder[0])
    if extra is not None:
        one(extra)
    out.write("\n" + tail + "\n")


def _inert(root: ET.Element) -> None:
    """Every attribute and text printable: no control character (XML 1.0 forbids
    them), file names that are not UTF-8 decoded."""
    for el in root.iter():
        for key, value in el.attrib.items():
            el.set(key, shown_lines(value))
        if el.text:
            el.text = shown_lines(el.text)


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    return render_scan([result], options)
