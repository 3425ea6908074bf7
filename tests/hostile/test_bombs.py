"""Issue 13, item 6: resource bombs are refused or contained — decompression and
object-count bombs at the door, huge pages drawn small in a limited child, and a
worker stuck in C code killed from outside."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from . import gen
from .conftest import a_report, cli, one_chinese_line


@pytest.mark.parametrize(
    "name,make",
    [
        ("two-layer-flate", lambda: gen.flate_bomb_pdf(160 << 20, 2)),
        ("one-layer-flate", lambda: gen.pdf([gen.stream(gen.deflate_stream(160 << 20, 1), ["FlateDecode"])])),
        ("objstm-count", gen.objstm_bomb_pdf),
    ],
)
def test_bomb_is_one_line_under_a_memory_limit(tmp_path: Path, name: str, make) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(make())
    assert path.stat().st_size < 300_000
    t0 = time.monotonic()
    one_chinese_line(cli("check", path, memory_mb=1024), "上限" if "count" in name else "解压")
    assert time.monotonic() - t0 < 120


def test_guard_passes_normal_documents(tmp_path: Path) -> None:
    from budget_audit.ingest.pdf_guard import check_resources

    data = gen.reportlab_budget_pdf()
    check_resources("x.pdf", data)


def test_huge_page_is_drawn_small_in_a_limited_worker(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    path.write_bytes(gen.reportlab_budget_pdf((14_400, 14_400)))
    out = tmp_path / "huge.html"
    t0 = time.monotonic()
    r = cli("check", path, "--format", "html", "-o", out, memory_mb=1536)
    a_report(r)
    assert time.monotonic() - t0 < 180
    assert "data:image/png" in out.read_text(encoding="utf-8")


def test_page_scale_is_capped() -> None:
    from budget_audit.render_page import MAX_PIXELS, SCALE, page_scale

    assert page_scale(595, 842) == SCALE
    s = page_scale(14_400, 14_400)
    assert 14_400 * 14_400 * s * s <= MAX_PIXELS * 1.001


def test_limited_call_is_killed_from_outside() -> None:
    from budget_audit.guard import run_limited

    t0 = time.monotonic()
    assert run_limited(_stuck, timeout=2) is None
    assert time.monotonic() - t0 < 30
    assert run_limited(_hungry, timeout=30, max_memory_mb=512) is None
    assert run_limited(sum, [1, 2, 3]) == 6


def _stuck() -> None:
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
    time.sleep(600)  # as deaf as C code


def _hungry() -> bytes:
    return b"x" * (2 << 30)


def test_scan_watchdog_kills_a_worker_stuck_where_alarms_cannot_reach(tmp_path: Path) -> None:
    """The worker ignores SIGALRM (as pdfium's C code does): the parent kills it
    after the time limit and grace, reports that document, and finishes the rest."""
    from budget_audit import workers

    got: dict[str, dict] = {}
    t0 = time.monotonic()
    workers.run_pool(
        ["slow", "fast1", "fast2"],
        _deaf_worker,
        (),
        2,
        8,
        1,
        lambda job, rec: got.__setitem__(job, rec),
        lambda job, reason: {"error": reason},
    )
    assert time.monotonic() - t0 < 1 + workers.GRACE + 30
    assert "时间限制" in got["slow"]["error"]
    assert got["fast1"] == {"ok": "fast1"} and got["fast2"] == {"ok": "fast2"}


def _deaf_worker(conn, tasks: int) -> None:  # type: ignore[no-untyped-def]
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    for _ in range(tasks):
        job = conn.recv()
        if job == "slow":
            time.sleep(600)
        conn.send({"ok": job})
