"""XLSX export (openpyxl): a "发现的问题/Findings" sheet, one row per finding, with a
header row, frozen panes and an autofilter; a "汇总/Summary" sheet, one row per
document. Returns bytes."""

from __future__ import annotations

import io
from typing import Any

from ..errors import UsageError
from ..findings import AuditResult
from .common import ROW_FIELDS, ROW_HEADERS, rows

_SHEETS = {"zh": ("发现的问题", "汇总"), "en": ("Findings", "Summary")}
_SUMMARY = {
    "zh": ("文档", "部门", "年度", "类型", "结论", "问题数", "通过", "检查数", "错误"),
    "en": ("document", "department", "year", "kind", "status", "findings", "passed", "checks", "error"),
}


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise UsageError("--format xlsx 需要 openpyxl，但未安装", hint='pip install "budget-audit[xlsx]"') from None
    options = options or {}
    lang = options.get("lang", "zh")
    wb = Workbook()
    ws = wb.create_sheet(index=0)
    for sheet in wb.worksheets[1:]:
        wb.remove(sheet)
    ws.title = _SHEETS[lang][0]
    ws.append(list(ROW_HEADERS[lang]))
    for row in rows(results, options):
        ws.append([row[k] for k in ROW_FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col, width in zip("ABCDEFGHIJKLMNO", (40, 40, 24, 6, 10, 8, 8, 5, 30, 30, 20, 16, 16, 80, 60), strict=False):
        ws.column_dimensions[col].width = width
    summary = wb.create_sheet(_SHEETS[lang][1])
    summary.append(list(_SUMMARY[lang]))
    for r in results:
        s = r.stats()
        m = r.meta
        summary.append([" + ".join(r.files), m.get("department") or "", m.get("year") or "", m.get("kind") or "",
                        r.status(), s["findings"], s["passed"], s["checks"], r.error or ""])
    for cell in summary[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(result: AuditResult, options: dict[str, Any] | None = None) -> bytes:
    return render_scan([result], options)
