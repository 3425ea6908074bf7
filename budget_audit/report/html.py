"""HTML report: one self-contained file per document (no external resources), and for
a batch a directory with ``index.html`` linking one page per document.

A document's page lists the findings grouped by table (and, for prose, by section),
each with expected vs found, the fix hint when there is one, and a PNG crop of the
PDF page with the offending cells or sentence outlined (red: the finding's own cell;
blue: the cells it was compared with), embedded as base64. Findings one misprint
explains are one entry (``common.listed``): a headline naming the wrong cell, one
picture with that cell in red and the cells of its findings in blue, then the
findings in brief. Then the coverage ledger:
every check's outcome, the tables recognised, the prose numbers and which checks
verified them. Chinese by default; ``lang: en`` switches.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..findings import AuditResult, Finding
from ..model import Location
from ..recognise.lexicon import lexicon
from ..render_page import draw_findings_limited
from ..safeio import atomic_write
from ..textsafe import valid_unicode
from .common import (
    OUTCOME_WORDS,
    SEVERITY_WORDS,
    STATUS_WORDS,
    Entry,
    claim_coverage,
    labels,
    listed,
    message,
    skipped_outcomes,
)

MAX_CROPS = 150  # per document: beyond this, findings are listed without pictures

T: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "一致性检查报告", "doc": "文档", "dept": "部门", "year": "年度", "kind": "类型", "pages": "页数",
        "status": "结论", "findings": "发现的问题", "none": "未发现不一致。", "exp": "应为", "act": "实为",
        "hint": "修改建议", "ledger": "检查覆盖", "check": "检查", "outcome": "结果", "counts": "次数",
        "reasons": "原因", "tables": "表格", "role": "识别为", "unit": "单位", "claims": "正文数字",
        "checked_by": "核对的检查", "unverified": "未核对", "prose": "正文", "document": "文档整体",
        "index": "批量检查汇总", "file": "文件", "n": "问题数", "by_check": "按检查统计", "notes": "提取说明",
        "baseline": "基线", "suppressed": "已接受（基线中）的问题", "stale": "基线中已不再出现的条目",
        "changed": "基线中有、但金额已变的问题（作为新问题列出）", "accepted": "已接受的问题及说明",
        "legend": "红框：问题所在单元格或句子；蓝框：与之比较的单元格", "page": "第{}页",
        "applicable": "适用的检查 {} 项", "skipped_line": "另有 {} 项检查因缺少所需的表格或正文表述而跳过（加 --show-skipped 列出原因）",
        "skipped": "跳过的检查（{} 项）", "coverage": "覆盖（检查/正文）", "back": "← 返回汇总",
        "not_taken": "未检查的文件", "open_pdf": "打开原文", "not_disclosures": "未识别为预算/决算文件、未作核对的文档", "unrecognised_role": "未识别",
        "count": "{} 处，涉及 {} 项检查结果",
    },
    "en": {
        "title": "Consistency report", "doc": "Document", "dept": "Department", "year": "Year", "kind": "Kind",
        "pages": "Pages", "status": "Verdict", "findings": "Findings", "none": "No inconsistency found.",
        "exp": "Expected", "act": "Found", "hint": "Suggested fix", "ledger": "Coverage", "check": "Check",
        "outcome": "Outcome", "counts": "Counts", "reasons": "Reasons", "tables": "Tables", "role": "Role",
        "unit": "Unit", "claims": "Prose numbers", "checked_by": "Checked by", "unverified": "not verified",
        "prose": "Prose", "document": "Whole document",
        "index": "Batch summary", "file": "File", "n": "Findings", "by_check": "Findings by check",
        "notes": "Extraction notes", "baseline": "Baseline", "suppressed": "accepted findings (in the baseline)",
        "stale": "baseline entries that no longer occur", "changed": "baselined findings whose amounts changed (listed as new)",
        "accepted": "accepted findings and why", "legend": "Red: the offending cell or sentence; blue: the cells it was compared with",
        "page": "p. {}", "applicable": "{} applicable checks",
        "skipped_line": "{} more checks were skipped: a table or a statement they need is absent (--show-skipped lists why)",
        "skipped": "Skipped checks ({})", "coverage": "Coverage (checks/prose)", "back": "← back to the summary",
        "not_taken": "Files not checked", "open_pdf": "open the document", "not_disclosures": "Not budget documents, not checked", "unrecognised_role": "not recognised",
        "count": "{}, from {} failed comparisons",
    },
}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}h3{font-size:16px;color:#444}
.meta span{margin-right:18px}.badge{padding:2px 8px;border-radius:4px;color:#fff;font-weight:bold}
.pass{background:#2e7d32}.warn{background:#ef6c00}.fail{background:#c62828}.unreadable{background:#6a1b9a}
.insufficient,.unrecognised{background:#5d4037}.reason{color:#5d4037;margin:6px 0}.nav{margin-bottom:8px}
.finding{border:1px solid #ddd;border-left:6px solid #c62828;border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.warning{border-left-color:#ef6c00}.finding.info{border-left-color:#1565c0}
.fid{font-weight:bold;margin-right:8px}.where{color:#555}.msg{margin:6px 0}
.group .headline{font-size:15px;font-weight:bold;background:#fff8e1;border:1px solid #ffe082;padding:6px 8px}
.breaks{margin:8px 0 4px;color:#444}.members{margin:0;padding-left:22px}.member{margin:6px 0}
.member .msg{margin:2px 0}.member .ev{font-family:monospace;font-size:12px;color:#555}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;vertical-align:top}
th{background:#f3f3f3}.ev td{font-family:monospace}.hint{background:#fff8e1;border:1px solid #ffe082;padding:4px 8px;margin:6px 0}
img.crop{max-width:100%;border:1px solid #999;display:block;margin:6px 0}.legend{color:#666;font-size:12px}
.o-fail{color:#c62828}.o-pass{color:#2e7d32}.o-skipped{color:#777}.o-error{color:#6a1b9a}
@media print{body{margin:0;max-width:none}.finding,img.crop,tr{break-inside:avoid}.nav{display:none}}
"""


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def _heading(
    loc: Location | None, sections: dict[tuple[int | None, int | None], str], t: dict[str, Any], first: Location | None = None
) -> str:
    """The heading an entry is listed under: its table, or its prose section. ``first``
    (a finding's first location) decides prose over table when it is a sentence."""
    first = first if first is not None else loc
    if first is not None and not first.table and first.text:
        sec = sections.get((first.page, first.paragraph))
        return f"{t['prose']}：{sec}" if sec else t["prose"]
    if loc is not None and (loc.table_title or loc.table):
        return f"《{loc.table_title or loc.table}》"
    return t["document"]


