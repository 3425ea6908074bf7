"""Speed of the PDF ingester against a bare pdfplumber text pass over the same file.

For each PDF (default: every file in ../shared/corpus beside the checkout) prints the
time of ``ingest_pdf`` and of ``page.extract_text()`` over all pages with pdfplumber,
and their ratio. Target: ratio <= 0.5.

Usage: python benchmarks/ingest_speed.py [FILE.pdf ...] [--repeat N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pdfplumber  # noqa: E402

from budget_audit.ingest.pdf import ingest_pdf  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def plumber_pass(path: str) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main(argv: list[str]) -> int:
    repeat = 1
    if "--repeat" in argv:
        k = argv.index("--repeat")
        repeat = int(argv[k + 1])
        argv = argv[:k] + argv[k + 2 :]
    files = [Path(a) for a in argv] or sorted(CORPUS.glob("*.pdf"))
    if not files:
        print(f"no PDF given and no corpus at {CORPUS}")
        return 2
    total_ours = total_base = 0.0
    print(f"{'file':60s} {'pages':>5s} {'ingest':>8s} {'plumber':>8s} {'ratio':>6s}")
    for path in files:
        ours = best_of(lambda p=path: ingest_pdf(str(p)), repeat)
        base = best_of(lambda p=path: plumber_pass(str(p)), repeat)
        with pdfplumber.open(str(path)) as pdf:
            n = len(pdf.pages)
        total_ours += ours
        total_base += base
        print(f"{path.name[:60]:60s} {n:5d} {ours:8.2f} {base:8.2f} {ours / base:6.2f}",
              flush=True)
    print(f"{'TOTAL':60s} {'':5s} {total_ours:8.2f} {total_base:8.2f} "
          f"{total_ours / total_base:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
