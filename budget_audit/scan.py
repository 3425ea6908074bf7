"""Batch runs: find documents under a directory and audit each in worker processes;
one bad file never stops the rest.

A publication split into a text file and a tables file (``…_text_….pdf`` and
``…_tables_….pdf``, or ``正文``/``表格``) is audited as one document.

Each document runs in a worker process (``concurrent.futures.ProcessPoolExecutor``,
``max_tasks_per_child`` recycles workers to cap memory) under a time limit (SIGALRM in
the worker) and an address-space limit (``RLIMIT_AS`` set in the worker); a document
that exceeds them, or whose worker dies, is reported as unreadable with the reason.
With a Dask scheduler address the same per-document function runs on a
``dask.distributed`` cluster instead.

Every finished document is appended to an optional JSON Lines journal as it finishes
(one line: key, sha256, the full result), flushed, so an interrupted run can resume
(``resume=True`` skips documents whose key and content hash are in the journal).
Results always go through the same JSON round trip and come back ordered by path, so
the output is identical for 1 or N workers, resumed or not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .api import audit
from .errors import BudgetAuditError, UsageError
from .findings import AuditResult, CheckOutcome, Finding, Operand
from .ingest import SUPPORTED_SUFFIXES
from .model import Location
from .rulebook import Rulebook

_PART = re.compile(r"(?<![a-z])(text|tables)(?![a-z])|正文|表格")
DEFAULT_TIMEOUT = 300
TASKS_PER_CHILD = 32  # recycle a worker after this many documents (a guard: RSS measured flat over 1,000)


# ---------------------------------------------------------------------------
# Discovery and pairing


# Why a file that is not a PDF or text export is not checked (by suffix).
_NOT_TAKEN = {
    (".doc", ".docx", ".wps"): "Word/WPS 文件，暂不支持（请另存为 PDF 后检查）",
    (".xls", ".xlsx", ".et", ".ods"): "Excel 表格，暂不支持（请另存为 PDF 后检查）",
    (".zip", ".rar", ".7z", ".gz", ".tar"): "压缩包，请先解压",
    (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif"): "图片（扫描件无法读取文字）",
    (".htm", ".html"): "网页，暂不支持（请打印为 PDF 后检查）",
}


def not_taken(directory: str, exclude: Iterable[str | os.PathLike[str]] = ()) -> list[tuple[str, str]]:
    """Files under ``directory`` that a scan does not audit, each with the reason
    (paths relative to the directory). Hidden files (``.name``) and the scan's own
    output and journal (``exclude``) are left out."""
    skip = {os.path.realpath(str(p)) for p in exclude}
    out = []
    for p in sorted(Path(directory).rglob("*")):
        if not p.is_file() or p.suffix.lower() in SUPPORTED_SUFFIXES:
            continue
        rel = p.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts) or os.path.realpath(p) in skip:
            continue
        if any(os.path.realpath(p).startswith(s + os.sep) for s in skip):
            continue  # inside the scan's own HTML output directory
        suffix = p.suffix.lower()
        why = next((w for sfx, w in _NOT_TAKEN.items() if suffix in sfx), f"不支持的文件类型 {suffix or '（无扩展名）'}")
        out.append((str(rel).replace(os.sep, "/"), why))
    return out


def discover(directory: str) -> list[list[str]]:
    files = sorted(
        str(p)
        for p in Path(directory).rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )
    return pair_documents(files)


def _key(path: str) -> str | None:
    name = os.path.basename(path)
    if not _PART.search(name):
        return None
    stem = _PART.sub("*", name)
    # Hashes or numbers that differ between the two files of one publication.
    stem = re.sub(r"_[0-9a-f]{8}(?=\.)", "", stem)
    return os.path.join(os.path.dirname(path), stem)


def pair_documents(files: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    for f in files:
        key = _key(f) or f
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(f)
    out = []
    for key in order:
        members = groups[key]
        # text part first, then tables
        members.sort(key=lambda p: (0 if re.search(r"text|正文", os.path.basename(p)) else 1, p))
        out.append(members)
    return out


@dataclass(frozen=True)
class Job:
    """One document: its files, its key (paths relative to the scanned directory) and
    the sha256 of its files' contents, which together identify it in the journal."""

    paths: tuple[str, ...]
    key: str
    sha256: str


