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


def _flate(data: bytes) -> bytes:
    import zlib

    return zlib.compress(data, 9)


def _bad_checksum(data: bytes) -> bytes:
    """A zlib stream whose adler32 is wrong: zlib raises at its very end, after all
    the output, where pdfium keeps what it inflated and goes on to the next filter."""
    return data[:-1] + bytes([data[-1] ^ 0xFF])


MiB = 1 << 20
# (name, filters, stream data, cap in MiB for the check): each inflates past its cap
# only through a filter or a chain the first guard did not decode.
FILTER_BOMBS = [
    ("lzw", ["LZWDecode"], lambda: gen.lzw_run(160 * MiB), 128),
    ("lzw-early-0", ["LZW"], lambda: gen.lzw_run(160 * MiB, early=0), 128),  # /EarlyChange 0 below
    ("runlength", ["RunLengthDecode"], lambda: gen.run_length(6 * MiB), 4),
    ("ahx-flate-flate", ["ASCIIHexDecode", "FlateDecode", "FlateDecode"], lambda: gen.ascii_hex(gen.deflate_stream(160 * MiB, 2)), 128),
    ("a85-lzw", ["ASCII85Decode", "LZWDecode"], lambda: gen.ascii85(gen.lzw_run(160 * MiB)), 128),
    ("flate-lzw", ["FlateDecode", "LZWDecode"], lambda: _flate(gen.lzw_run(160 * MiB)), 128),
    ("lzw-flate", ["LZWDecode", "FlateDecode"], lambda: gen.lzw_encode(gen.deflate_stream(40 * MiB, 1)), 32),
    ("runlength-flate", ["RunLengthDecode", "FlateDecode"], lambda: gen.run_length(0)[:-1] + _rl_literal(gen.deflate_stream(40 * MiB, 1)), 32),
    ("flate-bad-checksum-flate", ["FlateDecode", "FlateDecode"], lambda: _bad_checksum(_flate(gen.deflate_stream(160 * MiB, 1))), 128),
    ("crypt-identity-flate-flate", ["Crypt", "FlateDecode", "FlateDecode"], lambda: gen.deflate_stream(160 * MiB, 2), 128),
]


def _rl_literal(data: bytes) -> bytes:
    """``data`` as RunLength literal runs (no compression)."""
    out = bytearray()
    for k in range(0, len(data), 128):
        piece = data[k : k + 128]
        out += bytes([len(piece) - 1]) + piece
    return bytes(out) + b"\x80"


@pytest.mark.parametrize("name,filters,make,cap", FILTER_BOMBS, ids=[b[0] for b in FILTER_BOMBS])
def test_filter_bombs_are_measured(monkeypatch: pytest.MonkeyPatch, name: str, filters: list[str], make, cap: int) -> None:  # type: ignore[no-untyped-def]
    """LZW, RunLength, ASCIIHex/ASCII85 and chains of them are decoded with bounded
    output before pdfium sees the file; each bomb is refused, and the same chain
    carrying a small payload is not."""
    from budget_audit.errors import InputError
    from budget_audit.ingest import pdf_guard

    monkeypatch.setattr(pdf_guard, "MAX_STREAM_BYTES", cap * MiB)
    data = make()
    body = gen.stream(data, filters)
    if "early-0" in name:
        body = body.replace(b"/Filter", b"/DecodeParms << /EarlyChange 0 >> /Filter")
    pdf = gen.pdf([body])
    assert len(pdf) < 2 * MiB
    with pytest.raises(InputError, match="解压后超过"):
        pdf_guard.check_resources("bomb.pdf", pdf)


def test_filter_chains_with_small_payloads_pass_and_pdfium_reads_them() -> None:
    """The encoders above write what pdfium reads (so the bombs are real), and a
    normal stream through each chain passes the guard."""
    pdfium = pytest.importorskip("pypdfium2")
    from budget_audit.ingest import pdf_guard

    content = gen.text_content(["2021 budget total 300.00"] + [f"row {k} " + "x" * k for k in range(60)])
    for filters, data in [
        (["LZWDecode"], gen.lzw_encode(content)),
        (["ASCIIHexDecode", "FlateDecode"], gen.ascii_hex(_flate(content))),
        (["ASCII85Decode", "LZWDecode"], gen.ascii85(gen.lzw_encode(content))),
        (["FlateDecode", "LZWDecode"], _flate(gen.lzw_encode(content))),
        (["RunLengthDecode", "FlateDecode"], _rl_literal(_flate(content))),
    ]:
        pdf = gen.pdf([gen.stream(data, filters)])
        pdf_guard.check_resources("ok.pdf", pdf)
        text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
        assert "2021 budget total 300.00" in text and "row 59 " in text, (filters, text[:80])


