"""Command line: check, scan, rules, extract. Thin: every command calls the API.

Exit codes: 0 clean, 1 findings at or above --fail-on (or a document not verified
enough, or under --min-coverage), 2 usage/input/rule error, a document not recognised
as a 预算/决算 disclosure or one on which no check could run (in ``scan``: no document
could be checked at all). Help and
usage errors are Chinese (``cli_help``); ``--version`` is answered by ``entry``
before this module is imported.
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import BudgetAuditError, UsageError
from .safeio import SafeIOError, atomic_open, atomic_write, check_output, same_file
from .textsafe import shown, valid_unicode

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="budget-audit：检查部门预算/决算公开文件的内部一致性。",
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(no_args_is_help=True, help="查看、解释和校验规则。")
app.add_typer(rules_app, name="rules")

_err = Console(stderr=True, highlight=False, markup=False, emoji=False)


class Fmt(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    csv = "csv"
    xlsx = "xlsx"
    sarif = "sarif"
    junit = "junit"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


# The format an output file's name asks for (used when --format is not given).
SUFFIX_FORMATS = {
    ".json": "json", ".html": "html", ".htm": "html", ".csv": "csv", ".xlsx": "xlsx",
    ".sarif": "sarif", ".xml": "junit", ".txt": "text",
}

RulesOpt = Annotated[list[str] | None, typer.Option("--rules", "-r", metavar="规则文件", help="规则文件（可多次指定；默认使用内置规则）")]
FormatOpt = Annotated[
    Fmt | None,
    typer.Option("--format", "-f", metavar="格式", help="输出格式：text|json|html|csv|xlsx|sarif|junit（默认按 -o 文件的扩展名，否则 text）"),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="文件", help="写入文件而不是标准输出（scan 的 html 为目录）")]
FailOnOpt = Annotated[FailOn | None, typer.Option("--fail-on", metavar="程度", help="error|warning|never：达到该严重程度的问题使退出码为 1（默认 warning）")]
SelectOpt = Annotated[list[str] | None, typer.Option("--select", metavar="编号", help="只运行这些检查：编号、前缀或名称，逗号分隔，不区分大小写（如 YS-121,YS-2）")]
IgnoreOpt = Annotated[list[str] | None, typer.Option("--ignore", metavar="编号", help="不运行这些检查（写法同 --select）")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", metavar="语言", help="报告语言：zh|en（默认 zh）")]
MinCoverageOpt = Annotated[
    int | None,
    typer.Option("--min-coverage", min=0, max=100, metavar="百分比", help="正文数字的核对覆盖率低于此值（0–100）时退出码为 1；没有正文数字也算未达到"),
]
ShowSkippedOpt = Annotated[bool, typer.Option("--show-skipped", help="列出每项跳过的检查及原因（默认只给出数目）")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示完整回溯")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", metavar="文件", help="配置文件（默认从目标向上查找 budget-audit.toml 或 pyproject.toml）")]
BaselineOpt = Annotated[Path | None, typer.Option("--baseline", metavar="文件", help="基线文件：只报告其中没有的新问题（金额变了也算新问题）")]
UpdateBaselineOpt = Annotated[bool, typer.Option("--update-baseline", help="把当前的问题写入 --baseline 文件（保留已填写的“说明”）")]


def _say_error(message: str) -> None:
    """One line on stderr (no wrapping, no markup interpretation of paths, control
    characters and undecodable file-name bytes shown escaped)."""
    _err.print(Text(shown(message), style="red"), soft_wrap=True)


def _fail(exc: BudgetAuditError) -> None:
    _say_error(f"错误：{exc}")
    raise typer.Exit(2)


def _book(rules: list[str] | None, select: list[str] | None, ignore: list[str] | None, need: bool = False):  # noqa: ANN202
    from .rulebook import load

    book = load(rules or None).select(select, ignore)
    if need and not book.checks:
        raise UsageError(
            "没有选中任何检查：--select/--ignore（或配置文件）排除了全部检查，无从核对",
            hint="用 budget-audit rules list 查看检查编号",
        )
    return book


def _write(data: str | bytes, output: Path | None, inputs: list[str] | tuple[str, ...] = ()) -> None:
    """Write a report to stdout or, through a temporary file renamed into place, to
    ``output`` — never onto one of the ``inputs`` or onto a document (safeio.py)."""
    if output is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                raise UsageError("xlsx 是二进制格式，不能输出到终端", hint="用 -o 文件名.xlsx")
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(valid_unicode(data))
        return
    _check_output(output, inputs)
    try:
        atomic_write(str(output), data if isinstance(data, bytes) else valid_unicode(data))
    except OSError as exc:
        raise UsageError(f"{output}: 无法写入（{exc.strerror or exc}）") from None


class _Utf8Sink:
    """A text stream over a binary one: what a streaming reporter writes, as UTF-8
    (undecodable file-name bytes decoded, as ``_write`` does)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def write(self, text: str) -> int:
        self._raw.write(valid_unicode(text).encode("utf-8"))
        return len(text)


