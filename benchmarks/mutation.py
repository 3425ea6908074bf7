"""Mutation benchmark (issue #3 item 6): how many identity-breaking edits do the rules catch?

For each document (the seed sample and ../shared/corpus when present; a text/tables
pair is one document) the benchmark ingests once, then:

(a) runs recognise + rules on the unmutated Document and prints every ``fail`` finding
    ("findings on unmutated documents": each must be a genuine inconsistency of the
    published document; review them);
(b) makes N single-point mutations with a fixed seed, each on a copy of the Document —
    one table cell (``doc.tables[k].rows[r].cells[c]``) or one prose number (in
    ``doc.paragraphs[i]``) — re-runs recognise + rules and calls the mutation *caught*
    when a ``fail`` finding appears that the unmutated run did not have (compared by
    check id and location, not wording).

Whether a mutation *breaks an identity* is decided without the checks, by arithmetic on
the unmutated document's structure:

* table cells: the recogniser's row tree (total rows and the top-level rows they close;
  parent rows and their children) and column groups (a 合计/小计/总计 column and its
  sibling columns) propose sums; only those that hold in the unmutated table within
  its rounding slack (the half-steps of every printed number) are kept. A cell mutation
  breaks an identity when one of those sums no longer holds after it;
* prose amounts: one that equals a table value (intervals overlap; at least 1万元) breaks
  an identity when the mutated amount no longer equals it — a change ("比上年减少2.3万元")
  only when it equals a cell of a column of changes (增减, 比上年…): elsewhere an equal
  cell is a coincidence; a threshold ("单价100万元（含）以上") is no quantity; one with a stated share
  (占…%) or change (增长/下降…%) in its sentence breaks one when changed by ten steps of
  its last digit or more.

Mutations of a number (formatted as printed, thousands separators kept): +1 / -1 in the
last digit, x10 (a slipped decimal point), two adjacent digits swapped, one digit
dropped, x10000 (a 元/万元 unit slip).

Usage::

    python benchmarks/mutation.py [--per-doc 30] [--seed 3] [--samples-only] [--prose-only] [--shard K/N] [FILE ...]

``--prose-only`` spends every mutation of a document on its prose numbers (those that
break an identity: equal to a table value, or with a stated share or rate).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from budget_audit.cache import ingest_cached  # noqa: E402
from budget_audit.engine import run  # noqa: E402
from budget_audit.ingest import ingest_many  # noqa: E402
from budget_audit.model import Document, RawRow  # noqa: E402
from budget_audit.money import UNIT_LI, parse_number  # noqa: E402
from budget_audit.recognise import Facts, recognise  # noqa: E402
from budget_audit.recognise.lexicon import lexicon, norm  # noqa: E402
from budget_audit.recognise.tables import RTable  # noqa: E402
from budget_audit.rulebook import load  # noqa: E402
from budget_audit.scan import pair_documents  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
SEED_TXT = REPO / "samples" / "xuchang_2021_budget.txt"
SEED_PDF = REPO / "samples" / "xuchang_2021_budget.pdf"
KINDS = ("+1", "-1", "x10", "swap", "drop", "x10000")
_PROSE_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(亿元|万元|千元|元)")
_SHARE_OR_RATE = re.compile(r"占[^。；%]{0,12}?\d+(\.\d+)?%|(增长|下降|增加|减少|上升|降低)[^。；]{0,8}?\d+(\.\d+)?%")
_THRESHOLD = re.compile(r"\s*([(（]含[)）])?\s*(以上|以下|以内|及以上)")
_CHANGE_BEFORE = re.compile(r"(增加|减少|增长|下降|上升|降低|(?<!新)增|减|节约|压减|核减|调增|调减|追加)了?\s*$")
_CHANGE_COLUMN = re.compile(r"增减|变动|比上年|较上年|差额|增长|减少")
_MIN_PROSE_MATCH = 10_000 * 1000 * 1  # 1万元 in 厘: smaller amounts match tables by chance

Sum = tuple[tuple[int, int], tuple[tuple[int, int], ...]]  # (total cell, part cells)


# ----------------------------------------------------------------------------- numbers


def mutate_number(text: str, kind: str, rng: random.Random) -> str | None:
    """The printed number ``text`` after one typing mistake, formatted like the original."""
    num = parse_number(text)
    if num is None:
        return None
    s = text.strip()
    sign = "-" if num.digits < 0 else ""
    digits = str(abs(num.digits)).rjust(num.decimals + 1, "0")
    d = num.decimals
    if kind in ("+1", "-1"):
        v = abs(num.digits) + (1 if kind == "+1" else -1)
        if v < 0:
            return None
        digits = str(v).rjust(d + 1, "0")
    elif kind == "x10":
        digits = digits + "0"
    elif kind == "x10000":
        digits = digits + "0000"
    elif kind == "swap":
        spots = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
        if not spots:
            return None
        i = rng.choice(spots)
        digits = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    elif kind == "drop":
        if len(digits) < 2:
            return None
        i = rng.randrange(len(digits))
        digits = digits[:i] + digits[i + 1 :]
        if len(digits) <= d:
            digits = digits.rjust(d + 1, "0")
    int_part, frac = (digits[:-d], digits[-d:]) if d else (digits, "")
    int_part = int_part.lstrip("0") or "0"
    if "," in s:
        int_part = f"{int(int_part):,}"
    out = sign + int_part + ("." + frac if d else "")
    return out if out != s else None


# ----------------------------------------------------------------------------- identities


def body_to_raw(rt: RTable) -> list[int]:
    """Raw row index of every body row (the body is an in-order subsequence)."""
    texts = [[norm(c) for c in row.texts] for row in rt.table.rows]
    ncols = max((len(r) for r in texts), default=0)
    texts = [r + [""] * (ncols - len(r)) for r in texts]
    out: list[int] = []
    i = 0
    for target in rt.body:
        while i < len(texts) and texts[i] != target:
            i += 1
        out.append(i)
        i += 1
    return out


def candidate_sums(rt: RTable) -> list[Sum]:
    """Sums the table's layout proposes: rows (totals, parents) and column groups."""
    out: list[Sum] = []
    lex = lexicon()
    for side in rt.sides:
        items = side.items

        def top(j: int, items: list = items) -> bool:
            it = items[j]
            return it.parent is None and not it.total and not (it.of_which and not it.enumerated)

        totals = [k for k, it in enumerate(items) if it.total]
        row_sums: list[tuple[int, list[int]]] = []
        for n, k in enumerate(totals):
            prev = totals[n - 1] if n else -1
            scope = [items[j].row for j in range(prev + 1, k) if top(j)]
            if not scope:
                nxt = totals[n + 1] if n + 1 < len(totals) else len(items)
                scope = [items[j].row for j in range(k + 1, nxt) if top(j)]
            if scope:
                row_sums.append((items[k].row, scope))
        for it in items:
            kids = [items[j] for j in it.children if not (items[j].of_which and not items[j].enumerated)]
            if kids and not it.total:
                row_sums.append((it.row, [kid.row for kid in kids]))
        for c in side.value_cols:
            for total, parts in row_sums:
                out.append(((total, c), tuple((r, c) for r in parts)))
        # Column groups: a total column and its siblings under the same header prefix.
        paths = {c: rt.columns[c].path for c in side.value_cols}
        for t, path in paths.items():
            if not path or not lex.total_columns.match(path[-1]):
                continue
            sibs = [
                c for c, p in paths.items()
                if c != t and len(p) == len(path) and p[:-1] == path[:-1]
                and not lex.of_which.match(p[-1]) and not lex.total_columns.match(p[-1])
            ]
            if len(sibs) < 1:
                continue
            for r in range(len(rt.body)):
                out.append(((r, t), tuple((r, c) for c in sibs)))
    return out


