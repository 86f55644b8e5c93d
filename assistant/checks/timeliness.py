"""时效 values (DOMAIN §3, §4): deadline-not-date (warning / info), deadline-outside-year (error / warning).

A 时效 value is a deadline in the budget year ("2024年12月31日前", "2025年年底前", "12月底"), a period in
months, weeks or days ("≤12个月", "30天内"), or a timeliness rate on a rate name ("及时率 100%"). A duration in
years ("≥1年", "=5年") is a deadline only for a name about a period (服务周期); a percentage on a name that is
not a rate ("≥100%") says nothing about time; a bare year ("2024年") is too coarse (a hint).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..values import find_deadlines, find_periods, parse_period
from .base import Context, Finding, Row, clip, text


def _example(ctx: Context) -> str:
    return f"{ctx.year}年12月31日前" if ctx.year else "12月31日前"


def _is_period(ctx: Context, row: Row) -> bool:
    whole = parse_period(row.value)
    periods = [whole] if whole else find_periods(row.value)
    if any(p.unit != "年" for p in periods):
        return True
    return bool(periods) and any(w in row.name_key for w in ctx.settings.period_name_words)


def _is_rate(ctx: Context, row: Row) -> bool:
    """A percentage on a rate: the name, or the value itself ("按时发放率100%"), says which rate."""
    words = ctx.settings.timeliness_rate_words
    return "%" in row.value_key and any(w in row.name_key or w in row.value_key.split("%")[0] for w in words)


def check_deadline_not_date(ctx: Context) -> Iterator[Finding]:
    """deadline-not-date: a 时效 value with no date, period or rate (warning), or only a bare year (info)."""
    for row in ctx.of_kind("timeliness"):
        if not row.value:
            continue
        deadlines = find_deadlines(row.value)
        if any(not d.bare_year for d in deadlines) or _is_rate(ctx, row) or _is_period(ctx, row):
            continue
        fix = f"写明完成时间，如「{_example(ctx)}」，或写期限「≤12个月」、及时率「100%」。"
        if deadlines:
            yield Finding(
                "info", "deadline-not-date",
                f"时效指标「{clip(row.name)}」的指标值「{clip(row.value)}」只写了年份，应写明完成时间（如「{_example(ctx)}」）。",
                row.where("value"), fix,
            )
        else:
            yield Finding(
                "warning", "deadline-not-date",
                f"时效指标「{clip(row.name)}」的指标值「{clip(row.value)}」不是日期或期限，应写明完成时间（如「{_example(ctx)}」）。",
                row.where("value"), fix,
            )


def _one_year_project(ctx: Context) -> bool:
    period = parse_period(text(getattr(ctx.table.project, "period", "")))
    return period is not None and period.months == 12


def check_deadline_outside_year(ctx: Context) -> Iterator[Finding]:
    """deadline-outside-year: a 时效 date before the budget year (error) or after it in a 1年 project (warning)."""
    year = ctx.year
    if year is None:
        return
    for row in ctx.of_kind("timeliness"):
        years = [d.year for d in find_deadlines(row.value) if d.year is not None]
        if any(y < year for y in years):
            severity = "error"
        elif any(y > year for y in years) and _one_year_project(ctx):
            severity = "warning"
        else:
            continue
        yield _outside(row, year, severity)


def _outside(row: Row, year: int, severity: str) -> Finding:
    return Finding(
        severity, "deadline-outside-year", f"完成时间「{clip(row.value)}」不在预算年度{year}年内。", row.where("value"),
        f"把完成时间改在{year}年内，如「{year}年12月31日前」；跨年度实施的，项目期应如实填写。",
    )
