"""What several reporters share: fix hints (computed once per result and cached in the
options), the flat one-row-per-finding view used by CSV and XLSX, the words for
verdicts, severities and outcomes in both languages, and how paths are shortened.

Where a report lists findings it goes through :func:`listed`: the entries a report
shows, worst first. An entry is one finding, or — "one misprint, one finding" — the
findings one cell edit explains (``fixhints.groups``), shown under a headline that
names the wrong cell first ("第12页 《表X》 行「Y」 列「Z」写错：131,065 应为 131,056
（两位数字颠倒）") and then the identities it breaks. Every format renders that
headline from :meth:`Entry.headline`, so they all agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..findings import AuditResult, Finding
from ..fixhints import Hint, groups, hints_for
from ..model import Location
from ..money import UNIT_LI, parse_number

# Verdicts of a document (AuditResult.status), severities and per-check outcomes.
STATUS_WORDS = {
    "zh": {
        "pass": "通过", "warn": "有警告", "fail": "有错误", "insufficient": "核对不足",
        "unrecognised": "未识别为预算/决算文件", "unreadable": "无法读取",
    },
    "en": {
        "pass": "pass", "warn": "warnings", "fail": "errors", "insufficient": "not verified",
        "unrecognised": "not a budget document", "unreadable": "unreadable",
    },
}
SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
OUTCOME_WORDS = {
    "zh": {"pass": "通过", "fail": "不通过", "skipped": "跳过", "error": "出错"},
    "en": {"pass": "pass", "fail": "fail", "skipped": "skipped", "error": "error"},
}
RANKS = {"error": 0, "warning": 1, "info": 2}


def at_or_above(severity: str, fail_on: str) -> bool:
    """Whether a failing finding of ``severity`` makes the exit code 1."""
    if fail_on == "never":
        return False
    return RANKS.get(severity, 0) <= RANKS[fail_on]


def claim_coverage(c: dict[str, Any], lang: str) -> str:
    """"50/58（86%）", or n/a when the document states no number in its prose."""
    if c["claim_coverage_pct"] is None:
        return "0（不适用）" if lang == "zh" else "0 (n/a)"
    return f"{c['claims_verified']}/{c['claims_total']}（{c['claim_coverage_pct']}%）" if lang == "zh" else (
        f"{c['claims_verified']}/{c['claims_total']} ({c['claim_coverage_pct']}%)"
    )


GROUP_WORDS = {
    "zh": {"breaks": "由此造成以下 {} 处不一致，改正后全部消除：", "causes": "造成 {} 处不一致：{}", "sep": "、", "misprint": "写错"},
    "en": {"breaks": "It breaks these {} identities; all hold once it is corrected:", "causes": "breaks {} identities: {}", "sep": ", ", "misprint": "misprint"},
}


@dataclass
class Entry:
    """One item of a report's list of problems: a single finding (``hint`` is its fix
    hint, if any), or a group — the findings one misprint explains, ``hint`` naming
    the wrong cell. ``items`` are ``(index in result.findings, finding)``, worst
    first."""

    items: list[tuple[int, Finding]]
    hint: Hint | None = None
    group: bool = False

    @property
    def severity(self) -> str:
        return min((f.severity for _, f in self.items), key=lambda s: RANKS.get(s, 3))

    def headline(self, lang: str = "zh") -> str:
        """For a group: the wrong cell, what it should read and the slip (without the
        count: the entry lists the findings)."""
        return self.hint.text(lang, count=False) if self.hint is not None else ""

    def breaks(self, lang: str = "zh") -> str:
        """The line that introduces a group's findings."""
        return GROUP_WORDS[lang]["breaks"].format(len(self.items))

    def summary(self, lang: str = "zh") -> str:
        """The headline and the checks it breaks, on one line (flat formats)."""
        w = GROUP_WORDS[lang]
        causes = w["causes"].format(len(self.items), w["sep"].join(f.check_id for _, f in self.items))
        return self.headline(lang) + ("；" if lang == "zh" else "; ") + causes


def _rank(item: tuple[int, Finding]) -> tuple[int, bool, int]:
    i, f = item
    return (RANKS.get(f.severity, 3), f.status != "error", i)


