"""Baselines: accept today's findings, report only new ones tomorrow — and never
hide a new error behind an old one.

A finding's fingerprint survives re-typesetting: it is made of the check id, the
document's identity (department + year + kind, falling back to the file name) and,
for each location, the normalised table title, row label and column — or, for prose,
the normalised sentence. Page numbers, boxes, table ids and row numbers are left out.
The amounts are not in the fingerprint but are kept in the entry (``expected``,
``actual``): a finding whose place is accepted but whose amounts changed (the
difference moved) is reported as new, and listed as changed.

The file is JSON: ``{"version": 2, "entries": [{fingerprint, check_id, document,
where, message, expected, actual, 说明}]}``, sorted, one entry per accepted finding (a
fingerprint may repeat: two identical findings need two entries). ``说明`` is the
reason the finding was accepted, written by a person; reports show it, and
``--update-baseline`` keeps it for findings that are still there. Version 1 files
(without amounts) are still read: their entries match on the fingerprint alone.
It is written through a temporary file renamed into place, and read only as a regular
file of at most 64 MiB whose every entry has the expected types (anything else is one
``UsageError`` line).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import UsageError
from .findings import AuditResult, Finding
from .model import Location
from .safeio import SafeIOError, atomic_write, read_regular

VERSION = 2
REASON = "说明"
MAX_BYTES = 64 << 20
_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*")
_DROP = re.compile(r"[\s\u3000，,。.；;：:、“”\"'‘’《》（）()【】\[\]]+")


def normalise(text: str | None) -> str:
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = _NUMBERING.sub("", t.strip())
    return _DROP.sub("", t)


def document_identity(result: AuditResult) -> str:
    m = result.meta
    parts = [str(m.get(k) or "") for k in ("department", "year", "kind")]
    if not any(parts):
        import os

        return os.path.basename(result.file)
    return "|".join(parts)


def _loc_key(loc: Location) -> str:
    if loc.table_title or loc.table:
        return "T:" + "|".join((normalise(loc.table_title), normalise(loc.row_label), normalise(loc.column)))
    return "P:" + normalise(loc.text)


def fingerprint(finding: Finding, identity: str) -> str:
    key = "\n".join([finding.check_id, identity, *sorted(_loc_key(loc) for loc in finding.locations)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _accepted(f: Finding) -> bool:
    return f.status == "fail"


@dataclass
class BaselineReport:
    """What applying a baseline did: how many findings it hid (``accepted``: their
    entries, with the reasons), which entries no longer occur (fixed, or the document
    changed) and which findings are at an accepted place with other amounts
    (``changed``: reported as new)."""

    suppressed: int = 0
    stale: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"suppressed": self.suppressed, "stale": self.stale, "changed": self.changed, "accepted": self.accepted}


def _amounts(f: Finding) -> dict[str, str | None]:
    return {"expected": f.expected, "actual": f.actual}


def entries(results: Sequence[AuditResult], reasons: dict[str, str] | None = None) -> list[dict[str, Any]]:
    reasons = reasons or {}
    out = []
    for r in results:
        ident = document_identity(r)
        for f in r.findings:
            if _accepted(f):
                where = f.locations[0].describe("zh") if f.locations else ""
                fp = fingerprint(f, ident)
                out.append(
                    {
                        "fingerprint": fp, "check_id": f.check_id, "document": ident, "where": where,
                        "message": f.message, **_amounts(f), REASON: reasons.get(fp, ""),
                    }
                )
    return sorted(out, key=lambda e: (e["document"], e["check_id"], e["fingerprint"], e["where"]))


def write(path: str, results: Sequence[AuditResult]) -> int:
    """Write the baseline (atomically), keeping the reasons (说明) of an existing file."""
    reasons: dict[str, str] = {}
    try:
        for e in read(path):
            if isinstance(e.get(REASON), str) and e.get(REASON):
                reasons.setdefault(e["fingerprint"], e[REASON])
    except UsageError:
        pass  # no file yet (or not a baseline): nothing to keep
    accepted = entries(results, reasons)
    try:
        atomic_write(path, json.dumps({"version": VERSION, "entries": accepted}, ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        raise UsageError(f"{path}: 无法写入基线文件（{exc.strerror or exc}）") from None
    return len(accepted)


def read(path: str) -> list[dict[str, Any]]:
    try:
        raw = read_regular(path, MAX_BYTES)
    except SafeIOError as exc:
        if str(exc) == "文件不存在":
            raise UsageError(f"{path}: 基线文件不存在", hint="先用 --update-baseline 生成") from None
        raise UsageError(f"{path}: 基线文件无法读取：{exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: 基线文件不是 UTF-8 编码") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: 基线文件不是有效的 JSON（{exc.msg}）") from None
    except RecursionError:
        raise UsageError(f"{path}: 基线文件嵌套过深，不是 budget-audit 基线文件") from None
    if not isinstance(data, dict) or data.get("version") not in (1, VERSION) or not isinstance(data.get("entries"), list):
        raise UsageError(f"{path}: 不是 budget-audit 基线文件（需要 version: {VERSION} 和 entries 列表）")
    for n, e in enumerate(data["entries"], 1):
        if not (
            isinstance(e, dict)
            and isinstance(e.get("fingerprint"), str)
            and all(isinstance(e.get(k) or "", str) for k in ("check_id", "document", "where", "message", "expected", "actual", REASON))
        ):
            raise UsageError(f"{path}: 基线文件第 {n} 条不是有效条目（fingerprint、check_id、document、where、message 等须为字符串）")
    return data["entries"]


def apply(results: Sequence[AuditResult], baseline: list[dict[str, Any]]) -> tuple[list[AuditResult], BaselineReport]:
    """Drop findings the baseline accepts — same place and, when the entry records
    them, the same amounts; report baseline entries that no longer occur and findings
    whose amounts changed at an accepted place.

    Only documents present in this run can make an entry stale.
    """
    view, report = apply_view(results, baseline)
    return list(view), report


class BaselineView(Sequence[AuditResult]):
    """``results`` as the baseline leaves them, each filtered when it is asked for:
    what to keep was decided in one pass (indices only), so a scan's results can stay
    in its journal and be read back one at a time."""

    def __init__(self, results: Sequence[AuditResult], kept: list[list[int]]) -> None:
        self._results = results
        self._kept = kept

    def __len__(self) -> int:
        return len(self._results)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        r = self._results[i]
        keep = self._kept[i]
        return replace(r, findings=[r.findings[k] for k in keep]) if len(keep) != len(r.findings) else r

    def __iter__(self) -> Iterator[AuditResult]:
        for i in range(len(self)):
            yield self[i]


def apply_view(results: Sequence[AuditResult], baseline: list[dict[str, Any]]) -> tuple[BaselineView, BaselineReport]:
    """``apply`` in one pass that holds only, per document, the indices of the
    findings kept."""
    pending: dict[str, list[dict[str, Any]]] = {}
    for e in baseline:
        pending.setdefault(e["fingerprint"], []).append(e)
    report = BaselineReport()
    seen_docs = set()
    kept_all: list[list[int]] = []
    for r in results:
        ident = document_identity(r)
        seen_docs.add(ident)
        kept = []
        for k, f in enumerate(r.findings):
            if _accepted(f):
                fp = fingerprint(f, ident)
                candidates = pending.get(fp, [])
                match = next((e for e in candidates if _same_amounts(e, f)), None)
                if match is not None:
                    candidates.remove(match)
                    report.suppressed += 1
                    report.accepted.append(match)
                    continue
                if candidates:  # the place is accepted, the numbers are not
                    old = candidates.pop(0)
                    report.changed.append(
                        {
                            "check_id": f.check_id, "document": ident, "where": old.get("where", ""),
                            "before": {"expected": old.get("expected"), "actual": old.get("actual")},
                            "now": _amounts(f), REASON: old.get(REASON, ""),
                        }
                    )
            kept.append(k)
        kept_all.append(kept)
    left = {id(e) for entries_ in pending.values() for e in entries_}
    report.stale = [e for e in baseline if id(e) in left and e.get("document") in seen_docs]
    return BaselineView(results, kept_all), report


def _same_amounts(entry: dict[str, Any], f: Finding) -> bool:
    """A version-1 entry has no amounts and matches on the place alone."""
    if "expected" not in entry and "actual" not in entry:
        return True
    return entry.get("expected") == f.expected and entry.get("actual") == f.actual