def _href(path: str | None, page: int | None, options: dict[str, Any]) -> str | None:
    """A link from the report to the document (``file.pdf#page=N``), relative to where
    the report is written."""
    if not path:
        return None
    out = options.get("output")
    base = (out if options.get("site") else os.path.dirname(os.path.abspath(out))) if out else os.getcwd()
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base)).replace(os.sep, "/")
    href = quote(os.fsencode(rel))  # the name's bytes: a non-UTF-8 (GBK) name links too
    if page and path.lower().endswith(".pdf"):
        href += f"#page={page}"
    return href


def _where_html(f: Finding, lang: str, t: dict[str, Any], options: dict[str, Any]) -> str:
    if not f.locations:
        return ""
    loc = f.locations[0]
    where = escape(loc.describe(lang))
    href = _href(loc.file, loc.page, options)
    if href and loc.page is not None:
        label = escape(t["page"].format(loc.page))
        where = where.replace(label, f'<a href="{escape(href)}">{label}</a>', 1)
    return where


def _finding_html(n: int, f: Finding, hint: Any, crops: list[dict[str, Any]], lang: str, t: dict[str, Any], options: dict[str, Any]) -> str:
    where = _where_html(f, lang, t, options)
    sev = SEVERITY_WORDS[lang].get(f.severity, f.severity) if f.status == "fail" else OUTCOME_WORDS[lang]["error"]
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
    parts += _crops_html(crops, t, options)
    parts.append("</div>")
    return "\n".join(parts)


def _reason(result: AuditResult, lang: str) -> str:
    st = result.status()
    reason = result.status_reason() if st in ("unrecognised", "insufficient") else result.insufficient() if st in ("fail", "warn") else None
    return f'<p class="reason" id="reason">{escape(reason[0 if lang == "zh" else 1])}</p>' if reason else ""