def _write_stream(write: Callable[[Any], None], binary: bool, output: Path | None) -> None:
    """Let a streaming reporter (``report.SCAN_WRITERS``) write to stdout or, through a
    temporary file renamed into place when it is done, to ``output``."""
    if output is None:
        if binary and sys.stdout.isatty():
            raise UsageError("xlsx 是二进制格式，不能输出到终端", hint="用 -o 文件名.xlsx")
        sys.stdout.flush()
        write(sys.stdout.buffer if binary else _Utf8Sink(sys.stdout.buffer))
        sys.stdout.buffer.flush()
        return
    _check_output(output, [])
    try:
        with atomic_open(str(output)) as fh:
            write(fh if binary else _Utf8Sink(fh))
    except OSError as exc:
        raise UsageError(f"{output}: 无法写入（{exc.strerror or exc}）") from None


def _check_output(output: Path, inputs: list[str] | tuple[str, ...], what: str = "输出文件") -> None:
    try:
        check_output(str(output), inputs, what)
    except SafeIOError as exc:
        raise UsageError(str(exc)) from None


class Settings:
    """Options after merging: command line, then the config file, then defaults. The
    output file's extension chooses the format when ``--format`` is not given."""

    def __init__(self, target: Path, config: Path | None, output: Path | None = None, **cli: object) -> None:
        from .config import load

        cfg = load(target, config)
        self.config = cfg.path
        self.config_notes = cfg.notes

        def pick(key: str, default: object) -> object:
            value = cli.get(key)
            if isinstance(value, Enum):
                value = value.value
            if value is None or value == []:
                value = cfg.get(key, default)
            return value

        self.rules: list[str] | None = pick("rules", None)  # type: ignore[assignment]
        self.select: list[str] | None = pick("select", None)  # type: ignore[assignment]
        self.ignore: list[str] | None = pick("ignore", None)  # type: ignore[assignment]
        by_suffix = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None and cli.get("format") is None else None
        self.fmt = by_suffix or str(pick("format", "text"))
        self.fail_on = str(pick("fail_on", "warning"))
        self.lang = str(pick("lang", "zh"))


def _say_config(st: Settings) -> None:
    """Which config file this run obeyed (and which it ignored), on stderr."""
    for note in st.config_notes:
        _err.print(Text(shown(note), style="yellow"), soft_wrap=True)
    if st.config:
        _err.print(Text(f"使用配置文件：{shown(st.config)}", style="dim"), soft_wrap=True)


def _unchecked(result) -> str | None:  # noqa: ANN001
    """Why nothing was checked in a document (exit 2 in ``check``), or None: it could
    not be read, nothing in it reads as a 预算/决算 disclosure, or not one check
    could run on it (every applicable check skipped, or none applies)."""
    if result.error:
        return result.error
    if not result.recognised():
        return "未识别为预算/决算文件：封面、标题和表格都没有表明这是部门/单位预算或决算公开文件，未作核对"
    if not any(o.status in ("pass", "fail", "error") for o in result.outcomes):
        why = result.insufficient()
        return "没有一项检查得以运行" + (f"：{why[0]}" if why else "")
    return None


