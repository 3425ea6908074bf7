"""Shared fixtures: paths to the bundled samples and to the read-only corpus beside the
checkout (tests that need the corpus skip cleanly when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .paths import CORPUS, REPO, SAMPLES, SEED_PDF, SEED_TXT, SHARED  # noqa: F401


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir() or not any(CORPUS.glob("*.pdf")):
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture(scope="session")
def rulebook():
    from budget_audit.rulebook import load

    return load()
