"""The command line's own words: ``--help`` pages and usage errors, in Chinese.

typer/click print English ("Usage:", "Options", "Show this message and exit.", "No
such option") and type tokens such as ``<bool>`` or ``<list[Path]>``. Here the help
page of a command is written from its parameters (their option names, the ``metavar``
and ``help`` the CLI gives them), and a usage error click raises becomes one Chinese
line on stderr with exit code 2. Only the parameters' plain attributes are read
(``opts``, ``secondary_opts``, ``help``, ``metavar``, ``is_flag``, ``required``,
``param_type_name``, ``name``, ``nargs``, ``min``/``max`` on the parameter or on its
type), which click and typer have kept for years.
"""

from __future__ import annotations

import difflib
import sys
import unicodedata
from typing import Any

PROG = "budget-audit"
HELP_LINE = ("-h, --help", "显示本帮助并退出")


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def _resolve(root: Any, args: list[str]) -> tuple[Any, list[str]]:
    """The (sub)command the arguments name, and its path of names."""
    cmd, path = root, [PROG]
    for a in args:
        if a.startswith("-"):
            continue
        sub = getattr(cmd, "commands", {}).get(a)
        if sub is None:
            break
        cmd, path = sub, [*path, a]
    return cmd, path


def _metavar(p: Any) -> str:
    if getattr(p, "is_flag", False):
        return ""
    mv = getattr(p, "metavar", None)
    if mv:
        return mv
    return "值" if p.param_type_name == "option" else p.name


def _usage(cmd: Any, path: list[str]) -> str:
    parts = [" ".join(path)]
    if getattr(cmd, "commands", None):
        parts.append("[选项] 命令 [参数]...")
    else:
        parts.append("[选项]")
        parts += [_metavar(p) for p in cmd.params if p.param_type_name == "argument"]
    return "用法：" + " ".join(parts)


def help_text(cmd: Any, path: list[str]) -> str:
    lines = [_usage(cmd, path), ""]
    doc = (getattr(cmd, "help", None) or "").strip()
    if doc:
        lines += [doc.split("\n\n")[0].strip(), ""]
    args = [p for p in cmd.params if p.param_type_name == "argument"]
    opts = [p for p in cmd.params if p.param_type_name == "option" and not getattr(p, "hidden", False)]
    if args:
        lines.append("参数：")
        rows = [(_metavar(p), (p.help or "") + ("［必填］" if p.required else "")) for p in args]
        lines += _table(rows)
        lines.append("")
    rows = []
    for p in opts:
        names = sorted([*p.opts, *p.secondary_opts], key=lambda o: (o.startswith("--"), o))
        left = ", ".join(names)
        mv = _metavar(p)
        rows.append((f"{left} {mv}" if mv else left, p.help or ""))
    rows.append(HELP_LINE)
    lines.append("选项：")
    lines += _table(rows)
    commands = getattr(cmd, "commands", None)
    if commands:
        lines += ["", "命令："]
        lines += _table([(name, (sub.help or "").strip().split("\n")[0]) for name, sub in commands.items()])
        lines += ["", f"每个命令的用法：{' '.join(path)} 命令 --help"]
    for more in doc.split("\n\n")[1:]:  # further paragraphs (exit codes) close the page
        lines += ["", *(x.strip() for x in more.strip().splitlines())]
    return "\n".join(lines) + "\n"


def _table(rows: list[tuple[str, str]]) -> list[str]:
    n = min(max((width(a) for a, _ in rows), default=0), 34)
    out = []
    for a, b in rows:
        if width(a) > n:
            out += [f"  {a}", f"  {' ' * n}  {b}"]
        else:
            out.append(f"  {_pad(a, n)}  {b}")
    return out


def _option_name(p: Any) -> str:
    longs = [o for o in p.opts if o.startswith("--")]
    return (longs or p.opts or [p.name])[0]


def _choices(p: Any) -> list[str]:
    """The allowed values of a choice parameter (click's Choice, or typer's Enum)."""
    t = getattr(p, "type", None)
    if t is not None and getattr(t, "choices", None):
        return [str(getattr(c, "value", c)) for c in t.choices]
    desc = getattr(p, "type_descriptor", None)
    ann: Any = getattr(desc, "annotation", None)
    members: Any = getattr(ann, "__members__", None)
    return [str(m.value) for m in members.values()] if isinstance(members, dict) or hasattr(members, "values") else []


