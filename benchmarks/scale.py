"""Scan throughput, parallel speed-up, memory per worker and the rule engine's share.

Builds a batch of N documents (default 1,000) in a temporary directory from the samples
and their variants: text exports with a small textual edit each (a numbered closing
sentence, so every file's content hash differs) plus a share of PDFs (the sample PDFs,
each with a numbered PDF comment appended after ``%%EOF`` — same pages, new hash).
Then audits the batch with 1 and with 2 workers, each run with an empty parse cache
(every document is parsed), and prints:

* throughput (docs/s) and the speed-up of 2 workers over 1 (target >= 1.8x on 2 cores);
* peak RSS per worker (VmHWM, reported by each worker after each document) at 250, 500
  and 1,000 documents done (target <= 250 MB and flat as the batch grows);
* the rule engine's share of the per-document time (``result.timings``; target <= 5%);
* unreadable documents (there should be none in this batch).

The parallel driver is ``budget_audit.scan`` when it offers ``jobs`` (the ``--jobs``
of ``budget-audit scan``); otherwise a ``ProcessPoolExecutor`` over
``budget_audit.scan.audit_safely``. Figures only; no assertions on time.

Usage::

    python benchmarks/scale.py [--docs 1000] [--pdf-share 0.05] [--jobs 1,2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import inspect
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


def _one(path: str) -> dict[str, object]:
    assert _BOOK is not None
    t0 = time.perf_counter()
    result = scan_mod.audit_safely([path], _BOOK)
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


def run_pool(paths: list[Path], jobs: int) -> tuple[float, list[dict[str, object]], dict[int, dict[int, int]]]:
    """Audit ``paths`` with ``jobs`` worker processes; return wall time, per-document
    records and, per milestone, each worker's peak RSS so far (KiB)."""
    records: list[dict[str, object]] = []
    peaks: dict[int, int] = {}
    at: dict[int, dict[int, int]] = {}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init) as pool:
        futures = [pool.submit(_one, str(p)) for p in paths]
        for fut in as_completed(futures):
            rec = fut.result()
            records.append(rec)
            pid = int(rec["pid"])  # type: ignore[arg-type]
            peaks[pid] = max(peaks.get(pid, 0), int(rec["hwm"]))  # type: ignore[arg-type]
            if len(records) in MILESTONES:
                at[len(records)] = dict(peaks)
    return time.perf_counter() - t0, records, at


def run_scan_api(directory: Path, jobs: int) -> float | None:
    """Time ``budget_audit.scan.scan_directory(..., jobs=N)`` when it exists."""
    fn = getattr(scan_mod, "scan_directory", None)
    if fn is None or "jobs" not in inspect.signature(fn).parameters:
        return None
    book = load()
    t0 = time.perf_counter()
    fn(str(directory), book, jobs=jobs)
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
    ap.add_argument("--pdf-share", type=float, default=0.05)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--keep", type=Path, help="build the batch here and keep it")
    args = ap.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="ba-scale-"))
    batch_dir = args.keep or tmp / "batch"
    batch_dir.mkdir(parents=True, exist_ok=True)
    saved = os.environ.get("BUDGET_AUDIT_CACHE")
    try:
        paths = build_batch(batch_dir, args.docs, args.pdf_share)
        n_pdf = sum(p.suffix == ".pdf" for p in paths)
        print(f"batch: {len(paths)} documents ({n_pdf} PDF, {len(paths) - n_pdf} text) in {batch_dir}")
        print(f"cpus: {os.cpu_count()}")
        figures: dict[int, dict[str, float]] = {}
        for jobs in jobs_list:
            cache = tmp / f"cache-{jobs}"  # empty: every document is parsed
            os.environ["BUDGET_AUDIT_CACHE"] = str(cache)
            wall, records, at = run_pool(paths, jobs)
            figures[jobs] = report(jobs, len(paths), wall, records, at)
        if 1 in figures:
            for jobs in jobs_list:
                if jobs != 1:
                    print(f"\nspeed-up {jobs} workers / 1: "
                          f"{figures[jobs]['throughput'] / figures[1]['throughput']:.2f}x (target >= 1.8x)")
        for jobs in jobs_list:
            os.environ["BUDGET_AUDIT_CACHE"] = str(tmp / f"cache-scan-{jobs}")
            t = run_scan_api(batch_dir, jobs)
            if t is None:
                print("\nbudget_audit.scan has no jobs= yet: scan API not measured")
                break
            print(f"scan_directory(jobs={jobs}): {len(paths) / t:.1f} docs/s")
    finally:
        if saved is None:
            os.environ.pop("BUDGET_AUDIT_CACHE", None)
        else:
            os.environ["BUDGET_AUDIT_CACHE"] = saved
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