def make_jobs(directory: str) -> list[Job]:
    jobs = []
    for paths in discover(directory):
        rel = " + ".join(os.path.relpath(p, directory).replace(os.sep, "/") for p in paths)
        digest = hashlib.sha256()
        for p in paths:
            with open(p, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        jobs.append(Job(tuple(paths), rel, digest.hexdigest()))
    return sorted(jobs, key=lambda j: j.key)


# ---------------------------------------------------------------------------
# One document (runs in a worker)


class _Timeout(BaseException):
    """Raised by SIGALRM in a worker; a BaseException so no kind's ``except Exception``
    swallows it."""


def _on_alarm(signum: int, frame: Any) -> None:  # noqa: ARG001
    raise _Timeout()


def unreadable(paths: Iterable[str], reason: str) -> AuditResult:
    paths = list(paths)
    return AuditResult(paths[0], paths, {}, [], [], [], [], error=reason)


def audit_safely(paths: list[str], book: Rulebook, lang: str = "zh") -> AuditResult:
    try:
        return audit(paths, book, lang)
    except BudgetAuditError as exc:
        return unreadable(paths, str(exc))
    except MemoryError:
        return unreadable(paths, "超出内存限制（--max-memory），未能读完")
    except Exception as exc:  # a bug in one document must not cost the others
        return unreadable(paths, f"内部错误：{type(exc).__name__}: {exc}")


def audit_job(job: Job, book: Rulebook, lang: str = "zh", timeout: int | None = None) -> dict[str, Any]:
    """Audit one document and return its journal record (plain JSON data).

    The time limit is enforced with SIGALRM when this runs on a process's main thread
    (a pool worker); elsewhere (a Dask worker thread) it cannot be, and is not.
    """
    t0 = time.monotonic()
    armed = bool(timeout) and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if armed:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, float(timeout or 0))
    try:
        result = audit_safely(list(job.paths), book, lang)
    except _Timeout:
        result = unreadable(job.paths, f"超过时间限制（{timeout} 秒，--timeout），未能读完")
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    return {
        "key": job.key,
        "sha256": job.sha256,
        "status": result.status(),
        "seconds_ms": int((time.monotonic() - t0) * 1000),
        "result": result_to_dict(result),
    }


def _init_worker(max_memory_mb: int | None) -> None:
    from . import warmup  # noqa: F401  (already built when forked from the preloaded server)

    if max_memory_mb:
        import resource

        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# ---------------------------------------------------------------------------
# Result <-> JSON (the journal keeps everything, both languages; passes as counts)


def result_to_dict(result: AuditResult) -> dict[str, Any]:
    d = dataclasses.asdict(result)
    d.pop("timings", None)
    return d


def result_from_dict(d: dict[str, Any]) -> AuditResult:
    d = dict(d)
    d["findings"] = [_finding(f) for f in d.get("findings", [])]
    d["outcomes"] = [CheckOutcome(**o) for o in d.get("outcomes", [])]
    names = {f.name for f in dataclasses.fields(AuditResult)}
    return AuditResult(**{k: v for k, v in d.items() if k in names})


def _location(d: dict[str, Any]) -> Location:
    d = dict(d)
    if d.get("bbox") is not None:
        d["bbox"] = tuple(d["bbox"])
    return Location(**d)


def _finding(d: dict[str, Any]) -> Finding:
    d = dict(d)
    d["locations"] = tuple(_location(x) for x in d.get("locations", ()))
    d["detail"] = tuple((k, _tuplify(v)) for k, v in d.get("detail", ()))
    d["operands"] = tuple(_operand(x) for x in d.get("operands", ()))
    return Finding(**d)


