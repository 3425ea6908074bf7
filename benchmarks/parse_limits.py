"""How close real documents come to ``check``'s reading limits (guard.py).

Reads each corpus PDF (default: the 10 largest; ``--all`` for every one) in the same
forked child ``check`` uses, without limits, and prints its wall time and the child's
peak address space (``VmPeak``, what ``RLIMIT_AS`` bounds: it includes what the child
inherits from the parent) beside the defaults ``PARSE_TIMEOUT`` / ``PARSE_MEMORY_MB``.

Usage::

    python benchmarks/parse_limits.py [--all] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from budget_audit.guard import PARSE_MEMORY_MB, PARSE_TIMEOUT, run_checked  # noqa: E402
from budget_audit.ingest import ingest_many  # noqa: E402


def _read(path: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    doc = ingest_many([path])
    wall = time.perf_counter() - t0
    peak = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            peak = int(line.split()[1]) // 1024
    return wall, peak, len(doc.pages)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    a = ap.parse_args(argv)
    pdfs = sorted(Path(a.corpus).glob("*.pdf"), key=lambda p: p.stat().st_size, reverse=True)
    if not a.all:
        pdfs = pdfs[:10]
    worst_t, worst_m = 0.0, 0
    print(f"{'file':<60} {'MB':>5} {'pages':>5} {'read s':>7} {'VmPeak MB':>9}")
    for p in pdfs:
        wall, peak, pages = run_checked(_read, str(p), timeout=None, max_memory_mb=None)
        worst_t, worst_m = max(worst_t, wall), max(worst_m, peak)
        print(f"{p.name[:60]:<60} {p.stat().st_size / 1e6:5.1f} {pages:5d} {wall:7.2f} {peak:9d}")
    print(f"slowest {worst_t:.2f} s of {PARSE_TIMEOUT} s; largest VmPeak {worst_m} MB of {PARSE_MEMORY_MB} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
