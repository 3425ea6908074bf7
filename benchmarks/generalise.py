"""Generalisation benchmark (issue 10 item 6): does the tool read layouts it was not tuned on?

Over every document of ``../shared/corpus`` (a text/tables pair is one document), per
city (from the file name: ``beijing_…``, ``js_…`` = 江苏省, ``sh_…`` = 上海 districts):

* ``docs``        publications audited (refused files counted apart);
* ``err`` / ``warn``  fail findings of severity error / warning that are *not* in the
  verified list (``tests/corpus_verified.py``): each one is a false alarm or a genuine
  inconsistency still to be verified; ``verified`` the fail findings that are listed;
* ``tables``      tables recognised (a role, structure understood) / all tables;
* ``not underst.`` tables whose arithmetic could not be explained by a small edit: a
  recognition miss, never an error finding;
* ``prose``       prose numbers verified by some check / all prose numbers (numbers in
  the description of work targets, ``scope.narrative``, are not figures of the budget
  and are counted apart, ``narr.``);
* ``--shapes N``  per city, the N most frequent *shapes* of the prose numbers no check
  verified (the clause before the number with digits, years and enumeration marks
  generalised, and its unit), so the next rule to write is visible (issue 11 item 7).

Leave-one-city-out: ``--holdout CITY`` runs everything but prints, for the held-out
city, only its figures (no findings), so that a change is judged on it the way the
held-aside documents will judge it. ``--save FILE`` writes the per-city figures;
``--compare FILE`` prints the change against such a file per city, and with
``--worked-on CITY,…`` separates the cities a change was developed on from the rest:
a change that only helps the cities you looked at is a special case.

Usage::

    python benchmarks/generalise.py [--jobs 2] [--city shenzhen] [--holdout xian]
        [--save before.json] [--compare before.json --worked-on shenzhen] [--findings]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from budget_audit.rulebook import load  # noqa: E402
from budget_audit.scan import audit_safely, discover  # noqa: E402
from tests.corpus_verified import expected, pending, refused  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
PREFIX_CITY = {"js": "jiangsu", "sh": "shanghai", "national": "template"}


def city_of(name: str) -> str:
    head = name.split("_", 1)[0]
    return PREFIX_CITY.get(head, head)


def _audit(paths: list[str]) -> dict[str, Any]:
    book = _book()
    r = audit_safely(paths, book)
    name = Path(paths[0]).name
    fails = [
        {"check": f.check_id, "severity": f.severity, "message": f.message}
        for f in r.findings
        if f.status == "fail"
    ]
    tables = r.tables
    return {
        "name": name,
        "error": r.error,
        "fails": fails,
        "tables": len(tables),
        "recognised": sum(1 for t in tables if t.get("role") and t.get("structure", "ok") == "ok"),
        "not_understood": [
            {"id": t["id"], "title": t.get("title"), "reason": t.get("structure_reason")}
            for t in tables
            if t.get("structure", "ok") != "ok"
        ],
        "claims": sum(1 for c in r.claims if not _narrative(c)),
        "claims_verified": sum(1 for c in r.claims if c.get("checked_by") and not _narrative(c)),
        "narrative": sum(1 for c in r.claims if _narrative(c)),
        "shapes": dict(Counter(shape(c) for c in r.claims if not c.get("checked_by") and not _narrative(c))),
        "seconds": sum(r.timings.values()) / 1000 if r.timings else 0,
    }


def _narrative(claim: dict[str, Any]) -> bool:
    return bool(claim.get("scope", {}).get("narrative"))


_ENUM = re.compile(r"^([(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．](?!\d))")


def shape(claim: dict[str, Any]) -> str:
    """A prose number's sentence shape: the last words before it, generalised.

    "(二)2026年预算数28.00万元" → "…Y年预算数#万元"; "行政运行(2011301)2093.85万元" →
    "…运行(#)#万元". The subject's words are kept (up to six characters): shapes group
    the numbers one rule could read.
    """
    text = claim.get("text", "")
    m = re.search(r"(\d[\d,.]*)(\D*)$", text)
    unit = m.group(2) if m else ""
    phrase = text[: m.start()] if m else text
    phrase = _ENUM.sub("", phrase)
    phrase = re.sub(r"(19|20)\d{2}年度?", "Y年", phrase)
    phrase = re.sub(r"\d+(\.\d+)?", "#", phrase)
    return f"…{phrase[-6:]}#{unit}"


_BOOK = None


def _book():  # noqa: ANN202
    global _BOOK
    if _BOOK is None:
        _BOOK = load()
    return _BOOK


def _unverified(doc: dict[str, Any]) -> tuple[list[dict], int]:
    """The fail findings beyond the verified list, and how many were verified."""
    allowed = Counter(expected(doc["name"]))
    extra: list[dict] = []
    verified = 0
    for f in doc["fails"]:
        if allowed[f["check"]] > 0:
            allowed[f["check"]] -= 1
            verified += 1
        else:
            extra.append(f)
    return extra, verified


def figures(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    per: dict[str, dict[str, Any]] = defaultdict(Counter)  # type: ignore[arg-type]
    for doc in docs:
        c = per[city_of(doc["name"])]
        if doc["error"]:
            c["refused" if refused(doc["name"]) else "unreadable"] += 1
            continue
        extra, verified = _unverified(doc)
        c["docs"] += 1
        c["err"] += sum(1 for f in extra if f["severity"] == "error")
        c["warn"] += sum(1 for f in extra if f["severity"] != "error")
        c["docs_with_err"] += any(f["severity"] == "error" for f in extra)
        c["verified"] += verified
        c["tables"] += doc["tables"]
        c["recognised"] += doc["recognised"]
        c["not_understood"] += len(doc["not_understood"])
        c["claims"] += doc["claims"]
        c["claims_verified"] += doc["claims_verified"]
        c["narrative"] += doc.get("narrative", 0)
        c["pending"] += pending(doc["name"])
    total: Counter = Counter()
    for c in per.values():
        total.update(c)
    out = {city: dict(c) for city, c in sorted(per.items())}
    out["ALL"] = dict(total)
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "   n/a"


def print_table(fig: dict[str, dict[str, Any]], hidden: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    head = f"{'city':<11}{'docs':>5}{'err':>6}{'/10doc':>7}{'warn':>6}{'verif':>6}{'tables':>13}{'recog':>8}{'not und':>8}{'prose':>13}{'verif':>8}{'narr.':>6}"
    print(head)
    print("-" * len(head))
    for city, c in fig.items():
        docs = c.get("docs", 0)
        mark = " (held out)" if city in hidden else ""
        print(
            f"{city:<11}{docs:>5}{c.get('err', 0):>6}"
            f"{(10 * c.get('err', 0) / docs if docs else 0):>7.1f}{c.get('warn', 0):>6}{c.get('verified', 0):>6}"
            f"{c.get('recognised', 0):>6}/{c.get('tables', 0):<6}{_pct(c.get('recognised', 0), c.get('tables', 0)):>8}"
            f"{c.get('not_understood', 0):>8}"
            f"{c.get('claims_verified', 0):>6}/{c.get('claims', 0):<6}{_pct(c.get('claims_verified', 0), c.get('claims', 0)):>8}"
            f"{c.get('narrative', 0):>6}{mark}"
        )


def print_compare(fig: dict[str, dict[str, Any]], old: dict[str, dict[str, Any]], worked: set[str]) -> None:
    print("\nchange against the saved figures (err: fewer is better; recog/prose: more is better)")
    groups = {"worked on": [], "others": []}  # type: dict[str, list[str]]
    for city in fig:
        if city == "ALL":
            continue
        groups["worked on" if city in worked else "others"].append(city)
    for group, cities in groups.items():
        if not cities:
            continue
        d_err = sum(fig[c].get("err", 0) - old.get(c, {}).get("err", 0) for c in cities)
        d_rec = sum(fig[c].get("recognised", 0) - old.get(c, {}).get("recognised", 0) for c in cities)
        d_cl = sum(fig[c].get("claims_verified", 0) - old.get(c, {}).get("claims_verified", 0) for c in cities)
        print(f"  {group:<10} ({', '.join(cities)}): err {d_err:+d}, tables recognised {d_rec:+d}, prose verified {d_cl:+d}")
        for c in cities:
            o, n = old.get(c, {}), fig[c]
            print(
                f"    {c:<10} err {o.get('err', 0):>4} -> {n.get('err', 0):<4} "
                f"recog {o.get('recognised', 0):>4} -> {n.get('recognised', 0):<4} "
                f"prose {o.get('claims_verified', 0):>5} -> {n.get('claims_verified', 0):<5}"
            )


def print_shapes(docs: list[dict[str, Any]], n: int, hidden: set[str]) -> None:
    """Per city, the most frequent shapes of unverified prose numbers."""
    per: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        if not doc["error"] and city_of(doc["name"]) not in hidden:
            per[city_of(doc["name"])].update(doc.get("shapes", {}))
    print("\nmost frequent shapes of unverified prose numbers (count, shape)")
    for city, shapes in sorted(per.items()):
        print(f"  {city} ({sum(shapes.values())} unverified)")
        for text, count in shapes.most_common(n):
            print(f"    {count:5d}  {text}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--city", action="append", help="only these cities (repeatable)")
    ap.add_argument("--holdout", action="append", default=[], help="print only figures for this city")
    ap.add_argument("--findings", action="store_true", help="list every unverified finding (not for held-out cities)")
    ap.add_argument("--not-understood", action="store_true", help="list tables not understood")
    ap.add_argument("--shapes", type=int, default=0, metavar="N", help="per city, the N most frequent shapes of unverified prose numbers")
    ap.add_argument("--save", help="write per-city figures (and per-document results) to this JSON file")
    ap.add_argument("--compare", help="compare with figures saved by --save")
    ap.add_argument("--worked-on", default="", help="comma-separated cities the change was developed on")
    args = ap.parse_args(argv)

    if not Path(args.corpus).is_dir():
        print(f"no corpus at {args.corpus}")
        return 0
    jobs = discover(args.corpus)
    if args.city:
        jobs = [j for j in jobs if city_of(Path(j[0]).name) in args.city]
    t0 = time.monotonic()
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            docs = list(pool.map(_audit, jobs, chunksize=1))
    else:
        docs = [_audit(j) for j in jobs]
    elapsed = time.monotonic() - t0
    hidden = set(args.holdout)
    fig = figures(docs)
    print(f"{len(docs)} documents in {elapsed:.0f} s ({args.jobs} workers)\n")
    print_table(fig, hidden)
    if args.findings or args.not_understood:
        for doc in sorted(docs, key=lambda d: d["name"]):
            if city_of(doc["name"]) in hidden or doc["error"]:
                continue
            extra, _ = _unverified(doc)
            lines = []
            if args.findings:
                lines += [f"  {f['check']} {f['severity']}: {f['message'][:200]}" for f in extra]
            if args.not_understood:
                lines += [f"  not understood {t['id']} {t['title']}: {t['reason']}" for t in doc["not_understood"]]
            if lines:
                print(f"\n{doc['name']}")
                print("\n".join(lines))
    if args.shapes:
        print_shapes(docs, args.shapes, hidden)
    if args.compare:
        old = json.loads(Path(args.compare).read_text(encoding="utf-8"))["figures"]
        worked = {c for c in args.worked_on.split(",") if c}
        print_compare(fig, old, worked)
    if args.save:
        shown = [d for d in docs if city_of(d["name"]) not in hidden]
        Path(args.save).write_text(
            json.dumps({"figures": fig, "documents": shown}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