def holds(rt: RTable, s: Sum, values: np.ndarray | None = None, halves: np.ndarray | None = None) -> bool:
    v = rt.values if values is None else values
    h = rt.halves if halves is None else halves
    (tr, tc), parts = s
    total = int(v[tr, tc])
    got = sum(int(v[r, c]) for r, c in parts)
    slack = int(h[tr, tc]) + sum(int(h[r, c]) for r, c in parts)
    return abs(total - got) <= slack


def live_sums(rt: RTable) -> dict[tuple[int, int], list[Sum]]:
    """Cell -> the sums it takes part in that hold in the unmutated table and are not
    trivially zero."""
    by_cell: dict[tuple[int, int], list[Sum]] = {}
    for s in candidate_sums(rt):
        cells = [s[0], *s[1]]
        if not all(rt.present[r, c] or rt.values[r, c] == 0 for r, c in cells):
            continue
        if not any(rt.values[r, c] for r, c in cells) or not holds(rt, s):
            continue
        for cell in cells:
            if rt.present[cell]:
                by_cell.setdefault(cell, []).append(s)
    return by_cell


# ----------------------------------------------------------------------------- mutations


@dataclass
class Mutation:
    where: str  # "cell" | "prose"
    kind: str
    old: str
    new: str
    table: int = -1  # index into doc.tables
    raw_row: int = -1
    col: int = -1
    body_row: int = -1
    para: int = -1  # index into doc.paragraphs
    span: tuple[int, int] = (0, 0)
    breaks: bool = False
    caught: bool = False
    preflagged: bool = False  # a prose number some finding already flags unmutated
    label: str = ""
    why: str = ""  # cell | prose=table | prose-rate: which identity it breaks

    def describe(self, doc: Document) -> str:
        if self.where == "cell":
            t = doc.tables[self.table]
            return f"{t.id}《{t.title[:30]}》 row {self.body_row + 1} 「{self.label[:20]}」 col {self.col + 1}: {self.old} -> {self.new} ({self.kind})"
        p = doc.paragraphs[self.para]
        ctx = p.text[max(0, self.span[0] - 15) : self.span[1] + 5]
        return f"para {p.index} p.{p.page} …{ctx}…: {self.old} -> {self.new} ({self.kind}, {self.why})"


