"""Whole-process speed of a single ``budget-audit check`` (issue #12 item 9).

What a clerk waits for is a process: the interpreter starting, the imports, the rule
files, the document. For each PDF this runs, as separate processes on the same
machine in the same run (median of ``--repeat`` runs each):

* ``plumber``: ``python -c "import pdfplumber; [p.extract_text() for p in
  pdfplumber.open(FILE).pages]"`` — the yardstick, a bare text pass;
* ``cold``: ``budget-audit check FILE`` with an empty parse cache (a new cache
  directory for each run; the compiled rules are cached, as on any machine after its
  first run — ``--cold-rules`` empties that too);
* ``warm``: ``budget-audit check FILE`` again, the parse cache filled;

and once: ``budget-audit --version``.

Targets: cold/plumber <= 0.5, warm/plumber <= 0.2, ``--version`` <= 0.15 s.

Usage::

    python benchmarks/cli_speed.py                 # samples + corpus PDFs
    python benchmarks/cli_speed.py --samples-only
    python benchmarks/cli_speed.py FILE.pdf ... --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = REPO / "samples"
PLUMBER = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_text() for p in pdf.pages]\n"


def _exe() -> list[str]:
    """The installed console script when there is one beside this Python (what a user
    runs), else ``python -m budget_audit``."""
    script = Path(sys.executable).with_name("budget-audit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "budget_audit"]


def _env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: bytecode caching on (as after any normal
    install, whatever this shell says), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO, check=False)
    elapsed = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.decode()[-300:]}")
    return elapsed


def measure(pdf: Path, repeat: int, cold_rules: bool, root: Path) -> dict[str, float]:
    plumber, cold, warm = [], [], []
    for n in range(repeat):
        env = _env()
        plumber.append(_time([sys.executable, "-c", PLUMBER, str(pdf)], env))
        cache = root / f"cache-{pdf.stem}-{n}"
        if not cold_rules and (root / "rules").exists():
            shutil.copytree(root / "rules", cache / "rules")  # compiled rules only
        env["BUDGET_AUDIT_CACHE"] = str(cache)
        cold.append(_time([*_exe(), "check", str(pdf)], env))
        warm.append(_time([*_exe(), "check", str(pdf)], env))
        shutil.rmtree(cache, ignore_errors=True)
    return {"plumber": statistics.median(plumber), "cold": statistics.median(cold), "warm": statistics.median(warm)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--samples-only", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cold-rules", action="store_true", help="also empty the compiled-rules cache for cold runs")
    args = ap.parse_args()
    files = list(args.files)
    if not files:
        files = sorted(SAMPLES.glob("*.pdf"))
        if not args.samples_only and CORPUS.is_dir():
            files += sorted(CORPUS.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # A first run, as after installing: compiles the rules (and writes bytecode).
        subprocess.run([*_exe(), "rules", "list"], stdout=subprocess.DEVNULL, env=_env(BUDGET_AUDIT_CACHE=str(root)), check=True)
        version = statistics.median(_time([*_exe(), "--version"], _env()) for _ in range(max(3, args.repeat)))
        print(f"{'file':<60} {'plumber':>8} {'cold':>7} {'warm':>7} {'c/p':>6} {'w/p':>6}")
        rows = []
        for pdf in files:
            try:
                m = measure(pdf, args.repeat, args.cold_rules, root)
            except SystemExit as exc:  # an unreadable file (e.g. the scanned one): say so, go on
                print(f"{pdf.name[:60]:<60} skipped: {str(exc)[-80:]}")
                continue
            rows.append(m)
            print(
                f"{pdf.name[:60]:<60} {m['plumber']:8.3f} {m['cold']:7.3f} {m['warm']:7.3f} "
                f"{m['cold'] / m['plumber']:6.3f} {m['warm'] / m['plumber']:6.3f}"
            )
    if rows:
        cp = [r["cold"] / r["plumber"] for r in rows]
        wp = [r["warm"] / r["plumber"] for r in rows]
        tot = {k: sum(r[k] for r in rows) for k in ("plumber", "cold", "warm")}
        print(
            f"\n{len(rows)} PDFs  cold/plumber median {statistics.median(cp):.3f} (total {tot['cold'] / tot['plumber']:.3f}, "
            f"max {max(cp):.3f})  warm/plumber median {statistics.median(wp):.3f} (total {tot['warm'] / tot['plumber']:.3f}, "
            f"max {max(wp):.3f})"
        )
    print(f"budget-audit --version: {version:.3f} s (median)")


if __name__ == "__main__":
    main()