def _bounds(p: Any) -> tuple[Any, Any]:
    """(min, max) of a ranged number option: on the parameter (typer >= 0.29) or on
    its click type (IntRange, before)."""
    for holder in (p, getattr(p, "type", None)):
        lo, hi = getattr(holder, "min", None), getattr(holder, "max", None)
        if lo is not None or hi is not None:
            return lo, hi
    return None, None


def _given(p: Any, args: list[str]) -> str | None:
    """The value the user gave for option ``p`` (``--x v`` or ``--x=v``)."""
    for n, a in enumerate(args):
        for o in p.opts:
            if a == o and n + 1 < len(args):
                return args[n + 1]
            if a.startswith(o + "=") and o.startswith("--"):
                return a[len(o) + 1 :]
    return None


def usage_error(exc: Exception, root: Any, args: list[str]) -> str:
    """One Chinese line for a click usage error."""
    cmd, path = _resolve(root, args)
    more = f"（用 {' '.join(path)} --help 查看用法）"
    name = type(exc).__name__
    param = getattr(exc, "param", None)
    if name == "NoSuchOption":
        opt = getattr(exc, "option_name", "") or ""
        known = [o for p in getattr(cmd, "params", []) for o in (*p.opts, *p.secondary_opts) if o.startswith("-")]
        close = difflib.get_close_matches(opt, [*known, "--help"], n=1)
        return f"没有选项 {opt}" + (f"，是否想写 {close[0]}？" if close else "") + more
    if name == "MissingParameter" and param is not None:
        what = _metavar(param) if param.param_type_name == "argument" else _option_name(param)
        return f"缺少{'参数' if param.param_type_name == 'argument' else '选项'} {what}{more}"
    if name == "BadOptionUsage":
        opt = getattr(exc, "option_name", "") or ""
        return f"选项 {opt} 需要一个值{more}"
    if name == "BadParameter" and param is not None:
        value = _given(param, args)
        shown = f" 的值 {value!r} " if value is not None else " 的值"
        choices = _choices(param)
        if choices:
            expect = "可选：" + "|".join(choices)
        elif (bounds := _bounds(param)) != (None, None):
            lo, hi = bounds
            expect = "应为整数" + (f"，不小于 {lo}" if lo is not None else "") + (f"，不大于 {hi}" if hi is not None else "")
        else:
            expect = "格式不对"
        return f"选项 {_option_name(param)}{shown}无效（{expect}）{more}"
    message = str(exc)
    if message.startswith("No such command"):
        bad = next((a for a in args if not a.startswith("-") and a not in getattr(cmd, "commands", {})), "")
        names = list(getattr(cmd, "commands", {}))
        close = difflib.get_close_matches(bad, names, n=1)
        return f"没有命令 {bad}" + (f"，是否想写 {close[0]}？" if close else f"（可用：{'、'.join(names)}）")
    if name == "BadArgumentUsage" or message.startswith("Got unexpected extra argument"):
        return f"多余的参数{more}"
    return f"命令行用法有误：{message}{more}"


def run(app: Any, args: list[str]) -> int:
    """Run the typer ``app`` on ``args``: our help for ``-h/--help`` (and for a group
    called without a command), our words for usage errors; the command's exit code."""
    import typer.main

    root = typer.main.get_command(app)
    cmd, path = _resolve(root, args)
    if "-h" in args or "--help" in args:
        sys.stdout.write(help_text(cmd, path))
        return 0
    positional = [a for a in args if not a.startswith("-")]
    if getattr(cmd, "commands", None) and len(positional) == len(path) - 1 and not {"-V", "--version"} & set(args):
        sys.stdout.write(help_text(cmd, path))  # a group called without a command
        return 2
    try:
        code = root.main(args, prog_name=PROG, standalone_mode=False)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a group called without a command
            sys.stdout.write(help_text(cmd, path))
            return 2
        if type(exc).__name__ == "Abort":  # Ctrl-C
            sys.stderr.write("已中断\n")
            return 130
        if getattr(exc, "exit_code", None) == 2 or type(exc).__name__.endswith(("UsageError", "Parameter", "Usage", "Option")):
            from rich.console import Console
            from rich.text import Text

            Console(stderr=True, highlight=False).print(Text("错误：" + usage_error(exc, root, args), style="red"), soft_wrap=True)
            return 2
        raise
    return int(code or 0)
