"""Run a function in a limited child process: an address-space cap set inside it, a
time limit enforced from outside (the parent kills it), any death contained.

Used where C code that no Python signal can interrupt does the work on untrusted
input — drawing PDF pages for the HTML report (``render_page.py``). On POSIX the child
is forked (it shares the already-imported modules, no start-up cost) and returns its
result pickled over a pipe; it is the parent's own code on both ends. Where ``fork``
is missing the function runs in-process, unprotected.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

DRAW_TIMEOUT = 60.0  # seconds for all the pictures of one document
DRAW_MEMORY_MB = 1536


def run_limited(fn: Callable[..., T], *args: Any, timeout: float = DRAW_TIMEOUT, max_memory_mb: int | None = DRAW_MEMORY_MB) -> T | None:
    """``fn(*args)`` in a forked child; None when it fails, dies, or runs out of
    time or memory."""
    if not hasattr(os, "fork"):
        try:
            return fn(*args)
        except Exception:  # noqa: BLE001 - a picture is never worth a crash
            return None
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(r)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if max_memory_mb:
                import resource

                limit = max_memory_mb << 20
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as out:
                out.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - the child reports failure by its exit code
            pass
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                return None
            ready, _, _ = select.select([r], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
        _reap(pid)
    try:
        return pickle.loads(b"".join(chunks)) if chunks else None  # noqa: S301 - our own child's output
    except Exception:  # noqa: BLE001
        return None


def _reap(pid: int) -> None:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        pass
