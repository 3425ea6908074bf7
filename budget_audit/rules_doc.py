"""What ``rules list`` and ``rules explain`` print: the checks as a table with a
header (filtered by pack, kind and severity), and one check's manual — its kind's
manual in Chinese (``kinds/manual_zh.yaml``) or English (the kind module's docstring)
and the check's YAML, with where it is defined (a shipped pack by its file name, never
an install path)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import UsageError
from .kinds import KINDS
from .rulebook import Check, Rulebook, default_rule_files

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SECTIONS_ZH = ("检查什么", "为什么重要", "通过的例子", "不通过的例子")


@lru_cache(maxsize=1)
def manuals_zh() -> dict[str, str]:
    """Kind -> Chinese manual (sections in SECTIONS_ZH order, plus 取整 where the kind
    compares rounded numbers)."""
    path = Path(__file__).parent / "kinds" / "manual_zh.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    return {k: str(v).strip() for k, v in data.items()}


def pack_of(check: Check) -> str:
    return Path(check.source).stem if check.source else ""


def where(check: Check, lang: str = "zh") -> str:
    """Where a check is defined: ``内置规则 budget.yaml 第 12 行`` for a shipped pack;
    a user's file as given (relative to the working directory when under it)."""
    shipped = {os.path.realpath(p) for p in default_rule_files()}
    if os.path.realpath(check.source) in shipped:
        name = os.path.basename(check.source)
        return f"内置规则 {name} 第 {check.line} 行" if lang == "zh" else f"built-in rules {name}, line {check.line}"
    rel = os.path.relpath(check.source)
    shown = check.source if rel.startswith("..") else rel
    return f"{shown}:{check.line}"


def listing(
    book: Rulebook,
    pack: list[str] | None = None,
    kind: list[str] | None = None,
    severity: list[str] | None = None,
    lang: str = "zh",
) -> str:
    packs = {pack_of(c) for c in book.checks}
    wanted_packs = _values(pack, sorted(packs), "--pack", strip_suffix=True)
    wanted_kinds = _values(kind, sorted(KINDS), "--kind")
    wanted_sev = _values(severity, ["error", "warning", "info"], "--severity")
    rows = [
        c
        for c in book.checks
        if (not wanted_packs or pack_of(c) in wanted_packs)
        and (not wanted_kinds or c.kind in wanted_kinds)
        and (not wanted_sev or c.severity in wanted_sev)
    ]
    head = ("编号", "规则包", "类型", "严重程度", "适用", "标题") if lang == "zh" else ("id", "pack", "kind", "severity", "applies to", "title")
    lines = ["\t".join(head)]
    for c in rows:
        sev = SEVERITY_ZH.get(c.severity, c.severity) if lang == "zh" else c.severity
        applies = "/".join(c.applies_to) or ("停用" if lang == "zh" else "disabled")
        title = c.title if lang == "zh" else (c.title_en or c.title)
        lines.append("\t".join((c.id, pack_of(c), c.kind, sev, applies, title)))
    lines.append(f"共 {len(rows)} 项检查" if lang == "zh" else f"{len(rows)} checks")
    return "\n".join(lines) + "\n"


def _values(given: list[str] | None, valid: list[str], option: str, strip_suffix: bool = False) -> set[str]:
    out = set()
    for item in given or []:
        for v in item.split(","):
            v = v.strip()
            if strip_suffix:
                v = Path(v).stem
            if not v:
                continue
            if v.lower() in {x.lower() for x in valid}:
                out.add(next(x for x in valid if x.lower() == v.lower()))
            elif option == "--severity" and v in SEVERITY_ZH.values():
                out.add(next(k for k, z in SEVERITY_ZH.items() if z == v))
            else:
                raise UsageError(f"{option} {v}：没有这个值", hint="可选：" + "、".join(valid))
    return out


def explain(check: Check, lang: str = "zh") -> str:
    if lang == "zh":
        manual = manuals_zh().get(check.kind) or (KINDS[check.kind].__doc__ or "").strip()
        sev = SEVERITY_ZH.get(check.severity, check.severity)
        head = [
            f"{check.id} {check.title}",
            f"名称 {check.name} · 类型 {check.kind} · 严重程度 {sev} · 适用 {'/'.join(check.applies_to) or '停用'}",
            "",
            f"类型 {check.kind} 的说明：",
        ]
        tail = ["", f"定义（{where(check, lang)}）："]
    else:
        manual = (KINDS[check.kind].__doc__ or "").strip()
        head = [
            f"{check.id} {check.title_en or check.title}",
            f"name {check.name} · kind {check.kind} · severity {check.severity} · applies to {'/'.join(check.applies_to) or 'disabled'}",
            "",
        ]
        tail = ["", f"Definition ({where(check, lang)}):"]
    return "\n".join([*head, manual, *tail, check.text]) + "\n"
