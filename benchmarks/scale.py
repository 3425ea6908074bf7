"""Scan throughput, parallel speed-up, memory per worker and the rule engine's share.

Builds a batch of N documents (default 1,000) in a temporary directory, each a copy
whose content hash differs from every other (so the parse cache never helps):

* ``--mix pdf`` (default): published PDFs, the way a researcher scans a province — the
  documents of ``../shared/corpus`` when present (a text+tables pair stays a pair),
  plus the sample PDFs; each copy gets a numbered PDF comment after ``%%EOF``.
* ``--mix text``: text exports of the seed and its variants (95 %) with a numbered
  closing sentence, plus 5 % sample PDFs — a batch whose ingest is almost free, so it
  shows the recogniser and the rules at their largest share.

Then audits the batch with 1 and with 2 workers, each with an empty parse cache, and
prints:

* throughput (docs/s) and the speed-up of 2 workers over 1 (target >= 1.8x on 2 cores);
* peak RSS per worker (VmHWM, reported by each worker after each document) at 250, 500
  and 1,000 documents done (target <= 250 MB and flat as the batch grows);
* the rule engine's share of the per-document time (``result.timings``; target <= 5%);
* unreadable documents (there should be none in this batch);
* the throughput of ``budget_audit.scan.scan_directory`` itself (the code behind
  ``budget-audit scan -j N``: journal, worker recycling, result ordering included).

The per-document driver is a ``ProcessPoolExecutor`` over
``budget_audit.scan.audit_safely`` (it reports timings and memory per document).
Figures only; no assertions on time.

Usage::

    python benchmarks/scale.py [--docs 1000] [--mix pdf|text] [--jobs 1,2] [--keep DIR]
    python benchmarks/scale.py --mix text --pdf-share 0.05
    python benchmarks/scale.py --no-scan-api       # skip the scan_directory timing
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from budget_audit import scan as scan_mod  # noqa: E402
from budget_audit.rulebook import load  # noqa: E402

SAMPLES = REPO / "samples"
CORPUS = REPO.parent / "shared" / "corpus"
MILESTONES = (250, 500, 1000)

# ----------------------------------------------------------------------------- batch


def build_batch(directory: Path, n: int, pdf_share: float, seed: int = 6) -> list[Path]:
    """Write ``n`` documents into ``directory``; return their paths."""
    rng = random.Random(seed)
    texts = sorted(SAMPLES.glob("*.txt")) + sorted((SAMPLES / "variants").glob("*.txt"))
    pdfs = sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES / "variants").glob("*.pdf"))
    if not texts:
        raise SystemExit(f"no samples under {SAMPLES}")
    text_data = [p.read_text(encoding="utf-8") for p in texts]
    pdf_data = [p.read_bytes() for p in pdfs]
    n_pdf = round(n * pdf_share) if pdf_data else 0
    kinds = ["pdf"] * n_pdf + ["txt"] * (n - n_pdf)
    rng.shuffle(kinds)
    out: list[Path] = []
    for k, kind in enumerate(kinds):
        if kind == "pdf":
            j = k % len(pdf_data)
            path = directory / f"doc{k:05d}_{pdfs[j].stem}.pdf"
            path.write_bytes(pdf_data[j] + f"\n% budget-audit scale copy {k}\n".encode())
        else:
            j = k % len(text_data)
            path = directory / f"doc{k:05d}_{texts[j].stem}.txt"
            path.write_text(
                text_data[j].rstrip("\n") + f"\n\n本文件为第{k}号测试副本。\n", encoding="utf-8"
            )
        out.append(path)
    return out


def build_pdf_batch(directory: Path, n: int) -> list[list[Path]]:
    """Write ``n`` PDF documents (a document may be a text+tables pair of files) into
    ``directory``, copied round-robin from the corpus (when present) and the sample
    PDFs; return each document's files."""
    sources = [[Path(p) for p in d] for d in scan_mod.discover(str(CORPUS))] if CORPUS.is_dir() else []
    sources += [[p] for p in sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES / "variants").glob("*.pdf"))]
    if not sources:
        raise SystemExit(f"no PDFs under {SAMPLES} or {CORPUS}")
    data = {p: p.read_bytes() for d in sources for p in d}
    out: list[list[Path]] = []
    for k in range(n):
        doc = []
        for src in sources[k % len(sources)]:
            path = directory / f"c{k:05d}_{src.name}"
            path.write_bytes(data[src] + f"\n% budget-audit scale copy {k}\n".encode())
            doc.append(path)
        out.append(doc)
    return out


# ----------------------------------------------------------------------------- workers

_BOOK = None


def _init() -> None:
    global _BOOK
    _BOOK = load()


