"""Regenerate ``samples/``: the seed document, its PDF, and single-change variants.

Owned by scripts/ (a dev tool). Writes, from scratch every run:
- ``samples/xuchang_2021_budget.txt`` (the seed, byte for byte) and ``.pdf``;
- ``samples/variants/<NN>_<slug>.txt`` and ``.pdf``: each variant is the seed with a few
  precise textual edits (``VARIANTS`` below, kept as data). ``defect`` variants break one
  identity of shared/DOMAIN.md; ``benign`` ones change the form only and must raise no
  new finding. Every literal edit must match exactly once in its scope, so a change of
  the seed cannot silently turn a variant into a no-op;
- ``samples/manifest.yaml``: the edits exactly as applied, the identity broken and the
  check id expected to catch it (CATCH below).

Usage: python scripts/make_samples.py [--seed PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "scripts")]

from render_pdf import render_text  # noqa: E402

from budget_audit.ingest.text import ingest_text  # noqa: E402

SEED = "/work/shared/seed/000_a167f297cab5557d.txt"
OUT = os.path.join(ROOT, "samples")
BASE = "xuchang_2021_budget"

# Table titles used to scope edits to one table (the title line, not the 目录 entry).
T_INCOME = "2021年部门收入总体情况表"
T_SPEND = "2021年部门支出总体情况表"
T_GPB = "2021年一般公共预算支出表"
T_ECON = "2021年支出预算分类汇总表（按支出经济分类）"
T_SANGONG = "2021年一般公共预算“三公”经费支出情况表"

# The row of 2021年一般公共预算支出表 before which the benign page-break variants break.
BREAK_ROW = "201\t03\t50\t\t其他社会保障缴费\t98\t"

_FW = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def fw(s: str) -> str:
    """Full-width form of the digits, point and percent sign in ``s``."""
    return s.translate(_FW)


def edit(frm: str, to: str, where: str, **scope: Any) -> dict[str, Any]:
    """One edit. ``table=`` limits it to one table; ``line=True`` matches a whole line;
    ``regex=True`` replaces every match (on table lines only) instead of exactly one."""
    return {"from": frm, "to": to, "where": where, **scope}


def header_lines(text: str, title: str, n: int) -> str:
    """The first ``n`` rows of the table titled ``title``, newline-terminated."""
    start, end = table_span(text, title)
    rows = [ln for ln in text[start:end].split("\n") if "\t" in ln]
    return "".join(r + "\n" for r in rows[:n])


def defect(
    vid: str, slug: str, breaks: str, also: list[str], *edits: dict[str, Any]
) -> dict[str, Any]:
    """A variant that must be caught: ``breaks`` is the identity (DOMAIN.md wording);
    ``also`` lists the other findings the same edit legitimately causes."""
    return {"id": vid, "slug": slug, "kind": "defect", "breaks": breaks, "also_breaks": also,
            "edits": list(edits)}


def benign(vid: str, slug: str, *edits: dict[str, Any]) -> dict[str, Any]:
    """A variant of form only: it must raise no finding the seed does not raise."""
    return {"id": vid, "slug": slug, "kind": "benign", "breaks": None, "also_breaks": [],
            "edits": list(edits)}


def variants(seed: str) -> list[dict[str, Any]]:
    """The variant set, as data. Adding a variant is one entry."""
    t5_header = header_lines(seed, T_GPB, 3)
    return [
        defect("01", "leaf_cell",
               "款 = Σ 项 below it (款 03 合计 146,092 ≠ 131,065 + 15,036); and the total column "
               "合计 = 基本支出 + 项目支出 on the 行政运行 row (131,065 ≠ 131,056 + 0)",
               ["行政运行 differs from the same quantity in 收入总表 / 基本支出表"],
               edit("行政运行\t131,056\t", "行政运行\t131,065\t",
                    f"{T_SPEND}, row 201 03 01 行政运行, column 合计", table=T_SPEND)),
        defect("02", "subtotal_kuan",
               "款 = Σ 项 below it (146,029 ≠ 131,056 + 15,036) and "
               "类 = Σ 款 (146,174 ≠ 146,029 + 82)",
               ["合计 = component columns on that row (146,029 ≠ 146,092)",
                "款 03 differs from the same quantity in the other tables"],
               edit("政府办公厅（室）及相关机构事务\t146,092\t",
                    "政府办公厅（室）及相关机构事务\t146,029\t",
                    f"{T_INCOME}, 款 row 03 政府办公厅（室）及相关机构事务, column 合计",
                    table=T_INCOME)),
        defect("03", "grand_total_one_table",
               "合计 row = sum of the rows it covers (155,430 ≠ 146,174 + 5,913 + 3,316); "
               "the same grand total is equal in every table",
               ["合计 = component columns on the 合计 row (155,430 ≠ 155,403)",
                "prose 一般公共预算支出预算1554.03万元 vs this table"],
               edit("合计\t155,403\t", "合计\t155,430\t", f"{T_GPB}, 合计 row, column 合计",
                    table=T_GPB)),
        defect("04", "prose_amount",
               "every amount claimed in the prose equals the table quantity it names "
               "(支出总计 1545.03 万元 vs 155,403 百元)",
               ["收入总计 = 支出总计 in the same sentence",
                "支出增加1183.9万元，增长319.86% no longer recomputes from 1545.03"],
               edit("支出总计 1554.03 万元", "支出总计 1545.03 万元",
                    "第二部分 一、收入支出预算总体情况说明")),
        defect("05", "share_percent", "shares recompute (1461.74 / 1554.03 = 94.06%, not 96.04%)",
               [], edit("占94.06%", "占96.04%", "第二部分 五、一般公共预算支出预算情况说明")),
        defect("06", "growth_percent",
               "changes recompute (增加3.42万元 to 9.15万元: 3.42 / 5.73 = 59.69%, not 56.99%)",
               [], edit("增长59.69%", "增长56.99%", "第二部分 八、“三公”经费支出预算情况说明")),
        defect("07", "direction_word",
               "changes agree in direction (增加 needs a positive change; the same clause says "
               "下降33.53%)",
               ["增加0.58万元 implies last year 0.57万元, and 0.58 / 0.57 ≠ 33.53%"],
               edit("减少0.58万元", "增加0.58万元", "第二部分 八、（三）公务接待费")),
        defect("08", "sangong_table_total",
               "三公 table: 合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费 "
               "(951 ≠ 0 + 115 + 800)",
               ["prose “三公”经费预算为9.15万元 vs table 共计 951 百元"],
               edit("共计\t915", "共计\t951", f"{T_SANGONG}, row 共计", table=T_SANGONG)),
        defect("09", "sangong_prose_part",
               "every amount claimed in the prose equals the table quantity it names "
               "(公务接待费 1.25 万元 vs 115 百元 in the 三公 table)",
               ["prose 三公 parts 0 + 8 + 1.25 ≠ total 9.15",
                "减少0.58万元，下降33.53% no longer recomputes from 1.25"],
               edit("公务接待费1.15万元", "公务接待费1.25万元", "第二部分 八、（三）")),
        defect("10", "staffing", "staffing sums: 编制 = 行政编制 + 事业编制 (34 ≠ 18 + 15)",
               ["行政编制 = 公务员编制 + 工勤编制 (18 ≠ 19 + 0)"],
               edit("行政编制19名", "行政编制18名", "第一部分 四、人员构成")),
        defect("11", "count_offices",
               "“设下列N个内设科室” = the number of names listed (8 stated, 7 listed)",
               [], edit("设下列7个内设科室", "设下列8个内设科室", "第一部分 二、机构设置")),
        defect("12", "year_in_title",
               "the year is the same in the cover, headings and table titles (2020 in one title)",
               ["目录 entry 三、2021年部门支出总体情况表 no longer appears under the same title"],
               edit(T_SPEND, "2020年部门支出总体情况表",
                    "title line of table 3 (not the 目录 entry)", line=True)),
        defect("13", "personnel_cost_prose",
               "derived claim 人员经费 = 工资福利支出 + 对个人和家庭的补助 "
               "(740.09 + 20.86 = 760.95, not 706.95)",
               ["人员经费 + 日常运转经费 ≠ 基本支出 1554.03"],
               edit("人员经费760.95万元", "人员经费706.95万元",
                    "第二部分 六、一般公共预算基本支出预算情况说明")),
        defect("14", "econ_class_cell",
               "合计 row = sum of the rows it covers, in its 3 amount columns "
               "(Σ rows = 155,583 ≠ 155,403)",
               ["租赁费 66,310 ≠ 66,130 in 一般公共预算支出表; Σ 302 ≠ 商品和服务支出 79,308"],
               edit("302\t14\t商品和服务支出\t502\t01\t办公经费\t66,130\t66,130\t66,130\t",
                    "302\t14\t商品和服务支出\t502\t01\t办公经费\t66,310\t66,310\t66,310\t",
                    f"{T_ECON}, row 302 14 / 502 01, all three amount cells "
                    "(the row itself stays consistent)", table=T_ECON)),
        benign("15", "no_thousands_separators",
               edit(r"(?<=\d),(?=\d{3}\b)", "", "every table cell", regex=True)),
        benign("16", "table_page_break",
               edit("\n" + BREAK_ROW, "\n\f" + BREAK_ROW,
                    f"{T_GPB}: form feed before row 201 03 50 其他社会保障缴费 "
                    "(inside the 事业运行 detail rows)", table=T_GPB)),
        benign("17", "share_trailing_zero",
               edit("占3.8%", "占3.80%", "第二部分 五、社会保障和就业支出")),
        benign("18", "fullwidth_digits",
               edit("收入总计 1554.03 万元", f"收入总计 {fw('1554.03')} 万元", "第二部分 一、"),
               edit("一般公共服务支出1461.74万元，占94.06%",
                    f"一般公共服务支出{fw('1461.74')}万元，占{fw('94.06%')}", "第二部分 五、"),
               edit("人员经费760.95万元", f"人员经费{fw('760.95')}万元", "第二部分 六、"),
               edit("预算为9.15万元，比2020年增加3.42万元",
                    f"预算为{fw('9.15')}万元，比{fw('2020')}年增加{fw('3.42')}万元",
                    "第二部分 八、")),
        benign("19", "header_repeated_after_break",
               edit("\n" + BREAK_ROW, "\n\f" + t5_header + BREAK_ROW,
                    f"{T_GPB}: form feed, then its 3 header rows repeated, before row "
                    "201 03 50 其他社会保障缴费", table=T_GPB)),
        benign("20", "prose_thousands_separator",
               edit("收入合计 1554.03 万元", "收入合计 1,554.03 万元",
                    "第二部分 二、收入预算总体情况说明")),
    ]


def table_span(text: str, title: str) -> tuple[int, int]:
    """Character span from the title line of a table to the end of its rows."""
    starts = [m.start() for m in re.finditer(rf"(?m)^{re.escape(title)}$", text)]
    if len(starts) != 1:
        raise SystemExit(f"make_samples: table title {title!r} found {len(starts)} times")
    pos, seen_rows = starts[0], False
    for line in text[pos:].split("\n"):
        if "\t" in line:
            seen_rows = True
        elif seen_rows:
            break
        pos += len(line) + 1
    return starts[0], min(pos, len(text))


def apply_edit(text: str, e: dict[str, Any], vid: str) -> tuple[str, int]:
    """Apply one edit; return the new text and the number of replacements made."""
    start, end = table_span(text, e["table"]) if "table" in e else (0, len(text))
    seg = text[start:end]
    if e.get("regex"):
        lines = seg.split("\n")
        count = 0
        for i, line in enumerate(lines):
            if "\t" in line:
                lines[i], n = re.subn(e["from"], e["to"], line)
                count += n
        new = "\n".join(lines)
        if count == 0:
            raise SystemExit(f"make_samples: variant {vid}: regex {e['from']!r} matched nothing")
    else:
        pattern = rf"(?m)^{re.escape(e['from'])}$" if e.get("line") else re.escape(e["from"])
        count = len(re.findall(pattern, seg))
        if count != 1:
            raise SystemExit(f"make_samples: variant {vid}: {e['from']!r} matched {count} times"
                             f" in {e.get('table', 'the text')} (expected exactly once)")
        new = re.sub(pattern, lambda _m: e["to"], seg)
    return text[:start] + new + text[end:], count


def check_structure(seed: str, text: str, vid: str) -> None:
    """A variant must parse like the seed: same tables (titles aside) and paragraphs."""
    a, b = ingest_text(seed, "seed"), ingest_text(text, vid)
    extra_rows = 3 if vid == "19" else 0  # the repeated header rows
    if (len(a.tables), len(a.paragraphs)) != (len(b.tables), len(b.paragraphs)) or \
            sum(len(t.rows) for t in a.tables) + extra_rows != sum(len(t.rows) for t in b.tables):
        raise SystemExit(f"make_samples: variant {vid} no longer parses like the seed")


def write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def _render(job: tuple[str, str]) -> str:
    txt, pdf = job
    with open(txt, encoding="utf-8") as fh:
        render_text(fh.read(), pdf, os.path.basename(txt))
    return pdf


# The check aimed at each defect (rules/*.yaml); tests/test_samples.py asserts it fires.
CATCH = {
    "01": "YS-121",  # 支出总表: 款 = Σ 项
    "02": "YS-111",  # 收入总表: 类 = Σ 款, 款 = Σ 项
    "03": "YS-203",  # 一般公共预算支出表 合计 vs 财政拨款收支总表
    "04": "YS-302",  # prose 支出总计 vs 收支总表
    "05": "GEN-401",  # share recomputes
    "06": "GEN-402",  # growth recomputes
    "07": "GEN-403",  # direction words agree
    "08": "YS-171",  # 三公 table: 合计 = Σ parts
    "09": "YS-317",  # prose 公务接待费 vs 三公 table
    "10": "GEN-502",  # staffing breakdown
    "11": "GEN-501",  # listed count of 内设科室
    "12": "GEN-601",  # year in a table title
    "13": "YS-310",  # prose 人员经费 vs 基本支出表
    "14": "YS-161",  # 经济分类汇总表: 合计 = Σ rows
}


def build(seed: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Apply every variant's edits to the seed: (file stem, text, manifest entry) each.
    Nothing is written until every variant has been built and checked."""
    out = []
    for v in variants(seed):
        text, changes = seed, []
        for e in v["edits"]:
            text, count = apply_edit(text, e, v["id"])
            changes.append({k: e[k] for k in ("from", "to", "where")}
                           | ({"regex": True, "count": count} if e.get("regex") else {}))
        if text == seed:
            raise SystemExit(f"make_samples: variant {v['id']} is a no-op")
        check_structure(seed, text, v["id"])
        stem = f"variants/{v['id']}_{v['slug']}"
        out.append((stem, text, {
            "id": v["id"], "file": f"{stem}.txt", "pdf": f"{stem}.pdf", "kind": v["kind"],
            "changes": changes, "breaks": v["breaks"], "also_breaks": v["also_breaks"],
            "catch": CATCH[v["id"]] if v["kind"] == "defect" else None}))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", default=SEED)
    args = ap.parse_args()
    with open(args.seed, "rb") as fh:
        raw = fh.read()
    built = build(raw.decode("utf-8"))
    vdir = os.path.join(OUT, "variants")
    os.makedirs(vdir, exist_ok=True)
    for name in os.listdir(vdir):  # regenerate everything: drop stale variants
        if name.endswith((".txt", ".pdf")):
            os.remove(os.path.join(vdir, name))
    write(os.path.join(OUT, f"{BASE}.txt"), raw)
    stems = [BASE] + [stem for stem, _, _ in built]
    for stem, text, _ in built:
        write(os.path.join(OUT, f"{stem}.txt"), text.encode("utf-8"))
    jobs = [(os.path.join(OUT, f"{s}.txt"), os.path.join(OUT, f"{s}.pdf")) for s in stems]
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(_render, jobs))
    manifest = {
        "seed": {"file": f"{BASE}.txt", "pdf": f"{BASE}.pdf",
                 "source": os.path.basename(args.seed), "sha256": hashlib.sha256(raw).hexdigest()},
        "variants": [entry for _, _, entry in built],
    }
    header = "# Generated by scripts/make_samples.py; do not edit by hand.\n"
    write(os.path.join(OUT, "manifest.yaml"), (header + yaml.safe_dump(
        manifest, allow_unicode=True, sort_keys=False, width=100)).encode("utf-8"))
    for path in [j for pair in jobs for j in pair] + [os.path.join(OUT, "manifest.yaml")]:
        print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
