"""assistant.values: the parsers for what people write in 指标值 cells."""

from __future__ import annotations

import pytest

from assistant.values import (
    CostStandard,
    Deadline,
    Measure,
    Per,
    Period,
    find_deadlines,
    find_periods,
    format_number,
    format_wan,
    has_digit,
    normalize,
    parse_cost,
    parse_measure,
    parse_percent,
    parse_period,
    parse_project_period,
    ascii_operator_form,
    years_in,
)


def test_normalize_folds_width_and_drops_spaces():
    assert normalize(" ２０２４ 年 １２ 月 ") == "2024年12月"
    assert normalize("≥ 95 ％") == "≥95%"
    assert normalize(None) == ""  # type: ignore[arg-type]


def test_has_digit():
    assert has_digit("60人") and has_digit("６０人")
    assert not has_digit("一日三餐") and not has_digit("")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("60人", Measure(None, 60.0, "人")),
        ("≥95%", Measure("≥", 95.0, "%")),
        (">=95%", Measure("≥", 95.0, "%")),
        ("=>95%", Measure("≥", 95.0, "%")),
        ("=<5次", Measure("≤", 5.0, "次")),
        ("＞＝ 95 ％", Measure("≥", 95.0, "%")),
        ("≤12次", Measure("≤", 12.0, "次")),
        ("＝10个", Measure("＝", 10.0, "个")),
        ("12", Measure(None, 12.0, "")),
        ("147人次", Measure(None, 147.0, "人次")),
        ("1,840,320元", Measure(None, 1840320.0, "元")),
        ("0.18万元", Measure(None, 0.18, "万元")),
        ("有效提高", None),
        ("2024年12月底", None),  # a date, not one number
        ("", None),
        ("9" * 40, None),  # not an amount anyone writes
    ],
)
def test_parse_measure(text, expected):
    assert parse_measure(text) == expected


# Operators in words, as staff write them (issue 15: "95%以上。" was reported as not a percentage).
@pytest.mark.parametrize(
    "text,expected",
    [
        ("95%以上。", Measure("≥", 95.0, "%")),
        ("95%及以上", Measure("≥", 95.0, "%")),
        ("不低于95%", Measure("≥", 95.0, "%")),
        ("不少于60人", Measure("≥", 60.0, "人")),
        ("不超过36万元", Measure("≤", 36.0, "万元")),
        ("30天以内", Measure("≤", 30.0, "天")),
        ("≥95%。", Measure("≥", 95.0, "%")),
        ("90%左右", Measure(None, 90.0, "%")),
        ("≥95%以下", None),  # contradictory
        ("以上", None),
    ],
)
def test_parse_measure_with_operator_words(text, expected):
    assert parse_measure(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [(">=90%", "≥90%"), ("<=5次", "≤5次"), ("=>1102人", "≥1102人"), ("≥90%", None), ("=10个", None), ("", None)],
)
def test_ascii_operator_form(text, expected):
    assert ascii_operator_form(text) == expected


@pytest.mark.parametrize(
    "text,start,end,length",
    [
        ("1年", None, None, Period(None, 1.0, "年")),
        ("一年", None, None, Period(None, 1.0, "年")),
        ("3年期", None, None, Period(None, 3.0, "年")),
        ("6个月", None, None, Period(None, 6.0, "月")),
        ("2022年", (2022, None), (2022, None), None),  # Hubei
        ("2024—2026年", (2024, None), (2026, None), None),
        ("2024年-2026年", (2024, None), (2026, None), None),
        ("2023.07-2024.01", (2023, 7), (2024, 1), None),  # Xiangtan
        ("2021年1月-12月", (2021, 1), (2021, 12), None),  # Sichuan's 项目实施时间
        ("2024年1-12月", (2024, 1), (2024, 12), None),
        ("2024年1月1日-2024年12月31日", (2024, 1), (2024, 12), None),
        ("2024.01.01-2024.12.31", (2024, 1), (2024, 12), None),
    ],
)
def test_parse_project_period(text, start, end, length):
    found = parse_project_period(text)
    assert found is not None and (found.start, found.end, found.length) == (start, end, length)


@pytest.mark.parametrize("text", ["20246-202516", "2026-2024", "2024.13-2025.01", "2024.06-2024.02", "长期", "", "0年", "按年度"])
def test_parse_project_period_rejects(text):
    assert parse_project_period(text) is None


