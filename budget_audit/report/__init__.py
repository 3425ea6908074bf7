"""Reporters: ``render(result(s), options) -> str`` (bytes for xlsx) over the same
records.

Adding a format is one line in ``FORMATS`` (and ``SCAN_FORMATS``). The HTML report of
a batch is a directory (``html.write_site``), not a string.
"""

from __future__ import annotations

from collections.abc import Callable

from . import csv_report, html, json_report, junit, sarif, terminal, xlsx_report

FORMATS: dict[str, Callable] = {
    "text": terminal.render,
    "json": json_report.render,
    "html": html.render,
    "csv": csv_report.render,
    "xlsx": xlsx_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
}
SCAN_FORMATS: dict[str, Callable] = {
    "text": terminal.render_scan,
    "json": json_report.render_scan,
    "csv": csv_report.render_scan,
    "xlsx": xlsx_report.render_scan,
    "sarif": sarif.render_scan,
    "junit": junit.render_scan,
}
BINARY = {"xlsx"}
