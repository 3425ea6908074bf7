"""Precision on real published documents: every fail finding on the corpus is listed
here, with why it is a genuine inconsistency of the published document. A finding not
in this list is a false alarm (or a new genuine one, to be verified and added).

Documents published as a text file and a tables file are audited together, as `scan`
pairs them. The 决算 pack has its own test (test_final_accounts.py); its documents are
listed here too so that the common checks are held to the same standard.
"""

from __future__ import annotations

import re
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
        n for n, r in results.items() if not r.meta.get("department") and "template" not in n and r.error is None
    ]
    assert not missing


def _corpus_index(corpus) -> dict[str, tuple[str, int, str]]:  # noqa: ANN001
    """file name -> (kind, year, department) from the corpus README's tables."""
    out = {}
    for line in (corpus / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 7 and cells[1].endswith(".pdf") and cells[3].isdigit():
            out[cells[1]] = (cells[2], int(cells[3]), cells[6])
    return out


def _bare(name: str) -> str:
    return re.sub(r"[（(][^)）]*[)）]", "", name)


def test_identity_matches_the_corpus_index(results, corpus) -> None:
    # Issue 10: kind, year and department of every document as the corpus index gives
    # them (a "（本级）" qualifier aside): e.g. 西安's 2022 决算, 北京's "XX局部门2026年度…"
    # covers and "2026部门预算" without 年, 西安's "2020年部门综合预算".
    index = _corpus_index(corpus)
    wrong = {}
    for name, r in results.items():
        if r.error is not None or name not in index or "template" in name:
            continue
        kind, year, dept = index[name]
        got = (r.meta["kind"], r.meta["year"], r.meta.get("department") or "")
        a, b = _bare(dept), _bare(got[2])
        if got[:2] != (kind, year) or not b or not (a in b or b in a):
            wrong[name] = (got, (kind, year, dept))
    assert not wrong


def test_no_unverified_findings(results) -> None:
    problems = {}
    for name, r in results.items():
        if pending(name):
            continue
        got = Counter(f.check_id for f in r.findings if f.status == "fail")
        if got != Counter(expected(name)):
            problems[name] = (dict(got), dict(Counter(expected(name))))
    assert not problems
