"""Load YAML rule files into validated checks, before any document is read.

A rule file is a mapping with ``pack`` (a name), optional ``applies_to`` (document kinds
the pack is for) and ``checks``, a list of entries. Each entry has the common keys
``id``, ``name``, ``kind``, ``severity``, ``title`` (Chinese, one line), optional
``title_en``, ``applies_to`` and ``enabled``; every other key belongs to the kind and is
validated by the kind's ``Params`` dataclass. Any error names ``file:line``, the key and
the valid choices.

Loading is safe: YAML anchors and aliases are refused (no "billion laughs"), files over
1 MiB (or not regular files: a FIFO, ``/dev/zero``) and nesting deeper than 12 levels
are refused, no tag can construct an object, strings may not hold control characters,
and every kind parameter must be a regular expression that cannot backtrack for ever
(``regexcheck.py``: nested quantifiers, huge repeat counts, deep nesting).

Loading is fast: libyaml's parser when PyYAML has it (its nodes keep their line
numbers, so errors still point at ``file:line``), and the validated checks are kept in
a compiled cache (typed JSON in the parse cache's private directory, ``cache.py``; never
a pickle: the directory may be shared) keyed by the rule files' and the lexicon's
contents and the code that validates them: a rule file is parsed once per change, not
once per run. An error is never cached.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from . import __version__
from .errors import RulebookError, UsageError
from .kinds import KINDS
from .recognise.lexicon import lexicon
from .regexcheck import problem as regex_problem
from .safeio import SafeIOError, read_regular
from .textsafe import has_controls

COMMON_KEYS = {"id", "name", "kind", "severity", "title", "title_en", "applies_to", "enabled", "tags"}
SEVERITIES = ("error", "warning", "info")
DOC_KINDS = ("预算", "决算")
MAX_BYTES = 1 << 20
MAX_DEPTH = 12
_ID = re.compile(r"^[A-Z]{2,5}-\d{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    kind: str
    severity: str
    title: str
    params: Any
    title_en: str = ""
    applies_to: tuple[str, ...] = DOC_KINDS
    source: str = ""
    line: int = 0
    text: str = ""  # the entry's YAML, for `rules explain`
    tags: tuple[str, ...] = ()


@dataclass
class Rulebook:
    checks: list[Check] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def select(self, select: list[str] | None, ignore: list[str] | None) -> Rulebook:
        """The checks ``select`` names, less those ``ignore`` names, as ruff selects
        rules: each item may hold several comma-separated selectors; a selector is a
        check id, an id prefix (``YS-1``, ``GEN``) or a check name, case-insensitive;
        ``ALL`` is every check. A selector that names no check is a usage error."""
        sel, ign = self._selectors(select, "--select"), self._selectors(ignore, "--ignore")
        checks = [
            c
            for c in self.checks
            if (not sel or any(_hits(c, p) for p in sel)) and not any(_hits(c, p) for p in ign)
        ]
        return Rulebook(checks, self.files)

    def _selectors(self, items: list[str] | None, option: str) -> list[str]:
        out = [p.strip().upper() for item in items or [] for p in item.split(",") if p.strip()]
        for p in out:
            if not any(_hits(c, p) for c in self.checks):
                ids = sorted({c.id for c in self.checks} | {c.id.split("-")[0] for c in self.checks})
                close = difflib.get_close_matches(p, ids, n=1)
                raise UsageError(
                    f"{option} {p}：没有这个检查编号或前缀",
                    hint=(f"是否想写 {close[0]}？" if close else "") + "用 budget-audit rules list 查看全部检查",
                )
        return out

    def get(self, check_id: str) -> Check | None:
        key = check_id.strip().upper()
        return next((c for c in self.checks if c.id == key or c.name.upper() == key), None)


def _hits(check: Check, selector: str) -> bool:
    """``selector`` is upper-case: ALL, an id, an id prefix or a check name."""
    return selector == "ALL" or check.id.startswith(selector) or check.name.upper() == selector


def default_rule_files() -> list[str]:
    """The shipped rule packs (rules/*.yaml)."""
    repo_rules = Path(__file__).resolve().parent.parent / "rules"
    if repo_rules.is_dir() and any(repo_rules.glob("*.yaml")):
        return sorted(str(p) for p in repo_rules.glob("*.yaml"))
    pkg = resources.files("budget_audit").joinpath("rules")
    return sorted(str(p) for p in pkg.iterdir() if str(p).endswith(".yaml"))  # type: ignore[attr-defined]


def load(paths: list[str] | None = None) -> Rulebook:
    paths = paths or default_rule_files()
    key = _cache_key(paths)
    if key is not None:
        cached = _cached(key)
        if cached is not None:
            return cached
    book = _load(paths)
    if key is not None:
        _store(key, book)
    return book


# ---------------------------------------------------------------------------
# Compiled cache


def _cache_key(paths: list[str]) -> str | None:
    """What the validated checks depend on: the rule files' bytes, the lexicon (table
    roles), and the code that builds them. None when a file cannot be read (the load
    then raises its own error)."""
    from .cache import cache_dir

    if cache_dir() is None:
        return None
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"rulebook {__version__}".encode())
    try:
        for p in paths:
            h.update(b"\0" + os.path.abspath(p).encode() + b"\0" + read_regular(p, MAX_BYTES))
        for src in [here / "rulebook.py", here / "recognise" / "lexicon.yaml", *sorted((here / "kinds").glob("*.py"))]:
            h.update(b"\0" + src.name.encode() + b"\0" + src.read_bytes())
    except (OSError, SafeIOError):
        return None
    return h.hexdigest()


def _entry(key: str) -> Path | None:
    from .cache import cache_dir

    directory = cache_dir()
    return directory / "rules" / f"{key}.json" if directory is not None else None


def _cached(key: str) -> Rulebook | None:
    """The compiled checks stored under ``key``: typed JSON from a private directory
    (``cache.load_private``), each check's parameters rebuilt as its kind's Params."""
    from .cache import load_private

    entry = _entry(key)
    raw = load_private(entry) if entry is not None else None
    if raw is None:
        return None
    try:
        stored = msgspec.json.decode(raw, type=Rulebook)
        checks = [dataclasses.replace(c, params=msgspec.convert(c.params, KINDS[c.kind].Params)) for c in stored.checks]
    except (msgspec.MsgspecError, KeyError, TypeError, ValueError):
        return None  # another shape, truncated, tampered with: a miss
    return Rulebook(checks, stored.files)


def _store(key: str, book: Rulebook) -> None:
    from .cache import store_private

    entry = _entry(key)
    if entry is not None:
        try:
            data = msgspec.json.encode(book)
        except (TypeError, ValueError, OverflowError):
            return
        store_private(entry, data)


def _load(paths: list[str]) -> Rulebook:
    book = Rulebook(files=list(paths))
    seen: dict[str, str] = {}
    for path in paths:
        for check in _load_file(path):
            if check.id in seen:
                raise RulebookError(
                    path, check.line, f"检查编号 {check.id} 重复（已在 {seen[check.id]} 定义）"
                )
            seen[check.id] = f"{path}:{check.line}"
            book.checks.append(check)
    return book


# ---------------------------------------------------------------------------
# YAML with line numbers


if TYPE_CHECKING:
    import yaml


class _Node:
    """A plain value with the line it started on."""

    __slots__ = ("value", "line")

    def __init__(self, value: Any, line: int) -> None:
        self.value = value
        self.line = line


def _read_yaml(path: str) -> tuple[_Node, str]:
    try:
        raw = read_regular(path, MAX_BYTES)
    except SafeIOError as exc:
        if "过大" in str(exc):
            raise RulebookError(path, None, "规则文件超过 1 MiB，拒绝加载") from None
        raise RulebookError(path, None, f"无法读取规则文件：{exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RulebookError(path, None, "规则文件不是 UTF-8 编码") from None
    import yaml  # only when a rule file is parsed: the compiled cache usually answers

    # libyaml's parser when PyYAML was built with it: same events and nodes, marks included.
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise RulebookError(path, mark.line + 1 if mark else None, "规则文件不允许使用 YAML 锚点/别名（&/*）")
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise RulebookError(path, line, f"YAML 语法错误：{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RulebookError(path, None, f"YAML 语法错误：{exc}") from None
    except RecursionError:
        raise RulebookError(path, None, "规则文件嵌套过深") from None
    if node is None:
        raise RulebookError(path, 1, "规则文件为空")
    return _convert(node, path, 0), text


def _convert(node: yaml.Node, path: str, depth: int) -> _Node:
    import yaml

    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise RulebookError(path, line, f"规则嵌套超过 {MAX_DEPTH} 层")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, _Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if not isinstance(key, str):
                raise RulebookError(path, key_node.start_mark.line + 1, "键必须是字符串")
            if key in out:
                raise RulebookError(path, key_node.start_mark.line + 1, f"键 {key!r} 重复")
            child = _convert(value_node, path, depth + 1)
            child.line = key_node.start_mark.line + 1
            out[key] = child
        return _Node(out, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(v, path, depth + 1) for v in node.value], line)
    assert isinstance(node, yaml.ScalarNode)
    if has_controls(node.value.replace("\t", "").replace("\n", "")):
        raise RulebookError(path, line, "字符串中含有控制字符（如 \\0、\\e），规则文件不允许", hint="删去这些转义")
    value: object = node.value  # the scalar's text; typed below by its resolved tag
    if node.tag == "tag:yaml.org,2002:int":
        digits = node.value.replace("_", "").lstrip("-+")
        if digits.isdigit():
            if len(digits) > 1 and digits.startswith("0"):
                raise RulebookError(
                    path, line, f"整数 {node.value!r} 不能以 0 开头", hint="YAML 会把它读作八进制；去掉前导零或加引号"
                )
            if len(digits) > 15:
                raise RulebookError(path, line, f"整数 {node.value[:20]}… 过大")
            value = int(node.value.replace("_", ""), 10)
    elif node.tag == "tag:yaml.org,2002:bool":
        value = node.value.lower() in ("true", "yes", "on")
    elif node.tag == "tag:yaml.org,2002:null":
        value = None
    elif node.tag == "tag:yaml.org,2002:float":
        raise RulebookError(path, line, f"不接受小数 {node.value!r}：规则中的数值必须是整数")
    elif node.tag != "tag:yaml.org,2002:str":
        raise RulebookError(path, line, f"不支持的 YAML 标签 {node.tag}")
    return _Node(value, line)


def _plain(node: _Node) -> Any:
    if isinstance(node.value, dict):
        return {k: _plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(v) for v in node.value]
    return node.value


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    listing = "、".join(choices)
    return f"是否想写 {close[0]}？可选：{listing}" if close else f"可选：{listing}"


def _load_file(path: str) -> list[Check]:
    root, text = _read_yaml(path)
    lines = text.splitlines()
    if not isinstance(root.value, dict):
        raise RulebookError(path, root.line, "规则文件顶层必须是映射（pack / checks）")
    allowed_top = ["pack", "description", "applies_to", "checks"]
    for key, node in root.value.items():
        if key not in allowed_top:
            raise RulebookError(path, node.line, f"未知的顶层键 {key!r}", hint=_did_you_mean(key, allowed_top))
    pack_kinds = _doc_kinds(path, root.value.get("applies_to"))
    checks_node = root.value.get("checks")
    if checks_node is None or not isinstance(checks_node.value, list):
        raise RulebookError(path, root.line, "缺少 checks 列表")
    entries = checks_node.value
    out: list[Check] = []
    for n, entry in enumerate(entries):
        end = entries[n + 1].line - 1 if n + 1 < len(entries) else len(lines)
        snippet = "\n".join(lines[entry.line - 1 : end]).rstrip()
        out.append(_load_check(path, entry, pack_kinds, snippet))
    return out


def _doc_kinds(path: str, node: _Node | None) -> tuple[str, ...]:
    if node is None:
        return DOC_KINDS
    value = _plain(node)
    kinds = value.get("kind") if isinstance(value, dict) else value
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list) or not all(k in DOC_KINDS for k in kinds):
        raise RulebookError(path, node.line, "applies_to 必须列出文档类型", hint="可选：预算、决算")
    return tuple(kinds)


def _require_str(path: str, entry: dict[str, _Node], key: str, line: int) -> str:
    node = entry.get(key)
    if node is None:
        raise RulebookError(path, line, f"检查缺少必填键 {key!r}")
    if not isinstance(node.value, str) or not node.value.strip():
        raise RulebookError(path, node.line, f"{key!r} 必须是非空字符串")
    return node.value


def _tags(path: str, node: _Node) -> tuple[str, ...]:
    value = _plain(node)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise RulebookError(path, node.line, "tags 必须是字符串列表")
    return tuple(value)


def _load_check(path: str, node: _Node, pack_kinds: tuple[str, ...], snippet: str) -> Check:
    if not isinstance(node.value, dict):
        raise RulebookError(path, node.line, "每条检查必须是映射")
    entry: dict[str, _Node] = node.value
    check_id = _require_str(path, entry, "id", node.line)
    if not _ID.match(check_id):
        raise RulebookError(path, entry["id"].line, f"检查编号 {check_id!r} 格式应为 XX-123")
    name = _require_str(path, entry, "name", node.line)
    if not _NAME.match(name):
        raise RulebookError(path, entry["name"].line, f"name {name!r} 应为小写短横线格式，如 totals-match")
    kind = _require_str(path, entry, "kind", node.line)
    if kind not in KINDS:
        raise RulebookError(
            path, entry["kind"].line, f"未知的检查类型 kind={kind!r}", hint=_did_you_mean(kind, sorted(KINDS))
        )
    severity = entry["severity"].value if "severity" in entry else "error"
    if not isinstance(severity, str) or severity not in SEVERITIES:
        raise RulebookError(
            path, entry["severity"].line, f"未知的严重程度 {_plain(entry['severity'])!r}", hint=_did_you_mean(str(severity), list(SEVERITIES))
        )
    title = _require_str(path, entry, "title", node.line)
    module = KINDS[kind]
    param_nodes = {k: v for k, v in entry.items() if k not in COMMON_KEYS}
    params = build(module.Params, param_nodes, path, node.line, f"kind={kind}")
    applies = _doc_kinds(path, entry.get("applies_to")) if "applies_to" in entry else pack_kinds
    if "enabled" in entry and not isinstance(entry["enabled"].value, bool):
        raise RulebookError(path, entry["enabled"].line, f"enabled 必须是 true/false，得到 {entry['enabled'].value!r}", hint="不要加引号")
    if "enabled" in entry and entry["enabled"].value is False:
        applies = ()
    tags = _tags(path, entry["tags"]) if "tags" in entry else ()
    return Check(
        id=check_id,
        name=name,
        kind=kind,
        severity=severity,
        title=title,
        title_en=str(entry["title_en"].value) if "title_en" in entry else "",
        params=params,
        applies_to=applies,
        source=path,
        line=node.line,
        text=snippet,
        tags=tags,
    )


# ---------------------------------------------------------------------------
# Params validation from dataclass type hints


def build(cls: type, nodes: dict[str, _Node], path: str, line: int, what: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key, node in nodes.items():
        if key not in fields:
            raise RulebookError(
                path, node.line, f"{what} 不认识键 {key!r}", hint=_did_you_mean(key, sorted(fields))
            )
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        if name in nodes:
            kwargs[name] = _coerce(hints[name], nodes[name], path, f"{what}.{name}", name)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:  # type: ignore[misc]
            raise RulebookError(path, line, f"{what} 缺少必填键 {name!r}")
    try:
        return cls(**kwargs)
    except ValueError as exc:  # __post_init__ validation
        raise RulebookError(path, line, f"{what}：{exc}") from None


def _coerce(tp: Any, node: _Node, path: str, what: str, key: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    value = node.value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(arg, node, path, what, key)
            except RulebookError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is typing.Literal:
        if value not in args:
            raise RulebookError(path, node.line, f"{what} 的值 {value!r} 无效", hint=_did_you_mean(str(value), [str(a) for a in args]))
        return value
    if origin in (list, tuple):
        items = value if isinstance(value, list) else [node]
        inner = args[0] if args else Any
        return tuple(_coerce(inner, item if isinstance(item, _Node) else item, path, what, key) for item in items)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise RulebookError(path, node.line, f"{what} 必须是映射")
        return build(tp, value, path, node.line, what)  # type: ignore[arg-type]
    if tp is str:
        if not isinstance(value, str):
            raise RulebookError(path, node.line, f"{what} 必须是字符串，得到 {value!r}")
        if key == "table" or key.endswith("_table"):
            roles = lexicon().role_names()
            if value not in roles:
                raise RulebookError(path, node.line, f"未知的表格角色 {value!r}", hint=_did_you_mean(value, roles))
        # Every kind parameter string is matched as a regular expression somewhere;
        # refuse the ones that cannot compile or can backtrack for ever (regexcheck.py).
        why = regex_problem(value)
        if why:
            raise RulebookError(path, node.line, f"{what}：{why}", hint="简化该正则表达式") from None
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise RulebookError(path, node.line, f"{what} 必须是 true/false")
        return value
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise RulebookError(path, node.line, f"{what} 必须是整数")
        if abs(value) > 10**12:
            raise RulebookError(path, node.line, f"{what} 数值过大")
        return value
    if tp is Any:
        return _plain(node)
    raise RulebookError(path, node.line, f"{what}：不支持的类型")
