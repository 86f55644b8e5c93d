"""review-mark: the "please verify" notes `renew` leaves on carried-over values are shown by `check`."""

from __future__ import annotations

from assistant.checks import Context, Finding, run_checks
from assistant.checks.review import check_review_marks
from assistant.framework import default_framework

from .seed_tables import change, seed

FIX = "核对并按本年度实际修改；确认无误后删除该处的 review 标记（在助手中确认即可）。"


def test_each_note_is_a_warning_at_the_marked_field():
    table = seed(5)
    table.project.review = "请核实文件文号"
    table.funding.review = "沿用上年数值，请核实"
    table.indicators[0].review = "沿用上年数值，请核实"
    table.indicators[9].review = "沿用上年数值，请核实"
    found = list(check_review_marks(Context(table, default_framework())))
    assert found == [
        Finding("warning", "review-mark", "年度总体目标：请核实文件文号", "project.goal"),
        Finding("warning", "review-mark", "项目资金：沿用上年数值，请核实", "funding.total"),
        Finding("warning", "review-mark", "「保障村干部人数」的指标值「60人」：沿用上年数值，请核实", "indicators[0].value"),
        Finding("warning", "review-mark", "「村干部满意度」的指标值「≥95%」：沿用上年数值，请核实", "indicators[9].value"),
    ]
    assert {f.fix for f in found} == {FIX}


def test_a_row_without_name_or_value_is_still_named():
    table = seed(1)
    table.indicators[9].review = "沿用上年数值，请核实"  # 群众满意度, no value
    table.indicators[8].name = ""
    table.indicators[8].review = "请核实"
    found = list(check_review_marks(Context(table, default_framework())))
    assert [(f.message, f.where) for f in found] == [
        ("第9条指标的指标值「明显改变」：请核实", "indicators[8].value"),
        ("「群众满意度」：沿用上年数值，请核实", "indicators[9].value"),
    ]


def test_no_notes_no_findings_and_run_checks_includes_the_rule():
    assert not [f for f in run_checks(seed(5)) if f.code == "review-mark"]
    added, removed = change(5, lambda t: setattr(t.funding, "review", "沿用上年数值，请核实"))
    assert added == [("warning", "review-mark", "funding.total", "项目资金：沿用上年数值，请核实")] and not removed