def test_stream_whose_filter_cannot_be_read_is_measured_as_flate() -> None:
    """``/Filter 9 0 R`` pointing at an object packed in an object stream (not written
    out plainly), or a dictionary padded past the window, hides the chain: zlib data
    is then inflated stage after stage and refused past the cap."""
    from budget_audit.errors import InputError
    from budget_audit.ingest import pdf_guard

    data = gen.deflate_stream(160 * MiB, 2)
    hidden = b"<< /Length %d /Filter 99 0 R >>\nstream\n" % len(data) + data + b"\nendstream"
    with pytest.raises(InputError, match="解压后超过"):
        pdf_guard.check_resources("bomb.pdf", gen.pdf([hidden]))
    padded = gen.stream(data, ["FlateDecode", "FlateDecode"]).replace(b"<< ", b"<< /Pad (" + b"x" * (70 << 10) + b") ", 1)
    with pytest.raises(InputError, match="解压后超过"):
        pdf_guard.check_resources("bomb.pdf", gen.pdf([padded]))
    decoy = gen.stream(data, ["DCTDecode"])  # zlib data its dictionary disowns
    with pytest.raises(InputError, match="解压后超过"):
        pdf_guard.check_resources("bomb.pdf", gen.pdf([decoy]))


def test_stream_marked_as_an_image_is_measured_too() -> None:
    """pdfium reads a page's content stream whatever ``/Subtype`` its dictionary
    claims: a bomb calling itself an image is measured against the image cap."""
    from budget_audit.errors import InputError
    from budget_audit.ingest import pdf_guard

    data = gen.deflate_stream(600 * MiB, 2)
    body = gen.stream(data, ["FlateDecode", "FlateDecode"]).replace(b"<< ", b"<< /Subtype /Image ", 1)
    with pytest.raises(InputError, match="512 MiB"):
        pdf_guard.check_resources("bomb.pdf", gen.pdf([body]))


def test_lzw_bomb_is_one_line_under_a_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "lzw.pdf"
    path.write_bytes(gen.pdf([gen.stream(gen.lzw_run(600 * MiB), ["LZWDecode"])]))
    assert path.stat().st_size < 600_000
    one_chinese_line(cli("check", path, memory_mb=1024), "解压")


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


# ----------------------------------------------------------------------------- check reads in a limited child


def _many_pages_pdf(pages: int) -> bytes:
    lines = [f"{k} 2021 budget item {k} total {k * 3}.00 " + "x" * 40 for k in range(45)]
    return gen.pdf([gen.stream(gen.text_content(lines, size=10, top=820)) for _ in range(pages)])


def test_check_reading_is_killed_at_its_time_limit(tmp_path: Path) -> None:
    """Reading a PDF in ``check`` runs in a forked child the parent kills at
    ``--timeout`` (pdfium's C code never sees an alarm): one Chinese line naming the
    option, exit 2, promptly; the default limit does not bite on the same file."""
    path = tmp_path / "slow.pdf"
    path.write_bytes(_many_pages_pdf(150))
    t0 = time.monotonic()
    one_chinese_line(cli("check", path, "--timeout", "1"), "slow.pdf", "时间限制", "--timeout")
    assert time.monotonic() - t0 < 30


def test_check_reading_is_killed_at_its_memory_limit(tmp_path: Path) -> None:
    """``--max-memory`` caps the reading child's address space; the parent survives
    to say so in one line."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(gen.reportlab_budget_pdf())
    one_chinese_line(cli("check", path, "--max-memory", "64"), "doc.pdf", "--max-memory")
    a_report(cli("check", path))  # the default does not bite


def test_limited_reading_returns_the_document_or_its_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget_audit import guard, ingest
    from budget_audit.errors import InputError

    good = tmp_path / "doc.pdf"
    good.write_bytes(gen.reportlab_budget_pdf())
    assert guard.ingest_limited([str(good)]) == ingest.ingest_many([str(good)])
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    with pytest.raises(InputError) as err:
        guard.ingest_limited([str(bad)])
    assert err.value.path == str(bad) and "损坏" in str(err.value)

    def deaf(paths):  # type: ignore[no-untyped-def]
        _stuck()

    monkeypatch.setattr(ingest, "ingest_many", deaf)
    t0 = time.monotonic()
    with pytest.raises(InputError, match="时间限制"):
        guard.ingest_limited([str(good)], timeout=1)
    assert time.monotonic() - t0 < 10


def test_cache_hit_needs_no_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm path stays in-process: a parse the cache holds forks nothing."""
    from budget_audit import guard
    from budget_audit.api import audit

    monkeypatch.setenv("BUDGET_AUDIT_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "doc.pdf"
    path.write_bytes(gen.reportlab_budget_pdf())
    forks = [0]
    real = guard.run_checked

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        forks[0] += 1
        return real(*a, **k)

    monkeypatch.setattr(guard, "run_checked", counting)
    first = audit([str(path)], parse_limits=(60, 2048))
    second = audit([str(path)], parse_limits=(60, 2048))
    assert forks[0] == 1
    assert first.to_records() == second.to_records()
