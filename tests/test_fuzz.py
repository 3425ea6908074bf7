"""Robustness (issue #6): hostile input never produces a traceback.

Every input below must give either a normal :class:`AuditResult` or a
``BudgetAuditError`` subclass from the API; through the CLI, exit 2 with one line on
stderr, or 0/1 with a normal report. Inputs: corrupted PDFs (truncated, bit-flipped,
wrong header, random bytes after ``%PDF-``; a real published PDF byte-damaged and
truncated when ../shared/corpus is present), an encrypted PDF, zero-byte, image-only
and 300-page PDFs (made with reportlab), malformed text exports (tabs, giant lines,
invalid UTF-8, NUL bytes), hostile rule files (anchor bombs, deep nesting, huge
numbers, unknown kinds, ``!!python/object`` tags, non-UTF-8, 2 MB) and random edits
of a shipped rule file. In a scan, a bad file never costs the others.

Issue 13 adds properties over the generators of ``tests/hostile/gen.py``: text carrying
formulas, control characters, Rich markup and huge figures (every output format stays
inert), random regular expressions in rule files (a pattern passes the load-time check
only if matching it stays fast), compressed streams around a lowered decompression cap
(wrong ``/Length`` included), arbitrary bytes in the file names of a scan (valid UTF-8
outputs, journal resumes) and random configs and baselines.

The CI budget is small (30 examples per property, the whole file well under a
minute); ``FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py`` runs long by hand.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
pytest.importorskip("reportlab")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from budget_audit.api import audit  # noqa: E402
from budget_audit.errors import BudgetAuditError, InputError, RulebookError  # noqa: E402
from budget_audit.findings import AuditResult  # noqa: E402
from budget_audit.rulebook import load  # noqa: E402

from .paths import REPO  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 30,  # CI: the same examples every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

TABLE = [
    ["项目", "合计", "基本支出", "项目支出"],
    ["合计", "300.00", "200.00", "100.00"],
    ["一般公共服务支出", "200.00", "150.00", "50.00"],
    ["教育支出", "100.00", "50.00", "50.00"],
]
PROSE = "2021年某某局部门预算。2021年支出预算300.00万元，比上年增加30.00万元，增长11.1%。"


# ----------------------------------------------------------------------------- makers


def _canvas(buf: io.BytesIO, **kw):  # type: ignore[no-untyped-def]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return Canvas(buf, invariant=1, **kw)


def _draw_page(c, n: int) -> None:  # type: ignore[no-untyped-def]
    c.setFont("STSong-Light", 12)
    c.drawString(72, 790, f"{PROSE}（第{n}页）")
    c.drawString(200, 750, "2021年部门支出总体情况表")
    c.drawString(430, 730, "单位：万元")
    x0, y0, w, h = 72, 720, 110, 22
    for r, row in enumerate(TABLE):
        for k, text in enumerate(row):
            c.rect(x0 + k * w, y0 - (r + 1) * h, w, h)
            c.drawString(x0 + k * w + 4, y0 - (r + 1) * h + 7, text)


def make_pdf(pages: int = 2, encrypt: str | None = None) -> bytes:
    buf = io.BytesIO()
    kw = {}
    if encrypt is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kw["encrypt"] = StandardEncryption(encrypt, ownerPassword="owner", strength=128)
    c = _canvas(buf, **kw)
    for n in range(1, pages + 1):
        _draw_page(c, n)
        c.showPage()
    c.save()
    return buf.getvalue()


def make_image_pdf() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (200, 100), "white")
    for x in range(0, 200, 7):
        for y in range(0, 100, 5):
            img.putpixel((x, y), (0, 0, 0))
    buf = io.BytesIO()
    c = _canvas(buf)
    c.drawImage(ImageReader(img), 72, 500, 400, 200)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def base_pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="module")
def small_book():  # type: ignore[no-untyped-def]
    return load()


@pytest.fixture()
def scratch(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_AUDIT_CACHE", "off")


@pytest.fixture(autouse=True)
def _cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fuzz inputs are unique: caching them would only fill the user's cache directory.
    _no_cache(monkeypatch)


def audit_ok(path: Path, book) -> AuditResult | BudgetAuditError:  # type: ignore[no-untyped-def]
    """audit() must return a result or raise a BudgetAuditError; anything else fails."""
    try:
        result = audit(str(path), book)
    except BudgetAuditError as exc:
        assert str(exc).strip(), "an error must say something"
        return exc
    assert isinstance(result, AuditResult)
    assert not any(f.status == "error" for f in result.findings), [
        f.message for f in result.findings if f.status == "error"
    ]
    result.to_records()  # the reporters' input must build too
    return result


def _write(dir_: Path, name: str, data: bytes) -> Path:
    path = dir_ / name
    path.write_bytes(data)
    return path


# ----------------------------------------------------------------------------- PDFs


def test_base_pdf_is_read(base_pdf: bytes, scratch: Path, small_book) -> None:  # type: ignore[no-untyped-def]
    """The uncorrupted base is a real document: the fuzzing below starts from sense."""
    result = audit_ok(_write(scratch, "base.pdf", base_pdf), small_book)
    assert isinstance(result, AuditResult)
    assert result.tables and result.meta["year"] == 2021


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
def test_truncated_pdf(base_pdf: bytes, scratch: Path, small_book, cut: float) -> None:  # type: ignore[no-untyped-def]
    audit_ok(_write(scratch, "t.pdf", base_pdf[: int(len(base_pdf) * cut)]), small_book)


@FUZZ
@given(flips=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=20))
def test_bit_flipped_pdf(base_pdf: bytes, scratch: Path, small_book, flips) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(base_pdf)
    for where, bit in flips:
        data[int(where * len(data))] ^= 1 << bit
    audit_ok(_write(scratch, "f.pdf", bytes(data)), small_book)


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    """The smallest published PDF of ../shared/corpus (Shanghai: clip paths, ruled
    tables, CID fonts — what the fast reader's pdfium calls walk through)."""
    from .paths import CORPUS

    pdfs = sorted(CORPUS.glob("*.pdf"), key=lambda p: (p.stat().st_size, p.name)) if CORPUS.is_dir() else []
    if not pdfs:
        pytest.skip("../shared/corpus absent")
    return pdfs[0].read_bytes()


@FUZZ
@given(flips=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=40))
def test_byte_damaged_real_pdf(real_pdf: bytes, scratch: Path, small_book, flips) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(real_pdf)
    for where, byte in flips:
        data[int(where * len(data))] = byte
    audit_ok(_write(scratch, "real.pdf", bytes(data)), small_book)


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
def test_truncated_real_pdf(real_pdf: bytes, scratch: Path, small_book, cut: float) -> None:  # type: ignore[no-untyped-def]
    audit_ok(_write(scratch, "real_cut.pdf", real_pdf[: int(len(real_pdf) * cut)]), small_book)