def listed(result: AuditResult, options: dict[str, Any]) -> list[Entry]:
    """The entries a report lists, worst first: each group of failing findings that
    one misprint explains (two or more findings) is one entry, placed where its worst
    finding would be; every other failing or crashed finding is an entry of its own
    (with its fix hint, if any)."""
    items = [(i, f) for i, f in enumerate(result.findings) if f.status in ("fail", "error")]
    h = hints(result, options)
    shown = {i for i, _ in items}
    out: list[Entry] = []
    grouped: set[int] = set()
    for g in groups(result, h):
        members = sorted(((i, result.findings[i]) for i in g.findings if i in shown), key=_rank)
        if len(members) >= 2:
            out.append(Entry(members, g.hint, group=True))
            grouped.update(i for i, _ in members)
    out += [Entry([(i, f)], h.get(i)) for i, f in items if i not in grouped]
    return sorted(out, key=lambda e: _rank(e.items[0]))


def flat(entries: list[Entry]) -> list[tuple[int, Finding]]:
    """The findings of ``entries`` in display order (a group's findings together)."""
    return [item for e in entries for item in e.items]


def skipped_outcomes(result: AuditResult) -> list[Any]:
    return [o for o in result.outcomes if o.status == "skipped"]


def _after_common(a: str, b: str) -> str:
    """``b`` without the leading part it shares with ``a`` (cut at a separator)."""
    pre = os.path.commonprefix([a, b])
    cut = max(pre.rfind(ch) + 1 for ch in "_-. ")
    return "…" + b[cut:] if cut >= 4 else b


def labels(results: Sequence[AuditResult]) -> list[str]:
    """The part of each document's path that tells it from the others: the common
    directory and any common leading/trailing part of the names are left out."""
    firsts = [os.path.abspath(r.file) for r in results]
    base = os.path.commonpath([os.path.dirname(p) for p in firsts]) if firsts else ""
    names = []
    for r, first in zip(results, firsts, strict=True):
        rel = os.path.relpath(first, base) if base else first
        extra = [_after_common(os.path.basename(first), os.path.basename(f)) for f in r.files[1:]]
        names.append(" + ".join([rel, *extra]))
    if len(names) < 2:
        return names
    seps = "_-/ ."
    pre = os.path.commonprefix(names)
    suf = os.path.commonprefix([n[::-1] for n in names])[::-1]
    cut = max(pre.rfind(ch) + 1 for ch in seps)  # after the last separator in common
    found = [i for i in (suf.find(ch) for ch in seps) if i >= 0]
    tail = len(suf) - min(found) if found else 0  # from the first separator in common
    cut = cut if cut >= 6 else 0
    tail = tail if tail >= 6 else 0
    out = []
    for n in names:
        core = n[cut : len(n) - tail if tail else len(n)]
        if not core.strip():
            return names
        out.append(("…" if cut else "") + core + ("…" if tail else ""))
    return out

ROW_FIELDS = (
    "document", "file", "department", "year", "check", "severity", "status", "page", "table",
    "row", "column", "expected", "found", "difference", "unit", "message", "hint", "entry",
)
ROW_HEADERS = {
    "zh": ("文档", "文件", "部门", "年度", "检查", "严重程度", "状态", "页", "表", "行", "列", "应为", "实为", "差额", "单位", "说明", "修改建议", "问题编号"),
    "en": ROW_FIELDS,
}
# Findings whose expected/found are amounts (the others compare words, counts, years).
AMOUNT_KINDS = ("sum", "equal", "prose_amount")


def renderer(options: dict[str, Any]):  # noqa: ANN201
    """One PageRenderer per report run (PDFs opened once)."""
    if "_renderer" not in options:
        from ..render_page import PageRenderer

        options["_renderer"] = PageRenderer()
    return options["_renderer"]


def hints(result: AuditResult, options: dict[str, Any]) -> dict[int, Hint]:
    """Fix hints keyed by finding index; cell values read from the PDF when needed.
    Kept for the document being written only (a report asks several times per
    document): a scan's results are read back one at a time and freed, so a cache by
    ``id()`` would both grow with the scan and hand a freed document's hints to the
    next one allocated at its address."""
    last: tuple[AuditResult, dict[int, Hint]] | None = options.get("_hints")
    if last is not None and last[0] is result:
        return last[1]
    found: dict[int, Hint]
    if options.get("hints", True) is False:
        found = {}
    else:
        pages = renderer(options)

        def cell_text(loc: Location) -> str | None:
            if not loc.bbox or not loc.page or not pages.is_pdf(loc.file):
                return None
            try:
                return pages.text_in(loc.file, loc.page, loc.bbox)
            except Exception:
                return None

        found = hints_for(result, cell_text)
    options["_hints"] = (result, found)
    return found


