"""Reporters: ``render(result(s), options) -> str`` (bytes for xlsx) over the same
records.

Adding a format is one line in ``FORMATS`` (and ``SCAN_FORMATS``). The HTML report of
a batch is a directory (``html.write_site``), not a string.

A reporter's module is imported when its format is asked for, not before: a ``check``
that prints text does not pay for the XML, CSV, HTML and SARIF writers' imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import Any


class _Lazy(Mapping[str, Callable[..., Any]]):
    """Format name -> renderer, each given as ``"module:function"`` and imported on
    first use."""

    def __init__(self, spec: dict[str, str]) -> None:
        self._spec = spec
        self._loaded: dict[str, Callable[..., Any]] = {}

    def __getitem__(self, name: str) -> Callable[..., Any]:
        if name not in self._loaded:
            module, func = self._spec[name].split(":")
            self._loaded[name] = getattr(import_module(f"{__name__}.{module}"), func)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spec)

    def __len__(self) -> int:
        return len(self._spec)


FORMATS: Mapping[str, Callable[..., Any]] = _Lazy({
    "text": "terminal:render",
    "json": "json_report:render",
    "html": "html:render",
    "csv": "csv_report:render",
    "xlsx": "xlsx_report:render",
    "sarif": "sarif:render",
    "junit": "junit:render",
})
SCAN_FORMATS: Mapping[str, Callable[..., Any]] = _Lazy({
    "text": "terminal:render_scan",
    "json": "json_report:render_scan",
    "csv": "csv_report:render_scan",
    "xlsx": "xlsx_report:render_scan",
    "sarif": "sarif:render_scan",
    "junit": "junit:render_scan",
})
BINARY = {"xlsx"}
# Streaming writers of a scan's report: ``write_scan(results, options, out)`` writes
# the document records one at a time (each read back from the journal when its turn
# comes), then what closes the report; ``out`` is a text stream (a binary one for xlsx).
SCAN_WRITERS: Mapping[str, Callable[..., Any]] = _Lazy({
    "json": "json_report:write_scan",
    "csv": "csv_report:write_scan",
    "xlsx": "xlsx_report:write_scan",
    "sarif": "sarif:write_scan",
    "junit": "junit:write_scan",
})