def _exit_code(results: list, fail_on: str, min_coverage: int | None = None) -> int:  # noqa: ANN001
    """1 when a document has findings at or above ``fail_on``, a crashed check, or a
    verdict that is not a pass for want of evidence (insufficient); or when its prose
    coverage is under ``min_coverage``. Documents on which nothing was checked
    (``_unchecked``) are not counted here: ``check`` exits 2 for them, ``scan`` only
    when no document at all could be checked."""
    code = 0
    for r, pct in _below_coverage(results, min_coverage):
        shown = "不适用（没有正文数字）" if pct is None else f"{pct}%"
        _say_error(f"核对覆盖率不足：{r.file} 正文数字已核对 {shown}，低于 --min-coverage {min_coverage}%")
        code = 1
    if fail_on == "never":
        return code
    for r in results:
        if _unchecked(r) is not None:
            continue
        if r.failures(fail_on) or any(f.status == "error" for f in r.findings):
            code = 1
        elif r.status() == "insufficient":
            code = 1
    return code


def _below_coverage(results: list, min_coverage: int | None) -> list:  # noqa: ANN001
    """Documents whose share of numeric prose claims verified is below the minimum;
    a document with no prose number has no share and does not reach any minimum."""
    if min_coverage is None:
        return []
    out = []
    for r in results:
        if _unchecked(r) is not None:
            continue
        pct = r.coverage()["claim_coverage_pct"]
        if pct is None or pct < min_coverage:
            out.append((r, pct))
    return out


def _baseline(results: Sequence, path: Path | None, update: bool):  # noqa: ANN202
    """Apply (or first write) the baseline; returns (results, report or None)."""
    from . import baseline

    if path is None:
        if update:
            raise UsageError("--update-baseline 需要 --baseline 文件名")
        return results, None
    if update:
        _check_output(path, [], "基线文件")
        n = baseline.write(str(path), results)
        _err.print(Text(f"已写入基线 {path}：{n} 条", style="green"), soft_wrap=True)
    return baseline.apply_view(results, baseline.read(str(path)))  # filtered as each is read


def _plan_outputs(inputs: list[str], output: Path | None, baseline: Path | None, update: bool) -> None:
    """Before any work: refuse outputs that would overwrite an input or each other."""
    if output is not None:
        _check_output(output, inputs)
    if baseline is not None and update:
        _check_output(baseline, inputs, "基线文件")
        if output is not None and same_file(str(output), str(baseline)):
            raise UsageError(f"-o {output} 与 --baseline 是同一个文件")


def _plan_scan_outputs(
    directory: Path, fmt: str, output: Path | None, jsonl: Path | None, baseline: Path | None, update: bool
) -> None:
    """Before a scan: an output that is a document of the scanned folder, or that
    holds something else, or two outputs on one path, are refused."""
    from .ingest import SUPPORTED_SUFFIXES

    root = os.path.realpath(directory)
    named = [(p, w) for p, w in ((output, "-o"), (jsonl, "--jsonl"), (baseline if update else None, "--baseline")) if p]
    for path, what in named:
        real = os.path.realpath(path)
        inside = real.startswith(root.rstrip(os.sep) + os.sep)
        if inside and path.suffix.lower() in SUPPORTED_SUFFIXES and not (what == "-o" and fmt == "html"):
            raise UsageError(f"{what} {path} 在被扫描的目录中且是 {path.suffix} 文件，会被当作文档读取或覆盖文档", hint="把输出写到目录之外")
    for (a, wa), (b, wb) in ((x, y) for i, x in enumerate(named) for y in named[i + 1 :]):
        if same_file(str(a), str(b)):
            raise UsageError(f"{wa} 与 {wb} 是同一个文件：{a}")
    if output is not None and fmt == "html":
        if output.exists() and not output.is_dir():
            raise UsageError(f"-o {output} 已存在且不是目录：scan 的 html 报告是一个目录", hint="换一个目录名")
    elif output is not None:
        _check_output(output, [])
    if baseline is not None and update:
        _check_output(baseline, [], "基线文件")