def _operand(d: dict[str, Any]) -> Operand:
    d = dict(d)
    if d.get("location") is not None:
        d["location"] = _location(d["location"])
    return Operand(**d)


def _tuplify(v: Any) -> Any:
    return tuple(_tuplify(x) for x in v) if isinstance(v, list) else v


def _relocate(result: AuditResult, paths: tuple[str, ...]) -> AuditResult:
    """A journal written from another working directory: point its paths at ours."""
    mapping = dict(zip(result.files, paths, strict=False))
    if all(k == v for k, v in mapping.items()):
        return result
    result.file = mapping.get(result.file, result.file)
    result.files = [mapping.get(f, f) for f in result.files]
    result.findings = [
        dataclasses.replace(
            f,
            locations=tuple(
                dataclasses.replace(loc, file=mapping.get(loc.file, loc.file)) if loc.file else loc
                for loc in f.locations
            ),
        )
        for f in result.findings
    ]
    return result


# ---------------------------------------------------------------------------
# Journal


def read_journal(path: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Complete lines of a journal by (key, sha256); a line cut by an interruption is
    dropped (and rewritten away by :func:`open_journal`)."""
    done: dict[tuple[str, str], dict[str, Any]] = {}
    if not os.path.exists(path):
        return done
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            try:
                rec = json.loads(line)
                done[(rec["key"], rec["sha256"])] = rec
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return done


def open_journal(path: str, keep: Iterable[dict[str, Any]]):  # noqa: ANN201
    """Rewrite the journal with the records kept, then leave it open for appending."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in keep:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return open(path, "a", encoding="utf-8")


# ---------------------------------------------------------------------------
# Runners


@dataclass
class ScanOptions:
    jobs: int | None = None  # worker processes; None: one per core
    timeout: int | None = DEFAULT_TIMEOUT
    max_memory_mb: int | None = None
    jsonl: str | None = None
    resume: bool = False
    scheduler: Any = None  # a Dask scheduler address (or a distributed.Client)
    progress: bool = False
    reused: int = 0  # set by scan_directory: results taken from the journal (--resume)


Emit = Callable[[dict[str, Any]], None]


def _run_local(jobs: list[Job], book: Rulebook, lang: str, opts: ScanOptions, emit: Emit) -> None:
    workers = max(1, min(opts.jobs or os.cpu_count() or 1, len(jobs)))
    broken = _pool_pass(jobs, book, lang, opts, emit, workers)
    # A worker died (segfault, memory): the pool cannot say whose document killed it,
    # so run each unfinished document alone; a death there is that document's.
    for job in broken:
        if _pool_pass([job], book, lang, opts, emit, 1):
            reason = "处理时工作进程异常退出（可能超出内存限制 --max-memory）"
            emit(_record(job, unreadable(job.paths, reason)))


def _new_pool(workers: int, opts: ScanOptions) -> ProcessPoolExecutor:
    ctx = _mp_context()
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(opts.max_memory_mb,))


def _mp_context():  # noqa: ANN202
    # forkserver: workers fork from a clean, single-threaded server that has imported
    # the auditor once (cheap start, no fork-with-threads hazards); spawn elsewhere.
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["budget_audit.scan", "budget_audit.warmup"])
        return ctx
    return mp.get_context("spawn")


