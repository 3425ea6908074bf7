"""XLSX export (openpyxl) that opens and prints: a "汇总/Summary" sheet with one row
per document (every document of a scan, with or without findings, and the files the
scan could not take), and a "发现的问题/Findings" sheet with one row per finding —
应为/实为/差额 as numbers beside their unit, severity and status in words. The
findings one misprint explains follow a row of their own naming the wrong cell
(status 写错) and share its entry number (问题编号). Both sheets have a bold header
row, frozen panes and an autofilter, and print landscape, fitted to the page width,
with the header row repeated on every page. ``write_scan`` streams the workbook
(openpyxl's write-only mode); ``render``/``render_scan`` return bytes.

Every text value goes through ``textsafe.cell`` (``_row``): document text such as
``=HYPERLINK(…)`` is stored as inert text, never a formula, and no control character
reaches the file."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, BinaryIO

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
    """Before the first row: a write-only sheet writes its properties with it."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "A2"


def render_scan(results: Sequence[AuditResult], options: dict[str, Any] | None = None) -> bytes:
    buf = io.BytesIO()
    write_scan(results, options or {}, buf)
    return buf.getvalue()


def write_scan(results: Sequence[AuditResult], options: dict[str, Any], out: BinaryIO) -> None:
    """The workbook written to ``out`` in openpyxl's write-only mode: each document's
    summary row and finding rows are appended as it is read (rows go to temporary
    files, none is held)."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise UsageError("--format xlsx 需要 openpyxl，但未安装", hint='pip install "budget-audit[xlsx]"') from None
    lang = options.get("lang", "zh")
    words = STATUS_WORDS[lang]
    wb = Workbook(write_only=True)
    if len(results) == 1:  # one document: its findings first
        findings = wb.create_sheet(_SHEETS[lang][0])
        summary = wb.create_sheet(_SHEETS[lang][1])
    else:
        summary = wb.create_sheet(_SHEETS[lang][1])
        findings = wb.create_sheet(_SHEETS[lang][0])
    for col, width in enumerate((40, 26, 6, 10, 14, 8, 10, 10, 12, 60), 1):
        summary.column_dimensions[get_column_letter(col)].width = width
    for n, key in enumerate(ROW_FIELDS, 1):
        findings.column_dimensions[get_column_letter(n)].width = _WIDTHS[key]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def header(ws: Any, names: Sequence[str]) -> None:
        cells = []
        for name in names:
            c = WriteOnlyCell(ws, name)
            c.font = bold
            cells.append(c)
        ws.append(cells)

    def finding_row(values: list[object]) -> list[object]:
        cells: list[object] = []
        for key, value in zip(ROW_FIELDS, _row(values), strict=True):
            if key in _NUMERIC and isinstance(value, int):
                c = WriteOnlyCell(findings, value)
                c.number_format = "#,##0"
                cells.append(c)
            elif key in ("message", "hint", "table", "row"):
                c = WriteOnlyCell(findings, value if isinstance(value, (str, int)) else str(value))
                c.alignment = wrap
                cells.append(c)
            else:
                cells.append(value)
        return cells

    _print_setup(summary)
    _print_setup(findings)
    header(summary, _SUMMARY[lang])
    header(findings, ROW_HEADERS[lang])
    n_summary = n_findings = 1
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
        n_summary += 1
        for row in rows([r], options):
            findings.append(finding_row([row[k] for k in ROW_FIELDS]))
            n_findings += 1
    for path, why in options.get("not_taken") or []:
        summary.append(_row([path, "", "", "", _NOT_TAKEN[lang], "", "", "", "", why]))
        n_summary += 1
    summary.auto_filter.ref = f"A1:{get_column_letter(len(_SUMMARY[lang]))}{n_summary}"
    findings.auto_filter.ref = f"A1:{get_column_letter(len(ROW_FIELDS))}{n_findings}"
    wb.save(out)


def render(result: AuditResult, options: dict[str, Any] | None = None) -> bytes:
    return render_scan([result], options)


def _row(values: list[object]) -> list[object]:
    """Inert cells: no formula, no control character (textsafe.cell)."""
    return [safe_cell(v) for v in values]