def _run_guarded(fn, debug: bool):  # noqa: ANN001, ANN202
    try:
        return fn()
    except BudgetAuditError as exc:
        if debug:
            traceback.print_exc()
        _fail(exc)
    except typer.Exit:
        raise
    except Exception as exc:  # a bug: say so plainly, traceback only with --debug
        if debug:
            traceback.print_exc()
        _say_error(f"内部错误（程序缺陷，请报告）：{type(exc).__name__}: {exc}（加 --debug 查看回溯）")
        raise typer.Exit(2) from None


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(metavar="文件...", help="一份文档的一个或多个文件（如正文 PDF 与表格 PDF）")],
    rules: RulesOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    lang: LangOpt = None,
    show_passed: Annotated[bool, typer.Option("--show-passed", help="JSON 中也列出通过的核对")] = False,
    show_skipped: ShowSkippedOpt = False,
    config: ConfigOpt = None,
    baseline: BaselineOpt = None,
    update_baseline: UpdateBaselineOpt = False,
    min_coverage: MinCoverageOpt = None,
    timeout: Annotated[int | None, typer.Option("--timeout", min=0, metavar="秒", help="读取 PDF 的时间限制（秒；0 为不限；默认 300），也限制 html 报告绘制页面图片")] = None,
    max_memory: Annotated[int | None, typer.Option("--max-memory", min=64, metavar="MB", help="读取 PDF 的子进程的内存上限（MB；默认 4096），也限制绘制页面图片")] = None,
    debug: DebugOpt = False,
) -> None:
    """检查一份文档，列出不一致之处、修改建议及核对覆盖情况。

    退出码：0 没有达到 --fail-on 的问题；1 有这样的问题、核对不足或覆盖率低于 --min-coverage；
    2 用法、输入或规则文件错误，文档未识别为预算/决算文件，或没有一项检查得以运行。
    """
    from .api import audit
    from .report import FORMATS

    def go() -> int:
        inputs = [str(f) for f in files]
        _plan_outputs(inputs, output, baseline, update_baseline)
        st = Settings(files[0], config, output, rules=rules, select=select, ignore=ignore, format=fmt, fail_on=fail_on, lang=lang)
        book = _book(st.rules, st.select, st.ignore, need=True)
        from .guard import PARSE_MEMORY_MB, PARSE_TIMEOUT

        # documents are read in a child killed from outside at the limits (guard.py)
        limits = (PARSE_TIMEOUT if timeout is None else timeout or None, max_memory or PARSE_MEMORY_MB)
        result = audit(inputs, book, st.lang, keep_passes=show_passed, parse_limits=limits)
        results, report = _baseline([result], baseline, update_baseline)
        options = {
            "lang": st.lang, "show_passed": show_passed, "show_skipped": show_skipped,
            "color": output is None and sys.stdout.isatty(), "baseline": report, "fail_on": st.fail_on,
            "output": str(output) if output is not None else None,
            "draw_limits": (timeout or None, max_memory),
        }
        _write(FORMATS[st.fmt](results[0], options), output, inputs)
        _say_config(st)
        why = _unchecked(results[0])
        if why is not None:  # the report says so too; the exit code is an input error's
            _say_error(f"{files[0]}: {why}")
            return 2
        return _exit_code(results, st.fail_on, min_coverage)

    raise typer.Exit(_run_guarded(go, debug))


