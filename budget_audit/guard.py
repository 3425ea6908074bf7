"""Run a function in a limited child process: an address-space cap set inside it, a
time limit enforced from outside (the parent kills it), any death contained.

Used where C code that no Python signal can interrupt does the work on untrusted
input — drawing PDF pages for the HTML report (``render_page.py``) and reading the
documents of ``check`` (``ingest_limited``; a parse served from the cache needs no
child). On POSIX the child is forked (it shares the already-imported modules, no
start-up cost) and returns its result pickled over a pipe; it is the parent's own
code on both ends. The child also gets a CPU-time limit a little past the time limit,
which the kernel enforces, and (on Linux) dies with its parent. Where ``fork`` is missing the
function runs in-process, unprotected.

``check`` defaults (``PARSE_TIMEOUT``, ``PARSE_MEMORY_MB``) are far above what real
documents need: the corpus's slowest PDF parses in a few seconds, and the child's
address space peaks near 1 GB (most of it the parent's, inherited); see
``benchmarks/parse_limits.py``.
"""

from __future__ import annotations

import errno
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

DRAW_TIMEOUT = 60.0  # seconds for all the pictures of one document
DRAW_MEMORY_MB = 1536
PARSE_TIMEOUT = 300  # seconds to read one document in ``check`` (as a scan's --timeout)
PARSE_MEMORY_MB = 4096  # address space of the reading child
_CPU_GRACE = 10  # seconds of CPU past the time limit before the kernel kills the child


class LimitExceeded(Exception):
    """The child ran out of time (``kind`` "time"), memory ("memory"), or died ("died",
    ``detail`` the signal or exit code)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def run_checked(fn: Callable[..., T], *args: Any, timeout: float | None, max_memory_mb: int | None) -> T:
    """``fn(*args)`` in a forked child under the limits; its result, or the
    ``BudgetAuditError`` it raised (rebuilt here); ``LimitExceeded`` when it runs out of
    time or memory or dies. The child is killed on any exit of this function."""
    from . import errors

    if not hasattr(os, "fork"):
        return fn(*args)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(r)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _limit_child(timeout, max_memory_mb)
            try:
                reply: tuple[Any, ...] = ("ok", fn(*args))
            except errors.BudgetAuditError as exc:
                reply = ("error", type(exc).__name__, exc.message, dict(vars(exc)))
            except MemoryError:
                reply = ("memory",)
            except OSError as exc:  # a library that cannot be mapped in: out of address space
                out_of_memory = exc.errno == errno.ENOMEM or "map" in str(exc)
                reply = ("memory",) if out_of_memory else ("bug", f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a bug: the parent says so
                reply = ("bug", f"{type(exc).__name__}: {exc}")
            try:
                data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                data = pickle.dumps(("memory",))
            with os.fdopen(w, "wb") as out:
                out.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - the child reports failure by its exit code
            pass
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout if timeout else None
    done = False
    try:
        while True:
            left = deadline - time.monotonic() if deadline is not None else 1.0
            if left <= 0:
                raise LimitExceeded("time")
            ready, _, _ = select.select([r], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        status = _reap(pid)
        done = True
    finally:
        os.close(r)
        if not done:
            _kill(pid)
    answer: tuple[Any, ...] | None
    try:
        answer = pickle.loads(b"".join(chunks)) if chunks else None  # noqa: S301 - our own child's output
    except Exception:  # noqa: BLE001 - a truncated reply: the child died writing it
        answer = None
    if answer is None:
        raise LimitExceeded("died", _status_text(status))
    if answer[0] == "ok":
        result: T = answer[1]
        return result
    if answer[0] == "memory":
        raise LimitExceeded("memory")
    if answer[0] == "error":
        cls = getattr(errors, answer[1], errors.BudgetAuditError)
        err = cls.__new__(cls)
        Exception.__init__(err, answer[2])
        err.__dict__.update(answer[3])
        raise err
    raise RuntimeError(answer[1])


def _limit_child(timeout: float | None, max_memory_mb: int | None) -> None:
    import resource

    if sys.platform.startswith("linux"):  # die with the parent (kill -9 of check included)
        parent = os.getppid()
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent:
            os._exit(1)

    if max_memory_mb:
        limit = max_memory_mb << 20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if timeout:
        used = int(resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime)
        soft = used + int(timeout) + _CPU_GRACE
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or soft + 5 <= hard:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5))


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _status_text(status: int | None) -> str:
    if status is None:
        return ""
    if os.WIFSIGNALED(status):
        try:
            return signal.Signals(os.WTERMSIG(status)).name
        except ValueError:
            return f"信号 {os.WTERMSIG(status)}"
    return f"退出码 {os.WEXITSTATUS(status)}"


def ingest_limited(paths: list[str], timeout: float | None = PARSE_TIMEOUT, max_memory_mb: int | None = PARSE_MEMORY_MB) -> Any:
    """``ingest_many(paths)`` in a limited child when a file is a PDF: the
    ``Document``, the InputError the reading raised, or an InputError saying which
    limit the file ran into. Text exports are read in-process (no C code)."""
    from . import ingest
    from .errors import InputError

    if not any(ingest.sniff(p) == "pdf" for p in paths):
        return ingest.ingest_many(list(paths))  # text exports: Python only, no C code to fence
    try:
        return run_checked(ingest.ingest_many, list(paths), timeout=timeout, max_memory_mb=max_memory_mb)
    except LimitExceeded as exc:
        where = paths[0]
        if exc.kind == "time":
            raise InputError(where, f"读取超过时间限制（{timeout:g} 秒），已终止", hint="文件可能是恶意构造的；确需更长时间请用 --timeout") from None
        if exc.kind == "memory":
            raise InputError(where, f"读取超过内存上限（{max_memory_mb} MB），已终止", hint="文件可能是恶意构造的；确需更多内存请用 --max-memory") from None
        raise InputError(
            where,
            f"读取时 PDF 库异常终止（{exc.detail}；可能超出内存上限 {max_memory_mb} MB，或文件触发了 PDF 库的缺陷）",
            hint="确需更多内存请用 --max-memory",
        ) from None


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


def _reap(pid: int) -> int | None:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return status