def render(result: AuditResult, options: dict[str, Any] | None = None) -> str:
    options = options or {}
    lang = options.get("lang", "zh")
    t = T[lang]
    m = result.meta
    status = result.status()
    title = f"{t['title']} — {m.get('department') or os.path.basename(result.file)}"
    body = []
    if options.get("index_href"):
        body.append(f'<div class="nav"><a href="{escape(options["index_href"])}" id="back">{t["back"]}</a></div>')
    body += [f"<h1>{escape(title)}</h1>", '<div class="meta">']
    links = []
    for path in result.files:
        href = _href(path, None, options)
        links.append(f'<a href="{escape(href)}">{escape(path)}</a>' if href else escape(path))
    body.append(f"<span>{t['doc']}：{' + '.join(links)}</span>")
    for key, label in (("department", "dept"), ("year", "year"), ("kind", "kind"), ("pages", "pages")):
        if m.get(key) is not None:
            body.append(f"<span>{t[label]}：{escape(str((m.get('scope') or '') + m[key] if key == 'kind' else m[key]))}</span>")
    body.append(f'<span>{t["status"]}：<span class="badge {status}" id="status">{STATUS_WORDS[lang][status]}</span></span></div>')
    if result.error:
        body.append(f'<p class="error">{escape(result.error)}</p>')
        return _page(title, "\n".join(body), lang)
    body.append(_reason(result, lang))
    body.append(_baseline_html(options.get("baseline"), t))
    sections = {(c.get("page"), c.get("paragraph")): c.get("section") or "" for c in result.claims}
    entries = listed(result, options)
    n_findings = sum(len(e.items) for e in entries)
    count = str(len(entries)) if n_findings == len(entries) else t["count"].format(len(entries), n_findings)
    body.append(f'<h2 id="findings">{t["findings"]} ({count})</h2>')
    if not entries:
        body.append(f"<p>{t['none']}</p>")
    else:
        body.append(f'<p class="legend">{t["legend"]}</p>')
    sections_html: dict[str, list[str]] = {}
    # One list of locations per entry: a group's picture outlines the wrong cell (red)
    # and the cells of its findings (blue). Drawn in a limited child process
    # (render_page.py).
    where = [
        _unique([e.hint.location, *(loc for _, f in e.items for loc in f.locations)]) if e.group and e.hint else list(e.items[0][1].locations)
        for e in entries
    ]
    drawn = draw_findings_limited(where[:MAX_CROPS], limits=options.get("draw_limits")) if options.get("images", True) else []
    for n, e in enumerate(entries):
        crops = drawn[n] if n < len(drawn) else []
        if e.group:
            assert e.hint is not None
            key = _heading(e.hint.location, sections, t)
            sections_html.setdefault(key, []).append(_group_html(n, e, crops, lang, t, options))
            continue
        (i, f), hint = e.items[0], e.hint
        first = f.locations[0] if f.locations else None
        key = _heading(next((loc for loc in f.locations if loc.table_title or loc.table), first), sections, t, first)
        sections_html.setdefault(key, []).append(_finding_html(i, f, hint, crops, lang, t, options))
    for name, items in sections_html.items():
        body.append(f"<h3>{escape(name)}</h3>")
        body.extend(items)
    body.append(_ledger(result, t, options))
    return _page(title, "\n".join(body), lang)