def _mem() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in KiB."""
    rss = hwm = 0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def _one(paths: list[str]) -> dict[str, object]:
    assert _BOOK is not None
    t0 = time.perf_counter()
    result = scan_mod.audit_safely(paths, _BOOK)
    wall = time.perf_counter() - t0
    rss, hwm = _mem()
    return {
        "pid": os.getpid(),
        "wall": wall,
        "timings": dict(result.timings),
        "error": result.error,
        "rss": rss,
        "hwm": hwm,
    }


def run_pool(paths: list[list[Path]], jobs: int) -> tuple[float, list[dict[str, object]], dict[int, dict[int, int]]]:
    """Audit ``paths`` with ``jobs`` worker processes; return wall time, per-document
    records and, per milestone, each worker's peak RSS so far (KiB)."""
    records: list[dict[str, object]] = []
    peaks: dict[int, int] = {}
    at: dict[int, dict[int, int]] = {}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init) as pool:
        futures = [pool.submit(_one, [str(x) for x in p]) for p in paths]
        for fut in as_completed(futures):
            rec = fut.result()
            records.append(rec)
            pid = int(rec["pid"])  # type: ignore[arg-type]
            peaks[pid] = max(peaks.get(pid, 0), int(rec["hwm"]))  # type: ignore[arg-type]
            if len(records) in MILESTONES:
                at[len(records)] = dict(peaks)
    return time.perf_counter() - t0, records, at


def run_scan_api(directory: Path, jobs: int) -> float:
    """Time ``budget_audit.scan.scan_directory`` with ``jobs`` workers."""
    book = load()
    t0 = time.perf_counter()
    scan_mod.scan_directory(str(directory), book, options=scan_mod.ScanOptions(jobs=jobs))
    return time.perf_counter() - t0


# ----------------------------------------------------------------------------- report


def report(jobs: int, n: int, wall: float, records: list[dict[str, object]], at: dict[int, dict[int, int]]) -> dict[str, float]:
    tim = [r["timings"] for r in records]
    ingest = sum(t.get("ingest", 0) for t in tim) / 1000  # type: ignore[union-attr]
    recog = sum(t.get("recognise", 0) for t in tim) / 1000  # type: ignore[union-attr]
    rules = sum(t.get("rules", 0) for t in tim) / 1000  # type: ignore[union-attr]
    busy = sum(float(r["wall"]) for r in records)  # type: ignore[arg-type]
    errors = [r for r in records if r["error"]]
    print(f"\n== {jobs} worker(s): {n} documents in {wall:.1f}s = {n / wall:.1f} docs/s")
    print(f"   per-document time {busy:.1f}s: ingest {100 * ingest / busy:.1f}%  "
          f"recognise {100 * recog / busy:.1f}%  rules {100 * rules / busy:.1f}% (target <= 5%)  "
          f"other {100 * (busy - ingest - recog - rules) / busy:.1f}%")
    for m in sorted(at):
        peaks = ", ".join(f"{kb / 1024:.0f}" for _, kb in sorted(at[m].items()))
        print(f"   peak RSS per worker after {m:5d} docs: {peaks} MB (target <= 250)")
    if errors:
        print(f"   unreadable: {len(errors)}; first: {errors[0]['error']}")
    return {"throughput": n / wall, "rules_share": rules / busy}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--mix", choices=("pdf", "text"), default="pdf")
    ap.add_argument("--pdf-share", type=float, default=0.05, help="--mix text: share of sample PDFs")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--no-scan-api", action="store_true", help="do not time scan_directory")
    ap.add_argument("--keep", type=Path, help="build the batch here and keep it")
    args = ap.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="ba-scale-"))
    batch_dir = args.keep or tmp / "batch"
    batch_dir.mkdir(parents=True, exist_ok=True)
    saved = os.environ.get("BUDGET_AUDIT_CACHE")
    try:
        if args.mix == "pdf":
            docs = build_pdf_batch(batch_dir, args.docs)
        else:
            docs = [[p] for p in build_batch(batch_dir, args.docs, args.pdf_share)]
        n_pdf = sum(d[0].suffix == ".pdf" for d in docs)
        n_files = sum(len(d) for d in docs)
        print(f"batch ({args.mix}): {len(docs)} documents in {n_files} files "
              f"({n_pdf} PDF documents, {len(docs) - n_pdf} text) in {batch_dir}")
        print(f"cpus: {os.cpu_count()}")
        figures: dict[int, dict[str, float]] = {}
        for jobs in jobs_list:
            cache = tmp / f"cache-{jobs}"  # empty: every document is parsed
            os.environ["BUDGET_AUDIT_CACHE"] = str(cache)
            wall, records, at = run_pool(docs, jobs)
            figures[jobs] = report(jobs, len(docs), wall, records, at)
        if 1 in figures:
            for jobs in jobs_list:
                if jobs != 1:
                    print(f"\nspeed-up {jobs} workers / 1: "
                          f"{figures[jobs]['throughput'] / figures[1]['throughput']:.2f}x (target >= 1.8x)")
        if not args.no_scan_api:
            jobs = max(jobs_list)
            os.environ["BUDGET_AUDIT_CACHE"] = str(tmp / "cache-scan")
            t = run_scan_api(batch_dir, jobs)
            print(f"\nscan_directory(jobs={jobs}) (budget-audit scan -j {jobs}): "
                  f"{len(docs)} documents in {t:.1f}s = {len(docs) / t:.1f} docs/s")
    finally:
        if saved is None:
            os.environ.pop("BUDGET_AUDIT_CACHE", None)
        else:
            os.environ["BUDGET_AUDIT_CACHE"] = saved
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
