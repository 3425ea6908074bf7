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

``--compare EXE`` measures a second ``budget-audit`` (e.g. an install of the previous
commit in another virtualenv) the same way, interleaved file by file with the first
(which of the two goes first alternates), so that before and after share the
machine's load; each gets its own cache directory.

Bytecode caching is on for every measured process (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment, as after a normal install, whatever the calling
shell says), and a first ``rules list`` run per executable writes the bytecode and
the compiled rules and lexicon before anything is timed. The load average at the
start and the end is printed: other processes on the machine slow both sides.

Targets: cold/plumber <= 0.5, warm/plumber <= 0.2, ``--version`` <= 0.15 s.

Usage::

    python benchmarks/cli_speed.py                 # samples + corpus PDFs
    python benchmarks/cli_speed.py --samples-only
    python benchmarks/cli_speed.py FILE.pdf ... --repeat 3
    python benchmarks/cli_speed.py --compare /tmp/before/bin/budget-audit
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


# What a first run leaves in the cache directory and any later run reuses (the parse
# cache's entries are what "cold" empties).
COMPILED = ("rules", "lexicon")


def measure_exe(exe: list[str], pdf: Path, n: int, cold_rules: bool, root: Path) -> tuple[float, float]:
    """(cold, warm) seconds of ``exe check pdf`` with a fresh parse cache under ``root``."""
    env = _env()
    cache = root / f"cache-{pdf.stem}-{n}"
    if not cold_rules:
        for name in COMPILED:
            if (root / name).exists():
                shutil.copytree(root / name, cache / name)
    env["BUDGET_AUDIT_CACHE"] = str(cache)
    try:
        return _time([*exe, "check", str(pdf)], env), _time([*exe, "check", str(pdf)], env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def measure(pdf: Path, repeat: int, cold_rules: bool, sides: list[tuple[list[str], Path]], flip: bool) -> dict[str, float]:
    """Medians over ``repeat`` runs: plumber, and cold/warm of each side (``cold``,
    ``warm`` for the first, ``cold1``, ``warm1`` for the compared one)."""
    times: dict[str, list[float]] = {}
    for n in range(repeat):
        times.setdefault("plumber", []).append(_time([sys.executable, "-c", PLUMBER, str(pdf)], _env()))
        order = list(enumerate(sides))
        for k, (exe, root) in reversed(order) if flip else order:
            cold, warm = measure_exe(exe, pdf, n, cold_rules, root)
            suffix = str(k) if k else ""
            times.setdefault(f"cold{suffix}", []).append(cold)
            times.setdefault(f"warm{suffix}", []).append(warm)
    return {k: statistics.median(v) for k, v in times.items()}


def summary(rows: list[dict[str, float]], suffix: str, label: str) -> None:
    cold, warm = f"cold{suffix}", f"warm{suffix}"
    cp = [r[cold] / r["plumber"] for r in rows]
    wp = [r[warm] / r["plumber"] for r in rows]
    tot = {k: sum(r[k] for r in rows) for k in ("plumber", cold, warm)}
    print(
        f"{label}: {len(rows)} PDFs  cold/plumber median {statistics.median(cp):.3f} (total {tot[cold] / tot['plumber']:.3f}, "
        f"max {max(cp):.3f})  warm/plumber median {statistics.median(wp):.3f} (total {tot[warm] / tot['plumber']:.3f}, "
        f"max {max(wp):.3f})"
    )
    print(
        f"{label}: seconds: plumber total {tot['plumber']:.1f}; cold total {tot[cold]:.1f}, median {statistics.median(r[cold] for r in rows):.3f}, "
        f"slowest {max(r[cold] for r in rows):.2f}; warm total {tot[warm]:.1f}, median {statistics.median(r[warm] for r in rows):.3f}, "
        f"slowest {max(r[warm] for r in rows):.2f}; files over the target: cold {sum(x > 0.5 for x in cp)}, warm {sum(x > 0.2 for x in wp)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--samples-only", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cold-rules", action="store_true", help="also empty the compiled-rules cache for cold runs")
    ap.add_argument("--compare", metavar="EXE", help="another budget-audit executable, measured interleaved with this one")
    args = ap.parse_args()
    files = list(args.files)
    if not files:
        files = sorted(SAMPLES.glob("*.pdf"))
        if not args.samples_only and CORPUS.is_dir():
            files += sorted(CORPUS.glob("*.pdf"))
    exes = [_exe()] + ([[args.compare]] if args.compare else [])
    load0 = os.getloadavg()
    print(f"{len(files)} files; load average at start {load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f} on {os.cpu_count()} CPUs")
    for k, exe in enumerate(exes):
        print(f"side {k}: {' '.join(exe)}")
    with tempfile.TemporaryDirectory() as tmp:
        sides = []
        versions = []
        for k, exe in enumerate(exes):
            root = Path(tmp) / f"side{k}"
            # A first run, as after installing: compiles the rules (and writes bytecode).
            subprocess.run([*exe, "rules", "list"], stdout=subprocess.DEVNULL, env=_env(BUDGET_AUDIT_CACHE=str(root)), check=True)
            subprocess.run([*exe, "check", str(SAMPLES / "xuchang_2021_budget.txt")], stdout=subprocess.DEVNULL, env=_env(BUDGET_AUDIT_CACHE=str(root)), check=False)
            for entry in root.iterdir():  # keep only what is compiled once per install
                if entry.name not in COMPILED:
                    shutil.rmtree(entry, ignore_errors=True)
            sides.append((exe, root))
            versions.append(statistics.median(_time([*exe, "--version"], _env()) for _ in range(max(5, args.repeat))))
        extra = f" {'cold1':>7} {'warm1':>7} {'c1/p':>6} {'w1/p':>6}" if len(sides) > 1 else ""
        print(f"{'file':<60} {'plumber':>8} {'cold':>7} {'warm':>7} {'c/p':>6} {'w/p':>6}{extra}")
        rows = []
        for i, pdf in enumerate(files):
            try:
                m = measure(pdf, args.repeat, args.cold_rules, sides, flip=bool(i % 2))
            except SystemExit as exc:  # an unreadable file (e.g. the scanned one): say so, go on
                print(f"{pdf.name[:60]:<60} skipped: {str(exc)[-80:]}")
                continue
            rows.append(m)
            line = f"{pdf.name[:60]:<60} {m['plumber']:8.3f}"
            for suffix in ["", "1"][: len(sides)]:
                line += f" {m['cold' + suffix]:7.3f} {m['warm' + suffix]:7.3f} {m['cold' + suffix] / m['plumber']:6.3f} {m['warm' + suffix] / m['plumber']:6.3f}"
            print(line, flush=True)
    print()
    if rows:
        for k in range(len(sides)):
            summary(rows, str(k) if k else "", f"side {k}")
    for k, v in enumerate(versions):
        print(f"side {k}: budget-audit --version: {v:.3f} s (median)")
    load1 = os.getloadavg()
    print(f"load average at end {load1[0]:.1f} {load1[1]:.1f} {load1[2]:.1f}")


if __name__ == "__main__":
    main()
