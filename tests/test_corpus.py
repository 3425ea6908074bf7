"""Precision on real published documents: every fail finding on the corpus is listed
here, with why it is a genuine inconsistency of the published document. A finding not
in this list is a false alarm (or a new genuine one, to be verified and added).

Documents published as a text file and a tables file are audited together, as `scan`
pairs them. The 决算 pack has its own test (test_final_accounts.py); its documents are
listed here too so that the common checks are held to the same standard.
"""

from __future__ import annotations

from collections import Counter

import pytest

from budget_audit.rulebook import load
from budget_audit.scan import audit_safely, discover
from tests.corpus_verified import expected, pending, refused


def _documents(corpus):
    return discover(str(corpus))


@pytest.fixture(scope="module")
def results(corpus):
    book = load()
    out = {}
    for paths in _documents(corpus):
        name = paths[0].rsplit("/", 1)[-1]
        out[name] = audit_safely(paths, book)
    return out


def test_every_corpus_document_is_read(results) -> None:
    assert len(results) >= 119
    for name, r in results.items():
        why = refused(name)
        if why is not None:
            assert r.error is not None and why in r.error, name
            continue
        assert r.error is None, f"{name}: {r.error}"
        assert r.meta["year"] and r.meta["kind"] in ("预算", "决算"), name
        stats = r.stats()
        assert stats["passed"] + stats["failed"] + stats["skipped"] + stats["errors"] == stats["checks"], name
        assert stats["errors"] == 0, [f.message for f in r.findings if f.status == "error"]


def test_departments_recognised(results) -> None:
    missing = [
        n
        for n, r in results.items()
        if not r.meta.get("department") and "template" not in n and r.error is None and not pending(n)
    ]
    assert not missing


def test_no_unverified_findings(results) -> None:
    problems = {}
    for name, r in results.items():
        if pending(name):
            continue
        got = Counter(f.check_id for f in r.findings if f.status == "fail")
        if got != Counter(expected(name)):
            problems[name] = (dict(got), dict(Counter(expected(name))))
    assert not problems
