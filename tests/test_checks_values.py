"""Row and value rules: missing-*, vague-*, missing-unit, value-in-name, deadline-*, satisfaction-*."""

from __future__ import annotations

import pytest

from assistant.checks import Context, Finding, run_checks
from assistant.checks.rows import check_missing_value
from assistant.framework import default_framework

from .seed_tables import change, row, seed


def test_missing_value():
    added, _ = change(5, lambda t: setattr(row(t, 1), "value", ""))
    assert added == [("error", "missing-value", "indicators[1].value", "三级指标「村干部任职补贴发放」未填写指标值。")]


def test_missing_value_fix_is_the_level2_hint():
    table = seed(1)
    found = list(check_missing_value(Context(table, default_framework())))
    assert found == [Finding("error", "missing-value", "三级指标「群众满意度」未填写指标值。", "indicators[9].value")]
    assert found[0].fix == "填写带运算符的百分比，如「≥90%」；常见为≥85%至≥95%，100%通常难以实现。"


def test_missing_name():
    added, _ = change(5, lambda t: setattr(row(t, 1), "name", " "))
    assert added == [("error", "missing-name", "indicators[1].name", "第2条指标缺少三级指标名称。")]


def test_vague_quantity_by_level2():
    added, _ = change(5, lambda t: setattr(row(t, 1), "value", "较好"))
    assert added == [
        ("warning", "vague-quantity", "indicators[1].value", "「村干部任职补贴发放」的指标值「较好」无法衡量，应填写数值和单位（如「60人」「100%」）。")
    ]


def test_vague_quantity_by_counting_name_outside_output():
    # 表7's 受益社区工作者人数 sits under 社会效益 with "3人"; a trend word there is caught by its name.
    added, _ = change(7, lambda t: setattr(row(t, 6), "value", "有效提高"))
    assert added == [
        ("warning", "vague-quantity", "indicators[6].value", "「受益社区工作者人数」的指标值「有效提高」无法衡量，应填写数值和单位（如「60人」「100%」）。")
    ]  # and not vague-benefit as well


def test_missing_unit():
    added, _ = change(1, lambda t: setattr(row(t, 1), "value", "147"))
    assert added == [("warning", "missing-unit", "indicators[1].value", "指标值「147」缺少计量单位。")]


VAGUE = "为笼统表述，建议量化，或采用分级分档表述并说明衡量方法。"


def test_vague_benefit():
    added, removed = change(12, lambda t: setattr(row(t, 15), "value", "有效保障"))
    assert added == [("warning", "vague-benefit", "indicators[15].value", f"「有效保障」{VAGUE}")]
    assert removed == []


def test_vague_benefit_fix_offers_a_graded_form():
    table = seed(12)
    row(table, 15).value = "有效保障"
    found = [f for f in run_checks(table) if f.code == "vague-benefit" and f.where == "indicators[15].value"]
    assert "优/良/中/差" in found[0].fix and "分级分档" in found[0].fix


@pytest.mark.parametrize("value", ["进一步增强", "持续优化"])
def test_vague_benefit_pattern(value):
    added, _ = change(12, lambda t: setattr(row(t, 15), "value", value))
    assert added == [("warning", "vague-benefit", "indicators[15].value", f"「{value}」{VAGUE}")]


# Values reviewers sent back (issue 15), anywhere in the text and not only at its start.
@pytest.mark.parametrize("value", ["促进人民群众健康水平不断提高。", "稳步提高", "效果良好", "影响可持续", "影响程度明显"])
def test_vague_benefit_anywhere_in_the_value(value):
    added, _ = change(12, lambda t: setattr(row(t, 15), "value", value))
    assert added == [("warning", "vague-benefit", "indicators[15].value", f"「{value}」{VAGUE}")]


@pytest.mark.parametrize("value", ["优/良/中/差", "达到预期目标", "是", "长期", "≥5%"])
def test_measurable_or_graded_benefit_is_not_vague(value):
    added, _ = change(12, lambda t: setattr(row(t, 15), "value", value))
    assert [a for a in added if a[1] == "vague-benefit"] == []


