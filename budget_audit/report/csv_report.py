"""CSV export: one row per finding of a run (document, department, year, check,
severity, page, table, row, column, expected, found, message, hint, entry); the
findings one misprint explains follow a row naming the wrong cell (status 写错) and
share its entry number. UTF-8 with a BOM so that Excel opens the Chinese text
correctly. Every value goes through ``textsafe.cell``: document text such as
``=HYPERLINK(…)`` is written as inert text, never as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, TextIO

from ..findings import AuditResult
from ..textsafe import cell
from .common import ROW_FIELDS, ROW_HEADERS, rows


def render_scan(results: Sequence[AuditResult], options: dict[str, Any] | None = None) -> str:
    buf = io.StringIO()
    write_scan(results, options or {}, buf)
    return buf.getvalue()


def write_scan(results: Sequence[AuditResult], options: dict[str, Any], out: TextIO) -> None:
    """Rows written to ``out`` document by document (none held)."""
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ROW_HEADERS[options.get("lang", "zh")])
    for r in results:
        for row in rows([r], options):
            w.writerow([cell(row[k]) for k in ROW_FIELDS])


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    return render_scan([result], options)
