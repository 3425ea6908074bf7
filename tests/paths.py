"""Paths used by the tests: the repository, its samples and ../shared beside it."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SEED_TXT = SAMPLES / "xuchang_2021_budget.txt"
SEED_PDF = SAMPLES / "xuchang_2021_budget.pdf"