@FUZZ
@given(head=st.binary(min_size=1, max_size=16))
def test_wrong_header_pdf(base_pdf: bytes, scratch: Path, small_book, head: bytes) -> None:  # type: ignore[no-untyped-def]
    audit_ok(_write(scratch, "h.pdf", head + base_pdf[8:]), small_book)


@FUZZ
@given(tail=st.binary(min_size=0, max_size=4096))
def test_random_bytes_after_pdf_magic(scratch: Path, small_book, tail: bytes) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(audit_ok(_write(scratch, "r.pdf", b"%PDF-" + tail), small_book), BudgetAuditError)


def test_encrypted_pdf(scratch: Path, small_book) -> None:  # type: ignore[no-untyped-def]
    out = audit_ok(_write(scratch, "enc.pdf", make_pdf(encrypt="secret")), small_book)
    assert isinstance(out, InputError) and "加密" in out.message


def test_encrypted_pdf_empty_user_password(scratch: Path, small_book) -> None:  # type: ignore[no-untyped-def]
    """Owner-password-only PDFs open without a password: a normal result is fine."""
    audit_ok(_write(scratch, "enc0.pdf", make_pdf(encrypt="")), small_book)


@pytest.mark.parametrize("suffix", [".pdf", ".txt", ""])
def test_zero_byte(scratch: Path, small_book, suffix: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(audit_ok(_write(scratch, "empty" + suffix, b""), small_book), InputError)


def test_image_only_pdf(scratch: Path, small_book) -> None:  # type: ignore[no-untyped-def]
    out = audit_ok(_write(scratch, "scan.pdf", make_image_pdf()), small_book)
    assert isinstance(out, InputError) and "文字" in out.message


def test_300_page_pdf(scratch: Path, small_book) -> None:  # type: ignore[no-untyped-def]
    result = audit_ok(_write(scratch, "long.pdf", make_pdf(pages=300)), small_book)
    assert isinstance(result, AuditResult) and result.meta["pages"] == 300


# ----------------------------------------------------------------------------- text

_TEXT_ATOMS = st.sampled_from(
    ["\t", "\n", "\n\n", "\f", "\x00", "\r", "合计", "一般公共服务支出", "201", "03", "01",
     "1,234.56", "-", "—", "单位：万元", "（", "）", "%", "增长", "万元", "2021年", "部门预算",
     "其中：", "1.5", "0", "12,345", "\u3000", "**", "- ", "占", "\ufeff", "\u202e"]
)


@FUZZ
@given(parts=st.lists(st.one_of(_TEXT_ATOMS, st.text(max_size=20)), max_size=200))
def test_malformed_text_export(scratch: Path, small_book, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    data = "".join(parts).encode("utf-8", "surrogatepass")
    audit_ok(_write(scratch, "m.txt", data), small_book)


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes_as_text(scratch: Path, small_book, data: bytes) -> None:  # type: ignore[no-untyped-def]
    audit_ok(_write(scratch, "b.txt", data), small_book)


@pytest.mark.parametrize(
    "data",
    [
        ("2021年某某局部门预算\n\n" + "合计\t" * 20000 + "\n").encode(),  # one giant table row
        ("很长的一行" * 200_000).encode(),  # a 3 MB paragraph without a newline
        "2021年部门预算\n\n项目\t合计\n合计\t1\x00\n".encode(),  # NUL after the sniffed head
        b"2021\xe5\xb9\xb4 ok\n" * 400 + b"\xff\xfe bad\n",  # invalid UTF-8 past 4 KiB
        ("\t\n" * 5000).encode(),  # only separators
        ("项目\t合计\n" + "合计\t9" * 3000 + "\n").encode(),
    ],
    ids=["giant-row", "giant-line", "nul", "bad-utf8-late", "only-tabs", "wide-row"],
)
def test_text_edge_cases(scratch: Path, small_book, data: bytes) -> None:  # type: ignore[no-untyped-def]
    audit_ok(_write(scratch, "e.txt", data), small_book)


# ----------------------------------------------------------------------------- rule files

RULE_HEAD = "pack: fuzz\nchecks:\n"
GOOD_CHECK = (
    "  - id: FZ-001\n    name: fuzz-sum\n    kind: sum\n    title: ok\n"
    "    table: expenditure_summary\n"
)
HOSTILE_RULES = {
    "anchor-bomb": RULE_HEAD.replace("checks:\n", "")
    + "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
              for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    + "checks: []\n",
    "merge-key": RULE_HEAD + "  - <<: {id: FZ-001}\n    name: x\n",
    "deep-flow": RULE_HEAD + "  - " + "[" * 1500 + "]" * 1500 + "\n",
    "deep-block": RULE_HEAD + "".join("  " * (k + 2) + "- \n" for k in range(400)),
    "deep-map": GOOD_CHECK.join([RULE_HEAD, ""]) + "    columns: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n",
    "huge-int": GOOD_CHECK.join([RULE_HEAD, ""]).replace("kind: sum", "kind: percent") + "    digits: " + "9" * 5000 + "\n",
    "octal": RULE_HEAD + GOOD_CHECK + "    detail: 0123\n",
    "huge-hex": RULE_HEAD + GOOD_CHECK + "    detail: 0x" + "f" * 4000 + "\n",
    "unknown-kind": RULE_HEAD + GOOD_CHECK.replace("kind: sum", "kind: summ"),
    "python-object": RULE_HEAD + GOOD_CHECK.replace("title: ok", "title: !!python/object/apply:os.system ['exit 3']"),
    "python-name": RULE_HEAD + GOOD_CHECK.replace("title: ok", "title: !!python/name:os.system"),
    "custom-tag": RULE_HEAD + GOOD_CHECK.replace("title: ok", "title: !evil x"),
    "binary-tag": RULE_HEAD + GOOD_CHECK.replace("title: ok", "title: !!binary aGk="),
    "timestamp": RULE_HEAD + GOOD_CHECK.replace("title: ok", "title: 2001-12-14"),
    "set": RULE_HEAD + GOOD_CHECK + "    tags: !!set {a, b}\n",
    "float": RULE_HEAD + GOOD_CHECK + "    columns: .inf\n",
    "bad-regex": RULE_HEAD + GOOD_CHECK + "    columns: '(('\n",
    "catastrophic-regex": RULE_HEAD + GOOD_CHECK + "    columns: '(a+)+$'\n",
    "list-top": "- 1\n- 2\n",
    "scalar-top": "just a string\n",
    "empty": "",
    "bom": "\ufeff" + RULE_HEAD + GOOD_CHECK,
    "nul": RULE_HEAD + GOOD_CHECK + "\x00\n",
    "tabs": RULE_HEAD + "\t- id: FZ-001\n",
    "dup-key": RULE_HEAD + GOOD_CHECK + "    kind: sum\n",
    "non-str-key": RULE_HEAD + GOOD_CHECK + "    1: x\n",
    "null-key": RULE_HEAD + GOOD_CHECK + "    ~: x\n",
    "list-id": RULE_HEAD + GOOD_CHECK.replace("id: FZ-001", "id: [FZ-001]"),
}


def _rules_file(dir_: Path, name: str, data: bytes) -> Path:
    return _write(dir_, name + ".yaml", data)


# Crashes found by this file in budget_audit/rulebook.py (owned elsewhere): int("0123", 0)
# and int() of more than 4,300 digits raise ValueError. The fix is in the issue #6
# report; delete this marker when it lands.


@pytest.mark.parametrize(
    "name",
    sorted(HOSTILE_RULES),
)
def test_hostile_rule_file(scratch: Path, name: str) -> None:
    path = _rules_file(scratch, name, HOSTILE_RULES[name].encode("utf-8", "surrogatepass"))
    try:
        load([str(path)])
    except RulebookError as exc:
        assert str(exc).startswith(str(path)), str(exc)


def test_non_utf8_rule_file(scratch: Path) -> None:
    path = _rules_file(scratch, "gbk", (RULE_HEAD + GOOD_CHECK.replace("ok", "标题")).encode("gbk"))
    with pytest.raises(RulebookError, match="UTF-8"):
        load([str(path)])


def test_two_megabyte_rule_file(scratch: Path) -> None:
    body = "".join(
        f"  - id: FZ-{k % 1000:03d}\n    name: n{k}\n    kind: sum\n    title: t\n    table: expenditure_summary\n"
        for k in range(30000)
    )
    path = _rules_file(scratch, "big", (RULE_HEAD + body).encode())
    assert path.stat().st_size > 2_000_000
    with pytest.raises(RulebookError):
        load([str(path)])


def _common_rules() -> str:
    return (REPO / "rules" / "common.yaml").read_text(encoding="utf-8")


_YAML_BITS = st.sampled_from(
    ["", " ", "\n", ":", "- ", "&a ", "*a", "!!python/object:os.system", "{", "}", "[", "]",
     "kind: ", "sum", "percent", "table: ", "expenditure_summary", "'", '"', "#", "9" * 40,
     "-1", "0x10", "1.5", "~", "true", "<<: ", "\t", "\x00", "（", "%", "id: GEN-401"]
)


@FUZZ
@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 8), _YAML_BITS), min_size=1, max_size=6))
def test_mutated_shipped_rules(scratch: Path, edits) -> None:  # type: ignore[no-untyped-def]
    """Random edits of rules/common.yaml: a RulebookError with file:line, or a rulebook
    that then runs on a document without a crash."""
    text = _common_rules()
    for where, length, insert in edits:
        k = int(where * len(text))
        text = text[:k] + insert + text[k + length :]
    path = _rules_file(scratch, "mut", text.encode("utf-8", "surrogatepass"))
    try:
        book = load([str(path)])
    except RulebookError as exc:
        assert str(exc).startswith(str(path))
        return
    doc = _write(scratch, "doc.txt", _small_text().encode())
    audit_ok(doc, book)


