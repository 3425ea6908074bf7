"""Regenerate the golden extraction files in tests/golden/ (review the diff by hand).

For each bundled sample: everything the extractor saw (paragraphs, tables, claims).
For a handful of corpus documents (when ../shared/corpus is present): the tables, as
the ingester and the recogniser read them.

    python scripts/make_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from budget_audit.extract import extract_record  # noqa: E402

GOLDEN = REPO / "tests" / "golden"
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = ["xuchang_2021_budget.txt", "xuchang_2021_budget.pdf"]
CORPUS_DOCS = [
    "shanghai_2026_budget_unit_audit_3363c27c.pdf",
    "suzhou_2026_budget_dept_audit_85521c48.pdf",
    "fuzhou_2026_budget_unit_ecology_env_6d7eb4cc.pdf",
    "yantai_2026_budget_dept_audit_70050347.pdf",
    "beijing_2026_budget_dept_hrss_tables_8b7bb978.pdf",
    "js_cppcc_office_2019_dept_budget_tables.pdf",
    "sh_putuo_finance_bureau_2024_final.pdf",
]


def golden_record(path: Path, tables_only: bool = False) -> dict:
    rec = extract_record(str(path))
    rec["file"] = path.name
    if tables_only:
        rec = {"file": rec["file"], "document": rec["document"], "tables": rec["tables"]}
    return rec


def dump(rec: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO)}")


def main() -> int:
    for name in SAMPLES:
        dump(golden_record(REPO / "samples" / name), GOLDEN / f"{name}.json")
    if CORPUS.is_dir():
        for name in CORPUS_DOCS:
            dump(golden_record(CORPUS / name, tables_only=True), GOLDEN / "corpus" / f"{name}.json")
    else:
        print("../shared/corpus not present: corpus golden files left as they are")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
