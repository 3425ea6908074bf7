"""Wall time of a full ``audit()`` per document, against a bare pdfplumber text pass.

For each file (default: the samples, their variants' PDFs and every PDF in
../shared/corpus when present) this measures, in one run:

* ``plumber``: ``for page in pdf.pages: page.extract_text()`` with pdfplumber — the
  yardstick (PDFs only);
* ``cold``: ``audit()`` with an empty parse cache (includes hashing and storing);
* ``warm``: ``audit()`` again on the unchanged file (the parse cache hits);
* where the cold time goes: ``read`` (open the PDF, read every page's characters and
  paths with pypdfium2), ``tables`` (find ruled and text tables), ``assemble`` (prose,
  joining table pieces, context lines, cross-check, cache store), ``recognise``,
  ``rules`` and ``report`` (rendering the JSON and terminal reports).

Targets (issue #6): cold/plumber <= 0.5, warm/plumber <= 0.1.

Usage::

    python benchmarks/speed.py                  # samples + corpus
    python benchmarks/speed.py FILE.pdf ...     # given files
    python benchmarks/speed.py --samples-only   # skip the corpus
    python benchmarks/speed.py --repeat 3       # best of 3 for every figure
    python benchmarks/speed.py --limited        # as ``check`` runs: a parse the cache
                                                # does not hold is read in a limited
                                                # child (guard.py; read/tables then 0)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pdfplumber  # noqa: E402

from budget_audit.api import audit  # noqa: E402
from budget_audit.ingest import pdf as pdf_mod  # noqa: E402
from budget_audit.report import FORMATS  # noqa: E402
from budget_audit.rulebook import load  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = REPO / "samples"

_phase: dict[str, float] = {}


def _timed(name: str, fn: Callable) -> Callable:  # type: ignore[type-arg]
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _phase[name] = _phase.get(name, 0.0) + time.perf_counter() - t0

    return wrapper


# Sub-phases of the PDF ingester, measured by wrapping its two big steps.
pdf_mod._read_pages = _timed("read", pdf_mod._read_pages)
pdf_mod._layout = _timed("tables", pdf_mod._layout)


def plumber_pass(path: str) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def default_files(samples_only: bool) -> list[Path]:
    files = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.pdf"))
    files += sorted((SAMPLES / "variants").glob("*.pdf"))[:3]
    if not samples_only and CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.pdf"))
    return files


LIMITS: tuple[float | None, int | None] | None = None  # --limited: check's parse limits


def measure(path: Path, book, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    row: dict[str, float] = {}
    is_pdf = path.suffix.lower() == ".pdf"
    if is_pdf:
        row["plumber"], _ = best(lambda: plumber_pass(str(path)), repeat)
    colds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="ba-speed-") as tmp:
            os.environ["BUDGET_AUDIT_CACHE"] = tmp
            _phase.clear()
            t0 = time.perf_counter()
            result = audit(str(path), book, parse_limits=LIMITS)
            t1 = time.perf_counter()
            for fmt in ("json", "text"):
                FORMATS[fmt](result, {"lang": "zh", "color": False})
            t2 = time.perf_counter()
            phases = dict(_phase)
            ingest = result.timings["ingest"] / 1000
            phases["assemble"] = ingest - phases.get("read", 0.0) - phases.get("tables", 0.0)
            phases["recognise"] = result.timings["recognise"] / 1000
            phases["rules"] = result.timings["rules"] / 1000
            phases["report"] = t2 - t1
            colds.append((t1 - t0, phases))
            # Warm: the same file again, cache populated.
            t0 = time.perf_counter()
            warm_result = audit(str(path), book, parse_limits=LIMITS)
            warm = time.perf_counter() - t0
            if warm < row.get("warm", 1e9):
                row["warm"] = warm
                row["warm_ingest"] = warm_result.timings["ingest"] / 1000
    cold, phases = min(colds, key=lambda x: x[0])
    row["cold"] = cold
    row.update(phases)
    row["findings"] = result.stats()["findings"]
    row["pages"] = result.meta.get("pages", 0) or 0
    return row


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="files to time (default: samples + corpus)")
    ap.add_argument("--samples-only", action="store_true", help="skip ../shared/corpus")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for every figure")
    ap.add_argument("--limited", action="store_true", help="read as check does: in a limited child on a cache miss")
    args = ap.parse_args(argv)
    global LIMITS
    if args.limited:
        from budget_audit.guard import PARSE_MEMORY_MB, PARSE_TIMEOUT

        LIMITS = (PARSE_TIMEOUT, PARSE_MEMORY_MB)
    repeat = max(1, args.repeat)
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        ap.error(f"no such file: {missing[0]}")
    files = list(args.files) or default_files(args.samples_only)
    saved = os.environ.get("BUDGET_AUDIT_CACHE")
    book = load()
    audit(str(files[0]), book)  # warm up imports, lexicon and fonts
    cols = ["pages", "plumber", "cold", "warm", "c/p", "w/p",
            "read", "tables", "assemble", "recognise", "rules", "report"]
    print(f"{'file':44s} " + " ".join(f"{c:>9s}" for c in cols))
    rows: list[tuple[str, dict[str, float]]] = []
    try:
        for path in files:
            try:
                row = measure(path, book, repeat)
            except Exception as exc:  # noqa: BLE001 - an unreadable file is reported, not fatal
                print(f"{path.name[:44]:44s} error: {exc}")
                continue
            rows.append((path.name, row))
            p = row.get("plumber")
            cells = [
                f"{int(row['pages']):9d}",
                f"{p:9.2f}" if p else f"{'-':>9s}",
                f"{row['cold']:9.2f}",
                f"{row['warm']:9.3f}",
                f"{row['cold'] / p:9.2f}" if p else f"{'-':>9s}",
                f"{row['warm'] / p:9.3f}" if p else f"{'-':>9s}",
            ] + [f"{row.get(k, 0.0):9.3f}" for k in cols[6:]]
            print(f"{path.name[:44]:44s} " + " ".join(cells), flush=True)
    finally:
        if saved is None:
            os.environ.pop("BUDGET_AUDIT_CACHE", None)
        else:
            os.environ["BUDGET_AUDIT_CACHE"] = saved
    summarise(rows)
    return 0


def summarise(rows: list[tuple[str, dict[str, float]]]) -> None:
    pdfs = [r for _, r in rows if r.get("plumber")]
    if pdfs:
        cold_r = [r["cold"] / r["plumber"] for r in pdfs]
        warm_r = [r["warm"] / r["plumber"] for r in pdfs]
        tp = sum(r["plumber"] for r in pdfs)
        tc = sum(r["cold"] for r in pdfs)
        tw = sum(r["warm"] for r in pdfs)
        print(f"\nPDFs: {len(pdfs)}  pdfplumber total {tp:.1f}s  cold total {tc:.1f}s  warm total {tw:.1f}s")
        print(f"cold/plumber: median {statistics.median(cold_r):.2f}  total {tc / tp:.2f}  "
              f"max {max(cold_r):.2f}  (target <= 0.5)")
        print(f"warm/plumber: median {statistics.median(warm_r):.3f}  total {tw / tp:.3f}  "
              f"max {max(warm_r):.3f}  (target <= 0.1)")
        over = [n for n, r in rows if r.get("plumber") and r["cold"] / r["plumber"] > 0.5]
        print(f"cold over target: {len(over)} of {len(pdfs)}")
    allrows = [r for _, r in rows]
    total = sum(r["cold"] for r in allrows) + sum(r["report"] for r in allrows)
    if total:
        print("\nwhere the cold time goes (all files):")
        for k in ("read", "tables", "assemble", "recognise", "rules", "report"):
            s = sum(r.get(k, 0.0) for r in allrows)
            print(f"  {k:10s} {s:8.2f}s {100 * s / total:5.1f}%")
        warm_total = sum(r["warm"] for r in allrows)
        wi = sum(r["warm_ingest"] for r in allrows)
        print(f"warm total {warm_total:.2f}s, of which cache lookup (hash + unpickle) {wi:.2f}s")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
