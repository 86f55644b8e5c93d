"""效益 rows that are not effects (DOMAIN §4, §5): benefit-repeats-output (warning), name-copies-goal (info).

- benefit-repeats-output: a 效益 value with the same number and unit as a 数量 value ("受益建档立卡贫困人口数
  ≥1102人" beside 数量 "资产入股贫困人口总数 ≥1102人"): the output restated as an effect.
- name-copies-goal: a 效益 三级 of 15+ letters copied word for word from the 年度总体目标: the goal's wording is
  not a measurable indicator.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..values import format_number, parse_measure
from .base import Context, Finding, clip, text
from .corpus import words_only


def check_benefit_repeats_output(ctx: Context) -> Iterator[Finding]:
    outputs: dict[tuple[float, str], str] = {}
    for row in ctx.of_kind("quantity"):
        measure = parse_measure(row.value)
        if measure is not None and measure.unit and not measure.is_percent:
            outputs.setdefault((measure.number, measure.unit), row.value)
    if not outputs:
        return
    for row in ctx.of_kind("benefit"):
        measure = parse_measure(row.value)
        if measure is None or not measure.unit or measure.is_percent:
            continue
        same = outputs.get((measure.number, measure.unit))
        if same is not None:
            yield Finding(
                "warning", "benefit-repeats-output",
                f"效益指标「{clip(row.name)}」重复了产出数量「{clip(same)}」，应写产出带来的效果。", row.where("value"),
                f"效益写{format_number(measure.number)}{measure.unit}带来的变化，如收入增长、覆盖率、问题解决率；"
                "受益人数本身是产出，留在数量指标中即可。",
            )


def check_name_copies_goal(ctx: Context) -> Iterator[Finding]:
    goal = words_only(text(getattr(ctx.table.project, "goal", "")))
    if not goal:
        return
    minimum = ctx.settings.copied_name_min_chars
    for row in ctx.of_kind("benefit"):
        name = words_only(row.name)
        if len(name) >= minimum and name in goal:
            yield Finding(
                "info", "name-copies-goal", "三级指标照抄了年度总体目标，应写可衡量的指标。", row.where("name"),
                f"把「{clip(row.name, 30)}」改写成可衡量的指标名称（考核什么），目标值写在指标值栏。",
            )
