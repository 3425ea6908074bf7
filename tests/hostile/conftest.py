"""Helpers for the hostile-input suite (issue 13): run the CLI under an address-space
limit and a time limit, and check what a user would see."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..paths import REPO

MEMORY_MB = 2048  # address space for one CLI run (numpy + pdfium need ~0.5 GB of it)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _limit(mb: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))

    return apply


def cli(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 240, memory_mb: int = MEMORY_MB, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``budget-audit args`` (bytes out: outputs are checked byte by byte)."""
    full_env = {**os.environ, "BUDGET_AUDIT_CACHE": "off", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "budget_audit", *[os.fspath(a) for a in args]],
        capture_output=True,
        cwd=cwd or REPO,
        timeout=timeout,
        env=full_env,
        preexec_fn=_limit(memory_mb),
    )


def one_chinese_line(r: subprocess.CompletedProcess[bytes], *words: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr, in Chinese, not a crash."""
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2, (r.returncode, err, r.stdout[:300])
    assert r.stdout == b"", r.stdout[:300]
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "内部错误" not in err, err
    assert re.search(r"[\u4e00-\u9fff]", err), err
    assert not _CONTROLS.search(err), repr(err)
    for w in words:
        assert w in err, (w, err)
    return err


def a_report(r: subprocess.CompletedProcess[bytes]) -> str:
    """Exit 0 or 1 with a report on stdout, no crash."""
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode in (0, 1), (r.returncode, err)
    assert "Traceback" not in err and "内部错误" not in err, err
    return r.stdout.decode("utf-8")


def no_controls(text: str) -> None:
    """No control character but newline and tab (a terminal report may colour with
    ESC only when asked to; these runs are not terminals)."""
    m = _CONTROLS.search(text)
    assert m is None, repr(text[max(0, m.start() - 40) : m.end() + 40]) if m else ""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def fingerprints():  # type: ignore[no-untyped-def]
    """Record files' sha256 now; ``check()`` asserts they are unchanged."""
    seen: dict[Path, str] = {}

    class Prints:
        def add(self, *paths: Path) -> None:
            for p in paths:
                seen[p] = sha(p)

        def check(self) -> None:
            for p, digest in seen.items():
                assert sha(p) == digest, f"{p} was modified"

    return Prints()