def shown(result: AuditResult, options: dict[str, Any]) -> list[tuple[int, Finding]]:
    """The findings a report lists, with their index in ``result.findings``."""
    passed = options.get("show_passed", False)
    return [(i, f) for i, f in enumerate(result.findings) if passed or f.status != "pass"]


def message(f: Finding, lang: str) -> str:
    return f.message if lang == "zh" else (f.message_en or f.message)


def rows(results: list[AuditResult], options: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per failing or crashed finding of a run (an unreadable document is one
    row); severities and statuses in the report's language. ``entry`` numbers the
    entries of each document (:func:`listed`); a group of findings one misprint
    explains starts with a row of its own for the wrong cell (status 写错 /
    misprint: 应为 the corrected value, 实为 the printed one, the headline as its
    说明), and its findings share its number."""
    lang = options.get("lang", "zh")
    out = []
    for r in results:
        h = hints(r, options)
        if r.error:
            out.append(_row(r, None, None, lang, {"status": OUTCOME_WORDS_ROW[lang]["unreadable"], "message": r.error}))
            continue
        for n, e in enumerate(listed(r, options), 1):
            if e.group:
                out.append(_group_row(r, e, lang, n))
            for i, f in e.items:
                out.append(_row(r, f, h.get(i), lang, {"entry": n}))
    return out


def hint_amounts(r: AuditResult, hint: Hint) -> tuple[int, int, int, str] | None:
    """The corrected value, the printed one (a blank counts as 0) and their
    difference (printed − corrected), as whole numbers of the cell's unit (or of 元,
    分); None when they are not amounts in a known unit."""
    unit = hint.unit or next((t.get("unit") for t in r.tables if t.get("id") == hint.location.table), None) or ""
    if unit not in UNIT_LI or hint.suggested is None:
        return None
    right = parse_number(hint.suggested)
    wrong = parse_number(hint.current) if hint.current else parse_number("0")
    if right is None or wrong is None:
        return None
    try:
        x, y = right.scaled(UNIT_LI[unit])[0], wrong.scaled(UNIT_LI[unit])[0]
    except ValueError:  # printed more finely than 厘
        return None
    return _in_whole_unit((x, y, y - x), unit)


def _group_row(r: AuditResult, e: Entry, lang: str, n: int) -> dict[str, Any]:
    assert e.hint is not None
    loc = e.hint.location
    nums = hint_amounts(r, e.hint)
    m = r.meta
    return {
        "document": " + ".join(r.files),
        "file": loc.file or r.file,
        "department": m.get("department") or "",
        "year": m.get("year") or "",
        "check": "",
        "severity": SEVERITY_WORDS[lang].get(e.severity, e.severity),
        "status": GROUP_WORDS[lang]["misprint"],
        "page": loc.page if loc.page is not None else "",
        "table": loc.table_title or loc.table or "",
        "row": loc.row_label or (loc.row if loc.row is not None else ""),
        "column": loc.column or "",
        "expected": nums[0] if nums else (e.hint.suggested or ""),
        "found": nums[1] if nums else (e.hint.current or ""),
        "difference": nums[2] if nums else "",
        "unit": nums[3] if nums else "",
        "message": e.summary(lang),
        "hint": e.hint.text(lang),
        "entry": n,
    }


OUTCOME_WORDS_ROW = {
    "zh": {**OUTCOME_WORDS["zh"], "unreadable": "无法读取"},
    "en": {**OUTCOME_WORDS["en"], "unreadable": "unreadable"},
}


def amounts(r: AuditResult, f: Finding) -> tuple[int, int, int, str] | None:
    """Expected, found and their difference (found − expected) as integers, with the
    unit they are counted in: the printed unit of the found value when all three are
    whole numbers in it (a 百元 table), else 元 (or 分). Read from the finding's typed
    operands (identity ``Σ coef × value = 0``, the found value first with coef +1);
    a finding without operands falls back to its printed expected/actual. None when
    they are not amounts."""
    if f.kind not in AMOUNT_KINDS:
        return None
    ops = [o for o in f.operands if o.coef]
    if ops and ops[0].coef == 1 and all(o.unit in UNIT_LI for o in ops):
        found = ops[0].value
        expected = found - sum(o.coef * o.value for o in ops)
        return _in_whole_unit((expected, found, found - expected), ops[0].unit)
    return _printed_amounts(r, f)


def _in_whole_unit(values: tuple[int, int, int], unit: str) -> tuple[int, int, int, str] | None:
    """厘 counts as whole numbers of ``unit``, else of 元, else of 分."""
    for u in (unit, "元", "分"):
        step = UNIT_LI[u]
        if all(v % step == 0 for v in values):
            a, b, c = (v // step for v in values)
            return a, b, c, u
    return None


def _printed_amounts(r: AuditResult, f: Finding) -> tuple[int, int, int, str] | None:
    if f.expected is None or f.actual is None:
        return None
    unit = None
    texts = []
    for text in (f.expected, f.actual):
        t = text.strip()
        for u in ("万元", "千元", "百元", "元"):
            if t.endswith(u):
                unit, t = u, t[: -len(u)]
                break
        texts.append(t)
    a, b = parse_number(texts[0]), parse_number(texts[1])
    if a is None or b is None:
        return None
    if unit is None:
        tid = next((loc.table for loc in f.locations if loc.table), None)
        unit = next((t.get("unit") for t in r.tables if t.get("id") == tid), None) or ""
    if unit not in UNIT_LI:
        return None if a.decimals or b.decimals else (a.digits, b.digits, b.digits - a.digits, unit)
    try:
        x, y = a.scaled(UNIT_LI[unit])[0], b.scaled(UNIT_LI[unit])[0]
    except ValueError:  # printed more finely than 厘
        return None
    return _in_whole_unit((x, y, y - x), unit)


def _row(r: AuditResult, f: Finding | None, hint: Hint | None, lang: str, extra: dict[str, Any]) -> dict[str, Any]:
    m = r.meta
    loc = f.locations[0] if f and f.locations else Location()
    nums = amounts(r, f) if f else None
    row = {
        "document": " + ".join(r.files),
        "file": loc.file or r.file,
        "department": m.get("department") or "",
        "year": m.get("year") or "",
        "check": f.check_id if f else "",
        "severity": SEVERITY_WORDS[lang].get(f.severity, f.severity) if f else "",
        "status": OUTCOME_WORDS_ROW[lang].get(f.status, f.status) if f else "",
        "page": loc.page if loc.page is not None else "",
        "table": loc.table_title or loc.table or "",
        "row": loc.row_label or (loc.row if loc.row is not None else ""),
        "column": loc.column or "",
        "expected": nums[0] if nums else (f.expected if f and f.expected is not None else ""),
        "found": nums[1] if nums else (f.actual if f and f.actual is not None else ""),
        "difference": nums[2] if nums else "",
        "unit": nums[3] if nums else "",
        "message": message(f, lang) if f else "",
        "hint": hint.text(lang) if hint else "",
        "entry": "",
    }
    row.update(extra)
    return row


ITEMS = "\x00items\x00"  # marks, in a skeleton, the list ``stream_json`` fills


def stream_json(out: Any, skeleton: Any, items: Iterable[Any]) -> None:
    """Write ``json.dumps(skeleton, indent=2)`` to the text stream ``out`` with the
    value ``ITEMS`` replaced by the list of ``items``, each dumped as it comes: the same
    text as dumping the whole list, without ever holding it."""
    text = json.dumps(skeleton, ensure_ascii=False, indent=2) + "\n"
    head, tail = text.split(json.dumps(ITEMS), 1)
    line = head[head.rfind("\n") + 1 :]
    pad = " " * (len(line) - len(line.lstrip()) + 2)
    out.write(head + "[")
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
        out.write(("\n" if first else ",\n") + pad + body)
        first = False
    out.write("]" if first else "\n" + pad[:-2] + "]")
    out.write(tail)
