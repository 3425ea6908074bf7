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


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory):
    # Tests must not read or fill the user's ~/.cache/budget-audit (budget_audit/cache.py).
    mp = pytest.MonkeyPatch()
    mp.setenv("BUDGET_AUDIT_CACHE", str(tmp_path_factory.mktemp("parse-cache")))
    yield
    mp.undo()
