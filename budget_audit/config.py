"""Configuration file: ``budget-audit.toml`` or ``[tool.budget-audit]`` in
``pyproject.toml``, found by walking up from the audited file or directory.

A config can switch checks off and load other rule files, so discovery is bounded
(``find``): the walk stops at the working directory, at a project root (a directory
holding ``.git``, ``.hg`` or ``.svn``) and at the home directory, never crosses into
another file system, and never reads a shared (world-writable) directory such as
``/tmp``; a config file found there must be a regular file owned by the user (or
root) and writable by nobody else, else it is ignored and ``Config.notes`` says why.
The CLI always says which config file it used. Files are read with a size cap.

Keys (all optional): ``select``, ``ignore`` (lists of check ids or prefixes),
``fail_on`` (error|warning|never), ``lang`` (zh|en), ``rules`` (rule files, relative
to the config file), ``format`` (an output format). Command-line options override the
file. Errors name ``file:line``, the key and the valid choices.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .safeio import SafeIOError, read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE = "budget-audit.toml"
FORMATS = ("text", "json", "html", "csv", "xlsx", "sarif", "junit")
CHOICES: dict[str, tuple[str, ...]] = {"fail_on": ("error", "warning", "never"), "lang": ("zh", "en"), "format": FORMATS}
LISTS = ("select", "ignore", "rules")


@dataclass
class Config:
    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # config files ignored, and why

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class ConfigError(UsageError):
    def __init__(self, path: str, line: int | None, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path, self.line = path, line

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


MAX_BYTES = 1 << 20
_ROOT_MARKERS = (".git", ".hg", ".svn")


def _safe_dir(d: Path) -> bool:
    """Not a shared directory (world-writable, like /tmp): nobody else can plant a
    config in it."""
    try:
        return not os.stat(d).st_mode & stat.S_IWOTH
    except OSError:
        return False


def _trusted(path: Path) -> str | None:
    """Why ``path`` must not be obeyed, or None."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"无法读取（{exc.strerror}）"
    if not stat.S_ISREG(st.st_mode):
        return "不是普通文件"
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is not None and st.st_uid not in (uid, 0):
        return "不属于当前用户"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "其他用户可以修改它"
    return None


def _has_section(path: Path) -> bool:
    try:
        text = read_regular(str(path), MAX_BYTES).decode("utf-8", "replace")
    except SafeIOError:
        return False
    return bool(re.search(r"^\s*\[tool\.budget-audit\]", text, re.M))


def find(start: Path, notes: list[str] | None = None) -> Path | None:
    """The config file that applies to ``start``, within the bounds above."""
    notes = notes if notes is not None else []
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    stops = {Path.cwd().resolve(), Path.home().resolve()}
    try:
        device = os.stat(here).st_dev
    except OSError:
        return None
    for d in (here, *here.parents):
        try:
            if os.stat(d).st_dev != device:
                break  # another file system (a mounted share): not ours to read
        except OSError:
            break
        if not _safe_dir(d):
            break
        for candidate in (d / FILE, d / "pyproject.toml"):
            if not candidate.exists():
                continue
            why = _trusted(candidate)
            if candidate.name == "pyproject.toml" and (why or not _has_section(candidate)):
                continue
            if why:
                notes.append(f"忽略配置文件 {candidate}：{why}")
                return None
            return candidate
        if d in stops or any((d / m).exists() for m in _ROOT_MARKERS):
            break
    return None


def _read(path: Path) -> str:
    try:
        raw = read_regular(str(path), MAX_BYTES)
    except SafeIOError as exc:
        raise ConfigError(str(path), None, f"配置文件无法读取：{exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(str(path), None, "配置文件不是 UTF-8 编码", "请以 UTF-8 编码保存") from None


def load(start: Path | None, explicit: Path | None = None) -> Config:
    notes: list[str] = []
    path = explicit or (find(start, notes) if start is not None else None)
    if path is None:
        return Config(notes=notes)
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(str(path), int(m.group(1)) if m else None, f"TOML 语法错误：{exc}") from None
    except RecursionError:
        raise ConfigError(str(path), None, "配置文件嵌套过深") from None
    section = "tool.budget-audit"
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("budget-audit", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(str(path), _line_of(text, "budget-audit", "tool"), "[tool.budget-audit] 应为表（键值对）")
    else:
        section = ""
    values: dict[str, Any] = {}
    valid = sorted(set(CHOICES) | set(LISTS))
    for key, value in data.items():
        line = _line_of(text, key, section)
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f"是否想写 {close[0]}？" if close else f"可用的键：{', '.join(valid)}"
            raise ConfigError(str(path), line, f"未知的配置项 {key}", hint)
        if key in LISTS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(str(path), line, f"{key} 应为字符串列表")
            if key == "rules":
                value = [str((path.parent / v).resolve()) for v in value]
        elif not isinstance(value, str) or value not in CHOICES[key]:
            shown_value = value if isinstance(value, str | int | bool) else type(value).__name__
            raise ConfigError(str(path), line, f"{key} = {shown_value!r} 无效", f"可选：{'|'.join(CHOICES[key])}")
        values[key] = value
    return Config(str(path), values, notes)


def _line_of(text: str, key: str, section: str) -> int | None:
    in_section = not section
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s.startswith("["):
            in_section = s.strip("[] ") == section if section else False
            continue
        if in_section and re.match(rf'^"?{re.escape(key)}"?\s*=', s):
            return n
    return None
