"""JUnit XML for CI dashboards: one ``testsuite`` per document, one ``testcase`` per
check; a check with failing findings is a ``failure`` (its findings listed in the
text), a crashed kind an ``error``, a skipped check ``skipped`` with the reason. An
unreadable document is a suite with one erroring ``read`` case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..findings import AuditResult
from .common import hints, message


def _suite(parent: ET.Element, r: AuditResult, options: dict[str, Any]) -> dict[str, int]:
    lang = options.get("lang", "zh")
    m = r.meta
    name = " + ".join(r.files)
    suite = ET.SubElement(parent, "testsuite", name=name)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    props = ET.SubElement(suite, "properties")
    for key in ("department", "year", "kind", "scope"):
        if m.get(key) is not None:
            ET.SubElement(props, "property", name=key, value=str(m[key]))
    if r.error:
        case = ET.SubElement(suite, "testcase", classname=name, name="read")
        ET.SubElement(case, "error", message=r.error, type="unreadable").text = r.error
        counts.update(tests=1, errors=1)
    else:
        h = hints(r, options)
        by_check: dict[str, list[int]] = {}
        for i, f in enumerate(r.findings):
            by_check.setdefault(f.check_id, []).append(i)
        for o in r.outcomes:
            case = ET.SubElement(suite, "testcase", classname=name, name=f"{o.check_id} {o.title}".strip())
            counts["tests"] += 1
            idx = by_check.get(o.check_id, [])
            fails = [r.findings[i] for i in idx if r.findings[i].status == "fail"]
            errors = [r.findings[i] for i in idx if r.findings[i].status == "error"]
            if errors:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=message(errors[0], lang), type="error").text = "\n".join(message(f, lang) for f in errors)
            elif fails:
                counts["failures"] += 1
                lines = []
                for i in idx:
                    f = r.findings[i]
                    if f.status != "fail":
                        continue
                    where = f.locations[0].describe(lang) if f.locations else ""
                    line = f"[{f.severity}] {where} {message(f, lang)}".strip()
                    if i in h:
                        line += "\n  → " + h[i].text(lang)
                    lines.append(line)
                ET.SubElement(case, "failure", message=message(fails[0], lang), type=fails[0].severity).text = "\n".join(lines)
            elif o.status == "skipped":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message="；".join(o.reasons) or "skipped")
    for k, v in counts.items():
        suite.set(k, str(v))
    return counts


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    options = options or {}
    root = ET.Element("testsuites", name="budget-audit")
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for r in results:
        for k, v in _suite(root, r, options).items():
            total[k] += v
    for k, v in total.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    return render_scan([result], options)