@app.command()
def scan(
    directory: Annotated[Path, typer.Argument(metavar="目录", help="要扫描的目录（递归）")],
    rules: RulesOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    lang: LangOpt = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="个数", help="并行工作进程数（默认每个 CPU 核一个）")] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=0, metavar="秒", help="每份文档的时间限制（秒；0 为不限；默认 300）")] = 300,
    max_memory: Annotated[int | None, typer.Option("--max-memory", min=64, metavar="MB", help="每个工作进程的内存上限（MB）")] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", metavar="文件", help="逐份写入结果的 JSON Lines 文件（可用 --resume 续跑）")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="沿用 --jsonl 中已完成（路径与内容相同）的结果，只检查其余文档")] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="地址", help="Dask 调度器地址（如 tcp://host:8786），需安装 budget-audit[dask]")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只列出未通过的文档和汇总")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="按检查统计问题数（次数最多的在前）")] = False,
    show_skipped: ShowSkippedOpt = False,
    config: ConfigOpt = None,
    baseline: BaselineOpt = None,
    update_baseline: UpdateBaselineOpt = False,
    min_coverage: MinCoverageOpt = None,
    debug: DebugOpt = False,
) -> None:
    """扫描目录下所有 PDF/文本文件（并行）；单个文件出错或超时不影响其他文件，不能检查的文件逐一列出。

    退出码：0 没有达到 --fail-on 的问题；1 某份文档有这样的问题、核对不足或覆盖率不足；
    2 用法错误，或没有一份文档得到核对（都无法读取、都未识别为预算/决算文件）。
    无法读取和未识别的文档在汇总中逐一列出，不影响退出码。
    """
    from .report import SCAN_FORMATS
    from .scan import ScanOptions, not_taken, scan_directory

    def go() -> int:
        if not directory.is_dir():
            raise BudgetAuditError(f"{directory}: 不是目录", hint="检查单个文件请用 budget-audit check")
        if resume and jsonl is None:
            raise UsageError("--resume 需要 --jsonl 文件")
        st = Settings(directory, config, output, rules=rules, select=select, ignore=ignore, format=fmt, fail_on=fail_on, lang=lang)
        if st.fmt == "html" and output is None:
            raise UsageError("scan 的 html 报告是一个目录", hint="用 -o 目录名/")
        _plan_scan_outputs(directory, st.fmt, output, jsonl, baseline, update_baseline)
        if scheduler is not None and not re.match(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/]+(:\d+)?/?$|^[\w.-]+:\d+$", scheduler):
            raise UsageError(f"--scheduler {scheduler!r} 不是 Dask 调度器地址", hint="形如 tcp://主机:8786")
        book = _book(st.rules, st.select, st.ignore, need=True)
        opts = ScanOptions(
            jobs=jobs, timeout=timeout or None, max_memory_mb=max_memory, jsonl=str(jsonl) if jsonl else None,
            resume=resume, scheduler=scheduler, progress=sys.stderr.isatty(),
        )
        results = scan_directory(str(directory), book, st.lang, options=opts)
        others = not_taken(str(directory), exclude=[p for p in (jsonl, output) if p is not None])
        if resume:
            _err.print(Text(f"续跑：沿用 {opts.reused} 份已有结果，新检查 {len(results) - opts.reused} 份", style="green"), soft_wrap=True)
        if not results:
            listing = "；".join(f"{f}（{why}）" for f, why in others[:5])
            _say_error("目录中没有可检查的 PDF 或文本文件" + (f"：{listing}" if listing else ""))
            return 2
        results, report = _baseline(results, baseline, update_baseline)
        options = {
            "lang": st.lang, "color": output is None and sys.stdout.isatty(), "baseline": report,
            "show_skipped": show_skipped, "fail_on": st.fail_on, "quiet": quiet, "statistics": statistics,
            "not_taken": others, "scan_dir": str(directory), "output": str(output) if output is not None else None,
            "draw_limits": (timeout or None, max_memory),  # page pictures obey the scan's limits too
        }
        if st.fmt == "html":
            from .report.html import write_site

            assert output is not None
            index = write_site(results, str(output), options)
            _err.print(Text(f"已写入 {index}", style="green"), soft_wrap=True)
        else:
            from .report import BINARY, SCAN_WRITERS

            if st.fmt in SCAN_WRITERS:  # record by record, never the whole report in memory
                _write_stream(lambda out: SCAN_WRITERS[st.fmt](results, options, out), st.fmt in BINARY, output)
            else:
                _write(SCAN_FORMATS[st.fmt](results, options), output)
        _say_config(st)
        unchecked = sum(1 for r in results if _unchecked(r) is not None)
        if unchecked == len(results):
            unread = sum(1 for r in results if r.error)
            _say_error(
                "没有一份文档能够读取" if unread == len(results)
                else f"没有一份文档得到核对：{unread} 份无法读取，{unchecked - unread} 份未识别为预算/决算文件或没有检查得以运行"
            )
            return 2
        return _exit_code(results, st.fail_on, min_coverage)

    raise typer.Exit(_run_guarded(go, debug))


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(metavar="文件", help="要查看的文件")],
    output: OutputOpt = None,
    debug: DebugOpt = False,
) -> None:
    """输出提取器看到的内容（段落、表格、识别结果），JSON 格式。"""
    from .extract import extract_record

    def go() -> int:
        _write(json.dumps(extract_record(str(file)), ensure_ascii=False, indent=2) + "\n", output, [str(file)])
        return 0

    raise typer.Exit(_run_guarded(go, debug))