def apply(doc: Document, m: Mutation) -> Document:
    if m.where == "cell":
        table = doc.tables[m.table]
        rows = list(table.rows)
        row = rows[m.raw_row]
        cells = list(row.cells)
        cells[m.col] = dataclasses.replace(cells[m.col], text=m.new)
        rows[m.raw_row] = RawRow(cells, page=row.page)
        tables = list(doc.tables)
        tables[m.table] = dataclasses.replace(table, rows=rows)
        return dataclasses.replace(doc, tables=tables)
    paras = list(doc.paragraphs)
    p = paras[m.para]
    a, b = m.span
    paras[m.para] = dataclasses.replace(p, text=p.text[:a] + m.new + p.text[b:])
    return dataclasses.replace(doc, paragraphs=paras)


def cell_candidates(doc: Document, facts: Facts, rng: random.Random) -> list[Mutation]:
    out: list[Mutation] = []
    for k, rt in enumerate(facts.tables):
        live = live_sums(rt)
        if not live:
            continue
        raw_of = body_to_raw(rt)
        for (r, c), _ in sorted(live.items()):
            text = rt.table.rows[raw_of[r]].cells[c].text or ""
            side = rt.side_of_col(c)
            item = next((i for i in side.items if i.row == r), None) if side else None
            label = (item.raw_label or item.code or "") if item else ""
            for kind in KINDS:
                new = mutate_number(text, kind, rng)
                if new is not None:
                    out.append(Mutation("cell", kind, text, new, table=k, raw_row=raw_of[r],
                                        col=c, body_row=r, label=label))
    return out


def table_amounts(facts: Facts, changes_only: bool = False) -> list[tuple[int, int]]:
    """Every printed table amount of at least 1万元 (``changes_only``: those in a column of
    changes, "增减", "比上年增减")."""
    return [
        (int(rt.values[r, c]), int(rt.halves[r, c]))
        for rt in facts.tables
        for r, c in zip(*np.nonzero(rt.present), strict=False)
        if abs(int(rt.values[r, c])) >= _MIN_PROSE_MATCH
        and (not changes_only or _CHANGE_COLUMN.search(rt.columns[c].name))
    ]


def _interval(text: str, unit: str) -> tuple[int, int] | None:
    num = parse_number(text)
    if num is None:
        return None
    try:
        return num.scaled(UNIT_LI[unit])
    except (ValueError, KeyError):
        return None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return abs(a[0] - b[0]) <= a[1] + b[1]


