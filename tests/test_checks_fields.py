"""Header and funding rules, each on a real seed table with one thing changed."""

from __future__ import annotations

import math

import pytest

from assistant.checks import Context, Finding
from assistant.checks.fields import check_required_fields
from assistant.framework import default_framework

from .seed_tables import change, seed


@pytest.mark.parametrize(
    "key,label",
    [
        ("name", "项目名称"),
        ("department", "主管部门"),
        ("implementing_unit", "实施单位"),
        ("attribute", "项目属性"),
        ("period", "项目期"),
        ("goal", "年度总体目标"),
    ],
)
def test_required_field(key, label):
    # On the seed template's form every header field is required (its 项目属性 names the form, so name it here).
    added, _ = change(5, lambda t: setattr(t.project, key, "  "), profile="seed-template")
    assert ("error", "required-field", f"project.{key}", f"「{label}」未填写。") in added
    assert [f for f in added if f[1] == "required-field"] == [("error", "required-field", f"project.{key}", f"「{label}」未填写。")]


def test_required_field_exact_finding_with_fix():
    table = seed(5)
    table.project.implementing_unit = ""
    found = list(check_required_fields(Context(table, default_framework(), profile="seed-template")))
    assert found == [Finding("error", "required-field", "「实施单位」未填写。", "project.implementing_unit")]
    assert found[0].fix == "填写具体实施项目的单位；部门自己实施的，写「……本级」。"


def test_missing_year_is_required():
    added, _ = change(5, lambda t: setattr(t.project, "year", None))
    assert added == [("error", "required-field", "project.year", "「预算年度」未填写。")]


def test_year_mismatch_in_name():
    added, _ = change(5, lambda t: setattr(t.project, "name", "2023年村干部任职补贴"))
    assert added == [("warning", "year-mismatch", "project.name", "项目名称中的年份2023与预算年度2024不一致。")]


def test_year_mismatch_in_goal_only_when_the_budget_year_is_absent():
    added, _ = change(5, lambda t: setattr(t.project, "goal", "2023年" + t.project.goal))
    assert added == [("warning", "year-mismatch", "project.goal", "年度总体目标中的年份2023与预算年度2024不一致。")]
    # Looking back beside this year's work is normal.
    added, _ = change(5, lambda t: setattr(t.project, "goal", "2024年巩固2023年成果，" + t.project.goal))
    assert added == []


def test_funding_sum():
    added, _ = change(1, lambda t: setattr(t.funding, "fiscal", 30.0))
    assert added == [
        ("error", "funding-sum", "funding.total", "年度资金总额36.00万元不等于财政拨款30.00万元与其他资金0.00万元之和30.00万元。")
    ]


def test_funding_sum_tolerates_float_noise_and_counts_other_funds():
    def split(t):
        t.funding.fiscal, t.funding.other = 16.7, 0.0076

    added, _ = change(7, split)
    assert added == []


def test_funding_value_zero_total():
    def zero(t):
        t.funding.total = t.funding.fiscal = 0.0

    added, removed = change(1, zero)
    assert added == [("error", "funding-value", "funding.total", "年度资金总额须大于0，各项资金不得为负数。")]
    assert removed == []  # the cost standard's match was a confirmation, not a finding


def test_funding_value_negative_amount():
    def negative(t):
        t.funding.fiscal, t.funding.other = 40.0, -4.0

    added, _ = change(1, negative)
    assert added == [("error", "funding-value", "funding.other", "年度资金总额须大于0，各项资金不得为负数。")]


@pytest.mark.parametrize("bad,shown", [(math.nan, "nan"), (math.inf, "inf"), ("36万", "36万")])
def test_funding_value_non_numeric(bad, shown):
    added, removed = change(1, lambda t: setattr(t.funding, "total", bad))
    assert added == [
        ("error", "funding-value", "funding.total", f"「年度资金总额」不是有效的金额（{shown}），请填写以万元为单位的数字。")
    ]
    assert removed == []  # and no funding-sum: the total is not a number


# ------------------------------------------------------------------------------ profiles follow the form
@pytest.mark.parametrize(
    "attribute,period,profile",
    [
        ("0101-一年期项目", "1年", "seed-template"),  # the seed's coded attribute, either dash
        ("0101—一年期项目", "", "seed-template"),
        ("持续性项目", "2022年", "national"),  # Hubei
        ("延续项目", "", "national"),
        ("", "1年", "older"),  # Anhui: 项目来源 instead of 项目属性
        ("", "", "older"),  # Hunan, Sichuan
    ],
)
def test_profile_detected_from_the_form(attribute, period, profile):
    from assistant.checks import detect_profile

    table = seed(5)
    table.project.attribute, table.project.period = attribute, period
    assert detect_profile(table, default_framework()) == profile


def test_named_profile_overrides_the_detected_one():
    from assistant.checks import run_review

    table = seed(5)
    assert run_review(table).profile == "seed-template"
    assert run_review(table, profile="older").profile == "older"
    with pytest.raises(ValueError, match="未知的要求配置"):
        run_review(table, profile="nope")


def test_period_malformed():
    added, _ = change(5, lambda t: setattr(t.project, "period", "20246-202516"))
    assert added[0] == ("warning", "period-malformed", "project.period", "项目期「20246-202516」无法识别。")
    assert [a[1] for a in added[1:]] == ["cost-product"]  # and the months of 2556元/人/月 are now unknown (info)


def test_bad_profile_settings_are_a_framework_error(tmp_path):
    from assistant.framework import FrameworkError, load_framework
    from assistant.paths import bundled_knowledge

    text = (bundled_knowledge() / "framework.toml").read_text(encoding="utf-8")
    bad = tmp_path / "framework.toml"
    bad.write_text(text.replace('funding_breakdown = "strict"', 'funding_breakdown = "loose"'), encoding="utf-8")
    with pytest.raises(FrameworkError, match="funding_breakdown"):
        load_framework(bad)


def test_goal_mention_ignores_a_place_name_before_the_year():
    """岳阳县2022年… : the subject is what follows the year, not the county (a goal rarely repeats the county)."""
    from assistant.checks.goal import project_core

    assert project_core("岳阳县2022年高标准农田建设项目", ("项目",)) == "高标准农田建设"
    assert project_core("2024年村委会办公经费", ("经费",)) == "村委会办公"
