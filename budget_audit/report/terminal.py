"""Rich terminal report, in Chinese by default: the verdict, the findings with place,
expected and found and a fix hint, then the coverage ledger (what was checked, what
was not and why). Skipped checks are one count line unless ``show_skipped`` asks for
each with its reason; checks for another kind of document are not mentioned.

A scan prints one table row per document (the distinguishing part of its path, kind,
year, department, verdict, findings, coverage), the files it could not take, and
with ``statistics`` the findings counted by check; ``quiet`` keeps only the documents
that did not pass and the summary lines.

Nothing printed is read as Rich markup (``markup=False``: a ``[/`` in a path or a
table title is text), and what is printed goes through ``textsafe.shown`` (no control
character reaches the terminal; a GBK file name is shown decoded).
"""

from __future__ import annotations

import io
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import AuditResult, Finding
from ..textsafe import shown
from .common import (
    OUTCOME_WORDS,
    SEVERITY_WORDS,
    STATUS_WORDS,
    Entry,
    claim_coverage,
    labels,
    listed,
    skipped_outcomes,
)

_T: dict[str, dict[str, Any]] = {
    "zh": {
        "doc": "文档", "kind": "类型", "year": "年度", "dept": "部门", "findings": "发现的问题",
        "none": "未发现不一致。", "exp": "应为", "act": "实为", "count": "{} 处，涉及 {} 项检查结果",
        "ledger": "检查覆盖", "check": "检查", "applicable": "适用 {} 项",
        "tables": "表格", "recognised": "已识别", "claims": "正文数字",
        "unverified": "未能核对的正文数字", "unrec": "未识别的表格",
        "skipped_line": "跳过 {} 项（缺少所需的表格或正文表述；加 --show-skipped 查看原因）",
        "skipreasons": "跳过的检查及原因", "notes": "提取说明", "status": "结论",
        "summary": "汇总", "file": "文件", "n_find": "问题数", "hint": "修改建议",
        "coverage": "覆盖（检查/正文）", "docs": "文档", "by_check": "按检查统计",
        "baseline": "基线", "suppressed": "已接受（基线中）的问题 {} 个", "stale": "基线中已不再出现的条目 {} 个",
        "reason": "说明", "changed": "基线中有、但金额已变的问题 {} 个（作为新问题列出）",
        "not_taken": "未检查的文件", "reused": "续跑：沿用 {} 份已有结果，新检查 {} 份",
        "stat_head": ("次数", "检查", "名称"), "quiet_none": "全部文档通过。",
        "not_disclosures": "未识别为预算/决算文件、未作核对的文档",
    },
    "en": {
        "doc": "Document", "kind": "Kind", "year": "Year", "dept": "Department", "findings": "Findings",
        "none": "No inconsistency found.", "exp": "Expected", "act": "Found", "count": "{}, from {} failed comparisons",
        "ledger": "Coverage", "check": "Checks", "applicable": "{} applicable",
        "tables": "Tables", "recognised": "recognised", "claims": "Prose numbers",
        "unverified": "Prose numbers not verified", "unrec": "Unrecognised tables",
        "skipped_line": "{} skipped (a table or a statement they need is absent; --show-skipped lists why)",
        "skipreasons": "Skipped checks and why", "notes": "Extraction notes", "status": "Verdict",
        "summary": "Summary", "file": "File", "n_find": "Findings", "hint": "Suggested fix",
        "coverage": "Coverage (checks/prose)", "docs": "Documents", "by_check": "Findings by check",
        "baseline": "Baseline", "suppressed": "{} accepted findings (in the baseline)",
        "stale": "{} baseline entries no longer occur", "reason": "reason",
        "changed": "{} baselined findings whose amounts changed (listed as new)",
        "not_taken": "Files not checked", "reused": "resumed: {} results reused, {} documents checked",
        "stat_head": ("count", "check", "title"), "quiet_none": "All documents passed.",
        "not_disclosures": "Not budget documents, not checked",
    },
}
_STYLE = {"pass": "green", "warn": "yellow", "fail": "red", "insufficient": "magenta", "unrecognised": "magenta"}