def _unique(locs: list[Location]) -> list[Location]:
    """Locations without repeats (the same cell named by several findings)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for loc in locs:
        key = (loc.file, loc.page, loc.table, loc.row, loc.column, loc.paragraph, loc.text, loc.bbox)
        if key not in seen:
            seen.add(key)
            out.append(loc)
    return out


def _group_html(n: int, e: Entry, crops: list[dict[str, Any]], lang: str, t: dict[str, Any], options: dict[str, Any]) -> str:
    """A misprint and the findings it explains: the headline names the wrong cell
    (linked to its page), one picture outlines it in red and the cells of the
    findings in blue, then each finding in brief."""
    assert e.hint is not None
    loc = e.hint.location
    headline = escape(e.headline(lang))
    href = _href(loc.file, loc.page, options)
    if href and loc.page is not None:
        label = escape(t["page"].format(loc.page))
        headline = headline.replace(label, f'<a href="{escape(href)}">{label}</a>', 1)
    sev = SEVERITY_WORDS[lang].get(e.severity, e.severity)
    checks = " ".join(f.check_id for _, f in e.items)
    parts = [
        f'<div class="finding group {escape(e.severity)}" id="g{n}" data-checks="{escape(checks)}">',
        f'<div class="headline"><span class="fid">{escape(sev)}</span>{headline}</div>',
    ]
    parts += _crops_html(crops, t, options)
    parts.append(f'<div class="breaks">{escape(e.breaks(lang))}</div><ol class="members">')
    for i, f in e.items:
        ev = ""
        if f.expected is not None or f.actual is not None:
            ev = f'<div class="ev">{t["exp"]} {escape(f.expected or "")} · {t["act"]} {escape(f.actual or "")}</div>'
        parts.append(
            f'<li class="member" id="f{i}" data-check="{escape(f.check_id)}"><span class="fid">{escape(f.check_id)}</span>'
            f'<span class="where">{_where_html(f, lang, t, options)}</span>'
            f'<div class="msg">{escape(message(f, lang))}</div>{ev}</li>'
        )
    parts.append("</ol></div>")
    return "\n".join(parts)


def _crops_html(crops: list[dict[str, Any]], t: dict[str, Any], options: dict[str, Any]) -> list[str]:
    out = []
    for c in crops:
        alt = f"{os.path.basename(c['file'])} {t['page'].format(c['page'])}"
        img = (
            f'<img class="crop" data-page="{c["page"]}" data-boxes="{c["boxes"]}" alt="{escape(alt)}" '
            f'src="data:image/png;base64,{c["png"]}">'
        )
        href = _href(c["file"], c["page"], options)
        out.append(f'<a href="{escape(href)}">{img}</a>' if href else img)
    return out


def _baseline_html(report: Any, t: dict[str, Any]) -> str:
    if report is None:
        return ""
    stale = "".join(f"<li>{escape(e.get('check_id', ''))} {escape(e.get('where', ''))} {escape(e.get('message', ''))}</li>" for e in report.stale)
    out = [f'<h2>{t["baseline"]}</h2><p>{t["suppressed"]}：{report.suppressed}；{t["stale"]}：{len(report.stale)}']
    changed = getattr(report, "changed", [])
    if changed:
        out.append(f"；{t['changed']}：{len(changed)}")
    out.append("</p>")
    if stale:
        out.append(f"<ul>{stale}</ul>")
    reasons = [e for e in getattr(report, "accepted", []) if e.get("说明")]
    if reasons:
        out.append(f'<h3>{t["accepted"]}</h3><table id="accepted">' + "".join(
            f"<tr><td>{escape(e.get('check_id', ''))}</td><td>{escape(e.get('where', ''))}</td><td>{escape(e['说明'])}</td></tr>"
            for e in reasons
        ) + "</table>")
    return "".join(out)


def _ledger(result: AuditResult, t: dict[str, Any], options: dict[str, Any]) -> str:
    lang = options.get("lang", "zh")
    o = OUTCOME_WORDS[lang]
    out = [f'<h2 id="ledger">{t["ledger"]}</h2>']
    s, c = result.stats(), result.coverage()
    out.append(
        f"<p>{t['applicable'].format(s['checks'])}（{o['pass']} {s['passed']} · {o['fail']} {s['failed']} · "
        f"{o['error']} {s['errors']}）；{t['tables']}：{c['tables_recognised']}/{c['tables_total']}；"
        f"{t['claims']}：{escape(claim_coverage(c, lang))}</p>"
    )
    skipped = skipped_outcomes(result)
    if skipped and not options.get("show_skipped"):
        out.append(f'<p id="skipped-count">{t["skipped_line"].format(len(skipped))}</p>')
    ran = [x for x in result.outcomes if x.status != "skipped"]
    rows = "".join(
        f'<tr><td>{escape(x.check_id)}</td><td>{escape(x.title)}</td><td class="o-{x.status}">{o.get(x.status, x.status)}</td>'
        f"<td>{escape(', '.join(f'{o.get(k, k)} {v}' for k, v in sorted(x.counts.items())))}</td></tr>"
        for x in ran
    )
    out.append(f'<table id="checks"><tr><th>{t["check"]}</th><th></th><th>{t["outcome"]}</th><th>{t["counts"]}</th></tr>{rows}</table>')
    if skipped and options.get("show_skipped"):
        rows = "".join(
            f"<tr><td>{escape(x.check_id)}</td><td>{escape(x.title)}</td><td>{escape('；'.join(x.reasons))}</td></tr>"
            for x in skipped
        )
        out.append(f'<h3>{t["skipped"].format(len(skipped))}</h3><table id="skipped"><tr><th>{t["check"]}</th><th></th><th>{t["reasons"]}</th></tr>{rows}</table>')
    out.append(f"<h3>{t['tables']}</h3>")
    lx = lexicon()
    rows = "".join(
        f"<tr><td>{escape(tb['id'])}</td><td>{escape(tb.get('title') or '')}</td>"
        f"<td>{escape(lx.role_zh(tb['role']) if tb.get('role') and lang == 'zh' else tb.get('role') or t['unrecognised_role'])}</td>"
        f"<td>{escape(', '.join(map(str, tb.get('pages') or [])))}</td><td>{escape(tb.get('unit') or '')}</td></tr>"
        for tb in result.tables
    )
    out.append(f'<table id="tables"><tr><th></th><th></th><th>{t["role"]}</th><th>{t["pages"]}</th><th>{t["unit"]}</th></tr>{rows}</table>')
    if result.claims:
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


def write_site(results: Sequence[AuditResult], outdir: str, options: dict[str, Any] | None = None) -> str:
    """Write one page per document and ``index.html`` into ``outdir``; return the
    index path. Each page links back to the index and to its document's pages."""
    options = dict(options or {}, output=outdir, site=True, index_href="index.html")
    lang = options.get("lang", "zh")
    t = T[lang]
    words = STATUS_WORDS[lang]
    os.makedirs(outdir, exist_ok=True)
    rows = []
    counts = dict.fromkeys(words, 0)
    by_check: dict[str, list[Any]] = {}
    not_disclosures: list[tuple[str, str]] = []
    for n, (r, label) in enumerate(zip(results, labels(results), strict=True), 1):  # one pass
        name = _slug(r, n)
        atomic_write(os.path.join(outdir, name), valid_unicode(render(r, options)))
        st = r.status()
        counts[st] += 1
        if st == "unrecognised":
            not_disclosures.append((name, label))
        for f in r.findings:
            if f.status == "fail":
                by_check.setdefault(f.check_id, [0, f.title])[0] += 1
        m = r.meta
        cov = ""
        if not r.error:
            c = r.coverage()
            cov = f"{c['checks_evaluated']}/{c['checks_total']} · " + ("—" if c["claim_coverage_pct"] is None else f"{c['claim_coverage_pct']}%")
        rows.append(
            f'<tr><td><a href="{escape(name)}">{escape(label)}</a></td>'
            f"<td>{escape(m.get('department') or r.error or '')}</td><td>{escape(str(m.get('year') or ''))}</td>"
            f'<td><span class="badge {st}">{words[st]}</span></td><td>{r.stats()["findings"]}</td><td>{escape(cov)}</td></tr>'
        )
    body = [f"<h1>{t['index']}</h1>", "<p>" + " · ".join(f"{words[k]} {v}" for k, v in counts.items() if v) + f"（{len(results)}）</p>"]
    body.append(
        f'<table id="documents"><tr><th>{t["file"]}</th><th>{t["dept"]}</th><th>{t["year"]}</th><th>{t["status"]}</th>'
        f'<th>{t["n"]}</th><th>{t["coverage"]}</th></tr>{"".join(rows)}</table>'
    )
    if by_check:
        body.append(f'<h2>{t["by_check"]}</h2><table id="by-check">' + "".join(
            f"<tr><td>{v[0]}</td><td>{escape(k)}</td><td>{escape(v[1])}</td></tr>"
            for k, v in sorted(by_check.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ) + "</table>")
    if not_disclosures:
        body.append(f'<p id="not-disclosures">{t["not_disclosures"]} ({len(not_disclosures)}): ' + ", ".join(
            f'<a href="{escape(name)}">{escape(label)}</a>' for name, label in not_disclosures
        ) + "</p>")
    not_taken = options.get("not_taken") or []
    if not_taken:
        body.append(f'<h2>{t["not_taken"]} ({len(not_taken)})</h2><table id="not-taken">' + "".join(
            f"<tr><td>{escape(f)}</td><td>{escape(why)}</td></tr>" for f, why in not_taken
        ) + "</table>")
    index = os.path.join(outdir, "index.html")
    atomic_write(index, valid_unicode(_page(t["index"], "\n".join(body), lang)))
    return index


def render_scan(results: list[AuditResult], options: dict[str, Any] | None = None) -> str:
    """A single page with every document (used when no output directory is given)."""
    return "\n".join(render(r, options) for r in results)