def prose_candidates(doc: Document, facts: Facts, rng: random.Random) -> list[Mutation]:
    amounts = table_amounts(facts)
    changes = table_amounts(facts, changes_only=True)
    out: list[Mutation] = []
    for i, p in enumerate(doc.paragraphs):
        for m in _PROSE_AMOUNT.finditer(p.text):
            number, unit = m.group(1), m.group(2)
            iv = _interval(number, unit)
            if iv is None or iv[0] == 0:
                continue
            if _THRESHOLD.match(p.text[m.end() : m.end() + 8]):
                continue  # "单位价值100万元（含）以上": a threshold, not a quantity of the budget
            # "比上年减少2.3万元": a change equals a table figure only where a table prints
            # changes; elsewhere an equal cell is a coincidence, not an identity.
            is_change = bool(_CHANGE_BEFORE.search(p.text[max(0, m.start() - 6) : m.start()]))
            matches = [a for a in (changes if is_change else amounts) if _overlaps(iv, a)]
            sentence_end = min((p.text.find(x, m.end()) for x in "。；" if p.text.find(x, m.end()) >= 0), default=len(p.text))
            rated = bool(_SHARE_OR_RATE.search(p.text[m.end() : sentence_end]))
            if not matches and not rated:
                continue
            for kind in KINDS:
                new = mutate_number(number, kind, rng)
                if new is None:
                    continue
                mut = Mutation("prose", kind, number, new, para=i, span=m.span(1))
                niv = _interval(new, unit)
                step = 2 * iv[1] if iv[1] else UNIT_LI[unit]
                broke_equal = bool(matches) and niv is not None and not any(_overlaps(niv, a) for a in matches)
                triple = _triple_at(p.text, m.span(1))
                if triple is not None:
                    # "A万元，比上年增加C万元，增长X%": the rate recomputes from A and C within
                    # their printed precision; the edit breaks it when it no longer does.
                    broke_rate = niv is not None and _triple_holds(p.text, triple) and not _triple_holds(
                        p.text, triple, (m.span(1), new)
                    )
                else:
                    broke_rate = rated and niv is not None and abs(niv[0] - iv[0]) >= 10 * step
                mut.breaks = broke_equal or broke_rate
                mut.why = "prose=table" if broke_equal else "prose-rate"
                out.append(mut)
    return out


_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_TRIPLE = re.compile(
    _NUM + r"万元[，,]?(?:比|较|与)[^，,。；;%]{0,14}?(?:相比)?[，,]?(增加|减少|增长|下降)了?" + _NUM
    + r"万元[，,]?(增长|下降|增加|减少|上升)了?" + r"(\d+(?:\.\d+)?)%"
)


def _triple_at(text: str, span: tuple[int, int]) -> re.Match[str] | None:
    """The "A万元，比上年增加C万元，增长X%" statement whose A or C is the number at ``span``."""
    for t in _TRIPLE.finditer(text):
        if span in (t.span(1), t.span(3)):
            return t
    return None


def _triple_holds(text: str, t: re.Match[str], edit: tuple[tuple[int, int], str] | None = None) -> bool:
    """Whether some A and C within their printed intervals give the printed rate X:
    C / (A − C) when the change is up, C / (A + C) when down (integer cross-products)."""
    def value(group: int, unit: str) -> tuple[int, int] | None:
        text_ = edit[1] if edit is not None and t.span(group) == edit[0] else t.group(group)
        return _interval(text_, unit)

    a, c = value(1, "万元"), value(3, "万元")
    x = parse_number(t.group(5))
    if a is None or c is None or x is None:
        return False
    xv, xh = x.scaled(1000)  # percent in thousandths of a point
    up = t.group(2) in ("增加", "增长")
    c_lo, c_hi = c[0] - c[1], c[0] + c[1]
    if up:
        den_lo, den_hi = a[0] - a[1] - c_hi, a[0] + a[1] - c_lo
    else:
        den_lo, den_hi = a[0] - a[1] + c_lo, a[0] + a[1] + c_hi
    if den_hi <= 0:
        return False
    # rate range [c_lo / den_hi, c_hi / den_lo] (x100000 for thousandths of a percent)
    lo_ok = c_lo * 100_000 <= (xv + xh) * den_hi  # min rate <= X + h
    hi_ok = den_lo <= 0 or c_hi * 100_000 >= (xv - xh) * den_lo  # max rate >= X - h
    return lo_ok and hi_ok


# ----------------------------------------------------------------------------- running