@rules_app.command("list")
def rules_list(
    rules: RulesOpt = None,
    pack: Annotated[list[str] | None, typer.Option("--pack", metavar="规则包", help="只列出这些规则包（budget、final、common 或文件名）")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", metavar="类型", help="只列出这些检查类型（sum、equal、prose_amount…）")] = None,
    severity: Annotated[list[str] | None, typer.Option("--severity", metavar="程度", help="只列出这些严重程度（error、warning、info）")] = None,
    select: SelectOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """列出检查：编号、规则包、类型、严重程度、适用文档和标题；可按规则包、类型、严重程度筛选。"""
    from .rules_doc import listing

    def go() -> int:
        book = _book(rules, select, None)
        typer.echo(listing(book, pack=pack, kind=kind, severity=severity, lang=lang.value if lang else "zh"), nl=False)
        return 0

    raise typer.Exit(_run_guarded(go, debug))


@rules_app.command("explain")
def rules_explain(
    check_id: Annotated[str, typer.Argument(metavar="编号", help="检查编号或名称，如 YS-101（不区分大小写）")],
    rules: RulesOpt = None,
    lang: LangOpt = None,
) -> None:
    """显示一条检查的说明：检查什么、为什么、通过与不通过的例子，以及它的 YAML 定义。"""
    from .rules_doc import explain

    def go() -> int:
        book = _book(rules, None, None)
        c = book.get(check_id)
        if c is None:
            raise BudgetAuditError(f"没有编号为 {check_id} 的检查", hint="用 budget-audit rules list 查看全部")
        typer.echo(explain(c, lang.value if lang else "zh"))
        return 0

    raise typer.Exit(_run_guarded(go, False))


@rules_app.command("validate")
def rules_validate(files: Annotated[list[Path], typer.Argument(metavar="规则文件...", help="要校验的规则文件")]) -> None:
    """校验规则文件；有错时指出 文件:行。"""

    def go() -> int:
        book = _book([str(f) for f in files], None, None)
        typer.echo(f"规则文件有效：{len(book.checks)} 条检查")
        return 0

    raise typer.Exit(_run_guarded(go, False))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"budget-audit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本并退出")] = False,
) -> None:
    """budget-audit：检查部门预算/决算公开文件的内部一致性。"""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI with Chinese help and Chinese one-line usage errors (exit 2)."""
    from .cli_help import run

    sys.exit(run(app, list(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    main()