def _console(buf: io.StringIO, options: dict[str, Any]) -> Console:
    return Console(
        file=buf,
        width=options.get("width", 120),
        force_terminal=options.get("color", False),
        no_color=not options.get("color", False),
        highlight=False,
        markup=False,
        emoji=False,
    )


def _where(f: Finding, lang: str) -> str:
    if not f.locations:
        return ""
    loc = f.locations[0]
    text = loc.describe(lang)
    if loc.text and not loc.table:
        snippet = loc.text if len(loc.text) <= 60 else loc.text[:58] + "…"
        text = (text + " " if text else "") + f"「{snippet}」"
    return text


def verdict_line(result: AuditResult, lang: str, entries: list[Entry] | None = None) -> Text:
    """The verdict, with the problems counted by severity: a group of findings one
    misprint explains counts once (``entries``: the report's list)."""
    st = result.status()
    words = STATUS_WORDS[lang]
    line = Text(f"{_T[lang]['status']}: ", style="bold")
    line.append(words[st], style=f"bold {_STYLE.get(st, 'magenta')}")
    if st in ("fail", "warn"):
        if entries is None:
            sevs = [f.severity for f in result.failures("info")]
        else:
            sevs = [e.severity for e in entries if any(f.status == "fail" for _, f in e.items)]
        n = {sev: sum(1 for s in sevs if s == sev) for sev in ("error", "warning", "info")}
        line.append(("（" if lang == "zh" else " (") + " · ".join(f"{SEVERITY_WORDS[lang][k]} {v}" for k, v in n.items() if v) + ("）" if lang == "zh" else ")"))
    reason = result.status_reason() if st in ("unrecognised", "insufficient") else None
    if reason is None and st in ("fail", "warn"):
        reason = result.insufficient()  # findings, and little else could be checked
    if reason:
        line.append(("：" if lang == "zh" else ": ") + reason[0 if lang == "zh" else 1])
    return line


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    t = _T[lang]
    buf = io.StringIO()
    con = _console(buf, options)
    m = result.meta
    con.print(Text(f"{t['doc']}: {shown(', '.join(result.files))}", style="bold"))
    if result.error:
        con.print(Text(shown(result.error), style="red"))
        return buf.getvalue()
    kind = f"{m.get('scope') or ''}{m.get('kind') or ''}" if result.recognised() else ""
    con.print(Text(f"{t['kind']}: {kind or '?'}  {t['year']}: {m.get('year') or '?'}  {t['dept']}: {m.get('department') or '?'}"))
    entries = listed(result, options)
    con.print(verdict_line(result, lang, entries), soft_wrap=True)
    _baseline(con, options.get("baseline"), t)
    con.print()
    if not entries:
        con.print(Text(t["none"], style="green"))
    else:
        n = sum(len(e.items) for e in entries)
        count = f"{len(entries)}" if n == len(entries) else t["count"].format(len(entries), n)
        con.print(Text(f"{t['findings']} ({count})", style="bold red"))
        for e in entries:
            if e.group:
                _group(con, e, lang, t)
                continue
            (_, f), hint = e.items[0], e.hint
            _finding(con, f, lang, t, "")
            if hint is not None:
                con.print(Text(f"  → {t['hint']}: {shown(hint.text(lang))}", style="cyan"))
    _ledger(con, result, t, options)
    return buf.getvalue()


def _style(severity: str, status: str = "fail") -> str:
    return "red" if severity == "error" or status == "error" else "yellow"


