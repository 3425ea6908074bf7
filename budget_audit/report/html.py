"""HTML report: one self-contained file per document (no external resources), and for
a batch a directory with ``index.html`` linking one page per document.

A document's page lists the findings grouped by table (and, for prose, by section),
each with expected vs found, the fix hint when there is one, and a PNG crop of the
PDF page with the offending cells or sentence outlined (red: the finding's own cell;
blue: the cells it was compared with), embedded as base64. Then the coverage ledger:
every check's outcome, the tables recognised, the prose numbers and which checks
verified them. Chinese by default; ``lang: en`` switches.
"""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path
from typing import Any

from ..findings import AuditResult, Finding
from .common import hints, message, renderer

MAX_CROPS = 150  # per document: beyond this, findings are listed without pictures

T: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "一致性检查报告", "doc": "文档", "dept": "部门", "year": "年度", "kind": "类型", "pages": "页数",
        "status": "结论", "findings": "发现的问题", "none": "未发现不一致。", "exp": "应为", "act": "实为",
        "hint": "修改建议", "ledger": "检查覆盖", "check": "检查", "outcome": "结果", "counts": "次数",
        "reasons": "原因", "tables": "表格", "role": "识别为", "unit": "单位", "claims": "正文数字",
        "checked_by": "核对的检查", "unverified": "未核对", "prose": "正文", "document": "文档整体",
        "st": {"pass": "通过", "warn": "有警告", "fail": "有错误", "unreadable": "无法读取"},
        "sev": {"error": "错误", "warning": "警告", "info": "提示"},
        "o": {"pass": "通过", "fail": "不通过", "skipped": "跳过", "error": "出错"},
        "index": "批量检查汇总", "file": "文件", "n": "问题数", "by_check": "按检查统计", "notes": "提取说明",
        "baseline": "基线", "suppressed": "已接受（基线中）的问题", "stale": "基线中已不再出现的条目",
        "legend": "红框：问题所在单元格或句子；蓝框：与之比较的单元格", "page": "第{}页",
        "unreadable": "无法读取",
    },
    "en": {
        "title": "Consistency report", "doc": "Document", "dept": "Department", "year": "Year", "kind": "Kind",
        "pages": "Pages", "status": "Status", "findings": "Findings", "none": "No inconsistency found.",
        "exp": "Expected", "act": "Found", "hint": "Suggested fix", "ledger": "Coverage", "check": "Check",
        "outcome": "Outcome", "counts": "Counts", "reasons": "Reasons", "tables": "Tables", "role": "Role",
        "unit": "Unit", "claims": "Prose numbers", "checked_by": "Checked by", "unverified": "not verified",
        "prose": "Prose", "document": "Whole document",
        "st": {"pass": "pass", "warn": "warnings", "fail": "errors", "unreadable": "unreadable"},
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "o": {"pass": "pass", "fail": "fail", "skipped": "skipped", "error": "error"},
        "index": "Batch summary", "file": "File", "n": "Findings", "by_check": "Findings by check",
        "notes": "Extraction notes", "baseline": "Baseline", "suppressed": "accepted findings (in the baseline)",
        "stale": "baseline entries that no longer occur", "legend": "Red: the offending cell or sentence; blue: the cells it was compared with",
        "page": "p. {}", "unreadable": "unreadable",
    },
}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}h3{font-size:16px;color:#444}
.meta span{margin-right:18px}.badge{padding:2px 8px;border-radius:4px;color:#fff;font-weight:bold}
.pass{background:#2e7d32}.warn{background:#ef6c00}.fail{background:#c62828}.unreadable{background:#6a1b9a}
.finding{border:1px solid #ddd;border-left:6px solid #c62828;border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.warning{border-left-color:#ef6c00}.finding.info{border-left-color:#1565c0}
.fid{font-weight:bold;margin-right:8px}.where{color:#555}.msg{margin:6px 0}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;vertical-align:top}
th{background:#f3f3f3}.ev td{font-family:monospace}.hint{background:#fff8e1;border:1px solid #ffe082;padding:4px 8px;margin:6px 0}
img.crop{max-width:100%;border:1px solid #999;display:block;margin:6px 0}.legend{color:#666;font-size:12px}
.o-fail{color:#c62828}.o-pass{color:#2e7d32}.o-skipped{color:#777}.o-error{color:#6a1b9a}
"""


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def _group(f: Finding, sections: dict[tuple[int | None, int | None], str], t: dict[str, Any]) -> str:
    loc = next((loc for loc in f.locations if loc.table_title or loc.table), None)
    first = f.locations[0] if f.locations else None
    if first is not None and not first.table and first.text:
        sec = sections.get((first.page, first.paragraph))
        return f"{t['prose']}：{sec}" if sec else t["prose"]
    if loc is not None:
        return f"《{loc.table_title or loc.table}》"
    return t["document"]


def _finding_html(n: int, f: Finding, hint: Any, crops: list[dict[str, Any]], lang: str, t: dict[str, Any]) -> str:
    where = escape(f.locations[0].describe(lang)) if f.locations else ""
    sev = t["sev"].get(f.severity, f.severity) if f.status == "fail" else t["o"]["error"]
    parts = [
        f'<div class="finding {escape(f.severity)}" id="f{n}" data-check="{escape(f.check_id)}">',
        f'<div><span class="fid">{escape(f.check_id)}</span><span>{escape(sev)}</span> '
        f'<span class="where">{where}</span></div>',
        f'<div class="msg">{escape(message(f, lang))}</div>',
    ]
    if first_text := (f.locations[0].text if f.locations and not f.locations[0].table else None):
        parts.append(f'<div class="where">「{escape(first_text)}」</div>')
    if f.expected is not None or f.actual is not None:
        parts.append(
            f'<table class="ev"><tr><th>{t["exp"]}</th><th>{t["act"]}</th></tr>'
            f"<tr><td>{escape(f.expected or '')}</td><td>{escape(f.actual or '')}</td></tr></table>"
        )
    if hint is not None:
        parts.append(f'<div class="hint"><b>{t["hint"]}：</b>{escape(hint.text(lang))}</div>')
    for c in crops:
        alt = f"{os.path.basename(c['file'])} {t['page'].format(c['page'])}"
        parts.append(
            f'<img class="crop" data-page="{c["page"]}" data-boxes="{c["boxes"]}" alt="{escape(alt)}" '
            f'src="data:image/png;base64,{c["png"]}">'
        )
    parts.append("</div>")
    return "\n".join(parts)


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    t = T[lang]
    m = result.meta
    status = result.status()
    title = f"{t['title']} — {m.get('department') or os.path.basename(result.file)}"
    body = [f"<h1>{escape(title)}</h1>", '<div class="meta">']
    body.append(f"<span>{t['doc']}：{escape(' + '.join(result.files))}</span>")
    for key, label in (("department", "dept"), ("year", "year"), ("kind", "kind"), ("pages", "pages")):
        if m.get(key) is not None:
            body.append(f"<span>{t[label]}：{escape(str((m.get('scope') or '') + m[key] if key == 'kind' else m[key]))}</span>")
    body.append(f'<span>{t["status"]}：<span class="badge {status}" id="status">{t["st"][status]}</span></span></div>')
    if result.error:
        body.append(f'<p class="error">{escape(result.error)}</p>')
        return _page(title, "\n".join(body), lang)
    body.append(_baseline_html(options.get("baseline"), t))
    sections = {(c.get("page"), c.get("paragraph")): c.get("section") or "" for c in result.claims}
    fails = [(i, f) for i, f in enumerate(result.findings) if f.status in ("fail", "error")]
    body.append(f'<h2 id="findings">{t["findings"]} ({len(fails)})</h2>')
    if not fails:
        body.append(f"<p>{t['none']}</p>")
    else:
        body.append(f'<p class="legend">{t["legend"]}</p>')
    h = hints(result, options)
    pages = renderer(options)
    groups: dict[str, list[str]] = {}
    order = {"error": 0, "warning": 1, "info": 2}
    for n, (i, f) in enumerate(sorted(fails, key=lambda p: (order.get(p[1].severity, 3), p[0]))):
        crops = pages.finding_crops(f.locations) if n < MAX_CROPS and options.get("images", True) else []
        groups.setdefault(_group(f, sections, t), []).append(_finding_html(i, f, h.get(i), crops, lang, t))
    for name, items in groups.items():
        body.append(f"<h3>{escape(name)}</h3>")
        body.extend(items)
    body.append(_ledger(result, t))
    return _page(title, "\n".join(body), lang)


def _baseline_html(report: Any, t: dict[str, Any]) -> str:
    if report is None:
        return ""
    stale = "".join(f"<li>{escape(e.get('check_id', ''))} {escape(e.get('where', ''))} {escape(e.get('message', ''))}</li>" for e in report.stale)
    return (
        f'<h2>{t["baseline"]}</h2><p>{t["suppressed"]}：{report.suppressed}；{t["stale"]}：{len(report.stale)}</p>'
        + (f"<ul>{stale}</ul>" if stale else "")
    )


def _ledger(result: AuditResult, t: dict[str, Any]) -> str:
    out = [f'<h2 id="ledger">{t["ledger"]}</h2>']
    s, c = result.stats(), result.coverage()
    out.append(
        f"<p>{t['check']}：{s['checks']}（{t['o']['pass']} {s['passed']} · {t['o']['fail']} {s['failed']} · "
        f"{t['o']['skipped']} {s['skipped']} · {t['o']['error']} {s['errors']}）；{t['tables']}：{c['tables_recognised']}/{c['tables_total']}；"
        f"{t['claims']}：{c['claims_verified']}/{c['claims_total']}（{c['claim_coverage_pct']}%）</p>"
    )
    rows = "".join(
        f'<tr><td>{escape(o.check_id)}</td><td>{escape(o.title)}</td><td class="o-{o.status}">{t["o"].get(o.status, o.status)}</td>'
        f"<td>{escape(', '.join(f'{k} {v}' for k, v in sorted(o.counts.items())))}</td><td>{escape('；'.join(o.reasons))}</td></tr>"
        for o in result.outcomes
    )
    out.append(f'<table id="checks"><tr><th>{t["check"]}</th><th></th><th>{t["outcome"]}</th><th>{t["counts"]}</th><th>{t["reasons"]}</th></tr>{rows}</table>')
    out.append(f"<h3>{t['tables']}</h3>")
    rows = "".join(
        f"<tr><td>{escape(tb['id'])}</td><td>{escape(tb.get('title') or '')}</td><td>{escape(tb.get('role') or '—')}</td>"
        f"<td>{escape(', '.join(map(str, tb.get('pages') or [])))}</td><td>{escape(tb.get('unit') or '')}</td></tr>"
        for tb in result.tables
    )
    out.append(f'<table id="tables"><tr><th></th><th></th><th>{t["role"]}</th><th>{t["pages"]}</th><th>{t["unit"]}</th></tr>{rows}</table>')
    out.append(f"<h3>{t['claims']}</h3>")
    rows = "".join(
        f"<tr><td>{cl.get('page') or ''}</td><td>{escape(cl['text'])}</td>"
        f"<td>{escape(', '.join(cl['checked_by'])) or '<i>' + t['unverified'] + '</i>'}</td></tr>"
        for cl in result.claims
    )
    out.append(f'<table id="claims"><tr><th>{t["pages"]}</th><th></th><th>{t["checked_by"]}</th></tr>{rows}</table>')
    if result.extraction_notes:
        out.append(f"<h3>{t['notes']}</h3><ul>" + "".join(f"<li>{escape(n)}</li>" for n in result.extraction_notes) + "</ul>")
    return "\n".join(out)


def _slug(result: AuditResult, n: int) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(result.file).stem)[:80]
    return f"{n:03d}_{stem}.html"


def write_site(results: list[AuditResult], outdir: str, options: dict[str, Any] | None = None) -> str:
    """Write one page per document and ``index.html`` into ``outdir``; return the
    index path."""
    options = options or {}
    lang = options.get("lang", "zh")
    t = T[lang]
    os.makedirs(outdir, exist_ok=True)
    rows = []
    by_check: dict[str, int] = {}
    for n, r in enumerate(results, 1):
        name = _slug(r, n)
        Path(outdir, name).write_text(render(r, options), encoding="utf-8")
        st = r.status()
        m = r.meta
        rows.append(
            f'<tr><td><a href="{escape(name)}">{escape(" + ".join(os.path.basename(f) for f in r.files))}</a></td>'
            f"<td>{escape(m.get('department') or r.error or '')}</td><td>{escape(str(m.get('year') or ''))}</td>"
            f'<td><span class="badge {st}">{t["st"][st]}</span></td><td>{r.stats()["findings"]}</td></tr>'
        )
        for f in r.findings:
            if f.status == "fail":
                by_check[f.check_id] = by_check.get(f.check_id, 0) + 1
    counts = {s: sum(1 for r in results if r.status() == s) for s in ("pass", "warn", "fail", "unreadable")}
    body = [f"<h1>{t['index']}</h1>", "<p>" + " · ".join(f"{t['st'][k]} {v}" for k, v in counts.items()) + f"（{len(results)}）</p>"]
    body.append(f'<table id="documents"><tr><th>{t["file"]}</th><th>{t["dept"]}</th><th>{t["year"]}</th><th>{t["status"]}</th><th>{t["n"]}</th></tr>{"".join(rows)}</table>')
    if by_check:
        body.append(f"<h2>{t['by_check']}</h2><table>" + "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in sorted(by_check.items())) + "</table>")
    index = os.path.join(outdir, "index.html")
    Path(index).write_text(_page(t["index"], "\n".join(body), lang), encoding="utf-8")
    return index


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    """A single page with every document (used when no output directory is given)."""
    return "\n".join(render(r, options) for r in results)
