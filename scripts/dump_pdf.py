"""Debug view of what the PDF ingester saw: paragraphs, tables (rows tab-separated), notes.

Usage: python scripts/dump_pdf.py FILE.pdf [--tables-only] [--paragraphs-only]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from budget_audit.errors import InputError  # noqa: E402
from budget_audit.ingest.pdf import ingest_pdf  # noqa: E402


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    t0 = time.perf_counter()
    try:
        doc = ingest_pdf(args[0])
    except InputError as exc:
        print(f"InputError: {exc}")
        return 2
    elapsed = time.perf_counter() - t0
    print(f"# {args[0]}: {len(doc.pages)} pages, {len(doc.paragraphs)} paragraphs, "
          f"{len(doc.tables)} tables, {elapsed:.2f}s")
    if "--tables-only" not in argv:
        print("\n## Paragraphs")
        for para in doc.paragraphs:
            print(f"[p{para.page} #{para.index}] {para.text}")
    if "--paragraphs-only" not in argv:
        print("\n## Tables")
        for t in doc.tables:
            print(f"\n### {t.id} 《{t.title}》 pages={t.pages} title_page={t.title_page}")
            print(f"    org={t.org_line!r} unit={t.unit_line!r} rows={len(t.rows)} "
                  f"cols={len(t.rows[0].cells) if t.rows else 0}")
            for row in t.rows:
                cells = ["·" if c.text is None else c.text for c in row.cells]
                print(f"  p{row.page}\t" + "\t".join(cells))
            for note in t.notes:
                print(f"  NOTE: {note}")
    print("\n## Extraction notes")
    for note in doc.extraction_notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