def _finding(con: Console, f: Finding, lang: str, t: dict[str, Any], indent: str) -> None:
    sev = SEVERITY_WORDS[lang].get(f.severity, f.severity) if f.status == "fail" else OUTCOME_WORDS[lang]["error"]
    style = _style(f.severity, f.status)
    head = Text(indent + ("✗ " if f.severity == "error" else "! "), style=style)
    head.append(f"{f.check_id} {sev}", style=f"bold {style}")
    head.append(f"  {shown(_where(f, lang))}")
    con.print(head)
    con.print(Text(indent + "  " + shown(f.message if lang == "zh" else (f.message_en or f.message))))
    if f.expected is not None or f.actual is not None:
        con.print(Text(f"{indent}  {t['exp']}: {shown(f.expected or '')}    {t['act']}: {shown(f.actual or '')}", style="dim"))


def _group(con: Console, e: Entry, lang: str, t: dict[str, Any]) -> None:
    """The wrong cell first, then the findings it explains, indented under it."""
    style = _style(e.severity)
    head = Text("✗ " if e.severity == "error" else "! ", style=style)
    head.append(shown(e.headline(lang)), style=f"bold {style}")
    con.print(head)
    con.print(Text("  " + e.breaks(lang), style="cyan"))
    for _, f in e.items:
        _finding(con, f, lang, t, "  ")


def _ledger(con: Console, result: AuditResult, t: dict[str, Any], options: dict[str, Any]) -> None:
    lang = options.get("lang", "zh")
    o = OUTCOME_WORDS[lang]
    s = result.stats()
    c = result.coverage()
    con.print()
    con.print(Text(t["ledger"], style="bold"))
    con.print(Text(
        f"  {t['check']}: {t['applicable'].format(s['checks'])}  {o['pass']} {s['passed']} · {o['fail']} {s['failed']} · "
        f"{o['error']} {s['errors']}"
    ))
    skipped = skipped_outcomes(result)
    if skipped and not options.get("show_skipped"):
        con.print(Text("  " + t["skipped_line"].format(len(skipped))))
    con.print(Text(f"  {t['tables']}: {c['tables_total']}  {t['recognised']} {c['tables_recognised']}"))
    con.print(Text(f"  {t['claims']}: {claim_coverage(c, lang)}"))
    if skipped and options.get("show_skipped"):
        con.print(Text(f"  {t['skipreasons']} ({len(skipped)}):"))
        for out in skipped:
            con.print(Text(f"    {out.check_id} {out.title}: {'；'.join(out.reasons)}"))
    unrec = [tb for tb in result.tables if not tb.get("role")]
    if unrec:
        con.print(Text(f"  {t['unrec']}: " + "；".join(f"{tb['id']}《{tb['title']}》" for tb in unrec)))
    unverified = [cl for cl in result.claims if not cl["checked_by"]]
    if unverified and options.get("verbose", True):
        con.print(Text(f"  {t['unverified']} ({len(unverified)}):"))
        for cl in unverified[:30]:
            page = f"p{cl['page']} " if cl.get("page") else ""
            con.print(Text(f"    {page}{cl['text']}"))
        if len(unverified) > 30:
            con.print(Text(f"    … +{len(unverified) - 30}"))
    if result.extraction_notes:
        con.print(Text(f"  {t['notes']}:"))
        for note in result.extraction_notes[:20]:
            con.print(Text(f"    {note}"))


