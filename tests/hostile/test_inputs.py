"""Issue 13, items 9–12: amounts that would wrap int64, runs that check nothing,
inputs that hang or eat memory, and every listed bad input as one Chinese line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from . import gen
from .conftest import a_report, cli, one_chinese_line


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- 9


def test_amount_beyond_any_budget_is_an_input_error(tmp_path: Path) -> None:
    big = "6,148,914,691,236,517.54"  # three of them wrap int64 to about 1.00
    rows = [["项目", "合计"], ["合计", "1.00"], ["一般公共服务支出", big], ["教育支出", big], ["科学技术支出", big]]
    doc = _write(tmp_path / "wrap.txt", gen.text_doc(rows=rows).replace("单位：万元", "单位：元"))
    one_chinese_line(cli("check", doc), "超出任何预算", "第1页")
    digits = _write(tmp_path / "digits.txt", gen.text_doc(rows=[["项目", "合计"], ["合计", "1" * 25]]))
    one_chinese_line(cli("check", digits), "超出任何预算")


def test_sums_of_large_bounded_amounts_are_exact() -> None:
    """Below the bound, a table whose sums could pass int64 is summed in Python ints."""
    import numpy as np

    from budget_audit.money import MAX_LI, overflow_safe

    values = np.array([[1000], *[[MAX_LI - 1]] * 10], dtype=np.int64)
    v, _ = overflow_safe(values, np.zeros_like(values))
    assert int(v[1:, 0].sum()) == 10 * (MAX_LI - 1)
    assert int(values[1:, 0].sum()) != 10 * (MAX_LI - 1)  # int64 would have wrapped
    small = np.array([[3], [1], [2]], dtype=np.int64)
    assert overflow_safe(small, np.zeros_like(small))[0].dtype == np.int64  # the usual case stays fast


# ----------------------------------------------------------------------------- 10


def test_no_check_selected_is_exit_2(tmp_path: Path) -> None:
    doc = _write(tmp_path / "doc.txt", gen.text_doc())
    one_chinese_line(cli("check", doc, "--ignore", "YS", "--ignore", "GEN", "--ignore", "JS"), "没有选中任何检查")
    one_chinese_line(cli("check", doc, "--ignore", "ALL"), "没有选中任何检查")
    one_chinese_line(cli("check", doc, "--select", "NOPE-9"))


def _reported_but_unchecked(r, *words: str) -> str:  # noqa: ANN001
    """Exit 2 with the report on stdout (its verdict says why) and one Chinese line on
    stderr; no crash."""
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2, (r.returncode, err)
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in err and "内部错误" not in err, err
    for w in words:
        assert w in lines[0], (w, err)
    return r.stdout.decode("utf-8")


def test_nothing_recognised_is_exit_2_with_its_verdict(tmp_path: Path) -> None:
    """Not a budget: the report keeps issue 12's 未识别 verdict, the exit code is 2 (no
    check was run on it) and stderr says why in one line; ``--fail-on never`` does
    not make it a pass."""
    novel = _write(tmp_path / "novel.txt", "今天天气很好。我们去公园散步，看见很多人在跑步。\n")
    for extra in ([], ["--fail-on", "never"], ["-f", "json"]):
        out = _reported_but_unchecked(cli("check", novel, *extra), "novel.txt", "未识别为预算/决算文件")
        assert "未识别" in out or '"unrecognised"' in out


def test_no_check_ran_is_exit_2(tmp_path: Path) -> None:
    """A 预算 by its title, but with no table and no figure every table check is
    skipped: exit 2 and why; a few checks that run (核对不足) stay exit 1."""
    bare = _write(tmp_path / "bare.txt", "某某局2021年部门预算\n\n一、部门职责\n\n负责全市的某某工作。\n")
    out = _reported_but_unchecked(cli("check", bare, "--select", "YS"), "没有一项检查得以运行")  # table checks only
    assert "核对不足" in out
    r = cli("check", bare)  # the whole-text checks (template residue...) run: some checks ran, too few
    assert r.returncode == 1 and "核对不足" in a_report(r)
    assert cli("check", bare, "--fail-on", "never").returncode == 0


def test_scan_exit_2_only_when_no_document_was_checked(tmp_path: Path) -> None:
    """In a scan a non-disclosure is listed in the summary and does not decide the
    exit code; only a folder where no document could be checked is exit 2."""
    d = tmp_path / "docs"
    d.mkdir()
    _write(d / "novel.txt", "今天天气很好。我们去公园散步，看见很多人在跑步。\n")
    _write(d / "memo.txt", "某某公司工作总结\n\n本年收入1200万元。\n")
    r = cli("scan", d, "-j", "1")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "没有一份文档得到核对" in err, err
    out = r.stdout.decode("utf-8")
    assert "未识别为预算/决算文件、未作核对的文档 (2): memo.txt, novel.txt" in out, out
    _write(d / "good.txt", gen.text_doc())
    r = cli("scan", d, "-j", "1", "--fail-on", "error")  # good.txt has warnings only
    out = a_report(r)
    assert r.returncode == 0, (out, r.stderr)
    assert "未识别为预算/决算文件、未作核对的文档 (2)" in out
    import json

    data = json.loads(a_report(cli("scan", d, "-j", "1", "-f", "json")))
    assert sorted(os.path.basename(f) for f in data["summary"]["unrecognised"]) == ["memo.txt", "novel.txt"]


def test_zero_claims_is_not_full_coverage() -> None:
    from budget_audit.findings import AuditResult

    empty = AuditResult("x", ["x"], {}, [], [], [], [])
    assert empty.coverage()["claim_coverage_pct"] != 100


# ----------------------------------------------------------------------------- 11


@pytest.mark.parametrize("role", ["document", "rules", "config", "baseline"])
def test_fifo_and_dev_zero_are_refused_at_once(tmp_path: Path, role: str) -> None:
    doc = _write(tmp_path / "doc.txt", gen.text_doc())
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for special in (fifo, Path("/dev/zero")):
        args = {
            "document": ["check", special],
            "rules": ["check", doc, "-r", special],
            "config": ["check", doc, "--config", special],
            "baseline": ["check", doc, "--baseline", special],
        }[role]
        t0 = time.monotonic()
        one_chinese_line(cli(*args, timeout=120, memory_mb=1024), "不是普通文件")
        assert time.monotonic() - t0 < 100


def test_claim_checking_is_near_linear(tmp_path: Path) -> None:
    """A 4 MB export of 8,000+ claim paragraphs finishes in bounded time (it took
    over 150 s when claim contexts were rebuilt per claim)."""
    from budget_audit.api import audit

    def doc(n: int) -> Path:
        paras = [f"（{k}）第{k}项工作支出{k % 97 + 1}.{k % 89 + 10}万元，比上年增加1.{k % 90 + 10}万元，增长{k % 9 + 1}.5%，主要原因是业务量增加。" for k in range(n)]
        return _write(tmp_path / f"p{n}.txt", gen.text_doc() + "\n" + "\n\n".join(paras) + "\n")

    times = {}
    for n in (1000, 4000):
        t0 = time.monotonic()
        audit(str(doc(n)))
        times[n] = time.monotonic() - t0
    assert times[4000] < 8 * times[1000] + 5, times  # quadratic would be 16×


# ----------------------------------------------------------------------------- 12

BAD_RULES = {
    "repeat-count": gen.rule_file("    columns: 'a{4294967296}'\n"),
    "deep-parentheses": gen.rule_file("    columns: '" + "(" * 3000 + "a" + ")" * 3000 + "'\n"),
    "tags-int": gen.rule_file("    tags: 5\n"),
    "severity-list": gen.rule_file("    severity: [error]\n"),
    "enabled-string": gen.rule_file("    enabled: 'false'\n"),
    "nul-escape": gen.rule_file('    columns: "a\\0b"\n'),
    "esc-escape": gen.rule_file('    title_en: "x\\e[2J"\n'),
}


@pytest.mark.parametrize("name", sorted(BAD_RULES))
def test_bad_rule_file_is_one_line(tmp_path: Path, name: str) -> None:
    rules = _write(tmp_path / f"{name}.yaml", BAD_RULES[name])
    one_chinese_line(cli("rules", "validate", rules), str(rules))


BAD_CONFIGS = {
    "gbk": "fail_on = \"错误\"\n".encode("gbk"),
    "nested": b"select = [[\"YS\"]]\n",
    "deep": b"select = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "wrong-type": b"fail_on = 3\n",
    "table": b"[fail_on]\nx = 1\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_bad_config_is_one_line(tmp_path: Path, name: str) -> None:
    doc = _write(tmp_path / "doc.txt", gen.text_doc())
    cfg = tmp_path / "budget-audit.toml"
    cfg.write_bytes(BAD_CONFIGS[name])
    one_chinese_line(cli("check", doc), str(cfg))


BAD_BASELINES = {
    "gbk": "{\"version\": 1, \"entries\": [\"错误\"]}".encode("gbk"),
    "nested": b"[" * 100000 + b"]" * 100000,
    "entries-not-list": b'{"version": 1, "entries": {"a": 1}}',
    "entry-not-dict": b'{"version": 1, "entries": [1, 2]}',
    "fingerprint-int": b'{"version": 1, "entries": [{"fingerprint": 5}]}',
}


@pytest.mark.parametrize("name", sorted(BAD_BASELINES))
def test_bad_baseline_is_one_line(tmp_path: Path, name: str) -> None:
    doc = _write(tmp_path / "doc.txt", gen.text_doc())
    base = tmp_path / "base.json"
    base.write_bytes(BAD_BASELINES[name])
    one_chinese_line(cli("check", doc, "--baseline", base), "基线")


def test_misleading_messages_are_right(tmp_path: Path) -> None:
    from ..paths import SEED_PDF

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"<html>" * 700 + SEED_PDF.read_bytes())
    one_chinese_line(cli("check", junk), "%PDF-")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(gen.text_doc().encode("utf-16"))
    one_chinese_line(cli("check", utf16), "UTF-16")
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(gen.blank_pages_pdf(5000))
    err = one_chinese_line(cli("check", blank), "空白页")
    assert "可能是扫描件" not in err


@pytest.mark.parametrize(
    "args",
    [[], ["check"], ["nonsense"], ["check", "--format", "xml", "x.pdf"], ["check", "--nope", "x"], ["scan", "x", "--jobs", "abc"], ["rules", "list", "extra"]],
)
def test_usage_errors_are_one_chinese_line(args: list[str]) -> None:
    r = cli(*args)
    if not args:  # no arguments: the help, then exit 2
        assert r.returncode == 2 and b"check" in r.stdout
        return
    one_chinese_line(r)  # click's English usage block never reaches the user


def test_bad_scheduler_and_control_characters_in_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder / "a\x1b[2J\x07.txt", gen.text_doc(rows=gen.failing_rows("一般公共服务支出")))
    one_chinese_line(cli("scan", folder, "--scheduler", "not an address"), "--scheduler")
    for fmt in ("xlsx", "junit"):
        out = tmp_path / f"out.{fmt}"
        a_report(cli("scan", folder, "--format", fmt, "-o", out))
        if fmt == "junit":
            import xml.etree.ElementTree as ET

            ET.parse(out)  # well-formed XML 1.0: no control character
            assert "\\x1b" in out.read_text(encoding="utf-8")
        else:
            import openpyxl

            openpyxl.load_workbook(out)
