"""Rich terminal report, in Chinese by default: findings with place, expected and
found, then the coverage ledger (what was checked, what was not and why)."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import AuditResult, Finding
from .common import hints

_T: dict[str, dict[str, Any]] = {
    "zh": {
        "doc": "文档", "kind": "类型", "year": "年度", "dept": "部门", "findings": "发现的问题",
        "none": "未发现不一致。", "check": "检查", "where": "位置", "msg": "说明", "exp": "应为", "act": "实为",
        "ledger": "检查覆盖", "passed": "通过", "failed": "不通过", "skipped": "跳过", "errors": "出错",
        "tables": "表格", "recognised": "已识别", "claims": "正文数字", "verified": "已核对",
        "unverified": "未能核对的正文数字", "unrec": "未识别的表格", "skipreasons": "跳过的检查及原因",
        "notes": "提取说明", "status": "结论", "sev": {"error": "错误", "warning": "警告", "info": "提示"},
        "st": {"pass": "通过", "warn": "有警告", "fail": "有错误", "unreadable": "无法读取"},
        "summary": "汇总", "file": "文件", "n_find": "问题数", "hint": "修改建议",
        "docs": "文档", "by_check": "按检查统计", "baseline": "基线",
        "suppressed": "已接受（基线中）的问题 {} 个", "stale": "基线中已不再出现的条目 {} 个",
    },
    "en": {
        "doc": "Document", "kind": "Kind", "year": "Year", "dept": "Department", "findings": "Findings",
        "none": "No inconsistency found.", "check": "Check", "where": "Where", "msg": "Message", "exp": "Expected",
        "act": "Found", "ledger": "Coverage", "passed": "passed", "failed": "failed", "skipped": "skipped",
        "errors": "errors", "tables": "Tables", "recognised": "recognised", "claims": "Prose numbers",
        "verified": "verified", "unverified": "Prose numbers not verified", "unrec": "Unrecognised tables",
        "skipreasons": "Skipped checks and why", "notes": "Extraction notes", "status": "Status",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "st": {"pass": "pass", "warn": "warnings", "fail": "errors", "unreadable": "unreadable"},
        "summary": "Summary", "file": "File", "n_find": "Findings", "hint": "Suggested fix",
        "docs": "Documents", "by_check": "Findings by check", "baseline": "Baseline",
        "suppressed": "{} accepted findings (in the baseline)", "stale": "{} baseline entries no longer occur",
    },
}


def _console(buf: io.StringIO, options: dict[str, Any]) -> Console:
    return Console(
        file=buf,
        width=options.get("width", 120),
        force_terminal=options.get("color", False),
        no_color=not options.get("color", False),
        highlight=False,
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


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    t = _T[lang]
    buf = io.StringIO()
    con = _console(buf, options)
    m = result.meta
    con.print(Text(f"{t['doc']}: {', '.join(result.files)}", style="bold"))
    if result.error:
        con.print(Text(result.error, style="red"))
        return buf.getvalue()
    con.print(f"{t['kind']}: {m.get('scope') or ''}{m.get('kind') or '?'}  {t['year']}: {m.get('year') or '?'}  {t['dept']}: {m.get('department') or '?'}")
    fails = [f for f in result.findings if f.status in ("fail", "error")]
    idx = {id(f): i for i, f in enumerate(result.findings)}
    hint_map = hints(result, options)
    _baseline(con, options.get("baseline"), t)
    con.print()
    if not fails:
        con.print(Text(t["none"], style="green"))
    else:
        con.print(Text(f"{t['findings']} ({len(fails)})", style="bold red"))
        order = {"error": 0, "warning": 1, "info": 2}
        for f in sorted(fails, key=lambda f: (order.get(f.severity, 3), f.check_id)):
            sev = t["sev"].get(f.severity, f.severity) if f.status == "fail" else t["errors"]
            style = "red" if f.severity == "error" or f.status == "error" else "yellow"
            head = Text("✗ " if f.severity == "error" else "! ", style=style)
            head.append(f"{f.check_id} {sev}", style=f"bold {style}")
            head.append(f"  {_where(f, lang)}")
            con.print(head)
            con.print(Text("  " + (f.message if lang == "zh" else (f.message_en or f.message))))
            if f.expected is not None or f.actual is not None:
                con.print(Text(f"  {t['exp']}: {f.expected or ''}    {t['act']}: {f.actual or ''}", style="dim"))
            if idx[id(f)] in hint_map:
                con.print(Text(f"  → {t['hint']}: {hint_map[idx[id(f)]].text(lang)}", style="cyan"))
    _ledger(con, result, t, options)
    return buf.getvalue()


def _ledger(con: Console, result: AuditResult, t: dict[str, Any], options: dict[str, Any]) -> None:
    s = result.stats()
    c = result.coverage()
    con.print()
    con.print(Text(t["ledger"], style="bold"))
    con.print(
        f"  {t['check']}: {s['checks']}  {t['passed']} {s['passed']} · {t['failed']} {s['failed']} · "
        f"{t['skipped']} {s['skipped']} · {t['errors']} {s['errors']}"
    )
    con.print(f"  {t['tables']}: {c['tables_total']}  {t['recognised']} {c['tables_recognised']}")
    con.print(f"  {t['claims']}: {c['claims_total']}  {t['verified']} {c['claims_verified']} ({c['claim_coverage_pct']}%)")
    skipped = [o for o in result.outcomes if o.status == "skipped"]
    if skipped:
        con.print(f"  {t['skipreasons']}:")
        for o in skipped:
            con.print(f"    {o.check_id} {o.title}: {'；'.join(o.reasons)}")
    unrec = [tb for tb in result.tables if not tb.get("role")]
    if unrec:
        con.print(f"  {t['unrec']}: " + "；".join(f"{tb['id']}《{tb['title']}》" for tb in unrec))
    unverified = [cl for cl in result.claims if not cl["checked_by"]]
    if unverified and options.get("verbose", True):
        con.print(f"  {t['unverified']} ({len(unverified)}):")
        for cl in unverified[:30]:
            page = f"p{cl['page']} " if cl.get("page") else ""
            con.print(f"    {page}{cl['text']}")
        if len(unverified) > 30:
            con.print(f"    … +{len(unverified) - 30}")
    if result.extraction_notes:
        con.print(f"  {t['notes']}:")
        for note in result.extraction_notes[:20]:
            con.print(f"    {note}")


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    t = _T[lang]
    buf = io.StringIO()
    con = _console(buf, options)
    table = Table(title=t["summary"], expand=True)
    table.add_column(t["file"], ratio=4)
    table.add_column(t["kind"])
    table.add_column(t["year"])
    table.add_column(t["dept"], ratio=3)
    table.add_column(t["status"])
    table.add_column(t["n_find"], justify="right")
    table.add_column(t["check"], justify="right")
    by_check: dict[str, int] = {}
    for r in results:
        st = r.status()
        style = {"pass": "green", "warn": "yellow", "fail": "red"}.get(st, "magenta")
        m = r.meta
        table.add_row(
            " + ".join(r.files),
            m.get("kind") or "",
            str(m.get("year") or ""),
            m.get("department") or (r.error or ""),
            Text(t["st"][st], style=style),
            str(r.stats()["findings"]),
            f"{r.stats()['passed']}/{r.stats()['checks']}",
        )
        for f in r.findings:
            if f.status == "fail":
                by_check[f.check_id] = by_check.get(f.check_id, 0) + 1
    con.print(table)
    counts = {s: sum(1 for r in results if r.status() == s) for s in ("pass", "warn", "fail", "unreadable")}
    con.print(f"{t['docs']}: {len(results)}  " + " · ".join(f"{t['st'][k]} {v}" for k, v in counts.items()))
    if by_check:
        con.print(t["by_check"] + ": " + "  ".join(f"{k}×{v}" for k, v in sorted(by_check.items())))
    _baseline(con, options.get("baseline"), t)
    return buf.getvalue()


def _baseline(con: Console, report: Any, t: dict[str, Any]) -> None:
    if report is None:
        return
    con.print(Text(f"{t['baseline']}: " + t["suppressed"].format(report.suppressed) + "；" + t["stale"].format(len(report.stale)), style="dim"))
    for e in report.stale[:30]:
        con.print(Text(f"  − {e.get('check_id', '')} {e.get('document', '')} {e.get('where', '')}", style="dim"))