def _coverage_cell(r: AuditResult) -> str:
    if r.error:
        return ""
    c = r.coverage()
    pct = "—" if c["claim_coverage_pct"] is None else f"{c['claim_coverage_pct']}%"
    return f"{c['checks_evaluated']}/{c['checks_total']} · {pct}"


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    t = _T[lang]
    words = STATUS_WORDS[lang]
    buf = io.StringIO()
    con = _console(buf, options)
    quiet = options.get("quiet", False)
    # One pass over the results, keeping only each row's text: a scan's results are
    # read back from its journal one at a time, never all held.
    rows = []
    counts = dict.fromkeys(words, 0)
    by_check: dict[str, int] = {}
    titles: dict[str, str] = {}
    not_disclosures: list[str] = []
    for r, name in zip(results, labels(results), strict=True):
        st = r.status()
        counts[st] += 1
        if st == "unrecognised":
            not_disclosures.append(shown(name))
        for f in r.findings:
            if f.status == "fail":
                by_check[f.check_id] = by_check.get(f.check_id, 0) + 1
                titles.setdefault(f.check_id, f.title)
        if not quiet or st != "pass":
            m = r.meta
            rows.append((
                shown(name), f"{m.get('scope') or ''}{m.get('kind') or ''}", str(m.get("year") or ""),
                shown(m.get("department") or (r.error or "")), st, str(r.stats()["findings"]), _coverage_cell(r),
            ))
    if rows:
        table = Table(title=t["summary"], expand=True)
        table.add_column(t["file"], ratio=4)
        table.add_column(t["kind"])
        table.add_column(t["year"])
        table.add_column(t["dept"], ratio=3)
        table.add_column(t["status"])
        table.add_column(t["n_find"], justify="right")
        table.add_column(t["coverage"], justify="right")
        for name, kind, year, dept, st, n, cov in rows:
            table.add_row(name, kind, year, dept, Text(words[st], style=_STYLE.get(st, "magenta")), n, cov)
        con.print(table)
    elif quiet:
        con.print(Text(t["quiet_none"], style="green"))
    con.print(Text(f"{t['docs']}: {len(results)}  " + " · ".join(f"{words[k]} {v}" for k, v in counts.items() if v)))
    reused = options.get("reused")
    if reused:
        con.print(Text(t["reused"].format(reused, len(results) - reused), style="dim"))
    if options.get("statistics"):
        _statistics(con, titles, by_check, t)
    elif by_check:
        con.print(Text(t["by_check"] + ": " + "  ".join(f"{k}×{v}" for k, v in sorted(by_check.items()))))
    if not_disclosures:
        con.print(Text(f"{t['not_disclosures']} ({len(not_disclosures)}): " + ", ".join(not_disclosures), style="magenta"))
    not_taken = options.get("not_taken") or []
    if not_taken:
        con.print(Text(f"{t['not_taken']} ({len(not_taken)}):", style="yellow"))
        for path, reason in not_taken:
            con.print(Text(shown(f"  {path}: {reason}")))
    _baseline(con, options.get("baseline"), t)
    return buf.getvalue()


def _statistics(con: Console, titles: dict[str, str], by_check: dict[str, int], t: dict[str, Any]) -> None:
    """Like ``ruff --statistics``: one line per check, the most frequent first."""
    con.print(Text(t["by_check"], style="bold"))
    head = t["stat_head"]
    count, check = (" " * (6 - cell_len(head[0]))) + head[0], head[1] + " " * (8 - cell_len(head[1]))
    con.print(Text(f"{count}  {check}  {head[2]}", style="dim"))
    for cid, n in sorted(by_check.items(), key=lambda kv: (-kv[1], kv[0])):
        con.print(Text(f"{n:>6}  {cid:<8}  {titles.get(cid, '')}"))


def _baseline(con: Console, report: Any, t: dict[str, Any]) -> None:
    if report is None:
        return
    line = f"{t['baseline']}: " + t["suppressed"].format(report.suppressed) + "；" + t["stale"].format(len(report.stale))
    changed = getattr(report, "changed", [])
    if changed:
        line += "；" + t["changed"].format(len(changed))
    con.print(Text(line, style="dim"))
    for e in getattr(report, "accepted", [])[:30]:
        if e.get("说明"):
            con.print(Text(f"  ✓ {e.get('check_id', '')} {e.get('where', '')} — {t['reason']}: {e['说明']}", style="dim"))
    for e in report.stale[:30]:
        con.print(Text(f"  − {e.get('check_id', '')} {e.get('document', '')} {e.get('where', '')}", style="dim"))