def fail_keys(facts: Facts, book) -> tuple[set[tuple], list]:  # type: ignore[no-untyped-def, type-arg]
    findings, _, _ = run(book, facts)
    fails = [f for f in findings if f.status == "fail"]
    keys = {
        (f.check_id, tuple((loc.table, loc.row, loc.column, loc.paragraph, loc.page) for loc in f.locations))
        for f in fails
    }
    return keys, fails


def cell_breaks(orig: RTable, mutated: RTable, m: Mutation) -> bool:
    if mutated.values.shape != orig.values.shape or len(mutated.body) != len(orig.body):
        return True  # the edit changed the table's shape: treat as breaking
    for s in live_sums(orig).get((m.body_row, m.col), []):
        if not holds(orig, s, mutated.values, mutated.halves):
            return True
    return False


@dataclass
class DocReport:
    name: str
    baseline: list  # type: ignore[type-arg]
    mutations: list[Mutation]
    seconds: float


def bench_document(name: str, paths: list[str], book, per_doc: int, seed: int, prose_only: bool = False) -> DocReport:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    doc = ingest_cached(paths, ingest_many)
    facts = recognise(doc)
    base_keys, base_fails = fail_keys(facts, book)
    rng = random.Random(f"{seed}:{name}")
    cells = [] if prose_only else cell_candidates(doc, facts, rng)
    prose = [m for m in prose_candidates(doc, facts, rng) if m.breaks]
    n_prose = min(len(prose), per_doc if prose_only else max(per_doc // 5, per_doc - len(cells)))
    chosen = rng.sample(prose, n_prose) + rng.sample(cells, min(len(cells), per_doc - n_prose))
    # Prose numbers the unmutated document already has a finding on (the same check at
    # the same place flags the mutated number too, so it cannot count as newly caught).
    flagged: dict[int, list[str]] = {}
    for f in base_fails:
        for loc in f.locations:
            if loc.paragraph is not None:
                flagged.setdefault(loc.paragraph, []).append(f"{f.actual or ''} {f.message}")
    for m in chosen:
        if m.where == "prose":
            m.preflagged = any(m.old in text for text in flagged.get(doc.paragraphs[m.para].index, []))
        mdoc = apply(doc, m)
        mfacts = recognise(mdoc)
        if m.where == "cell":
            m.breaks = cell_breaks(facts.tables[m.table], mfacts.tables[m.table], m)
            m.why = "cell"
        keys, _ = fail_keys(mfacts, book)
        m.caught = bool(keys - base_keys)
    return DocReport(name, base_fails, chosen, time.perf_counter() - t0)


def documents(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    if args.files:
        return [(Path(f).name, [f]) for f in args.files]
    docs = [(SEED_TXT.name, [str(SEED_TXT)])]
    if SEED_PDF.exists():
        docs.append((SEED_PDF.name, [str(SEED_PDF)]))
    if not args.samples_only and CORPUS.is_dir():
        files = sorted(str(p) for p in CORPUS.glob("*.pdf"))
        for group in pair_documents(files):
            docs.append((" + ".join(Path(p).name for p in group), group))
    return docs


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--per-doc", type=int, default=30)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--samples-only", action="store_true")
    ap.add_argument("--quiet-baseline", action="store_true", help="count, do not list, unmutated findings")
    ap.add_argument("--prose-only", action="store_true", help="mutate prose numbers only (issue 11: prose numbers caught)")
    ap.add_argument("--shard", default="1/1", metavar="K/N", help="only every N-th document, starting at the K-th (run N processes side by side)")
    args = ap.parse_args(argv)
    k, n = (int(x) for x in args.shard.split("/"))
    book = load()
    t0 = time.perf_counter()
    reports: list[DocReport] = []
    print(f"{'document':70s} {'base':>5s} {'muts':>5s} {'break':>5s} {'caught':>6s} {'%':>6s} {'other':>5s} {'s':>6s}")
    for name, paths in documents(args)[k - 1 :: n]:
        try:
            rep = bench_document(name, paths, book, args.per_doc, args.seed, args.prose_only)
        except Exception as exc:  # noqa: BLE001 - an unreadable document is reported, not fatal
            print(f"{name[:70]:70s} error: {type(exc).__name__}: {exc}")
            continue
        reports.append(rep)
        br = [m for m in rep.mutations if m.breaks]
        caught = sum(m.caught for m in br)
        other = sum(m.caught for m in rep.mutations if not m.breaks)
        pct = f"{100 * caught / len(br):5.1f}%" if br else "     -"
        print(f"{name[:70]:70s} {len(rep.baseline):5d} {len(rep.mutations):5d} {len(br):5d} {caught:6d} {pct:>6s} {other:5d} {rep.seconds:6.1f}", flush=True)
    summary(reports, args, time.perf_counter() - t0)
    return 0


def summary(reports: list[DocReport], args: argparse.Namespace, seconds: float) -> None:
    docs = {r.name: r for r in reports}
    n_base = sum(len(r.baseline) for r in reports)
    print(f"\n== findings on unmutated documents: {n_base} fail findings in "
          f"{sum(1 for r in reports if r.baseline)} of {len(reports)} documents (target 0 false)")
    if not args.quiet_baseline:
        for r in reports:
            for f in r.baseline:
                loc = f.locations[0].describe() if f.locations else ""
                print(f"  {r.name[:50]}  {f.check_id}  {loc}  {f.message[:140]}")
    muts = [m for r in reports for m in r.mutations]
    br = [m for m in muts if m.breaks]
    caught = [m for m in br if m.caught]
    print(f"\n== mutations: {len(muts)}; identity-breaking {len(br)}; caught {len(caught)} = "
          f"{100 * len(caught) / max(1, len(br)):.1f}% (target >= 95%)")
    fresh = [m for m in br if not m.preflagged]
    print(f"   of numbers no finding flags unmutated: {sum(m.caught for m in fresh)}/{len(fresh)} = "
          f"{100 * sum(m.caught for m in fresh) / max(1, len(fresh)):.1f}% "
          f"({len(br) - len(fresh)} mutations of numbers already flagged, {sum(m.caught for m in br if m.preflagged)} of them newly caught)")
    wide = [m for m in br if m.where == "prose" and _significant(m.old) >= 3]
    if wide:
        print(f"   prose numbers printed with 3 or more significant digits (a 1–2 digit figure, 8万元 or "
              f"5.8万元, equals some cell by chance): {sum(m.caught for m in wide)}/{len(wide)} = "
              f"{100 * sum(m.caught for m in wide) / len(wide):.1f}%")
    for why in ("cell", "prose=table", "prose-rate"):
        sub = [m for m in br if m.why == why]
        if sub:
            c = sum(m.caught for m in sub)
            print(f"   {why:11s}: {c}/{len(sub)} = {100 * c / len(sub):.1f}%")
    by_kind = Counter(m.kind for m in br)
    for kind in KINDS:
        if by_kind[kind]:
            c = sum(1 for m in br if m.kind == kind and m.caught)
            print(f"   {kind:6s}: {c}/{by_kind[kind]} = {100 * c / by_kind[kind]:.1f}%")
    nb = [m for m in muts if not m.breaks]
    print(f"   non-breaking mutations that raised a new finding: {sum(m.caught for m in nb)}/{len(nb)}")
    print("\n== missed identity-breaking mutations (document, place, old -> new):")
    for r in reports:
        # The Document is rebuilt from the cache to describe places.
        doc = None
        for m in r.mutations:
            if m.breaks and not m.caught:
                if doc is None:
                    doc = _doc_for(r.name, args)
                mark = " [already flagged]" if m.preflagged else ""
                print(f"  {r.name[:50]}  {m.describe(doc) if doc else m.old + ' -> ' + m.new}{mark}")
    print("\n== non-breaking mutations that raised a new finding (review: a real identity the oracle")
    print("   does not model, or a false alarm):")
    for r in reports:
        doc = None
        for m in r.mutations:
            if not m.breaks and m.caught:
                if doc is None:
                    doc = _doc_for(r.name, args)
                print(f"  {r.name[:50]}  {m.describe(doc) if doc else m.old + ' -> ' + m.new}")
    print(f"\nruntime {seconds:.0f}s for {len(reports)} documents")
    del docs


def _significant(text: str) -> int:
    """Significant digits as printed: "5.8" 2, "40.00" 4, "1,200" 2."""
    t = text.replace(",", "").lstrip("-")
    digits = t.replace(".", "").lstrip("0")
    return len(digits if "." in t else digits.rstrip("0"))


def _doc_for(name: str, args: argparse.Namespace) -> Document | None:
    for n, paths in documents(args):
        if n == name:
            return ingest_cached(paths, ingest_many)
    return None


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
