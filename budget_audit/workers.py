"""Worker processes for a scan, watched from outside.

Each worker is a process of its own (forked from a preloaded ``forkserver``, so it
starts with the auditor imported) that takes one document at a time over a pipe and
exits after ``tasks`` documents (recycling caps its memory). The parent knows which
worker holds which document, so:

- a worker that dies (a segfault, ``SIGABRT`` from pdfium running out of memory under
  ``--max-memory``) costs exactly its own document, reported with the signal;
- the time limit holds even inside pdfium's C code: the worker's own ``SIGALRM`` gets
  the first chance (a clean message, the worker lives on), and the parent kills the
  worker ``GRACE`` seconds later if it is still busy (SIGALRM cannot interrupt C code);
- nothing outlives the scan: the parent kills its workers on any exit (an exception,
  Ctrl-C, SIGTERM, handled by the caller), and a worker whose parent disappears
  (``kill -9`` of the scan) notices within a second and exits.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

GRACE = 5.0  # seconds past the time limit before the parent kills a busy worker


def mp_context() -> Any:
    """forkserver (workers fork from a clean, single-threaded server that imported the
    auditor once); spawn where it is missing."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["budget_audit.scan", "budget_audit.warmup"])
        return ctx
    return mp.get_context("spawn")


def watch_parent() -> None:
    """In a worker: exit as soon as the process that started us is gone."""
    parent = os.getppid()

    def loop() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=loop, name="watch-parent", daemon=True).start()


def death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"信号 {-exitcode}"
        return f"处理时工作进程被 {name} 终止（可能超出内存限制 --max-memory，或文件触发了 PDF 库的缺陷）"
    return f"处理时工作进程异常退出（退出码 {exitcode}，可能超出内存限制 --max-memory）"


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    job: Any = None
    started: float = 0.0
    done: int = 0


def run_pool(
    jobs: Sequence[Any],
    target: Callable[..., None],
    args: tuple[Any, ...],
    workers: int,
    tasks: int,
    timeout: float | None,
    emit: Callable[[Any, dict[str, Any]], None],
    failed: Callable[[Any, str], dict[str, Any]],
) -> None:
    """Run every job on at most ``workers`` processes running ``target(conn, *args,
    tasks)``; ``emit(job, record)`` each result as it arrives, ``failed(job, reason)``
    builds the record of a job whose worker died or was killed."""
    ctx = mp_context()
    queue = deque(jobs)
    slots: list[_Slot] = []

    def start() -> _Slot:
        here, there = ctx.Pipe()
        proc = ctx.Process(target=target, args=(there, *args, tasks), daemon=True)
        proc.start()
        there.close()
        return _Slot(proc, here)

    def retire(slot: _Slot, kill: bool) -> None:
        if kill and slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(timeout=10)
        slot.conn.close()
        slots.remove(slot)

    try:
        while queue or any(s.job is not None for s in slots):
            while queue and len(slots) < workers:
                slots.append(start())
            for slot in [s for s in slots if s.job is None and not s.proc.is_alive()]:
                retire(slot, kill=True)  # died idle (it held no document)
            while queue and len(slots) < workers:
                slots.append(start())
            for slot in slots:
                if slot.job is None and queue and slot.done < tasks:
                    job = queue.popleft()
                    try:
                        slot.conn.send(job)
                    except (OSError, ValueError):
                        queue.appendleft(job)
                        slot.done = tasks  # broken: replace it
                        continue
                    slot.job, slot.started = job, time.monotonic()
            for slot in [s for s in slots if s.job is None and s.done >= tasks]:
                retire(slot, kill=False)
            busy = [s for s in slots if s.job is not None]
            if not busy:
                continue
            now = time.monotonic()
            nearest = min((s.started + timeout + GRACE - now for s in busy), default=1.0) if timeout else 1.0
            wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=max(0.05, min(1.0, nearest)))
            for slot in busy:
                job = slot.job
                try:
                    ready = slot.conn.poll()
                    record = slot.conn.recv() if ready else None
                except (EOFError, OSError):
                    ready, record = False, None
                if ready and record is not None:
                    slot.job, slot.done = None, slot.done + 1
                    emit(job, record)
                elif not slot.proc.is_alive():
                    slot.proc.join(timeout=10)
                    emit(job, failed(job, death_reason(slot.proc.exitcode)))
                    slot.job = None
                    retire(slot, kill=True)
                elif timeout and time.monotonic() - slot.started > timeout + GRACE:
                    retire(slot, kill=True)
                    emit(job, failed(job, f"超过时间限制（{timeout:g} 秒，--timeout），工作进程已被终止"))
    finally:
        for slot in list(slots):
            retire(slot, kill=True)
