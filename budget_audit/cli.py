"""Command line: check, scan, rules, extract. Thin: every command calls the API.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/input/rule error.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import BudgetAuditError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="budget-audit：检查部门预算/决算公开文件的内部一致性。",
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(no_args_is_help=True, help="查看、解释和校验规则。")
app.add_typer(rules_app, name="rules")

_err = Console(stderr=True, highlight=False)


class Fmt(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


RulesOpt = Annotated[Optional[list[str]], typer.Option("--rules", "-r", help="规则文件（可多次指定；默认使用内置规则）")]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="输出格式")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件而不是标准输出")]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help="达到该严重程度的问题使退出码为 1")]
SelectOpt = Annotated[Optional[list[str]], typer.Option("--select", help="只运行这些检查（编号或前缀）")]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option("--ignore", help="不运行这些检查（编号或前缀）")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="报告语言")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示完整回溯")]


def _say_error(message: str) -> None:
    """One line on stderr (no wrapping, no markup interpretation of paths)."""
    _err.print(Text(message, style="red"), soft_wrap=True)


def _fail(exc: BudgetAuditError) -> None:
    _say_error(f"错误：{exc}")
    raise typer.Exit(2)


def _book(rules: list[str] | None, select: list[str] | None, ignore: list[str] | None):  # noqa: ANN202
    from .rulebook import load

    return load(rules or None).select(select, ignore)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


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
    files: Annotated[list[Path], typer.Argument(help="一份文档的一个或多个文件（如正文 PDF 与表格 PDF）")],
    rules: RulesOpt = None,
    fmt: FormatOpt = Fmt.text,
    output: OutputOpt = None,
    fail_on: FailOnOpt = FailOn.warning,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    lang: LangOpt = Lang.zh,
    show_passed: Annotated[bool, typer.Option("--show-passed", help="JSON 中也列出通过的核对")] = False,
    debug: DebugOpt = False,
) -> None:
    """检查一份文档，列出不一致之处及核对覆盖情况。"""
    from .api import audit
    from .report import FORMATS

    def go() -> int:
        book = _book(rules, select, ignore)
        result = audit([str(f) for f in files], book, lang.value)
        options = {"lang": lang.value, "show_passed": show_passed, "color": output is None and sys.stdout.isatty()}
        _write(FORMATS[fmt.value](result, options), output)
        if fail_on is FailOn.never:
            return 0
        return 1 if result.failures(fail_on.value) or any(f.status == "error" for f in result.findings) else 0

    raise typer.Exit(_run_guarded(go, debug))


@app.command()
def scan(
    directory: Annotated[Path, typer.Argument(help="要扫描的目录（递归）")],
    rules: RulesOpt = None,
    fmt: FormatOpt = Fmt.text,
    output: OutputOpt = None,
    fail_on: FailOnOpt = FailOn.warning,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """扫描目录下所有 PDF/文本文件；单个文件出错不影响其他文件。"""
    from .report import SCAN_FORMATS
    from .scan import scan_directory

    def go() -> int:
        if not directory.is_dir():
            raise BudgetAuditError(f"{directory}: 不是目录", hint="检查单个文件请用 budget-audit check")
        book = _book(rules, select, ignore)
        results = scan_directory(str(directory), book, lang.value, progress=sys.stderr.isatty())
        options = {"lang": lang.value, "color": output is None and sys.stdout.isatty()}
        _write(SCAN_FORMATS[fmt.value](results, options), output)
        if results and all(r.error for r in results):
            return 2
        if not results:
            _say_error("目录中没有可检查的 PDF 或文本文件")
            return 2
        if fail_on is FailOn.never:
            return 0
        return 1 if any(r.failures(fail_on.value) for r in results) else 0

    raise typer.Exit(_run_guarded(go, debug))


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="要查看的文件")],
    output: OutputOpt = None,
    debug: DebugOpt = False,
) -> None:
    """输出提取器看到的内容（段落、表格、识别结果），JSON 格式。"""
    from .extract import extract_record

    def go() -> int:
        _write(json.dumps(extract_record(str(file)), ensure_ascii=False, indent=2) + "\n", output)
        return 0

    raise typer.Exit(_run_guarded(go, debug))


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, debug: DebugOpt = False) -> None:
    """列出全部检查。"""

    def go() -> int:
        book = _book(rules, None, None)
        for c in book.checks:
            typer.echo(f"{c.id}\t{c.kind}\t{c.severity}\t{'/'.join(c.applies_to)}\t{c.title}")
        return 0

    raise typer.Exit(_run_guarded(go, debug))


@rules_app.command("explain")
def rules_explain(check_id: Annotated[str, typer.Argument(help="检查编号，如 YS-101")], rules: RulesOpt = None) -> None:
    """显示一条检查的说明（其类型的手册和 YAML 定义）。"""
    from .kinds import KINDS

    def go() -> int:
        book = _book(rules, None, None)
        c = book.get(check_id)
        if c is None:
            raise BudgetAuditError(f"没有编号为 {check_id} 的检查", hint="用 budget-audit rules list 查看全部")
        typer.echo(f"{c.id} {c.name}: {c.title}\n")
        typer.echo((KINDS[c.kind].__doc__ or "").strip() + "\n")
        typer.echo(f"# {os.path.relpath(c.source)}:{c.line}\n{c.text}")
        return 0

    raise typer.Exit(_run_guarded(go, False))


@rules_app.command("validate")
def rules_validate(files: Annotated[list[Path], typer.Argument(help="规则文件")]) -> None:
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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
) -> None:
    """budget-audit：检查部门预算/决算公开文件的内部一致性。"""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
