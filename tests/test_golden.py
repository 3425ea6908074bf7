"""Extraction does not drift: each sample (and a handful of corpus documents) is read
exactly as recorded in tests/golden/, which only scripts/make_golden.py rewrites."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .paths import REPO, SAMPLES

sys.path.insert(0, str(REPO / "scripts"))
from make_golden import CORPUS_DOCS, golden_record  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["xuchang_2021_budget.txt", "xuchang_2021_budget.pdf"])
def test_sample_golden(name: str) -> None:
    want = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    assert golden_record(SAMPLES / name) == want


@pytest.mark.parametrize("name", CORPUS_DOCS)
def test_corpus_golden(name: str, corpus) -> None:
    golden = GOLDEN / "corpus" / f"{name}.json"
    if not golden.exists():
        pytest.skip("golden file not generated")
    want = json.loads(golden.read_text("utf-8"))
    assert golden_record(corpus / name, tables_only=True) == want
