"""cost-product (DOMAIN §4.1): standard × quantity × period against the 年度资金总额.

A match is a confirmation (a ✓ line, severity "ok" in these tuples), never a finding."""

from __future__ import annotations

import pytest

from assistant.checks import run_checks, run_review
from assistant.model import Funding, Indicator, Table

from .seed_tables import brief, change, row, seed


def cost(table, **options):
    """cost-product findings, then its confirmations as ("ok", code, where, message)."""
    review = run_review(table, **options)
    found = [f for f in brief(review.findings) if f[1] == "cost-product"]
    return found + [("ok", c.code, c.where, c.message) for c in review.confirmations]


def _funding(total: float):
    def mutate(table):
        table.funding = Funding(total, total, 0.0)

    return mutate


def test_match_is_a_confirmation_with_the_computation():
    assert cost(seed(5)) == [
        ("ok", "cost-product", "indicators[3].value", "按成本标准测算：2556元/人/月 × 60人 × 12月 = 184.032万元，与年度资金总额184.032万元相符。")
    ]


def test_table_12_standard_times_staff_is_not_the_funding():
    findings = [f for f in run_checks(seed(12)) if f.code == "cost-product"]
    assert brief(findings) == [
        ("warning", "cost-product", "indicators[11].value",
         "成本标准测算金额6.5904万元（32952元/人/年 × 2人）与年度资金总额5.9314万元不一致，相差0.659万元。")
    ]
    assert "按年度资金总额反算，人数约为1.8人" in findings[0].fix  # 5.9314万元 ÷ 32952元/人/年


def test_planted_mismatch():
    added, removed = change(5, _funding(190.0))
    assert added == [
        ("warning", "cost-product", "indicators[3].value",
         "成本标准测算金额184.032万元（2556元/人/月 × 60人 × 12月）与年度资金总额190.00万元不一致，相差5.968万元。")
    ]
    assert removed == []  # the match was a confirmation, not a finding
    assert not [f for f in run_checks(seed(5)) if f.code == "cost-product"]


def test_within_a_tenth_of_a_percent_matches():
    assert cost(_apply(seed(5), _funding(184.2)))[0][0] == "ok"  # 0.09% off
    assert cost(_apply(seed(5), _funding(184.3)))[0][0] == "warning"


def _apply(table, mutate):
    mutate(table)
    return table


def test_funding_written_in_yuan():
    added, _ = change(5, _funding(1840320.0))
    assert added == [("warning", "cost-product", "funding.total", '年度资金总额可能按"元"填写，表中金额单位为万元。')]


def test_unresolved_unit_is_only_info():
    assert cost(seed(8)) == [
        ("info", "cost-product", "indicators[4].value", "无法自动核对成本标准「1840元/月/3个队」（数量指标中没有以「队」计量的指标），请人工核对。")
    ]


def test_period_from_the_timeliness_value():
    added, _ = change(5, lambda t: setattr(row(t, 2), "value", "6个月"))
    assert added == [
        ("warning", "cost-product", "indicators[3].value",
         "成本标准测算金额92.016万元（2556元/人/月 × 60人 × 6月）与年度资金总额184.032万元不一致，相差92.016万元。")
    ]


def test_count_unit_matched_through_a_name_with_ge():
    # 3万元/村/年 with 村委会个数 → 12个.
    assert cost(seed(1)) == [
        ("ok", "cost-product", "indicators[5].value", "按成本标准测算：3万元/村/年 × 12个 = 36.00万元，与年度资金总额36.00万元相符。")
    ]


def test_closest_name_wins_and_a_tie_is_unresolved():
    # 表12 has 用餐人数 70人 and 长聘人员人数 2人: the cost row's name picks 2人 (see the warning above).
    def tie(table):
        table.indicators.insert(1, Indicator("产出指标", "数量指标", "村干部人数", "30人"))

    added, _ = change(5, tie)
    assert added == [
        ("info", "cost-product", "indicators[4].value",
         "无法自动核对成本标准「2556元/人/月」（有多个以「人」计量的数量指标（「保障村干部人数」、「村干部人数」），无法确定用哪一个），请人工核对。")
    ]


def test_same_quantity_twice_is_no_tie():
    def same(table):
        table.indicators.insert(1, Indicator("产出指标", "数量指标", "村干部人数", "60人"))

    added, _ = change(5, same)
    assert [a[1] for a in added] == []


def test_sum_of_standards_matches():
    table = seed(9)
    table.funding = Funding(3.96, 3.96, 0.0)
    table.indicators.insert(4, Indicator("产出指标", "成本指标", "培训补助标准", "60元/人/年"))
    assert cost(table) == [
        ("ok", "cost-product", "indicators",
         "按成本标准测算：600元/人/年 × 60人 + 60元/人/年 × 60人 = 3.96万元，与年度资金总额3.96万元相符。")
    ]


def test_a_standard_that_is_the_budget_confirms_nothing():
    # 表4: 2万元/年 on a 2万元 project is the budget restated (cost-restates-budget), not a confirmed standard;
    # 350元/次 and 260元/次 are sub-items, so nothing else is claimed either.
    assert cost(seed(4)) == []
    assert [f.code for f in run_checks(seed(4)) if f.where == "indicators[7].value"] == ["cost-restates-budget"]


def test_ceiling_standard():
    table = seed(5)
    row(table, 3).value = "≤200万元"
    assert cost(table) == [("ok", "cost-product", "indicators[3].value", "按成本标准测算：≤200万元 = 200.00万元，年度资金总额184.032万元未超过该上限。")]


@pytest.mark.parametrize(
    "value,quantity,expected",
    [
        ("人均2556元/月", "60人", "人均2556元/月 × 60人 × 12月 = 184.032万元"),
        ("每人每月2556元", "60人", "每人每月2556元 × 60人 × 12月 = 184.032万元"),
        ("7668元/人/季度", "60人", "7668元/人/季度 × 60人 × 4季度 = 184.032万元"),
        ("30672元/人/年", "60人", "30672元/人/年 × 60人 = 184.032万元"),
        ("5112元/月/2人", "60人", "5112元/月/2人 × 60人 ÷ 2 × 12月 = 184.032万元"),
    ],
)
def test_standard_forms(value, quantity, expected):
    table = seed(5)
    row(table, 3).value = value
    row(table, 0).value = quantity
    assert cost(table)[0][3] == f"按成本标准测算：{expected}，与年度资金总额184.032万元相符。"


def test_days_need_a_quantity_in_days():
    def per_day(table):
        row(table, 3).value = "100元/人/天"

    added, _ = change(5, per_day)
    assert added[0][3] == "无法自动核对成本标准「100元/人/天」（数量指标中没有以「天」计量的指标），请人工核对。"


def test_no_funding_yet_means_no_cost_finding():
    table = Table(indicators=[Indicator("产出指标", "成本指标", "补贴标准", "2556元/人/月")])
    assert cost(table) == []
    assert cost(_apply(seed(5), _funding(0.0))) == []


def test_non_standard_cost_values_are_left_to_other_rules():
    added, _ = change(5, lambda t: setattr(row(t, 3), "value", "控制在预算内"))
    assert [a[1] for a in added] == ["vague-quantity"]
