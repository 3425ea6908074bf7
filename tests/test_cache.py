"""The parse cache (budget_audit/cache.py): hits on unchanged bytes, never an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budget_audit import cache
from budget_audit.api import audit
from budget_audit.errors import InputError
from budget_audit.ingest import ingest_many
from budget_audit.report import FORMATS

from .paths import SEED_PDF, SEED_TXT


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(d))
    return d


def entries(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*.json") if not p.name.startswith(".tmp-") and p.parent.name != "rules")


def counting_ingest() -> tuple[list[int], object]:
    calls = [0]

    def ingest(paths: list[str]):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return ingest_many(paths)

    return calls, ingest


def json_of(path: str | list[str]) -> str:
    return FORMATS["json"](audit(path), {"lang": "zh"})


def test_miss_then_hit(cache_dir: Path) -> None:
    calls, ingest = counting_ingest()
    a = cache.ingest_cached([str(SEED_TXT)], ingest)
    b = cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 1
    assert len(entries(cache_dir)) == 1
    assert a == b and a is not b


def test_key_depends_on_content_version_and_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_text("2021年部门预算\n", encoding="utf-8")
    k1 = cache.cache_key([str(f)])
    f.write_text("2021年部门预算。\n", encoding="utf-8")
    k2 = cache.cache_key([str(f)])
    monkeypatch.setattr(cache, "FORMAT_VERSION", cache.FORMAT_VERSION + 1)
    k3 = cache.cache_key([str(f)])
    monkeypatch.setattr(cache, "__version__", "0.0.0-test")
    k4 = cache.cache_key([str(f)])
    assert len({k1, k2, k3, k4}) == 4
    assert cache.cache_key([str(f), str(f)]) != k4  # a two-file document is another key


def test_edit_in_place_is_a_miss(cache_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "doc.txt"
    shutil.copy(SEED_TXT, f)
    first = json_of(str(f))
    text = f.read_text(encoding="utf-8").replace("131,056", "131,065", 1)
    f.write_text(text, encoding="utf-8")
    assert json_of(str(f)) != first
    assert len(entries(cache_dir)) == 2


def test_same_bytes_other_name_points_at_the_new_name(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "renamed.txt"
    shutil.copy(SEED_TXT, other)
    json_of(str(SEED_TXT))  # stores under SEED_TXT's name
    warm = json_of(str(other))  # a hit, relocated
    monkeypatch.setenv("BUDGET_AUDIT_CACHE", "off")
    assert warm == json_of(str(other))
    assert str(SEED_TXT) not in warm


class _Planted:
    """A pickle that runs code when loaded: what a shared cache could be fed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "pwned"))


@pytest.mark.parametrize(
    "garbage",
    ["empty", "text", "pickle", "wrong-object", "wrong-type", "truncated"],
)
def test_corrupt_entry_is_ignored_and_rewritten(cache_dir: Path, tmp_path: Path, garbage: str) -> None:
    import json
    import pickle

    calls, ingest = counting_ingest()
    good = cache.ingest_cached([str(SEED_TXT)], ingest)
    (entry,) = entries(cache_dir)
    stored = json.loads(entry.read_bytes())
    marker = tmp_path / "planted-code-ran"
    bad = {
        "empty": b"",
        "text": b"not json",
        "pickle": pickle.dumps(_Planted(marker)),
        "wrong-object": json.dumps({"not": "a document"}).encode(),
        # the right shape with a cell text that is a number: refused field by field
        "wrong-type": json.dumps(stored, ensure_ascii=False).replace('"合计"', "12345", 1).encode(),
        "truncated": entry.read_bytes()[:-40],
    }[garbage]
    entry.write_bytes(bad)
    again = cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 2 and again == good
    assert not marker.exists()
    third = cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 2 and third == good  # rewritten: a hit again


def test_entries_are_data_not_pickles(cache_dir: Path) -> None:
    import json

    cache.ingest_cached([str(SEED_TXT)], ingest_many)
    (entry,) = entries(cache_dir)
    data = json.loads(entry.read_bytes())
    assert set(data) == {"budget_audit_document", "doc"}
    assert str(SEED_TXT) not in entry.read_text(encoding="utf-8")  # paths are placeholders


def test_shared_cache_directory_is_neither_read_nor_filled(cache_dir: Path) -> None:
    """Issue 13 (5): a directory others can write into could hold forged entries."""
    calls, ingest = counting_ingest()
    cache.ingest_cached([str(SEED_TXT)], ingest)
    (entry,) = entries(cache_dir)
    cache_dir.chmod(0o777)
    cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 2  # not read
    entry.unlink()
    cache.ingest_cached([str(SEED_TXT)], ingest)
    assert entries(cache_dir) == []  # not filled
    cache_dir.chmod(0o700)
    cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 4 and len(entries(cache_dir)) == 1


def test_entry_others_can_write_or_a_symlink_is_ignored(cache_dir: Path, tmp_path: Path) -> None:
    calls, ingest = counting_ingest()
    cache.ingest_cached([str(SEED_TXT)], ingest)
    (entry,) = entries(cache_dir)
    entry.chmod(0o666)
    cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 2
    (entry,) = entries(cache_dir)  # rewritten privately
    assert entry.stat().st_mode & 0o077 == 0
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(elsewhere)
    cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 3


def test_off_disables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_AUDIT_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    calls, ingest = counting_ingest()
    cache.ingest_cached([str(SEED_TXT)], ingest)
    cache.ingest_cached([str(SEED_TXT)], ingest)
    assert calls[0] == 2
    assert not list(tmp_path.rglob("*.json"))


def test_default_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUDGET_AUDIT_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / ".cache" / "budget-audit"


def test_unwritable_directory_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(blocker / "sub"))  # a file in the way
    calls, ingest = counting_ingest()
    doc = cache.ingest_cached([str(SEED_TXT)], ingest)
    assert doc.tables and calls[0] == 1


def test_errors_are_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for _ in range(2):
        with pytest.raises(InputError):
            audit(str(empty))
    with pytest.raises(InputError):
        audit(str(tmp_path / "missing.pdf"))
    assert entries(cache_dir) == []


def test_no_temporary_files_left(cache_dir: Path) -> None:
    audit(str(SEED_TXT))
    assert not [p for p in cache_dir.rglob("*") if p.name.startswith(".tmp-")]


def test_pdf_cold_and_warm_agree(cache_dir: Path) -> None:
    if not SEED_PDF.exists():
        pytest.skip("no sample PDF")
    cold = json_of(str(SEED_PDF))
    assert len(entries(cache_dir)) == 1
    assert json_of(str(SEED_PDF)) == cold
