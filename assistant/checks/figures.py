"""goal-figure-mismatch (warning): the 年度总体目标 and the indicators give different figures for the same thing.

The indicators refine and quantify the goal (DOMAIN §1, [M2015] 细化、量化), so a reviewer reads them side by
side: a goal promising "群众满意度达到90%" over a 满意度 indicator of "≥95%", or "培训干部30人" over a 数量 of
"32人", is sent back to be made consistent. Compared only where the figure is unambiguous: 满意度 percentages,
and counts in the same unit (人, 人次, 个, 村 …; not money, years, months or percentages), flagged only when
neither side's figure appears on the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..values import format_number, normalize, parse_measure
from .base import Context, Finding, Row, clip, text
from .satisfaction import satisfaction_rows

_NUMBER = r"(?<![\d.])(\d+(?:\.\d+)?)"
_NOT_A_TOTAL_BEFORE = "第〔[【(（-~～至到—"
# Units that are not counts: dates, durations, money, shares.
_NOT_COUNTS = {"年", "月", "日", "天", "周", "个月", "季度", "小时", "%", "元", "万元", "千元", "亿元", "万"}


def _goal_satisfaction(ctx: Context, goal: str) -> list[tuple[float, str]]:
    words = "|".join(re.escape(w) for w in ctx.settings.goal_satisfaction_words)
    if not words:
        return []
    pattern = re.compile(rf"(?:{words})(?:达到|达|不低于|保持在|保持|在|为|≥|>=|>|＝|=){{0,2}}{_NUMBER}%(?:以上|及以上)?")
    return [(float(m.group(1)), m.group(0)) for m in pattern.finditer(goal)]


def _check_satisfaction(ctx: Context, goal: str) -> Iterator[Finding]:
    in_goal = _goal_satisfaction(ctx, goal)
    if not in_goal:
        return
    rows = [(row, m) for row in satisfaction_rows(ctx) if (m := parse_measure(row.value)) is not None and m.is_percent]
    goal_numbers = {n for n, _ in in_goal}
    if not rows or any(m.number in goal_numbers for _, m in rows):
        return
    row, _ = rows[0]
    said = "」「".join(clip(piece, 30) for _, piece in in_goal)
    yield Finding(
        "warning", "goal-figure-mismatch",
        f"年度总体目标写「{said}」，满意度指标「{clip(row.name)}」为「{clip(row.value)}」，两者不一致。",
        row.where("value"), "统一年度总体目标和指标值中的满意度目标（指标值是对目标的量化，两处应相同）。",
    )


def _goal_counts(ctx: Context, goal: str) -> dict[str, set[float]]:
    """Numbers in the goal by the unit after them, the longest known unit first ("280人次" is 人次, not 人)."""
    units = sorted(ctx.settings.name_units, key=len, reverse=True)
    out: dict[str, set[float]] = {}
    for match in re.finditer(_NUMBER, goal):
        before = goal[max(0, match.start() - 3) : match.start()]
        if before[-1:] and before[-1] in _NOT_A_TOTAL_BEFORE:
            continue  # 第3批, 〔2020〕26号, the upper end of "50-60人"
        if "每" in before or "均" in before:
            continue  # 每期50人, 人均200元: a rate, not the total the indicators count
        after = goal[match.end() :]
        unit = next((u for u in units if after.startswith(u)), after[:1])
        if unit and unit not in _NOT_COUNTS:
            out.setdefault(unit, set()).add(float(match.group(1)))
    return out


def _check_counts(ctx: Context, goal: str) -> Iterator[Finding]:
    in_goal = _goal_counts(ctx, goal)
    by_unit: dict[str, list[tuple[Row, float]]] = {}
    for row in ctx.of_kind("quantity"):
        measure = parse_measure(row.value)
        if measure is not None and measure.unit and measure.unit not in _NOT_COUNTS:
            by_unit.setdefault(measure.unit, []).append((row, measure.number))
    for unit, rows in by_unit.items():
        goal_numbers = in_goal.get(unit)
        if not goal_numbers:
            continue
        row_numbers = {n for _, n in rows}
        unmatched_goal = sorted(goal_numbers - row_numbers)
        if not unmatched_goal:
            continue
        said = "、".join(f"{format_number(n)}{unit}" for n in unmatched_goal)
        for row, number in rows:
            if number not in goal_numbers:
                yield Finding(
                    "warning", "goal-figure-mismatch",
                    f"年度总体目标写「{said}」，数量指标「{clip(row.name)}」为「{clip(row.value)}」，两者不一致。",
                    row.where("value"), "核对年度总体目标和数量指标中的数字，改为一致（指标值是对目标的量化）。",
                )


def check_goal_figures(ctx: Context) -> Iterator[Finding]:
    goal = normalize(text(getattr(ctx.table.project, "goal", "")))
    if not goal or not any(ch.isdigit() for ch in goal):
        return
    yield from _check_satisfaction(ctx, goal)
    yield from _check_counts(ctx, goal)
