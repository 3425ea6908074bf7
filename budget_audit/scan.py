"""Batch runs: find documents under a directory and audit each; one bad file never
stops the rest.

A publication split into a text file and a tables file (``…_text_….pdf`` and
``…_tables_….pdf``, or ``正文``/``表格``) is audited as one document.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .api import audit
from .errors import BudgetAuditError
from .findings import AuditResult
from .ingest import SUPPORTED_SUFFIXES
from .rulebook import Rulebook

_PART = re.compile(r"(?<![a-z])(text|tables)(?![a-z])|正文|表格")


def discover(directory: str) -> list[list[str]]:
    files = sorted(
        str(p)
        for p in Path(directory).rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )
    return pair_documents(files)


def _key(path: str) -> str | None:
    name = os.path.basename(path)
    if not _PART.search(name):
        return None
    stem = _PART.sub("*", name)
    # Hashes or numbers that differ between the two files of one publication.
    stem = re.sub(r"_[0-9a-f]{8}(?=\.)", "", stem)
    return os.path.join(os.path.dirname(path), stem)


def pair_documents(files: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    for f in files:
        key = _key(f) or f
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(f)
    out = []
    for key in order:
        members = groups[key]
        # text part first, then tables
        members.sort(key=lambda p: (0 if re.search(r"text|正文", os.path.basename(p)) else 1, p))
        out.append(members)
    return out


def audit_safely(paths: list[str], book: Rulebook, lang: str = "zh") -> AuditResult:
    try:
        return audit(paths, book, lang)
    except BudgetAuditError as exc:
        return AuditResult(paths[0], paths, {}, [], [], [], [], error=str(exc))
    except Exception as exc:  # a bug in one document must not cost the others
        return AuditResult(paths[0], paths, {}, [], [], [], [], error=f"内部错误：{type(exc).__name__}: {exc}")


def scan_directory(directory: str, book: Rulebook, lang: str = "zh", progress: bool = False) -> list[AuditResult]:
    docs = discover(directory)
    results: list[AuditResult] = []
    if progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("检查中", total=len(docs))
            for paths in docs:
                results.append(audit_safely(paths, book, lang))
                bar.advance(task)
    else:
        for paths in docs:
            results.append(audit_safely(paths, book, lang))
    return results
