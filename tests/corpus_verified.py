"""The verified list of real inconsistencies in ../shared/corpus, shared by
tests/test_corpus.py (precision: no finding outside this list) and
benchmarks/generalise.py (per-city figures).

Each entry names a document by the prefix of its first file's name and counts its
failing checks, with why each is a genuine inconsistency of the published document.
"""

from __future__ import annotations

# document (first file's name prefix) -> Counter of failing check ids, each explained.
VERIFIED: dict[str, dict[str, int]] = {
    # Prose "“三公”经费预算282.16万元"; the 三公 table prints 282.168541万元, which rounds to
    # 282.17: the prose truncated instead of rounding (reported as a warning). Likewise
    # "公务接待费。2026年预算数1.35万元" for the table's 1.355554万元 (rounds to 1.36).
    "beijing_2026_budget_dept_civil_affairs": {"YS-312": 1, "YS-317": 1},
    # "公务接待费。2026年预算数7.41万元" but the 三公 table prints 7.415612万元 (rounds to
    # 7.42): truncated, not rounded (warning). So is "上年结转结余15,107.25万元" (stated twice:
    # the heading "（三）" and item "10."), for the 收支总表's 15,107.256454万元 (15,107.26).
    "beijing_2026_budget_dept_culture_tourism": {"YS-317": 1, "YS-337": 2},
    # 目录 "十四、专项或共同事权转移支付绩效目标表"; the table is titled "…社会保障和就业共同财政
    # 事权转移支付资金绩效目标表" (a title mismatch, warning).
    "beijing_2026_budget_dept_hrss": {"GEN-701": 1},
    # "与上年相比减少2,233.13万元，下降66.69%" of 1,115.85万元: 2233.13/3348.98 = 66.68%.
    # 目录 "政府采购支出预算表" vs table "2018年政府采购预算表" (warning).
    "js_cppcc_office_2018": {"GEN-402": 1, "GEN-701": 1},
    # The 2019 收支预算总表 still lists three classes by their names before the 2019 reform
    # (文化体育与传媒支出, 医疗卫生与计划生育支出, 国土海洋气象等支出; warning).
    "js_cppcc_office_2019": {"GEN-701": 1, "GEN-803": 3},
    # "减少392.92万元、减少5.95%" of 6049.97万元: 392.92/6442.89 = 6.10%. Two new items
    # (机关事业单位基本养老保险缴费支出 1326.81万元, 职业年金缴费支出 530.72万元) "与上年相比
    # 增加1326.81万元（530.72万元），增长100%": last year was zero, and a rate of zero does
    # not exist (issue 11: zero-base rates). 目录 "政府采购支出预算表" vs table "政府采购预算表"
    # (warning).
    "js_high_court_2018": {"GEN-402": 3, "GEN-701": 1},
    # "单位预留机动经费1685.72万元，占10.61%" of 15897.44: 10.60%; "增加1557.29万元、
    # 增长1312.56%" of 1685.72: 1557.29/128.43 = 1212.56% (a typed 3 for 2); the template
    # wording "增加（减少）0万元，增长（减少）0%" was published as is (two residues).
    "js_npc_office_2018": {"GEN-401": 1, "GEN-402": 1, "GEN-603": 2},
    # The national blank template still says "上海市XX局", "增加（减少）XXX万元",
    # "减少（增加）", "大于（小于）", "主要原因是：。" etc.: placeholders (warning), in the
    # prose, in a table's org line and in the notes under two tables.
    "national_dept_final_template": {"GEN-603": 9},
    # "一般公共服务支出（类）2106.66万元，占71.73%" of 2940.05: 71.65% (the four shares add
    # to 100.07%); "财政拨款收入支出总计0.3万元" but the table prints 2,961.68万元.
    "sh_putuo_finance_bureau_2024_final": {"GEN-401": 1, "JS-310": 1},
    # 收支总表 prints 收入总计 blank while its items add to 195,774,300 and 支出总计 is
    # 195,774,300: one blank total, four identities broken (the prose's 收入预算19,577万元
    # has no table total to agree with).
    "shanghai_2026_budget_unit_audit": {"YS-101": 1, "YS-103": 1, "YS-201": 1, "YS-323": 1},
    # "“社会保障和就业支出”科目5,331万元" but the 财政拨款收支总表 prints 53,300,945元
    # (5,330.09万元): raised by one so the three items add to the rounded 5,484 (warning).
    "shanghai_2026_budget_unit_veterans": {"YS-331": 1},
    # "3.“自然资源海洋气象等支出”科目17374万元" but the 财政拨款收支总表 prints 173,746,137元
    # (17,374.61万元, rounds to 17,375): lowered by one so the four items (320 + 106 +
    # 17374 + 83) add to the stated 17,883; the other three items are rounded (warning).
    "shanghai_2026_budget_unit_ocean": {"YS-331": 1},
    # 一般公共预算支出表 lists 222 粮油物资储备支出 388.25万元 but its 合计 (9,078.52) and
    # 项目支出 total leave it out; no other table has the 222 rows.
    "suzhou_2026_budget_unit_natural_resources": {"YS-141": 2},
    # 目录 "政府采购预算情况表" vs table "政府采购预算表" (warning).
    "yantai_2026_budget_dept_audit": {"GEN-701": 1},
    # 基本支出预算情况表 row 302 11 差旅费: 财政拨款小计 4.50 but 一般公共预算 5.50 (so 302's
    # 一般公共预算 column no longer adds up either); 目录 title mismatch (warning).
    "yantai_2026_budget_dept_civil_affairs": {"YS-151": 1, "YS-152": 1, "GEN-701": 1},
    # "(注：上年3,468.18万元,公开时请删除注释)" left in the published text; 目录 title mismatch.
    "yantai_2026_budget_dept_housing": {"GEN-603": 1, "GEN-701": 1},
    # Issue 10, second wave (table identity). 目录 "十二、政府采购预算情况表" but the table
    # is titled "政府采购预算表" (p. 25–40 of each; a title mismatch, warning).
    # "2026年政府采购预算0万元，其中：政府采购货物预算0万元，…工程…0万元，…服务…0万元"
    # (p. 32), but the 政府采购预算表 prints a 合计 of 29,837.96万元 (教育支出 by function
    # class, 12,571.49万元 of it 财政拨款): the prose is a template left at zero (YS-348).
    "yantai_2026_budget_dept_education": {"GEN-701": 1, "YS-348": 1},
    "yantai_2026_budget_dept_emergency": {"GEN-701": 1},
    # Finance and hrss also say "1.因公出国（境）费13万元（5万元），比上年增加13万元（5万元），
    # 增长100%": last year was zero, and a rate of zero does not exist (issue 11: zero-base
    # rates).
    "yantai_2026_budget_dept_finance": {"GEN-701": 1, "GEN-402": 1},
    "yantai_2026_budget_dept_gov_office": {"GEN-701": 1},
    "yantai_2026_budget_dept_hrss": {"GEN-701": 1, "GEN-402": 1},
    "yantai_2026_budget_dept_industry_it": {"GEN-701": 1},
    "yantai_2026_budget_dept_market_regulation": {"GEN-701": 1},
    # 目录 "十二、政府采购支出预算表" but the table is "2017年政府采购预算表" /
    # "2018年政府采购预算表" / "2017年江苏省高级人民法院部门政府采购预算表" (warning).
    "js_npc_office_2017_dept_budget": {"GEN-701": 1},
    "js_party_office_2018_dept_budget": {"GEN-701": 1},
    # 目录 "十四、专项转移支付资金绩效目标表" vs the table "应急管理专项转移支付绩效目标表
    # （2026年度）" (warning); "包括公务用车购置费预算74.82万元" but the 三公 table prints
    # 74.814680万元 (74.81): raised so that 74.82 + 90.53 gives the stated 165.35 (the
    # table's 165.344680 rounds to 165.34) (warning); the same 165.35 is stated for
    # 公务用车购置和运行维护费 against the table's 165.34 (YS-314, warning). "上年结转结余
    # 22157.80万元" (heading "（三）" and item "10.") for the 收支总表's 22,157.806694万元
    # (22,157.81): truncated, not rounded (warning).
    "beijing_2026_budget_dept_emergency": {"GEN-701": 1, "YS-315": 1, "YS-314": 1, "YS-337": 2},
    # "政府采购服务预算5177.89万元" for the 政府采购预算明细表's C-服务 5,177.883268万元
    # (5,177.88): raised by one in the last digit so that 3,887.17 + 5,177.89 gives the
    # stated total 9,065.06 — a tail adjustment (YS-351, warning).
    "beijing_2026_budget_dept_statistics": {"YS-351": 1},
    # The 收入预算总表 (p. 8) prints "编制单位：上海市数据局" with no unit line; every other
    # table says "单位：元" (warning).
    "shanghai_2026_budget_unit_data_bureau": {"GEN-702": 1},
    # 支出总表 and 一般公共预算支出表: 合计 110,896.619602 and 项目支出 99,735.061373 in
    # both, but the printed rows add to 29,117.619602 and 17,956.061373: 81,779万元 in
    # the totals that no printed row carries (the figure appears nowhere in the PDF).
    # (The 一般公共预算支出表's 扣除基建项目后预算数 column carries the same 81,779.)
    # "政府采购服务预算4987.03万元" for the 政府采购预算明细表's C-服务 4,987.03557万元
    # (4,987.04): truncated, not rounded (YS-351, warning).
    "beijing_2026_budget_dept_healthcare_security": {"YS-121": 2, "YS-141": 3, "YS-351": 1},
    # The same shape, larger: the 支出总表's 合计 1,063,371.776545万元 (基本 37,789.36, 项目
    # 1,025,582.42) over printed rows adding to 24,029.84 (17,348.07, 6,681.77), and the
    # 一般公共预算支出表's 820,087.414755 (which the 财政拨款收支总表 confirms) over rows adding
    # to 23,775.28, in every column; no printed row of either table exceeds 2,000万元.
    "beijing_2026_budget_dept_veterans": {"YS-121": 3, "YS-141": 6},
    # 一般公共预算支出表: 合计 98,333.670859, 基本支出 65,964.664664 and 人员经费 60,854.948893
    # (the 基本支出表 agrees) over its 125 printed rows (all extracted: the page text has 125
    # codes) adding to 1,425.067015万元 less in each: 人员经费 no row carries.
    "beijing_2026_budget_dept_market_regulation": {"YS-141": 3},
    # 财政拨款收支总表 支出总计 152,585.76 against items adding to 152,585.74, and both
    # 基本支出 tables' 人员经费 合计 25,530.51 against rows adding to 25,530.49: 0.02万元
    # beyond what rounding the printed items can give (warnings).
    "wuxi_2026_budget_dept_hrss": {"YS-131": 1, "YS-151": 2},
    # "4.“住房保障支出”科目57万元" for the table's 575,900元 (57.59万元, rounds to 58):
    # truncated (warning), as in the other 上海 unit budgets.
    "shanghai_2026_budget_unit_finance": {"YS-331": 1},
    # "基本支出预算46714.52万元" for the 支出总表's 46,714.513649万元 (46,714.51):
    # raised by one in the last place (warning).
    "beijing_2026_budget_dept_ndrc": {"YS-306": 1},
    # "全面实施绩效目标管理，涉及一级预算项目N个，预算资金X万元" names all projects, yet X
    # differs from the 项目支出预算情况表's 合计 and from every expenditure total
    # (9,754.42 vs 9,798.66; 1,606.28 vs 933; 29,636 vs 29,672.3) (warnings).
    # Its "其中财政拨款X万元" differs from the project table's 财政拨款 合计 as well (6,733.42
    # vs 6,743.42 here, 29,636 vs 29,672.3 in science_tech; YS-355, warnings).
    # Also the heading "3.收支预算增加（减少）的主要原因": the template's alternative left
    # in place (warning).
    "yantai_2026_budget_dept_culture_tourism": {"GEN-701": 1, "YS-333": 1, "GEN-603": 1, "YS-355": 1},
    # "上年结转结余408.11万元" (twice) for the 收支总表's 408.118448万元 (408.12): truncated
    # (warnings). "2026度收入预算515,665.27万元，其中:一般公共预算收入19,828.57万元…；国有资本
    # 经营预算收入495,836.20万元" (and the same for 支出): the two parts add to 515,664.77;
    # the 0.50万元 of 其他收入 in the 收支总表 is left out of the breakdown (warnings).
    "beijing_2026_budget_dept_sasac": {"YS-337": 2, "GEN-503": 2},
    # "已安排…转移支付资金18,225.94万元，其中：…35,541.8万元…75,124.14万元…7,560万元": the
    # three directions add to 118,225.94万元 — the total lost its leading 1 (warning).
    # "一般公共预算拨款收入436,749.89万元" (and 本年财政拨款收入) for the tables'
    # 436,749.895134万元 (436,749.90): truncated (warnings).
    "beijing_2026_budget_dept_health_": {"YS-318": 1, "YS-325": 1, "GEN-503": 1},
    # "单位预留机动经费182.92万元，占0.64%" of 28,849.38: 0.63%; "提租补贴…1959.99万元…增加
    # 865.57万元、增长79.05%": 865.57/1094.42 = 79.09%; 目录 title mismatch (warning).
    "js_high_court_2017_dept_budget": {"GEN-401": 1, "GEN-402": 1, "GEN-701": 1},
    # "增加（减少）", "增长（减少）": the template's alternatives published as is (warnings).
    "js_npc_standing_2019_dept_budget": {"GEN-603": 2},
    # Shares of 21,955.35万元 nudged to add to 100%: 一般公共预算 99.94% (99.93), 基本支出
    # 63.75% (63.74); 其他资金 0.06% (0.066, truncated, warning), 机动经费 10.87% (10.877,
    # truncated, warning); "支出预算总计…增加3,958.67万元、增长21.95%": 22.00%; 行政运行
    # 36.58% (36.586, truncated, warning); "一般行政管理事务…增加21.8万元、增长0.06%": 0.60%.
    "js_procuratorate_2018_dept_budget": {"GEN-401": 4, "GEN-402": 3},
    # "本年一般公共预算收入20,832.97万元，占23.94%" of 86,999.14: 23.946%, truncated (warning).
    "suzhou_2026_budget_dept_natural_resources": {"GEN-401": 1},
    # "(五)项目支出54,693.88万元，其中…污染防治项目18,686.86元…": the 元 should be 万元 (the parts
    # add to the total in 万元), so neither that breakdown nor the one under "2.污染防治项目
    # 18,686.86元" adds up (warnings); "(二)公用经费875.93万元" restates the 857.93万元 stated
    # before it with two digits swapped.
    "shenzhen_2026_budget_dept_ecology_env": {"GEN-503": 2, "GEN-505": 1},
    # 收支总表: 支出总计 182,157.13 but 本年支出合计 182,066.56 and nothing carried to next year,
    # on each of its three 支出 sides; the 财政拨款收支总表 the same (181,807.13 vs 181,716.56);
    # the 90.57万元 上年结转 is received but never spent. The 支出总表's 合计 (182,157.13) is
    # not the 收支总表's 本年支出合计 (182,066.56).
    "xian_2020_budget_dept_hrss": {"YS-101": 3, "YS-131": 3, "YS-202": 1},
    # Figures one unit above the tables' rounding (705.90 for 705.89; 70,376.87 for
    # 70,376.86, twice): tail adjustments (warnings).
    "xian_2021_budget_dept_civil_affairs": {"YS-309": 1, "YS-325": 2},
    # 10,429.84 for the table's 10,429.83 (warning); "公务用车运行维护费27.50万元…增加27.50万元，
    # 增长100%": a rate of a zero base. By 政府预算经济分类 the prose gives 501 2137.56, 502
    # 5032.62 and 505 2502.27万元 where the 财政拨款收支总表 prints 21,375,878.15, 50,326,096.17
    # and 25,022,564.48元 (2137.59, 5032.61, 2502.26): the items were shifted so that they
    # add up to the stated total 57398.06 — still not the table's figures.
    "xian_2022_budget_dept_commerce": {"YS-309": 1, "GEN-402": 1, "GEN-301": 3},
    # 301/302/303 figures one unit off the table's rounding (warnings), and so are 501 2036.82
    # (2036.81), 502 2528.02 (2528.03) and 509 17.64 (17.63) against the 财政拨款收支总表
    # (warnings); "公务用车运行维护费2.5万元…增长100%" of a zero base; "增加（减少）" left in
    # (warning).
    "xian_2022_budget_dept_healthcare_security": {"YS-341": 3, "GEN-402": 1, "GEN-603": 1, "GEN-301": 3},
    # The 三公/会议费/培训费 table is empty (0) while the prose states 三公 0.27万元 and 培训费
    # 0.71万元; the prose lists 会议费0.24 and 培训费0.71 under the 三公 0.27 (more than it);
    # 4.16 for 4.1651 and 1,421.06 for 1,421.0691 truncated (warnings).
    "xian_2022_budget_dept_meteorology": {"YS-309": 1, "YS-312": 1, "YS-341": 1, "YS-335": 1, "GEN-503": 1},
    # 收支总表 printed with a digit dropped on every 支出 side (29,440 for 294,400; 8,916,000
    # for 89,160,000; 对企业补助 87,446,000 for 874,460,000 …: the 财政拨款收支总表 prints
    # them whole), so no side adds up to 936,647,884.33; the 财政拨款收支总表's 政府经济分类
    # side has 对企业补助 87,446,000 against 874,460,000 on its 部门 side. 93,664.78万元 for
    # 936,647,884.3元 (93,664.79) truncated, six times in the prose and twice for 财政拨款
    # (warnings); 工资福利支出 4,182.68 for 4,182.70; 302 1,768.13 for 1,768.12 and 培训费
    # 29.45 for 29.44 (warnings); "比2020年增加" in a 2022 budget (warning); 30101 基本工资
    # paired with 50905 离退休费 in two tables (warnings); "一般公共预算拨款收入93664.78万元"
    # against the 财政拨款收支总表's 936,647,884.33元, truncated once more, and so is "其中一般
    # 公共预算收入93664.78万元" (the same row by another spelling; GEN-301, warnings), and
    # "涉及一般公共预算当年拨款93664.78万元" in the 绩效 section (YS-352, warning).
    "xian_2022_budget_dept_science_tech": {
        "YS-101": 3, "YS-131": 1, "YS-308": 6, "YS-325": 2, "YS-341": 2, "YS-335": 1,
        "GEN-604": 1, "GEN-802": 2, "GEN-301": 2, "YS-352": 1,
    },
    # "西安市第三医院二期扩建项目…全年预算数21143.98万元，执行数21143.98万元，完成预算的35%".
    "xian_2022_final_dept_health": {"GEN-406": 1},
    "yantai_2026_budget_dept_justice": {"GEN-701": 1, "YS-333": 1},
    "yantai_2026_budget_dept_science_tech": {"GEN-701": 1, "YS-333": 1, "YS-355": 1},
}


# Second-wave documents (issue 10) whose findings are still being verified or whose
# layouts are still misread: reported by benchmarks/generalise.py, held out of the
# precision test below until each is verified. Issue 10 is done when this is empty.
PENDING: set[str] = set()

# Files the tool must refuse, with the reason it must give.
UNREADABLE: dict[str, str] = {
    # An image-only scan: no text layer to read (the tool says so and suggests OCR).
    "beijing_2026_budget_dept_data_bureau_scan": "没有文字层",
}


def pending(name: str) -> bool:
    return any(name.startswith(prefix) for prefix in PENDING)



def expected(name: str) -> dict[str, int]:
    for prefix, counts in VERIFIED.items():
        if name.startswith(prefix):
            return dict(counts)
    return {}


def refused(name: str) -> str | None:
    """The reason the tool must give for refusing this file, if it must."""
    return next((why for prefix, why in UNREADABLE.items() if name.startswith(prefix)), None)