def _pool_pass(jobs: list[Job], book: Rulebook, lang: str, opts: ScanOptions, emit: Emit, workers: int) -> list[Job]:
    """Run ``jobs`` with at most ``workers`` in flight; return those whose worker died.

    Workers are recycled every TASKS_PER_CHILD documents each, by starting a fresh pool
    generation (the old one drains and exits). This is what ``max_tasks_per_child``
    is for, but on CPython before 3.12 that option can hang the executor for good once
    every worker has retired (seen here: 2 workers x 8 tasks, then no progress;
    cpython gh-115634), so it is not used.
    """
    queue = deque(jobs)
    inflight: dict[Future[dict[str, Any]], tuple[Job, ProcessPoolExecutor]] = {}
    broken: list[Job] = []
    pools: list[ProcessPoolExecutor] = []
    pool: ProcessPoolExecutor | None = None
    used = 0
    try:
        while queue or inflight:
            while queue and len(inflight) < workers:
                if pool is None or used >= workers * TASKS_PER_CHILD:
                    if pool is not None:
                        pool.shutdown(wait=False)
                    pool, used = _new_pool(workers, opts), 0
                    pools.append(pool)
                job = queue.popleft()
                try:
                    inflight[pool.submit(audit_job, job, book, lang, opts.timeout)] = (job, pool)
                    used += 1
                except BrokenProcessPool:
                    broken.append(job)
                    pool = None
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for fut in done:
                job, owner = inflight.pop(fut)
                try:
                    rec = fut.result()
                except BrokenProcessPool:
                    broken.append(job)
                    if owner is pool:
                        pool = None
                    continue
                except Exception as exc:  # pickling or a worker-side bug: this document only
                    rec = _record(job, unreadable(job.paths, f"内部错误：{type(exc).__name__}: {exc}"))
                emit(rec)
    finally:
        for p in pools:
            p.shutdown(wait=True, cancel_futures=True)
    return sorted(broken, key=lambda j: j.key)


def _run_dask(jobs: list[Job], book: Rulebook, lang: str, opts: ScanOptions, emit: Emit) -> None:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise UsageError(
            "--scheduler 需要 dask.distributed，但未安装", hint='pip install "budget-audit[dask]"'
        ) from None
    own = isinstance(opts.scheduler, str)
    client = Client(opts.scheduler, timeout="30s") if own else opts.scheduler
    try:
        futures = {client.submit(audit_job, job, book, lang, opts.timeout, pure=False): job for job in jobs}
        for fut in dask_completed(list(futures)):
            job = futures[fut]
            try:
                rec = fut.result()
            except Exception as exc:  # a worker lost, a task killed: this document only
                rec = _record(job, unreadable(job.paths, f"Dask 任务失败：{type(exc).__name__}: {exc}"))
            emit(rec)
    finally:
        if own:
            client.close()


def _record(job: Job, result: AuditResult) -> dict[str, Any]:
    return {"key": job.key, "sha256": job.sha256, "status": result.status(), "seconds_ms": 0, "result": result_to_dict(result)}


def scan_directory(
    directory: str,
    book: Rulebook,
    lang: str = "zh",
    progress: bool = False,
    options: ScanOptions | None = None,
) -> list[AuditResult]:
    """Audit every document under ``directory``; results ordered by path."""
    opts = options or ScanOptions(progress=progress)
    jobs = make_jobs(directory)
    done: dict[tuple[str, str], dict[str, Any]] = {}
    if opts.jsonl and opts.resume:
        done = read_journal(opts.jsonl)
    wanted = {(j.key, j.sha256) for j in jobs}
    records = {k: v for k, v in done.items() if k in wanted}
    todo = [j for j in jobs if (j.key, j.sha256) not in records]
    opts.reused = len(jobs) - len(todo)
    journal = open_journal(opts.jsonl, done.values() if opts.resume else ()) if opts.jsonl else None
    bar, task = _progress(opts.progress, len(jobs), len(jobs) - len(todo))

    def emit(rec: dict[str, Any]) -> None:
        records[(rec["key"], rec["sha256"])] = rec
        if journal is not None:
            journal.write(json.dumps(rec, ensure_ascii=False) + "\n")
            journal.flush()
        if bar is not None:
            bar.advance(task)

    try:
        if todo:
            runner = _run_dask if opts.scheduler else _run_local
            runner(todo, book, lang, opts, emit)
    finally:
        if journal is not None:
            journal.close()
        if bar is not None:
            bar.stop()
    return [_relocate(result_from_dict(records[(j.key, j.sha256)]["result"]), j.paths) for j in jobs]


def _progress(enabled: bool, total: int, completed: int):  # noqa: ANN202
    if not enabled or not total:
        return None, None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        TextColumn("检查中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    bar.start()
    task = bar.add_task("scan", total=total, completed=completed)
    return bar, task
