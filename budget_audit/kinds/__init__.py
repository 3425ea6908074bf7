"""Kinds: Python code that knows how to evaluate one sort of identity.

Each module has a docstring in fixed sections (what it checks / why it matters /
examples) that ``budget-audit rules explain`` prints, ``KIND``, a frozen ``Params``
dataclass whose fields are exactly the kind-specific YAML keys, and
``evaluate(check, ctx)``.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    change_sum,
    classification,
    completeness,
    consistency,
    count,
    direction,
    equal,
    execution,
    percent,
    prose_amount,
    prose_lookup,
    restated,
    sum,
)

KINDS: dict[str, ModuleType] = {
    m.KIND: m
    for m in (
        sum,
        equal,
        prose_amount,
        prose_lookup,
        percent,
        direction,
        count,
        change_sum,
        consistency,
        completeness,
        classification,
        execution,
        restated,
    )
}
