"""Peak memory of a scan's reports: does writing them grow with the number of
documents?

Builds N tiny text exports (default 3,000; ``tests/hostile/gen.text_doc``, every
third one with a row that does not add up, so reports have findings to list), scans
them once into a journal (``--jsonl``, 2 workers; not measured), writes a baseline of
their findings, then runs ``budget-audit scan DIR --jsonl J --resume`` once per
output format — every result is reused from the journal, so what is measured is the
scanning process reading results back and writing the report — and prints each run's
peak RSS (``ru_maxrss`` of that process, from ``wait4``) and wall time. ``json+baseline``
is the JSON run with ``--baseline``.

Usage::

    python benchmarks/scan_memory.py [--docs 3000] [--formats text,json,...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.hostile import gen  # noqa: E402

FORMATS = ("text", "json", "sarif", "junit", "csv", "xlsx", "html", "json+baseline")
SUFFIX = {"text": ".txt", "json": ".json", "sarif": ".sarif", "junit": ".xml", "csv": ".csv", "xlsx": ".xlsx"}


def build(directory: Path, n: int) -> None:
    for k in range(n):
        rows = gen.failing_rows(f"一般公共服务支出{k}") if k % 3 == 0 else gen.TABLE
        head = f"2021年第{k}局部门预算"
        (directory / f"doc{k:05d}.txt").write_text(gen.text_doc(rows=rows, head=head), encoding="utf-8")


def measure(args: list[str], env: dict[str, str]) -> tuple[int, float, int]:
    """(exit code, wall seconds, peak RSS in MiB) of ``budget-audit args``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "budget_audit", *args], env=env, cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"   ! exit {proc.returncode}: {err.strip()[:300]}")
    return proc.returncode, wall, usage.ru_maxrss // 1024


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--keep", help="build the batch here (reused when it holds the journal)")
    a = ap.parse_args(argv)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="budget-audit-scanmem-"))
    docs, journal, base = work / "docs", work / "run.jsonl", work / "baseline.json"
    env = {**os.environ, "BUDGET_AUDIT_CACHE": "off"}
    try:
        if not journal.exists():
            docs.mkdir(parents=True, exist_ok=True)
            build(docs, a.docs)
            code, wall, rss = measure(["scan", str(docs), "--jsonl", str(journal), "-q", "-j", "2"], env)
            print(f"scan of {a.docs} documents into the journal: {wall:.1f}s (exit {code})")
            measure(["scan", str(docs), "--jsonl", str(journal), "--resume", "-q", "--baseline", str(base), "--update-baseline"], env)
        print(f"{'format':<15} {'peak RSS':>9} {'wall':>7}  exit")
        for fmt in a.formats.split(","):
            out = work / ("site" if fmt == "html" else "report" + SUFFIX.get(fmt.split("+")[0], ".out"))
            args = ["scan", str(docs), "--jsonl", str(journal), "--resume", "-f", fmt.split("+")[0], "-o", str(out)]
            if fmt.endswith("+baseline"):
                args += ["--baseline", str(base)]
            code, wall, rss = measure(args, env)
            print(f"{fmt:<15} {rss:>6} MB {wall:>6.1f}s  {code}")
            if out.is_dir():
                shutil.rmtree(out)
            elif out.exists():
                out.unlink()
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
