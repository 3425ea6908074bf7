"""Prose structure built by recognition: which amounts are the parts of which total, and
which list items restate a part — each rule on a small synthetic text."""

from __future__ import annotations

from pathlib import Path

from budget_audit.ingest import ingest
from budget_audit.recognise import Facts, recognise


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "doc.txt"
    path.write_text("2026年某某局部门预算\n\n" + text, encoding="utf-8")
    return recognise(ingest(str(path)))


def _parts(facts: Facts, total: str) -> list[str]:
    claim = next(c for c in facts.prose.claims if c.text == total)
    return [facts.prose.claims[i].text for i in claim.parts]


def test_parts_in_the_next_sentence(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "政府采购预算总金额为4641.62万元。其中拟购买货物962.86万元；拟购买工程539万元；拟购买服务3139.76万元。\n")
    assert _parts(facts, "4641.62万元") == ["962.86万元", "539万元", "3139.76万元"]


def test_baokuo_opens_a_breakdown_and_zhuyao_makes_it_partial(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "某某局预算10737.69万元，包括在职人员经费6516.50万元、项目支出4221.19万元。\n\n"
        "生态环境管理项目22346.88万元，主要包括：环境执法监督工作4629.93万元，主要用于监控运维。\n",
    )
    assert _parts(facts, "10737.69万元") == ["6516.50万元", "4221.19万元"]
    partial = next(c for c in facts.prose.claims if c.text == "22346.88万元")
    assert _parts(facts, "22346.88万元") == ["4629.93万元"] and partial.parts_partial


def test_a_clause_with_its_own_subject_is_not_a_breakdown(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "本部门内设办公室等共7个处室，派出机构包括福田、大鹏共10个辖区医保分局。\n")
    assert _parts(facts, "7个") == []


def test_names_listed_after_the_word_end_before_the_next_amount(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "基本支出1554.03万元，其中：人员经费760.95万元，主要包括：基本工资、津贴补贴；日常运转经费793.08万元，主要包括：办公费。\n",
    )
    assert _parts(facts, "1554.03万元") == ["760.95万元", "793.08万元"]


def test_reason_clause_suspends_the_breakdown_until_the_next_semicolon(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "“三公”经费预算12.63万元，其中：公务接待费预算5.13万元，比上年减少5.31万元，主要原因是研究院减少2.44万元；"
        "公务用车购置和运行维护费预算7.5万元。\n",
    )
    assert _parts(facts, "12.63万元") == ["5.13万元", "7.5万元"]


def test_a_complete_breakdown_ends_at_the_semicolon(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "本部门人员编制408人，其中行政编制91人、事业编制317人；实有在职人员380人，其中行政89人、事业291人；单位管理的离退休人员203人。\n",
    )
    assert _parts(facts, "408人") == ["91人", "317人"]
    assert _parts(facts, "380人") == ["89人", "291人"]


def test_nested_breakdown(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "项目支出2100.00万元，具体包括：一带一路项目预算2100.00万元，主要包括：交流服务等工作2100.00万元。\n")
    claims = facts.prose.claims
    assert [c.parent for c in claims] == [None, 0, 1]


def test_list_of_paragraphs_gives_the_parts(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "（五）项目支出1531.45万元，具体包括：\n\n1.规划类经费6.50万元，主要用于编制规划。\n\n"
        "说明文字，没有编号，用于补充第1项。\n\n2.审计管理业务1524.95万元，主要用于审计业务。\n\n第四部分 政府采购预算情况\n\n"
        "1.货物类项目36.50万元。\n",
    )
    assert _parts(facts, "1531.45万元") == ["6.50万元", "1524.95万元"]


def test_numbered_paragraph_is_not_joined_to_an_unfinished_line(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "支出181716.56万元，其中：\n\n（1）事业单位离退休（2080502）1800万元，主要原因是事业单位分类改革\n\n"
        "（2）住房公积金（2210201）179916.56万元。\n",
    )
    assert _parts(facts, "181716.56万元") == ["1800万元", "179916.56万元"]