def _small_text() -> str:
    rows = "\n".join("\t".join(r) for r in TABLE)
    return f"2021年某某局部门预算\n\n{PROSE}\n\n2021年部门支出总体情况表\n单位：万元\n{rows}\n"


# ----------------------------------------------------------------------------- CLI and scan


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, BUDGET_AUDIT_CACHE="off")
    return subprocess.run(
        [sys.executable, "-m", "budget_audit", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=env,
    )


def _assert_clean_exit(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr, r.stderr
    if r.returncode == 2:
        assert r.stdout == "", r.stdout
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, r.stderr
        assert "内部错误" not in r.stderr, r.stderr  # a bug, not a user error
    else:
        assert r.returncode in (0, 1), (r.returncode, r.stderr)
        assert r.stdout.strip()


def test_cli_hostile_inputs(base_pdf: bytes, tmp_path: Path) -> None:
    doc = _write(tmp_path, "ok.txt", _small_text().encode())
    cases: list[tuple[list[str], int | None]] = [
        (["check", str(_write(tmp_path, "zero.pdf", b""))], 2),
        (["check", str(_write(tmp_path, "trunc.pdf", base_pdf[: len(base_pdf) // 3]))], None),
        (["check", str(_write(tmp_path, "junk.pdf", b"%PDF-" + os.urandom(512)))], 2),
        (["check", str(_write(tmp_path, "enc.pdf", make_pdf(encrypt="pw")))], 2),
        (["check", str(_write(tmp_path, "gbk.txt", "2021年部门预算".encode("gbk") * 10))], 2),
        (["check", str(tmp_path / "missing.pdf")], 2),
        (["check", str(tmp_path)], 2),
        (["check", str(doc), "-r", str(_rules_file(tmp_path, "bomb", HOSTILE_RULES["anchor-bomb"].encode()))], 2),
        (["check", str(doc), "-r", str(_rules_file(tmp_path, "py", HOSTILE_RULES["python-object"].encode()))], 2),
        (["rules", "validate", str(_rules_file(tmp_path, "deep", HOSTILE_RULES["deep-flow"].encode()))], 2),
        (["check", str(doc), "--format", "json"], None),
    ]
    for args, want in cases:
        r = cli(*args)
        _assert_clean_exit(r)
        if want is not None:
            assert r.returncode == want, (args, r.returncode, r.stderr)


def test_scan_bad_file_never_costs_the_others(base_pdf: bytes, tmp_path: Path) -> None:
    from budget_audit.scan import scan_directory

    good = [_write(tmp_path, f"good{k}.txt", _small_text().encode()) for k in range(2)]
    good.append(_write(tmp_path, "good.pdf", base_pdf))
    for name, data in [("zero.pdf", b""), ("junk.pdf", b"%PDF-" + bytes(range(256))),
                       ("trunc.pdf", base_pdf[:700]), ("bad.txt", b"\xff\xfe\x00bad"),
                       ("enc.pdf", make_pdf(encrypt="pw"))]:
        _write(tmp_path, name, data)
    results = scan_directory(str(tmp_path), load())
    by_name = {Path(r.file).name: r for r in results}
    assert len(by_name) == 8
    for g in good:
        assert by_name[g.name].error is None, by_name[g.name].error
    for name in ("zero.pdf", "junk.pdf", "bad.txt", "enc.pdf"):
        assert by_name[name].error and "内部错误" not in by_name[name].error
    r = cli("scan", str(tmp_path), "--format", "json")
    _assert_clean_exit(r)


# ----------------------------------------------------------------------------- issue 13
# The hostile generators of tests/hostile/ (formulas, control characters, markup, huge
# figures, decompression bombs, ReDoS patterns, hostile file names, configs and
# baselines), randomised. Outputs must carry no control character and no live formula.

from .hostile import gen  # noqa: E402

_HOSTILE_ATOMS = st.sampled_from(
    [*gen.FORMULAS, *gen.CONTROLS, *gen.MARKUP, "\x00", "\ufeff", "\udcff", "9" * 25, "6,148,914,691,236,517.54",
     "-1e309", "999,999,999,999,999.99", "%", "合计", "万元", "\t", "\n", "\n\n", "\f"]
)
_LIVE = ("=", "+", "-", "@", "\t", "\r")
_CTRL = __import__("re").compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _outputs_are_inert(result: AuditResult) -> None:
    import csv as _csv
    import re as _re

    from budget_audit.report import FORMATS

    opts = {"lang": "zh", "hints": False, "images": False, "show_passed": True}
    for fmt in ("text", "json", "csv", "junit", "sarif"):
        out = FORMATS[fmt](result, dict(opts))
        assert not _CTRL.search(out), (fmt, repr(_CTRL.search(out)))
        if fmt == "csv":
            for row in _csv.reader(io.StringIO(out.lstrip("\ufeff"))):
                for v in row:
                    assert not (v.startswith(_LIVE) and not _re.fullmatch(r"[-+]?\d[\d,]*(\.\d+)?%?", v)), v


@FUZZ
@given(parts=st.lists(_HOSTILE_ATOMS, max_size=12), where=st.sampled_from(["head", "prose", "label", "title"]))
def test_hostile_text_gives_inert_outputs(scratch: Path, small_book, parts: list[str], where: str) -> None:  # type: ignore[no-untyped-def]
    bad = "".join(parts)
    kw = {
        "head": {"head": "2021年某某局" + bad + "部门预算"},
        "prose": {"prose": gen.PROSE + bad},
        "label": {"rows": gen.failing_rows("一般" + bad)},
        "title": {"title": "2021年部门支出" + bad + "总体情况表"},
    }[where]
    data = gen.text_doc(**kw).encode("utf-8", "surrogatepass")
    out = audit_ok(_write(scratch, "hostile.txt", data), small_book)
    if isinstance(out, AuditResult):
        _outputs_are_inert(out)


_REGEX_BITS = st.sampled_from(["a", "合计", ".", "\\d", "\\s", "\\w", "+", "*", "?", "{2,}", "{0,99999}", "(", ")", "(?:", "|", "[a-z]", "^", "$", "x"])


@FUZZ
@given(bits=st.lists(_REGEX_BITS, min_size=1, max_size=14))
def test_random_rule_regex_never_hangs(scratch: Path, bits: list[str]) -> None:
    """A pattern passes the load-time check only if matching it stays fast."""
    import signal

    pattern = "".join(bits).replace("'", "")
    rules = _rules_file(scratch, "rx", gen.rule_file(f"    columns: '{pattern}'\n").encode())
    try:
        book = load([str(rules)])
    except RulebookError as exc:
        assert str(exc).startswith(str(rules))
        return
    import re as _re

    victim = ("合计" + "a" * 40 + " " * 40 + "1" * 40) * 4 + "!"

    def _hang(*_: object) -> None:
        raise TimeoutError(pattern)

    old = signal.signal(signal.SIGALRM, _hang)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        _re.search(pattern, victim)
        audit_ok(_write(scratch, "doc.txt", _small_text().encode()), book)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@FUZZ
@given(
    total=st.integers(0, 12 << 20),
    layers=st.integers(1, 3),
    junk=st.binary(max_size=64),
    declared=st.one_of(st.none(), st.integers(0, 1 << 30)),
)
def test_compressed_streams_near_the_cap(scratch: Path, small_book, monkeypatch: pytest.MonkeyPatch, total: int, layers: int, junk: bytes, declared: int | None) -> None:  # type: ignore[no-untyped-def]
    """With the cap lowered to 4 MiB, streams around it (wrong /Length too) are
    refused with a clear error or read; never a crash."""
    from budget_audit.ingest import pdf_guard

    monkeypatch.setattr(pdf_guard, "MAX_STREAM_BYTES", 4 << 20)
    data = gen.deflate_stream(total, layers) + junk
    body = gen.pdf([gen.stream(data, ["FlateDecode"] * layers, length=declared)])
    out = audit_ok(_write(scratch, "bomb.pdf", body), small_book)
    if total > (4 << 20) and declared is None and not junk:
        assert isinstance(out, InputError) and "解压" in out.message, out


_CHAIN = st.lists(st.sampled_from(["FlateDecode", "LZWDecode", "RunLengthDecode", "ASCIIHexDecode", "ASCII85Decode"]), min_size=1, max_size=3)


def _encode(name: str, data: bytes) -> bytes:
    import zlib

    if name == "FlateDecode":
        return zlib.compress(data, 9)
    if name == "LZWDecode":
        return gen.lzw_encode(data) if len(data) < 200_000 else gen.lzw_run(len(data))
    if name == "RunLengthDecode":
        return gen.run_length(len(data)) if not data.strip() else b"".join(
            bytes([len(data[k : k + 128]) - 1]) + data[k : k + 128] for k in range(0, len(data), 128)
        ) + b"\x80"
    if name == "ASCIIHexDecode":
        return gen.ascii_hex(data)
    return gen.ascii85(data)


@FUZZ
@given(chain=_CHAIN, total=st.integers(0, 8 << 20), junk=st.binary(max_size=32), flip=st.integers(0, 64))
def test_filter_chains_near_the_cap(scratch: Path, small_book, monkeypatch: pytest.MonkeyPatch, chain: list[str], total: int, junk: bytes, flip: int) -> None:  # type: ignore[no-untyped-def]
    """Any chain of the filters pdfium decodes, over spaces around a 4 MiB cap, with
    junk after it or a byte flipped in it: a clear refusal or a normal reading, never a
    crash; undamaged, a chain that inflates past the cap is always refused."""
    from budget_audit.ingest import pdf_guard

    monkeypatch.setattr(pdf_guard, "MAX_STREAM_BYTES", 4 << 20)
    data = b" " * total
    for name in reversed(chain):  # the first filter is applied last
        data = _encode(name, data)
        if len(data) > 6 << 20:
            return  # an expensive encoding of a large payload: not a small hostile file
    damaged = bytearray(data + junk)
    if flip and damaged:
        damaged[flip % len(damaged)] ^= 0x55
    out = audit_ok(_write(scratch, "chain.pdf", gen.pdf([gen.stream(bytes(damaged), chain)])), small_book)
    if total > (4 << 20) and not junk and not flip:
        assert isinstance(out, InputError) and "解压" in out.message, (chain, out)


_NAME_BITS = st.sampled_from([b"a", b"\xd4\xa4\xcb\xe3", b"\xff", b"\x1b[2J", b"[/]", b"[bold]", b" ", b"\xe9\xa2\x84", b"=cmd|", b"\x07", b"_text_", b"_tables_"])


@FUZZ
@given(names=st.lists(st.lists(_NAME_BITS, min_size=1, max_size=5), min_size=1, max_size=4))
def test_hostile_file_names_in_a_scan(scratch: Path, small_book, names: list[list[bytes]]) -> None:  # type: ignore[no-untyped-def]
    """Any bytes in file names: every document is reported, every format renders
    valid UTF-8 without control characters, and the journal resumes."""
    import os as _os
    import shutil as _shutil

    from budget_audit.report import SCAN_FORMATS
    from budget_audit.scan import ScanOptions, scan_directory
    from budget_audit.textsafe import valid_unicode

    folder = scratch / "scan"
    _shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    made = set()
    for bits in names:
        raw = b"".join(bits).replace(b"/", b"_") + b".txt"
        made.add(raw)
        with open(_os.fsencode(folder) + b"/" + raw, "wb") as fh:
            fh.write(_small_text().encode())
    journal = str(scratch / "j.jsonl")
    _os.path.exists(journal) and _os.unlink(journal)
    opts = ScanOptions(jobs=1, jsonl=journal)
    results = scan_directory(str(folder), small_book, options=opts)
    assert len(results) >= 1
    for fmt in ("text", "json", "csv", "junit", "sarif"):
        out = valid_unicode(SCAN_FORMATS[fmt](results, {"lang": "zh", "hints": False}))
        out.encode("utf-8")
        assert not _CTRL.search(out), (fmt, repr(out[:200]))
    again = scan_directory(str(folder), small_book, options=ScanOptions(jobs=1, jsonl=journal, resume=True))
    assert [r.file for r in again] == [r.file for r in results]


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.sampled_from([b'fail_on = "never"', b"select = [[1]]", b"[tool]\nx=1", b"lang = 5", b"a = " + b"[" * 500 + b"]" * 500])))
def test_hostile_config_and_baseline(scratch: Path, data: bytes) -> None:
    from budget_audit import baseline, config
    from budget_audit.errors import UsageError

    cfg = scratch / "budget-audit.toml"
    cfg.write_bytes(data)
    try:
        config.load(None, cfg)
    except UsageError as exc:
        assert str(exc).strip()
    base = scratch / "base.json"
    base.write_bytes(data)
    try:
        baseline.read(str(base))
    except UsageError as exc:
        assert str(exc).strip()
