"""Reporters: ``render(result(s), options) -> str`` over the same records.

Adding a format is one line in ``FORMATS``.
"""

from __future__ import annotations

from typing import Callable

from . import json_report, terminal

FORMATS: dict[str, Callable] = {
    "text": terminal.render,
    "json": json_report.render,
}
SCAN_FORMATS: dict[str, Callable] = {
    "text": terminal.render_scan,
    "json": json_report.render_scan,
}
