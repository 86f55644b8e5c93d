"""Category rules: required-category, level-mismatch, category-mismatch, duplicate-indicator."""

from __future__ import annotations

import pytest

from assistant.checks import run_checks
from assistant.model import Indicator

from .seed_tables import change, row, seed


def _drop(level2: str):
    def mutate(table):
        table.indicators = [i for i in table.indicators if i.level2 != level2]

    return mutate


@pytest.mark.parametrize("level2", ["质量指标", "时效指标", "成本指标"])
def test_required_output_categories_are_errors(level2):
    added, _ = change(5, _drop(level2))
    assert added == [("error", "required-category", "indicators", f"缺少必填的二级指标「{level2}」。")]


def test_required_quantity_is_an_error_and_the_cost_standard_can_no_longer_be_checked():
    added, _ = change(5, _drop("数量指标"))
    assert added == [
        ("error", "required-category", "indicators", "缺少必填的二级指标「数量指标」。"),
        ("info", "cost-product", "indicators[2].value", "无法自动核对成本标准「2556元/人/月」（数量指标中没有以「人」计量的指标），请人工核对。"),
    ]


def test_no_benefit_row_at_all_is_an_error():
    def drop_benefits(table):
        table.indicators = [i for i in table.indicators if i.level1 != "效益指标"]

    added, _ = change(5, drop_benefits, profile="national")
    assert added == [("error", "required-category", "indicators", "缺少一级指标「效益指标」下的指标。")]


def test_one_benefit_row_is_enough_nationally():
    def keep_one(table):
        table.indicators = [i for i in table.indicators if i.level2 != "可持续影响指标" and i.level2 != "经济效益指标"]

    assert change(5, keep_one, profile="national")[0] == []


def test_missing_satisfaction_is_a_warning():
    added, _ = change(5, _drop("服务对象满意度指标"))
    assert added == [("warning", "required-category", "indicators", "缺少必填的二级指标「服务对象满意度指标」。")]


def test_seed_template_profile_requires_lasting_effect():
    added, _ = change(5, _drop("可持续影响指标"), profile="seed-template")
    assert added == [("warning", "required-category", "indicators", "缺少必填的二级指标「可持续影响指标」。")]
    assert change(5, _drop("可持续影响指标"), profile="national")[0] == []  # not under the national profile


def test_2021_layout_cost_as_its_own_level1_counts():
    def regroup(table):
        for ind in table.indicators:
            if ind.level2 == "成本指标":
                ind.level1, ind.level2 = "成本指标", "经济成本指标"

    assert change(5, regroup) == ([], [])


def test_level2_not_under_its_level1():
    added, _ = change(5, lambda t: setattr(row(t, 0), "level1", "效益指标"))
    assert added == [
        ("error", "level-mismatch", "indicators[0].level2", "二级指标「数量指标」不属于一级指标「效益指标」（应在：产出指标）。")
    ]


def test_level2_unknown_or_blank_or_marked():
    # The row no longer counts as 质量, so the category is missing too.
    missing = ("error", "required-category", "indicators", "缺少必填的二级指标「质量指标」。")
    added, _ = change(5, lambda t: setattr(row(t, 1), "level2", "品质指标"))
    assert added == [missing, ("error", "level-mismatch", "indicators[1].level2", "二级指标「品质指标」不在分类框架中。")]
    added, _ = change(5, lambda t: setattr(row(t, 1), "level2", ""))
    assert added == [missing, ("error", "level-mismatch", "indicators[1].level2", "第2条指标没有选择二级指标。")]
    added, _ = change(5, lambda t: setattr(row(t, 1), "level2", "质量指标（必填）"))
    assert added == [("error", "level-mismatch", "indicators[1].level2", "二级指标「质量指标（必填）」应写为「质量指标」。")]


def test_category_mismatch_rate_under_quantity():
    added, _ = change(5, lambda t: setattr(row(t, 0), "name", "村干部补贴覆盖率"))
    assert added == [("info", "category-mismatch", "indicators[0].level2", "「村干部补贴覆盖率」看起来属于质量指标。")]


def test_category_mismatch_output_rate_under_benefit():
    added, _ = change(5, lambda t: setattr(row(t, 7), "name", "村干部补贴发放率"))
    assert added == [("info", "category-mismatch", "indicators[7].level2", "「村干部补贴发放率」看起来属于质量指标。")]


def test_duplicate_in_one_level2_is_a_warning():
    def dup(table):
        table.indicators.append(Indicator("效益指标", "可持续影响指标", "基层村干部工作积极性", "≥95%"))

    added, _ = change(5, dup)
    assert added == [("warning", "duplicate-indicator", "indicators[10].name", "三级指标「基层村干部工作积极性」在「可持续影响指标」中重复出现。")]


def test_duplicate_across_level2_is_info():
    def dup(table):
        table.indicators.insert(7, Indicator("效益指标", "社会效益指标", "基层 村干部工作积极性", "≥90%"))

    added, _ = change(5, dup)
    assert ("info", "duplicate-indicator", "indicators[8].name",
            "三级指标「基层村干部工作积极性」同时出现在「社会效益指标」和「可持续影响指标」中，请确认是否重复。") in added
    assert [a for a in added if a[1] == "duplicate-indicator"] == [
        ("info", "duplicate-indicator", "indicators[8].name",
         "三级指标「基层村干部工作积极性」同时出现在「社会效益指标」和「可持续影响指标」中，请确认是否重复。")
    ]


def test_quantity_and_cost_with_one_name_is_the_usual_pair():
    # 表4 lists 组织开展主题党员活动 under both 数量 (12次) and 成本 (350元/次).
    assert [f for f in run_checks(seed(4)) if f.code == "duplicate-indicator"] == []