def test_graded_benefit_is_fine():
    added, removed = change(5, lambda t: setattr(row(t, 7), "value", "优/良/中/差"))
    assert added == [] and [r[1] for r in removed] == ["vague-benefit"]


def test_value_in_name():
    added, _ = change(5, lambda t: setattr(row(t, 0), "name", "保障村干部人数60人"))
    assert added == [("info", "value-in-name", "indicators[0].name", "三级指标名称中含有数值「60人」，数值应填在指标值栏。")]


def test_deadline_not_date():
    added, _ = change(5, lambda t: setattr(row(t, 2), "value", "及时"))
    assert added == [
        ("warning", "deadline-not-date", "indicators[2].value",
         "时效指标「村干部任职补贴支出时限」的指标值「及时」不是日期或期限，应写明完成时间（如「2024年12月31日前」）。")
    ]


def test_deadline_bare_year_is_info():
    added, _ = change(5, lambda t: setattr(row(t, 2), "value", "2024年"))
    assert added == [
        ("info", "deadline-not-date", "indicators[2].value",
         "时效指标「村干部任职补贴支出时限」的指标值「2024年」只写了年份，应写明完成时间（如「2024年12月31日前」）。")
    ]


@pytest.mark.parametrize("value", ["2024年12月31日前", "年底前", "≤12个月", "按时发放率100%", "2024-12-31", "30天内"])
def test_deadline_forms_that_are_fine(value):
    assert change(5, lambda t: setattr(row(t, 2), "value", value))[0] == []


def test_deadline_before_the_budget_year_is_an_error():
    added, _ = change(5, lambda t: setattr(row(t, 2), "value", "2023年12月底"))
    assert added == [("error", "deadline-outside-year", "indicators[2].value", "完成时间「2023年12月底」不在预算年度2024年内。")]


def test_deadline_after_the_budget_year_is_a_warning_in_a_one_year_project():
    added, _ = change(5, lambda t: setattr(row(t, 2), "value", "2025年6月底"))
    assert added == [("warning", "deadline-outside-year", "indicators[2].value", "完成时间「2025年6月底」不在预算年度2024年内。")]

    def multi_year(table):
        table.project.period = "3年"
        row(table, 2).value = "2025年6月底"

    added, _ = change(5, multi_year)
    assert [a[1] for a in added] == ["cost-product"]  # no deadline finding; the month count is now unknown (info)


def test_satisfaction_below_minimum():
    added, _ = change(5, lambda t: setattr(row(t, 9), "value", "≥80%"))
    assert added == [("warning", "satisfaction-threshold", "indicators[9].value", "满意度目标「≥80%」低于90%。")]


def test_satisfaction_minimum_is_a_setting():
    added, _ = change(5, lambda t: None, satisfaction_min=96)
    assert added == []  # the same setting on both sides; the seed's ≥95% is below 96:
    from assistant.checks import run_checks

    found = [f for f in run_checks(seed(5), satisfaction_min=96) if f.code == "satisfaction-threshold"]
    assert [(f.severity, f.where, f.message) for f in found] == [("warning", "indicators[9].value", "满意度目标「≥95%」低于96%。")]


def test_satisfaction_upper_bound_and_hundred():
    added, _ = change(5, lambda t: setattr(row(t, 9), "value", "≤95%"))
    assert added == [("warning", "satisfaction-threshold", "indicators[9].value", "满意度目标「≤95%」是上限，满意度应设下限（如「≥90%」）。")]
    added, _ = change(5, lambda t: setattr(row(t, 9), "value", "100%"))
    assert added == [("info", "satisfaction-threshold", "indicators[9].value", "满意度目标为100%，通常难以实现，请确认。")]


def test_satisfaction_not_a_percentage():
    added, _ = change(5, lambda t: setattr(row(t, 9), "value", "满意"))
    assert added == [
        ("warning", "satisfaction-format", "indicators[9].value", "满意度指标「村干部满意度」的指标值「满意」不是百分比，应写为「≥90%」这样的目标。")
    ]
