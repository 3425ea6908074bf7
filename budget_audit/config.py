"""Configuration file: ``budget-audit.toml`` or ``[tool.budget-audit]`` in
``pyproject.toml``, found by walking up from the audited file or directory.

Keys (all optional): ``select``, ``ignore`` (lists of check ids or prefixes),
``fail_on`` (error|warning|never), ``lang`` (zh|en), ``rules`` (rule files, relative
to the config file), ``format`` (an output format). Command-line options override the
file. Errors name ``file:line``, the key and the valid choices.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError

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

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class ConfigError(UsageError):
    def __init__(self, path: str, line: int | None, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path, self.line = path, line

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def find(start: Path) -> Path | None:
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for d in (here, *here.parents):
        if (d / FILE).is_file():
            return d / FILE
        pp = d / "pyproject.toml"
        if pp.is_file() and re.search(r"^\s*\[tool\.budget-audit\]", pp.read_text("utf-8", "replace"), re.M):
            return pp
    return None


def load(start: Path | None, explicit: Path | None = None) -> Config:
    path = explicit or (find(start) if start is not None else None)
    if path is None:
        return Config()
    text = path.read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(str(path), int(m.group(1)) if m else None, f"TOML 语法错误：{exc}") from None
    section = "tool.budget-audit"
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("budget-audit", {})
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
        elif value not in CHOICES[key]:
            raise ConfigError(str(path), line, f"{key} = {value!r} 无效", f"可选：{'|'.join(CHOICES[key])}")
        values[key] = value
    return Config(str(path), values)


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
