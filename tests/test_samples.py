"""The bundled samples: every planted defect is caught by the check aimed at it, no
benign variant raises a finding, and the text and PDF forms of a sample agree.

The seed is a real document with real inconsistencies; its own findings are the
baseline, listed (with why each is genuine) in SEED_FINDINGS.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
import yaml

from budget_audit.api import audit
from budget_audit.rulebook import load

from .paths import SAMPLES, SEED_PDF, SEED_TXT

MANIFEST = yaml.safe_load((SAMPLES / "manifest.yaml").read_text("utf-8"))

# The seed's own findings. Each is a genuine inconsistency of the published document:
SEED_FINDINGS = {
    # 目录 lists 九、2021年政府性基金支出情况表, which the document does not contain.
    ("GEN-701", "fail", "error"),
    # 目录 titles 八、部门“三公”经费预算表 and 十二、预算项目绩效目标（申报）表 differ from
    # the tables printed (一般公共预算“三公”经费支出情况表; …预算项目绩效目标表).
    ("GEN-701", "fail", "warning"),
    # 一般公共预算支出表 prints code 201 as “一般公共预算支出”; 201 is 一般公共服务支出.
    ("GEN-801", "fail", "error"),
    # The 三公 table prints no unit line (its figures are in 百元, like the other tables).
    ("GEN-702", "fail", "warning"),
    # The 财政拨款收支总体情况表 of this 2021 budget names three classes by their names
    # before the 2019 reform: 七、文化体育与传媒, 十、医疗卫生, 国土海洋气象等支出.
    ("GEN-803", "fail", "warning"),
}


@lru_cache(maxsize=1)
def _book():
    return load()


def _fails(path) -> set[tuple[str, str]]:
    result = audit(str(path), _book())
    assert not [f for f in result.findings if f.status == "error"], "a check crashed"
    return {(f.check_id, f.message) for f in result.findings if f.status == "fail"}


@lru_cache(maxsize=4)
def _baseline(suffix: str) -> frozenset[tuple[str, str]]:
    return frozenset(_fails(SEED_TXT if suffix == "txt" else SEED_PDF))


@pytest.mark.parametrize("path", [SEED_TXT, SEED_PDF], ids=["text", "pdf"])
def test_seed_findings_are_the_known_real_ones(path) -> None:
    result = audit(str(path), _book())
    got = {(f.check_id, f.status, f.severity) for f in result.findings if f.status == "fail"}
    assert got == SEED_FINDINGS
    assert result.meta["year"] == 2021 and result.meta["department"] == "许昌市政务服务和大数据管理局"


def test_text_and_pdf_give_the_same_findings() -> None:
    def key(path):
        result = audit(str(path), _book())
        return sorted((f.check_id, f.status, f.expected, f.actual) for f in result.findings if f.status != "pass")

    assert key(SEED_TXT) == key(SEED_PDF)


def _variants(kind: str):
    for v in MANIFEST["variants"]:
        if v["kind"] == kind:
            for field in ("file", "pdf"):
                if v.get(field):
                    yield pytest.param(v, v[field], id=f"{v['id']}-{field}")


@pytest.mark.parametrize("variant,rel", list(_variants("defect")))
def test_defect_is_caught(variant, rel) -> None:
    suffix = "txt" if rel.endswith(".txt") else "pdf"
    new = _fails(SAMPLES / rel) - _baseline(suffix)
    caught = {check for check, _ in new}
    assert variant["catch"] in caught, f"{variant['id']} expected {variant['catch']}, got {sorted(caught)}"


@pytest.mark.parametrize("variant,rel", list(_variants("benign")))
def test_benign_variant_is_clean(variant, rel) -> None:
    suffix = "txt" if rel.endswith(".txt") else "pdf"
    new = _fails(SAMPLES / rel) - _baseline(suffix)
    assert not new, sorted(new)


def test_manifest_covers_the_required_defects() -> None:
    defects = [v for v in MANIFEST["variants"] if v["kind"] == "defect"]
    benign = [v for v in MANIFEST["variants"] if v["kind"] == "benign"]
    assert len(defects) >= 12 and len(benign) >= 4
    assert all(v["catch"] and v["catch"] != "TBD" for v in defects)
