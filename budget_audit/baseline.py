"""Baselines: accept today's findings, report only new ones tomorrow.

A finding's fingerprint survives re-typesetting: it is made of the check id, the
document's identity (department + year + kind, falling back to the file name) and,
for each location, the normalised table title, row label and column — or, for prose,
the normalised sentence. Page numbers, boxes, table ids and row numbers are left out,
and so are the amounts (a finding stays accepted if its numbers move).

The file is JSON: ``{"version": 1, "entries": [{fingerprint, check_id, document,
where, message}]}``, sorted, one entry per accepted finding (a fingerprint may repeat:
two identical findings need two entries).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import UsageError
from .findings import AuditResult, Finding
from .model import Location

VERSION = 1
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
    """What applying a baseline did: how many findings it hid and which entries no
    longer occur (fixed, or the document changed)."""

    suppressed: int = 0
    stale: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"suppressed": self.suppressed, "stale": self.stale}


def entries(results: list[AuditResult]) -> list[dict[str, Any]]:
    out = []
    for r in results:
        ident = document_identity(r)
        for f in r.findings:
            if _accepted(f):
                where = f.locations[0].describe("zh") if f.locations else ""
                out.append(
                    {"fingerprint": fingerprint(f, ident), "check_id": f.check_id, "document": ident, "where": where, "message": f.message}
                )
    return sorted(out, key=lambda e: (e["document"], e["check_id"], e["fingerprint"], e["where"]))


def write(path: str, results: list[AuditResult]) -> int:
    accepted = entries(results)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"version": VERSION, "entries": accepted}, ensure_ascii=False, indent=2) + "\n")
    return len(accepted)


def read(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"{path}: 基线文件不存在", hint="先用 --update-baseline 生成") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: 基线文件不是有效的 JSON（{exc.msg}）") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("entries"), list):
        raise UsageError(f"{path}: 不是 budget-audit 基线文件（需要 version: {VERSION} 和 entries 列表）")
    return data["entries"]


def apply(results: list[AuditResult], baseline: list[dict[str, Any]]) -> tuple[list[AuditResult], BaselineReport]:
    """Drop findings the baseline accepts; report baseline entries that no longer occur.

    Only documents present in this run can make an entry stale.
    """
    budget = Counter(e["fingerprint"] for e in baseline)
    report = BaselineReport()
    seen_docs = set()
    out = []
    for r in results:
        ident = document_identity(r)
        seen_docs.add(ident)
        kept = []
        for f in r.findings:
            if _accepted(f):
                fp = fingerprint(f, ident)
                if budget[fp] > 0:
                    budget[fp] -= 1
                    report.suppressed += 1
                    continue
            kept.append(f)
        out.append(replace(r, findings=kept))
    for e in baseline:
        if e.get("document") in seen_docs and budget[e["fingerprint"]] > 0:
            budget[e["fingerprint"]] -= 1
            report.stale.append(e)
    return out, report
