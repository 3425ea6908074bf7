"""The HTML report in a real headless browser: it renders, the findings and the
outlined page crops are in the DOM. Skips when /usr/bin/chromium is absent."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import CORPUS, REPO, SAMPLES

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
            *args, page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )


def _report(tmp_path: Path, pdf: Path, *extra: str) -> Path:
    out = tmp_path / "report.html"
    r = subprocess.run(
        [sys.executable, "-m", "budget_audit", "check", str(pdf), "--format", "html", "-o", str(out), *extra],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert r.returncode == 1, r.stderr
    return out


def test_leaf_cell_report_in_browser(tmp_path: Path) -> None:
    from PIL import Image

    out = _report(tmp_path, SAMPLES / "variants" / "01_leaf_cell.pdf")
    html = out.read_text("utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html  # self-contained
    shot = tmp_path / "shot.png"
    r = chromium(tmp_path, out, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists(), r.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 2000) and shot.stat().st_size > 50_000
    assert len(img.getcolors(1 << 20) or []) > 50  # not a blank page
    dom = chromium(tmp_path, out, "--dump-dom").stdout
    assert 'data-check="YS-122"' in dom and 'data-check="YS-121"' in dom
    # One misprint, one entry: the four findings the swapped digits break are listed
    # under the wrong cell, whose picture comes first.
    group = re.search(r'<div class="finding group error" id="g0" data-checks="([^"]+)">(.*?)<ol class="members">', dom, re.S)
    assert group is not None and set(group.group(1).split()) == {"YS-121", "YS-122", "YS-204", "YS-205"}
    assert "行「2010301 行政运行」 列「合计」写错：131,065 应为 131,056（两位数字颠倒）" in group.group(2)
    assert dom.index('id="g0"') < dom.index('data-check="YS-122"') < dom.index("GEN-701")
    crops = re.findall(r'<img class="crop" data-page="(\d+)" data-boxes="(\d+)"[^>]*src="data:image/png;base64,', group.group(2))
    # Page 12: the wrong cell, and the cells of YS-121/122/204 around it.
    assert crops and crops[0][0] == "12" and int(crops[0][1]) >= 4
    # The crop really has the red outline (#d62728) drawn round the offending cell.
    first = re.search(r'src="data:image/png;base64,([^"]+)"', group.group(2))
    assert first is not None
    crop = Image.open(io.BytesIO(base64.b64decode(first.group(1)))).convert("RGB")
    red = dict((c, n) for n, c in crop.getcolors(1 << 20) or []).get((214, 39, 40), 0)
    assert red > 200, red
    assert "131,065 应为 131,056" in dom and "检查覆盖" in dom and 'id="claims"' in dom


def test_english_switch(tmp_path: Path) -> None:
    out = _report(tmp_path, SAMPLES / "variants" / "04_prose_amount.pdf", "--lang", "en")
    html = out.read_text("utf-8")
    assert "Coverage" in html and "Findings" in html and "检查覆盖" not in html
    assert re.search(r'class="crop" data-page="5"', html)  # the prose sentence found and outlined


def test_corpus_document_report(tmp_path: Path) -> None:
    pdf = CORPUS / "yantai_2026_budget_dept_audit_70050347.pdf"
    if not pdf.exists():
        pytest.skip("corpus not present")
    out = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "budget_audit", "check", str(pdf), "-f", "html", "-o", str(out)], cwd=REPO, timeout=300, check=False)
    shot = tmp_path / "shot.png"
    chromium(tmp_path, out, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists() and shot.stat().st_size > 20_000


def _shot(tmp_path: Path, page: Path, name: str, height: int = 1600) -> Path:
    """A screenshot of ``page``, kept in the test's directory (and copied to
    $BUDGET_AUDIT_SCREENSHOTS when set) so that a person can look at it."""
    from PIL import Image

    shot = tmp_path / f"{name}.png"
    r = chromium(tmp_path, page, f"--screenshot={shot}", f"--window-size=1280,{height}")
    assert shot.exists(), r.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert len(img.getcolors(1 << 20) or []) > 20, f"{name}: a blank page"
    keep = os.environ.get("BUDGET_AUDIT_SCREENSHOTS")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    print(f"screenshot: {shot}")
    return shot


def test_issue12_screenshots_findings_clean_and_index(tmp_path: Path) -> None:
    """Issue 12: a document with findings, one without, and the scan index, each
    rendered by a browser: verdict, counts, links back to the index and to the PDF's
    page, the skipped checks as one line."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "variants" / "01_leaf_cell.pdf", docs / "leaf.pdf")
    shutil.copy(SAMPLES / "xuchang_2021_budget.pdf", docs / "seed.pdf")
    site = tmp_path / "site"
    # YS-12x hold in the seed and fail in the leaf-cell variant: one page with
    # findings, one without.
    r = subprocess.run(
        [sys.executable, "-m", "budget_audit", "scan", str(docs), "-f", "html", "-o", str(site), "--select", "YS-12,YS-2", "--jobs", "1"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert r.returncode == 1, r.stderr
    pages = {p.name: p for p in site.glob("0*.html")}
    leaf = next(p for n, p in pages.items() if "leaf" in n)
    seed = next(p for n, p in pages.items() if "seed" in n)
    _shot(tmp_path, leaf, "issue12-with-findings")
    _shot(tmp_path, seed, "issue12-without-findings", 900)
    _shot(tmp_path, site / "index.html", "issue12-scan-index", 700)
    dom = chromium(tmp_path, leaf, "--dump-dom").stdout
    assert 'id="status">有错误<' in dom and 'href="index.html" id="back"' in dom
    assert 'href="../docs/leaf.pdf#page=12"' in dom
    assert "JS-" not in dom
    dom = chromium(tmp_path, seed, "--dump-dom").stdout
    assert 'id="status">通过<' in dom and "未发现不一致" in dom
    dom = chromium(tmp_path, site / "index.html", "--dump-dom").stdout
    assert re.search(r'<a href="0\d\d_leaf\.html">leaf\.pdf</a>', dom) and "有错误" in dom and "通过" in dom