def test_items_restate_the_parts_of_a_sentence(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "一、某某局\n\n某某局预算1000.00万元，包括在职人员经费600.00万元、对个人和家庭的补助支出400.00万元。\n\n"
        "（一）在职人员经费600.00万元，主要是工资。\n\n（二）对个人和家庭补助支出400.00万元，主要是离退休人员经费。\n",
    )
    claims = facts.prose.claims
    restated = {claims[c.restates].text: c.text for c in claims if c.restates is not None}
    assert restated == {"600.00万元": "600.00万元", "400.00万元": "400.00万元"}
    assert [c.id for c in claims if c.restates is not None] == [3, 4]


def test_a_line_broken_after_an_amount_is_no_heading(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "（一）收入预算：2026年收入预算3,558.35万元，其中：一般公共预算\n\n收入2,776.75万元，其他收入781.6万元。\n\n"
        "（二）支出预算\n\n支出3,558.35万元。\n",
    )
    assert _parts(facts, "3,558.35万元") == ["2,776.75万元", "781.6万元"]


def test_a_bare_rate_in_brackets_is_the_rate_of_the_change_before_it(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "“三公”经费预算支出34.30万元，较上年增加27.47万元（402.20%），主要原因是公务用车运行费增加。\n")
    change = facts.prose.claims[0].change
    assert change is not None and change.pct is not None and change.pct.text == "402.20" and change.pct_dir == 1


def test_a_change_outside_brackets_is_not_of_a_figure_inside_them(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "支出预算100万元（其中基本支出60万元），比上年增长10%。\n")
    total, inner = facts.prose.claims
    assert total.change is not None and total.change.pct is not None and inner.change is None


def test_a_page_number_between_two_halves_of_a_sentence_is_dropped(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "人大会议支出1469.73万元，与上年相比增加164.48万元，增长12.6%。主要原因是增加了专项经费200万元，其余会议费按照规\n\n"
        "─ 10 ─\n\n定压减10%，增减相抵后增加164.48万元。\n",
    )
    texts = [s.text for s in facts.prose.sentences]
    assert any(t.endswith("其余会议费按照规定压减10%,增减相抵后增加164.48万元。") for t in texts), texts
    assert not any("10─" in t for t in texts)


def test_a_full_stop_inside_an_aside_does_not_end_the_sentence(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "公务用车购置及运行维护费210.39万元（公务用车购置费40万元；公务用车运行维护费170.39万元，比上年减少6.04万元。）"
        "比上年减少6.04万元，下降2.8%。\n",
    )
    outer = next(c for c in facts.prose.claims if c.text == "210.39万元")
    assert outer.change is not None and outer.change.pct is not None and outer.change.pct.text == "2.8"


def test_a_net_change_after_a_reason_is_no_change_of_the_reason_s_figure(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "人大会议支出1469.73万元，与上年相比增加164.48万元，增长12.6%。"
        "主要原因是增加了专项经费200万元，其余会议费按照规定压减10%，增减相抵后增加164.48万元。\n",
    )
    reason = next(c for c in facts.prose.claims if c.text == "200万元")
    assert reason.scope.reason and (reason.change is None or reason.change.amount is None)


def test_a_reason_restating_the_figure_against_a_named_prior_gives_its_change(tmp_path: Path) -> None:
    # "比2025年执行数A增加C，增长X%" with no subject of its own, inside the reason of a
    # figure: the figure's change against that prior (北京's 国有资本经营预算 sentence).
    facts = _facts(
        tmp_path,
        "国有资本经营预算收入495,836.20万元比2025年初预算数56,831.85增加较多，主要原因是2026年初批复率提高，"
        "比2025年预算收入执行数483,923.17万元增加11,913.03万元，增长2.46%。\n",
    )
    change = facts.prose.claims[0].change
    assert change is not None and change.prior is not None and change.prior.text == "483,923.17"
    assert change.amount is not None and change.amount.text == "11,913.03" and change.amount_dir == 1
    assert change.pct is not None and change.pct.text == "2.46" and change.reason_pct is None


def test_a_reason_s_own_item_compared_with_its_prior_is_no_change_of_the_figure(tmp_path: Path) -> None:
    # The comparison has a subject of its own (人员经费): it is the reason's item.
    facts = _facts(
        tmp_path,
        "支出预算1,000万元，比上年增加较多，主要原因是人员经费比上年300万元增加200万元，增长66.67%。\n",
    )
    change = facts.prose.claims[0].change
    assert change is None or change.amount is None
