"""XLSX export (openpyxl) that opens and prints: a "汇总/Summary" sheet with one row
per document (every document of a scan, with or without findings, and the files the
scan could not take), and a "发现的问题/Findings" sheet with one row per finding —
应为/实为/差额 as numbers beside their unit, severity and status in words. The
findings one misprint explains follow a row of their own naming the wrong cell
(status 写错) and share its entry number (问题编号). Both sheets have a bold header
row, frozen panes and an autofilter, and print landscape, fitted to the page width,
with the header row repeated on every page. Returns bytes.

Every text value goes through ``textsafe.cell`` (``_row``): document text such as
``=HYPERLINK(…)`` is stored as inert text, never a formula, and no control character
reaches the file."""

from __future__ import annotations

import io
from typing import Any

from ..errors import UsageError
from ..findings import AuditResult
from ..textsafe import cell as safe_cell
from .common import ROW_FIELDS, ROW_HEADERS, STATUS_WORDS, labels, rows

_SHEETS = {"zh": ("发现的问题", "汇总"), "en": ("Findings", "Summary")}
_SUMMARY = {
    "zh": ("文档", "部门", "年度", "类型", "结论", "问题数", "已运行的检查", "适用的检查", "正文数字核对率(%)", "说明"),
    "en": ("document", "department", "year", "kind", "status", "findings", "checks run", "checks applicable", "prose verified (%)", "note"),
}
_NOT_TAKEN = {"zh": "未检查", "en": "not checked"}
_WIDTHS = {
    "document": 36, "file": 36, "department": 24, "year": 6, "check": 10, "severity": 8, "status": 8, "page": 5,
    "table": 30, "row": 30, "column": 18, "expected": 14, "found": 14, "difference": 12, "unit": 6, "message": 70,
    "hint": 50, "entry": 8,
}
_NUMERIC = ("expected", "found", "difference")


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise UsageError("--format xlsx 需要 openpyxl，但未安装", hint='pip install "budget-audit[xlsx]"') from None
    options = options or {}
    lang = options.get("lang", "zh")
    words = STATUS_WORDS[lang]
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    summary = wb.create_sheet(_SHEETS[lang][1])
    findings = wb.create_sheet(_SHEETS[lang][0])
    if len(results) == 1:
        wb.move_sheet(findings, offset=-1)  # one document: its findings first
        wb.active = 0

    summary.append(list(_SUMMARY[lang]))
    for r, label in zip(results, labels(results), strict=True):
        s, m = r.stats(), r.meta
        c = r.coverage() if not r.error else {}
        reason = r.status_reason()
        summary.append(_row([
            label, m.get("department") or "", m.get("year") or "", f"{m.get('scope') or ''}{m.get('kind') or ''}",
            words[r.status()], s["findings"], c.get("checks_evaluated", ""), c.get("checks_total", ""),
            "" if c.get("claim_coverage_pct") is None else c["claim_coverage_pct"],
            (reason[0] if lang == "zh" else reason[1]) if reason else "",
        ]))
    for path, why in options.get("not_taken") or []:
        summary.append(_row([path, "", "", "", _NOT_TAKEN[lang], "", "", "", "", why]))
    for col, width in enumerate((40, 26, 6, 10, 14, 8, 10, 10, 12, 60), 1):
        summary.column_dimensions[get_column_letter(col)].width = width

    findings.append(list(ROW_HEADERS[lang]))
    for row in rows(results, options):
        findings.append(_row([row[k] for k in ROW_FIELDS]))
    for n, key in enumerate(ROW_FIELDS, 1):
        letter = get_column_letter(n)
        findings.column_dimensions[letter].width = _WIDTHS[key]
        if key in _NUMERIC:
            for cell in findings[letter][1:]:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
        if key in ("message", "hint", "table", "row"):
            for cell in findings[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for ws in (summary, findings):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        _print_setup(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(result: AuditResult, options: dict[str, Any] | None = None) -> bytes:
    return render_scan([result], options)


def _row(values: list[object]) -> list[object]:
    """Inert cells: no formula, no control character (textsafe.cell)."""
    return [safe_cell(v) for v in values]
