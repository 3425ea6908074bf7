"""Refuse regular expressions that can run for ever, before any document is read.

Rule files carry regular expressions (row and column patterns, subjects, phrases…)
that Python's backtracking ``re`` matches against document text. A pattern whose
matching time explodes with the input length ("catastrophic backtracking") would hang
``check``, so ``problem(pattern)`` names what is wrong with such a pattern, or returns
None. It refuses:

- a pattern longer than 2,000 characters or nested more than 50 groups deep (both far
  beyond any real rule; 3,000 nested parentheses would exhaust the parser's stack);
- a pattern ``re`` cannot compile (including repeat counts it cannot hold);
- a repeat count above 1,000 (``a{999999}`` builds a huge matcher);
- a repeat that can match more than once whose body itself holds a repeat that can
  match more than once — nested quantifiers such as ``(a+)+``, ``(a*b?)*``,
  ``(?:\\s*x*)+`` — exponential in the worst case;
- an unbounded repeat over alternatives that can start with the same character
  (``(a|ab)*``, ``(\\d|1)+``), exponential too;
- more than three unbounded repeats of overlapping character sets one after another
  (``.*.*.*.*x``): polynomial of a degree that is as bad on a long paragraph.

The analysis walks the parse tree of ``re._parser`` (``sre_parse`` before 3.11); what
it refuses is what ReDoS checkers such as ``safe-regex`` and ``rxxr`` flag as star
height above one or ambiguous alternation under a star.
"""

from __future__ import annotations

import importlib
import re
import sys
from functools import lru_cache
from typing import Any

# The parser behind ``re`` (untyped, renamed in 3.11).
_NEW = sys.version_info >= (3, 11)
C: Any = importlib.import_module("re._constants" if _NEW else "sre_constants")
P: Any = importlib.import_module("re._parser" if _NEW else "sre_parse")
_COMPILER: Any = importlib.import_module("re._compiler" if _NEW else "sre_compile")

MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_COUNT = 1000
MAX_CHAIN = 3

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, *([C.POSSESSIVE_REPEAT] if hasattr(C, "POSSESSIVE_REPEAT") else [])}
_GROUPS = {C.SUBPATTERN, *([C.ATOMIC_GROUP] if hasattr(C, "ATOMIC_GROUP") else [])}
_ANY_CHAR = frozenset(["*"])  # a stand-in for "could be any character"


def _depth(pattern: str) -> int:
    depth = best = 0
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
            best = max(best, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    return best


@lru_cache(maxsize=4096)
def problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused (Chinese), or None when it is safe to use."""
    if len(pattern) > MAX_LENGTH:
        return f"正则表达式过长（{len(pattern)} 个字符，上限 {MAX_LENGTH}）"
    if _depth(pattern) > MAX_DEPTH:
        return f"正则表达式嵌套过深（超过 {MAX_DEPTH} 层括号）"
    try:
        tree = P.parse(pattern)
        _COMPILER.compile(tree)  # errors of the compile stage (e.g. look-behind width)
    except re.error as exc:
        return f"不是有效的正则表达式：{exc}"
    except (OverflowError, RecursionError, ValueError, MemoryError) as exc:
        return f"不是可用的正则表达式：{type(exc).__name__}"
    try:
        return _walk(list(tree))
    except RecursionError:
        return "正则表达式嵌套过深"


def _unbounded(hi: int) -> bool:
    return hi == C.MAXREPEAT or hi > MAX_COUNT


def _walk(items: list[tuple[Any, Any]]) -> str | None:
    chain = 0
    chain_first: frozenset[str] | None = None
    for op, av in items:
        if op in _REPEATS:
            lo, hi, body = av
            if lo > MAX_COUNT or (hi != C.MAXREPEAT and hi > MAX_COUNT):
                return f"重复次数过大（上限 {MAX_COUNT}）"
            body = list(body)
            if hi > 1 and _repeats_inside(body):
                return "嵌套的重复（如 (a+)+）可能导致匹配时间爆炸（ReDoS）"
            if _unbounded(hi) and _ambiguous_branch(body):
                return "重复的分支可以从同一字符开始（如 (a|aa)*），可能导致匹配时间爆炸（ReDoS）"
            if _unbounded(hi):
                first = _first(body)
                if chain and chain_first is not None and (first & chain_first or _ANY_CHAR <= first | chain_first):
                    chain += 1
                    chain_first = chain_first | first
                else:
                    chain, chain_first = 1, first
                if chain > MAX_CHAIN:
                    return f"连续 {chain} 个可重叠的无限重复（如 .*.*.*.*），匹配时间随文本长度急剧增长"
            why = _walk(body)
            if why:
                return why
            continue
        if op in _GROUPS:
            why = _walk(list(av[-1]))
        elif op == C.BRANCH:
            why = next((w for b in av[1] if (w := _walk(list(b)))), None)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            why = _walk(list(av[1]))
        elif op == C.GROUPREF_EXISTS:
            why = next((w for b in av[1:] if b is not None and (w := _walk(list(b)))), None)
        else:
            why = None
        if why:
            return why
        if op not in (C.AT,):
            chain, chain_first = 0, None
    return None


def _repeats_inside(items: list[tuple[Any, Any]]) -> bool:
    """Whether some repeat that can match more than once lies inside ``items``."""
    for op, av in items:
        if op in _REPEATS:
            if av[1] > 1:
                return True
            if _repeats_inside(list(av[2])):
                return True
        elif op in _GROUPS:
            if _repeats_inside(list(av[-1])):
                return True
        elif op == C.BRANCH:
            if any(_repeats_inside(list(b)) for b in av[1]):
                return True
    return False


def _ambiguous_branch(items: list[tuple[Any, Any]]) -> bool:
    """An alternation in a repeated body whose branches may start alike (an empty
    branch starts like anything)."""
    for op, av in items:
        if op in _GROUPS:
            if _ambiguous_branch(list(av[-1])):
                return True
        elif op == C.BRANCH:
            firsts = [_first(list(b)) if list(b) else _ANY_CHAR for b in av[1]]
            for i, a in enumerate(firsts):
                for b in firsts[i + 1 :]:
                    if a & b or _ANY_CHAR <= a or _ANY_CHAR <= b:
                        return True
            if any(_ambiguous_branch(list(b)) for b in av[1]):
                return True
    return False


def _first(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """Characters a match of ``items`` can start with; "*" stands for "many/any"."""
    out: set[str] = set()
    for op, av in items:
        if op == C.LITERAL:
            out.add(chr(av))
            return frozenset(out)
        if op == C.NOT_LITERAL or op == C.ANY or op == C.CATEGORY:
            return frozenset(out | _ANY_CHAR)
        if op == C.IN:
            chars = _class_chars(av)
            return frozenset(out | chars)
        if op in _REPEATS:
            out |= _first(list(av[2]))
            if av[0] == 0:
                continue  # optional: what follows may start the match too
            return frozenset(out)
        if op in _GROUPS:
            return frozenset(out | _first(list(av[-1])))
        if op == C.BRANCH:
            for b in av[1]:
                out |= _first(list(b))
            return frozenset(out)
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        return frozenset(out | _ANY_CHAR)
    return frozenset(out | _ANY_CHAR) if not out else frozenset(out)


def _class_chars(av: list[tuple[Any, Any]]) -> frozenset[str]:
    out: set[str] = set()
    for op, arg in av:
        if op == C.LITERAL:
            out.add(chr(arg))
        elif op == C.RANGE and arg[1] - arg[0] <= 64:
            out.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges: treat as "many"
            return frozenset(_ANY_CHAR)
    return frozenset(out)
