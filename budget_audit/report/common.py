"""What several reporters share: fix hints (computed once per result and cached in the
options), the flat one-row-per-finding view used by CSV and XLSX, and labels."""

from __future__ import annotations

from typing import Any

from ..findings import AuditResult, Finding
from ..fixhints import Hint, hints_for
from ..model import Location

ROW_FIELDS = (
    "document", "file", "department", "year", "check", "severity", "status", "page", "table",
    "row", "column", "expected", "found", "message", "hint",
)
ROW_HEADERS = {
    "zh": ("文档", "文件", "部门", "年度", "检查", "严重程度", "状态", "页", "表", "行", "列", "应为", "实为", "说明", "修改建议"),
    "en": ROW_FIELDS,
}


def renderer(options: dict[str, Any]):  # noqa: ANN201
    """One PageRenderer per report run (PDFs opened once)."""
    if "_renderer" not in options:
        from ..render_page import PageRenderer

        options["_renderer"] = PageRenderer()
    return options["_renderer"]


def hints(result: AuditResult, options: dict[str, Any]) -> dict[int, Hint]:
    """Fix hints keyed by finding index; cell values read from the PDF when needed."""
    cache = options.setdefault("_hints", {})
    if id(result) not in cache:
        if options.get("hints", True) is False:
            cache[id(result)] = {}
        else:
            pages = renderer(options)

            def cell_text(loc: Location) -> str | None:
                if not loc.bbox or not loc.page or not pages.is_pdf(loc.file):
                    return None
                try:
                    return pages.text_in(loc.file, loc.page, loc.bbox)
                except Exception:
                    return None

            cache[id(result)] = hints_for(result, cell_text)
    return cache[id(result)]


def shown(result: AuditResult, options: dict[str, Any]) -> list[tuple[int, Finding]]:
    """The findings a report lists, with their index in ``result.findings``."""
    passed = options.get("show_passed", False)
    return [(i, f) for i, f in enumerate(result.findings) if passed or f.status != "pass"]


def message(f: Finding, lang: str) -> str:
    return f.message if lang == "zh" else (f.message_en or f.message)


def rows(results: list[AuditResult], options: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per finding of a run (failing and erroring; skipped too when asked)."""
    lang = options.get("lang", "zh")
    wanted = ("fail", "error", "skipped") if options.get("show_skipped") else ("fail", "error")
    out = []
    for r in results:
        h = hints(r, options)
        m = r.meta
        if r.error:
            out.append(_row(r, None, None, lang, {"status": "unreadable", "message": r.error}))
            continue
        for i, f in enumerate(r.findings):
            if f.status in wanted:
                out.append(_row(r, f, h.get(i), lang, {}))
        del m
    return out


def _row(r: AuditResult, f: Finding | None, hint: Hint | None, lang: str, extra: dict[str, Any]) -> dict[str, Any]:
    m = r.meta
    loc = f.locations[0] if f and f.locations else Location()
    row = {
        "document": " + ".join(r.files),
        "file": loc.file or r.file,
        "department": m.get("department") or "",
        "year": m.get("year") or "",
        "check": f.check_id if f else "",
        "severity": f.severity if f else "",
        "status": f.status if f else "",
        "page": loc.page if loc.page is not None else "",
        "table": loc.table_title or loc.table or "",
        "row": loc.row_label or (loc.row if loc.row is not None else ""),
        "column": loc.column or "",
        "expected": f.expected if f and f.expected is not None else "",
        "found": f.actual if f and f.actual is not None else "",
        "message": message(f, lang) if f else "",
        "hint": hint.text(lang) if hint else "",
    }
    row.update(extra)
    return row