def test_parse_percent():
    assert parse_percent("≥95%") == Measure("≥", 95.0, "%")
    assert parse_percent("100%") == Measure(None, 100.0, "%")
    assert parse_percent("95") is None
    assert parse_percent("满意") is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024年12月底", [Deadline("2024年12月底", 2024, 12, None, True)]),
        ("2024年12月31日前", [Deadline("2024年12月31日", 2024, 12, 31)]),
        ("2024年底", [Deadline("2024年底", 2024, None, None, True)]),
        ("2024年", [Deadline("2024年", 2024)]),
        ("2024 年 12 月", [Deadline("2024年12月", 2024, 12)]),
        ("年底前", [Deadline("年底", end=True)]),
        ("每月底前发放", [Deadline("月底", end=True)]),
        ("2023-12-31", [Deadline("2023-12-31", 2023, 12, 31)]),
        ("2024年1月至2025年6月", [Deadline("2024年1月", 2024, 1), Deadline("2025年6月", 2025, 6)]),
        ("12个月", []),
        ("按时足额", []),
        ("2024年13月", []),  # no such month: not a date, so check asks for one
        ("2025年年底前", [Deadline("2025年年底", 2025, None, None, True)]),  # a date, not a bare year (issue 15)
        ("2025年年末", [Deadline("2025年年末", 2025, None, None, True)]),
    ],
)
def test_find_deadlines(text, expected):
    assert find_deadlines(text) == expected


def test_bare_year():
    assert find_deadlines("2024年")[0].bare_year
    assert not find_deadlines("2024年底")[0].bare_year
    assert not find_deadlines("2024年12月")[0].bare_year


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1年", Period(None, 1.0, "年")),
        ("一年", Period(None, 1.0, "年")),
        ("≤12个月", Period("≤", 12.0, "月")),
        ("30天内", Period(None, 30.0, "日")),
        ("2个季度", Period(None, 2.0, "季度")),
        ("12月", None),  # December
        ("2024年", None),  # a year, not 2,024 years
        ("按时", None),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


def test_period_months():
    assert parse_period("1年").months == 12
    assert parse_period("2个季度").months == 6
    assert parse_period("30天").months is None


def test_find_periods_in_text():
    assert find_periods("12个月内完成") == [Period(None, 12.0, "月")]
    assert find_periods("2024年12月31日前") == []  # a date, no period
    assert find_periods("项目期1年") == [Period(None, 1.0, "年")]


@pytest.mark.parametrize(
    "text,amount,per",
    [
        ("2556元/人/月", 2556.0, (Per("人"), Per("月"))),
        ("3万元/村/年", 30000.0, (Per("村"), Per("年"))),
        ("350元/次", 350.0, (Per("次"),)),
        ("人均200元/月", 200.0, (Per("人"), Per("月"))),
        ("每人每月200元", 200.0, (Per("人"), Per("月"))),
        ("1840元/月/3个队", 1840.0, (Per("月"), Per("队", 3.0))),
        ("32952元/人/年", 32952.0, (Per("人"), Per("年"))),
        ("121200元/年", 121200.0, (Per("年"),)),
        ("2万元", 20000.0, ()),
        ("0.5千元/人次", 500.0, (Per("人次"),)),
        ("100元/人·天", 100.0, (Per("人"), Per("日"))),
    ],
)
def test_parse_cost(text, amount, per):
    cost = parse_cost(text)
    assert cost is not None and cost.amount == amount and cost.per == per and cost.operator is None


def test_parse_cost_operator_and_split():
    cost = parse_cost("≤36万元")
    assert cost == CostStandard("≤36万元", "≤", 360000.0, ())
    std = parse_cost("1840元/月/3个队")
    assert std.counts == (Per("队", 3.0),) and std.times == (Per("月"),)


@pytest.mark.parametrize("text", ["良好", "2556", "60人", "100%", "约2万元左右吧", "", "元/人"])
def test_parse_cost_rejects_non_standards(text):
    assert parse_cost(text) is None


def test_years_in():
    assert years_in("2023年和2024年，又是2023年；〔2020〕26号") == [2023, 2024]


def test_formatting():
    assert format_number(12.0) == "12"
    assert format_number(0.6590000001) == "0.659"
    assert format_number(-0.00001) == "0"
    assert format_wan(36) == "36.00"
    assert format_wan(184.032) == "184.032"
    assert format_wan(5.9314) == "5.9314"
    assert format_wan(float("inf")) == "inf"
