"""Load lexicon.yaml (Chinese patterns as data) and the shipped classification lists.

lexicon.yaml is parsed once per change of its bytes, not once per run: its plain data
is kept as JSON beside the compiled rules in the private cache directory
(``cache.load_private``), so that a ``check`` does not import the YAML parser at all.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..money import normalise_digits

_SPACE = re.compile(r"[\s\u3000]+")


def norm(text: str | None) -> str:
    """Normalise a label for matching: no white space, ASCII digits and brackets."""
    if not text:
        return ""
    return _SPACE.sub("", normalise_digits(text))


@dataclass(frozen=True)
class RoleSpec:
    role: str
    zh: str
    patterns: tuple[re.Pattern[str], ...]
    header: tuple[re.Pattern[str], ...] = ()  # for a table printed without a title
    body: tuple[re.Pattern[str], ...] = ()  # the same, on the table's whole text
    accounts: bool = True  # a table of accounts, whose totals are sums of its rows


@dataclass(frozen=True)
class Lexicon:
    roles: tuple[RoleSpec, ...]
    total_rows: re.Pattern[str]
    total_columns: re.Pattern[str]
    non_additive_columns: re.Pattern[str]
    subset_columns: re.Pattern[str]
    code_columns: re.Pattern[str]
    index_columns: re.Pattern[str]
    code_levels: dict[str, int]
    of_which: re.Pattern[str]
    grouping_rows: re.Pattern[str]
    unit_rows: re.Pattern[str]

    def role_names(self) -> list[str]:
        return [r.role for r in self.roles]

    def accounts(self, role: str | None) -> bool:
        """Whether a table of this role is one of accounts (unrecognised: no)."""
        return any(spec.role == role and spec.accounts for spec in self.roles)

    def role_zh(self, role: str | None) -> str:
        for spec in self.roles:
            if spec.role == role:
                return spec.zh
        return role or "未识别表"


@lru_cache(maxsize=1)
def lexicon_data() -> dict:
    """lexicon.yaml as plain data, read once; each consumer compiles its own section."""
    raw = resources.files(__package__).joinpath("lexicon.yaml").read_bytes()
    entry = _cache_entry(raw)
    data = _cached(entry) if entry is not None else None
    if data is None:
        import yaml

        # libyaml's loader when PyYAML has it (10x faster than the pure-Python one).
        data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
        if entry is not None:
            from ..cache import store_private

            text = json.dumps(data, ensure_ascii=False)
            if json.loads(text) == data:  # only what JSON keeps as it is
                store_private(entry, text.encode("utf-8"))
    return data


def _cache_entry(raw: bytes) -> Any:
    """Where the parsed lexicon of these bytes is kept (None: cache disabled)."""
    from ..cache import cache_dir

    directory = cache_dir()
    if directory is None:
        return None
    key = hashlib.sha256(b"lexicon 1\0" + raw).hexdigest()
    return directory / "lexicon" / f"{key}.json"


def _cached(entry: Any) -> dict | None:
    """The parsed lexicon from a private cache file; None when absent, not private, or
    not the shape lexicon.yaml has (a mapping with a list of roles)."""
    from ..cache import load_private

    raw = load_private(entry)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("roles"), list) else None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = lexicon_data()
    roles = tuple(
        RoleSpec(
            r["role"], r["zh"], tuple(re.compile(p) for p in r["title"]),
            tuple(re.compile(p) for p in r.get("header", ())),
            tuple(re.compile(p) for p in r.get("body", ())),
            bool(r.get("accounts", True)),
        )
        for r in data["roles"]
    )
    return Lexicon(
        roles=roles,
        total_rows=re.compile(data["total_rows"]),
        total_columns=re.compile(data["total_columns"]),
        non_additive_columns=re.compile(data["non_additive_columns"]),
        subset_columns=re.compile(data["subset_columns"]),
        code_columns=re.compile(data["code_columns"]),
        index_columns=re.compile(data["index_columns"]),
        code_levels=dict(data["code_levels"]),
        of_which=re.compile(data["of_which"]),
        grouping_rows=re.compile(data["grouping_rows"]),
        unit_rows=re.compile(data["unit_rows"]),
    )


@dataclass(frozen=True)
class CodeEntry:
    code: str
    level: str
    name: str
    alt_names: tuple[str, ...]
    years: tuple[int, ...]
    confident: bool = True  # the name was seen in two or more documents


def _read_codes(filename: str) -> dict[str, CodeEntry]:
    path = resources.files("budget_audit").joinpath("data", filename)
    out: dict[str, CodeEntry] = {}
    with path.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            alts = tuple(
                a.split("(")[0].strip()
                for a in (row.get("alt_names_seen") or "").split("|")
                if a.strip()
            )
            years = tuple(
                int(y) for y in (row.get("doc_years_with_this_name") or "").split(",") if y.strip().isdigit()
            )
            confident = (row.get("confidence") or "high") != "low"
            out[row["code"]] = CodeEntry(row["code"], row["level"], row["name"], alts, years, confident)
    return out


@lru_cache(maxsize=1)
def function_codes() -> dict[str, CodeEntry]:
    """支出功能分类 codes harvested from real documents (see data/CLASSIFICATION_SOURCE.md)."""
    return _read_codes("function_codes.csv")


@lru_cache(maxsize=1)
def economic_codes() -> dict[str, CodeEntry]:
    return _read_codes("economic_codes.csv")


@lru_cache(maxsize=1)
def function_names_by_level() -> dict[str, set[str]]:
    levels: dict[str, set[str]] = {"类": set(), "款": set(), "项": set()}
    for entry in function_codes().values():
        bucket = levels.setdefault(entry.level, set())
        bucket.add(norm(entry.name))
        bucket.update(norm(a) for a in entry.alt_names)
    return levels


def name_matches(code: str, label: str) -> bool | None:
    """Whether ``label`` is a known name of function code ``code`` (None: code unknown)."""
    entry = function_codes().get(code)
    if entry is None:
        return None
    label_n = norm(label)
    names = {norm(entry.name), *(norm(a) for a in entry.alt_names)}
    return label_n in names


@lru_cache(maxsize=1)
def economic_names_by_level() -> dict[str, set[str]]:
    """部门/政府预算经济分类 names by level (类: 3-digit codes, 款: 5-digit)."""
    levels: dict[str, set[str]] = {"类": set(), "款": set()}
    for code, entry in economic_codes().items():
        bucket = levels["类" if len(code) == 3 else "款"]
        bucket.add(norm(entry.name))
        bucket.update(norm(a) for a in entry.alt_names)
    return levels


def pattern_words(pattern: str | None) -> str:
    """A row or column pattern of a rule, in words for a reader: ``^合计$||^总计$`` →
    ``「合计」或「总计」``; ``^公务用车购置(费)?$`` → ``「公务用车购置（费）」``;
    ``公务接待费.*/决算数$`` → ``「公务接待费…/决算数」``. Used in skip reasons, which a
    clerk reads; the rule files keep the patterns."""
    if not pattern:
        return ""
    names: list[str] = []
    for alt in pattern.split("||"):
        for name in _alternatives(alt):
            if name and name not in names:
                names.append(name)
    return "或".join(f"「{n}」" for n in names)


def _alternatives(alt: str) -> list[str]:
    core = alt.strip().removeprefix("^").removesuffix("$")
    whole = re.fullmatch(r"\(\??:?([^()]*)\)", core)  # ^(a|b|c)$: three names
    if whole:
        return [_plain(x) for x in whole.group(1).split("|")]
    depth, parts, cur = 0, [], ""
    for ch in core:  # a|b at the top level
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [_plain(x.removeprefix("^").removesuffix("$")) for x in parts]


def _plain(p: str) -> str:
    p = re.sub(r"\.[*+?]|\.\{\d*,?\d*\}", "…", p)
    p = re.sub(r"\(\?:", "(", p)
    p = re.sub(r"\[([^\]])[^\]]*\]", r"\1", p)  # a character class: its first member
    p = re.sub(r"\(([^()]*)\)\?", lambda m: "（" + m.group(1).replace("|", "/") + "）", p)
    p = re.sub(r"\(([^()]*)\)", lambda m: m.group(1).replace("|", "/"), p)
    p = re.sub(r"\\([dswDSW])", "", p)
    p = re.sub(r"\\(.)", r"\1", p)
    p = re.sub(r"[?*+^$]", "", p)
    return p.strip()
