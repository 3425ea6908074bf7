"""Batch runs: find documents under a directory and audit each in worker processes;
one bad file never stops the rest.

A publication split into a text file and a tables file (``…_text_….pdf`` and
``…_tables_….pdf``, or ``正文``/``表格``) is audited as one document.

Discovery and hashing are guarded per file: a file that cannot be read, or that is
renamed or removed during the scan, becomes that document's "unreadable" result.
Each document runs in a worker process (``workers.py``: one document at a time per
worker, recycled every ``TASKS_PER_CHILD`` documents) under a time limit (SIGALRM in
the worker, and the parent kills a worker still busy ``GRACE`` seconds later, even
inside pdfium's C code) and an address-space limit (``RLIMIT_AS`` in the worker); a
document that exceeds them, or whose worker dies, is reported as unreadable with the
reason. Stopping the scan (Ctrl-C, SIGTERM, or killing it outright) stops its workers.
With a Dask scheduler address the same per-document function runs on a
``dask.distributed`` cluster instead.

Every finished document is appended to the journal (``journal.py``: ``--jsonl``, or a
private temporary file) as it finishes, so an interrupted run can resume
(``resume=True`` skips documents whose key and content hash are in the journal) and
the scanning process holds no results: they are read back one at a time when the
reports are written. Results come back ordered by path, through the same JSON round
trip, so the output is identical for 1 or N workers, resumed or not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .api import audit
from .errors import BudgetAuditError, UsageError
from .findings import AuditResult, CheckOutcome, Finding, Operand
from .ingest import SUPPORTED_SUFFIXES
from .journal import Journal, JournalResults
from .model import Location
from .rulebook import Rulebook
from .safeio import SafeIOError, open_regular
from .workers import run_pool, watch_parent

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
    """Documents under ``directory`` (grouped into publications), in path order.
    Unreadable subdirectories are skipped; symlinks are not followed."""
    files = []
    for root, dirs, names in os.walk(directory, onerror=lambda exc: None):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES:
                continue
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files.append(path)
    return pair_documents(sorted(files))


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
    the sha256 of its files' contents, which together identify it in the journal.
    ``error`` says why its files could not be hashed (the job is not run)."""

    paths: tuple[str, ...]
    key: str
    sha256: str
    error: str | None = None


def _digest(paths: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for p in paths:
        with os.fdopen(open_regular(p), "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def make_jobs(directory: str) -> list[Job]:
    jobs = []
    for paths in discover(directory):
        rel = " + ".join(os.path.relpath(p, directory).replace(os.sep, "/") for p in paths)
        try:
            jobs.append(Job(tuple(paths), rel, _digest(paths)))
        except (OSError, SafeIOError) as exc:  # unreadable, renamed or removed meanwhile
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            jobs.append(Job(tuple(paths), rel, "", f"无法读取文件（{why}），可能在扫描过程中被移走或改名"))
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


def _worker_main(conn: Any, book: Rulebook, lang: str, timeout: int | None, max_memory_mb: int | None, tasks: int) -> None:
    """A worker process: audit the documents sent over ``conn``, one at a time, then
    exit after ``tasks`` of them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    watch_parent()
    try:
        _init_worker(max_memory_mb)
    except (OSError, ValueError, MemoryError):
        pass
    for _ in range(tasks):
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            rec = audit_job(job, book, lang, timeout)
        except MemoryError:
            rec = _record(job, unreadable(job.paths, "超出内存限制（--max-memory），未能读完"))
        conn.send(rec)


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
    run_pool(
        jobs,
        _worker_main,
        (book, lang, opts.timeout, opts.max_memory_mb),
        workers,
        TASKS_PER_CHILD,
        opts.timeout,
        lambda job, rec: emit(rec),
        lambda job, reason: _record(job, unreadable(job.paths, reason)),
    )


def _run_dask(jobs: list[Job], book: Rulebook, lang: str, opts: ScanOptions, emit: Emit) -> None:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise UsageError(
            "--scheduler 需要 dask.distributed，但未安装", hint='pip install "budget-audit[dask]"'
        ) from None
    own = isinstance(opts.scheduler, str)
    try:
        client = Client(opts.scheduler, timeout="30s") if own else opts.scheduler
    except Exception as exc:  # a bad address, nobody listening, a refused handshake
        raise UsageError(
            f"无法连接 Dask 调度器 {opts.scheduler}（{type(exc).__name__}）", hint="检查 --scheduler 地址和调度器是否在运行"
        ) from None
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
    """The journal record of a result produced without running the job."""
    return {"key": job.key, "sha256": job.sha256, "status": result.status(), "seconds_ms": 0, "result": result_to_dict(result)}


def scan_directory(
    directory: str,
    book: Rulebook,
    lang: str = "zh",
    progress: bool = False,
    options: ScanOptions | None = None,
) -> Sequence[AuditResult]:
    """Audit every document under ``directory``; results ordered by path, read back
    from the journal one at a time."""
    opts = options or ScanOptions(progress=progress)
    jobs = make_jobs(directory)
    journal = Journal(opts.jsonl, opts.resume, [p for j in jobs for p in j.paths])
    try:
        todo = []
        for job in jobs:
            if job.error:
                journal.add(_record(job, unreadable(job.paths, job.error)))
            elif not (opts.resume and (job.key, job.sha256) in journal.index):
                todo.append(job)
        opts.reused = len(jobs) - len(todo)
        bar, task = _progress(opts.progress, len(jobs), len(jobs) - len(todo))

        def emit(rec: dict[str, Any]) -> None:
            journal.add(rec)
            if bar is not None:
                bar.advance(task)

        try:
            if todo:
                runner = _run_dask if opts.scheduler else _run_local
                with _terminate_as_interrupt():
                    runner(todo, book, lang, opts, emit)
        finally:
            if bar is not None:
                bar.stop()
        journal.finish()
    except BaseException:
        journal.close()
        raise

    def load(rec: dict[str, Any] | None, i: int) -> AuditResult:
        job = jobs[i]
        try:
            if rec is None:
                raise ValueError("missing")
            return _relocate(result_from_dict(rec["result"]), job.paths)
        except (ValueError, TypeError, KeyError):
            return unreadable(job.paths, "结果记录无法读取（日志文件可能已损坏），请不带 --resume 重新扫描")

    return JournalResults(journal, [(j.key, j.sha256) for j in jobs], load)


class _terminate_as_interrupt:  # noqa: N801
    """While scanning: SIGTERM raises KeyboardInterrupt in the main thread, so the
    workers are killed on the way out instead of being left running."""

    def __enter__(self) -> None:
        self.old = None
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGTERM, _raise_interrupt)

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)


def _raise_interrupt(signum: int, frame: Any) -> None:  # noqa: ARG001
    raise KeyboardInterrupt


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
        console=Console(stderr=True, markup=False, emoji=False),
        transient=True,
    )
    bar.start()
    task = bar.add_task("scan", total=total, completed=completed)
    return bar, task
