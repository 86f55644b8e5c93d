"""cost-product (DOMAIN §4.1): does cost standard × quantity × period give the 年度资金总额?

A warning only when every standard resolved and none (nor their sum) matches; anything this module cannot
resolve is an info asking for a manual check. Standards may cover part of the funds and staff change
mid-year, so this is never an error. A match is a `Confirmation` (a ✓ line for the review), not a finding;
a row that only restates the budget ("2万元/年" on a 2万元 project) confirms nothing: `cost-restates-budget`
(assistant/checks/budget.py) reports it, using `restates_budget` here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from ..values import (
    CostStandard,
    Measure,
    find_periods,
    format_number,
    format_wan,
    parse_cost,
    parse_measure,
    parse_period,
)
from .base import Confirmation, Context, Finding, Row, amount, clip, text

_CEILING = ("≤", "<")
# Units a 数量 value may use for a day or week denominator ("250天").
_DAY_UNITS = {"日": ("天", "日"), "周": ("周",)}


@dataclass(frozen=True)
class Computation:
    """One cost row worked out: product in 元 with its formula, or the reason it could not be."""

    row: Row
    standard: CostStandard
    product: float | None = None
    formula: str = ""
    reason: str = ""
    quantity: Measure | None = None  # the one 数量 multiplied in, for back-computing what the funding implies

    @property
    def ceiling(self) -> bool:
        return self.standard.operator in _CEILING


class _Unresolved(Exception):
    """Internal: why a standard cannot be multiplied out (becomes the reason in the info)."""


def _quantity(ctx: Context, units: tuple[str, ...], cost_row: Row) -> Measure:
    """The 数量 value counting `units`; 个 also counts a unit its name contains (村委会个数 ↔ 村)."""
    candidates: list[tuple[Row, Measure]] = []
    for row in ctx.of_kind("quantity"):
        measure = parse_measure(row.value)
        if measure is None or measure.is_percent or not measure.number > 0:
            continue
        if measure.unit in units or (measure.unit == "个" and any(u in row.name_key for u in units)):
            candidates.append((row, measure))
    unit = units[0]
    if not candidates:
        raise _Unresolved(f"数量指标中没有以「{unit}」计量的指标")
    # Several candidates: the one whose name shares the most characters with the cost row's name.
    def shared(pair: tuple[Row, Measure]) -> int:
        return len(set(pair[0].name_key) & set(cost_row.name_key))

    best = max(shared(c) for c in candidates)
    top = [c for c in candidates if shared(c) == best]
    if len({m.number for _, m in top}) > 1:
        names = "、".join(f"「{clip(r.name, 20)}」" for r, _ in top)
        raise _Unresolved(f"有多个以「{unit}」计量的数量指标（{names}），无法确定用哪一个")
    return top[0][1]


def _months(ctx: Context) -> float:
    """Months the standard runs: an "N个月" 时效 value, else 12 in a 1年 project."""
    found = set()
    for row in ctx.of_kind("timeliness"):
        whole = parse_period(row.value)
        periods = [whole] if whole else find_periods(row.value)
        found.update(period.months for period in periods if period.months)
    if len(found) == 1:
        return found.pop()
    if len(found) > 1:
        raise _Unresolved("时效指标中有多个不同的期限")
    period = text(getattr(ctx.table.project, "period", ""))
    parsed = parse_period(period)
    if parsed is not None and parsed.months == 12:
        return 12.0
    if not period:
        raise _Unresolved("项目期未填写，无法确定月数")
    raise _Unresolved(f"项目期为「{clip(period, 20)}」，时效指标中也没有「N个月」，无法确定月数")


def compute(ctx: Context, row: Row, standard: CostStandard) -> Computation:
    """Multiply a standard out: count denominators by their 数量, time denominators by the period."""
    try:
        product = standard.amount
        formula = standard.text
        used: list[Measure] = []
        for per in standard.counts:
            measure = _quantity(ctx, (per.unit,), row)
            used.append(measure)
            product *= measure.number / per.count
            formula += f" × {format_number(measure.number)}{measure.unit}"
            if per.count != 1:
                formula += f" ÷ {format_number(per.count)}"
        times = standard.times
        if len(times) > 1:
            raise _Unresolved("成本标准中有多个时间单位")
        for per in times:
            if per.unit == "年":
                factor, shown = 1.0, ""
            elif per.unit == "季度":
                factor, shown = 4.0, "4季度"
            elif per.unit == "月":
                factor = _months(ctx)
                shown = f"{format_number(factor)}月"
            else:
                measure = _quantity(ctx, _DAY_UNITS.get(per.unit, (per.unit,)), row)
                factor, shown = measure.number, f"{format_number(measure.number)}{measure.unit}"
            product *= factor / per.count
            if shown:
                formula += f" × {shown}"
            if per.count != 1:
                formula += f" ÷ {format_number(per.count)}"
        if not math.isfinite(product):
            raise _Unresolved("数值过大")
        return Computation(row, standard, product, formula, quantity=used[0] if len(used) == 1 else None)
    except _Unresolved as why:
        return Computation(row, standard, reason=str(why))


def _wan(yuan: float) -> str:
    return format_wan(round(yuan / 1e4, 4))


def _matches(c: Computation, target: float, tolerance: float) -> bool:
    assert c.product is not None
    if c.ceiling:
        return target <= c.product + tolerance
    return abs(c.product - target) <= tolerance


def cost_standard(row: Row) -> CostStandard | None:
    """The row's value as a cost standard; "250万" (万 for 万元, as Hunan forms write it) reads as 250万元."""
    found = parse_cost(row.value)
    if found is None and "万" in row.value_key and "万元" not in row.value_key:
        found = parse_cost(row.value_key.replace("万", "万元"))
    return found


def restates_budget(ctx: Context, row: Row) -> bool:
    """A 成本 value that is the whole 年度资金总额 with no count denominator ("≤1000万元", "2万元/年" on 2万元),
    or a bare 成本控制率 percentage: it states no unit cost."""
    if any(word in row.name_key for word in ctx.settings.cost_rate_names):
        measure = parse_measure(row.value)
        if measure is not None and measure.is_percent:
            return True
    total = amount(getattr(ctx.table.funding, "total", None))
    standard = cost_standard(row)
    if total is None or total <= 0 or standard is None or standard.counts:
        return False
    product = compute(ctx, row, standard).product
    target = total * 1e4
    tolerance = max(ctx.settings.cost_tolerance_yuan, ctx.settings.cost_tolerance_share * target)
    return product is not None and abs(product - target) <= tolerance


def check_cost_product(ctx: Context) -> Iterator[Finding | Confirmation]:
    total = amount(getattr(ctx.table.funding, "total", None))
    if total is None or total <= 0:
        return  # no funding yet (or funding-value): nothing to compare with
    target = total * 1e4
    rows = [(row, std) for row in ctx.of_kind("cost") if (std := cost_standard(row)) is not None]
    if not rows or not math.isfinite(target):
        return
    settings = ctx.settings
    tolerance = max(settings.cost_tolerance_yuan, settings.cost_tolerance_share * target)
    computed = [compute(ctx, row, std) for row, std in rows]
    resolved = [c for c in computed if c.product is not None]

    # 1. A standard (or all of them together) gives the funding: say so, with the sum shown.
    for c in resolved:
        if _matches(c, target, tolerance):
            assert c.product is not None
            if restates_budget(ctx, c.row):
                return  # the row is the budget itself: nothing confirmed (cost-restates-budget says so)
            funds = f"年度资金总额{format_wan(total)}万元"
            tail = f"{funds}未超过该上限" if c.ceiling else f"与{funds}相符"
            yield Confirmation("cost-product", f"按成本标准测算：{c.formula} = {_wan(c.product)}万元，{tail}。", c.row.where("value"))
            return
    if len(resolved) > 1:
        combined = sum(c.product or 0.0 for c in resolved)
        if abs(combined - target) <= tolerance:
            formula = " + ".join(c.formula for c in resolved)
            message = f"按成本标准测算：{formula} = {_wan(combined)}万元，与年度资金总额{format_wan(total)}万元相符。"
            yield Confirmation("cost-product", message, "indicators")
            return
    # 2. A product equal to the total's number: the total was typed in 元.
    for c in resolved:
        assert c.product is not None
        if abs(c.product - total) <= max(1.0, settings.cost_tolerance_share * total):
            yield Finding(
                "warning", "cost-product", '年度资金总额可能按"元"填写，表中金额单位为万元。', "funding.total",
                f"年度资金总额以万元为单位填写：{format_number(total)}元应填「{format_wan(total / 1e4)}」。",
            )
            return
    # 3. Something could not be resolved: it may explain the rest, so only ask for a manual check.
    unresolved = [c for c in computed if c.product is None]
    if unresolved:
        for c in unresolved:
            yield Finding(
                "info", "cost-product", f"无法自动核对成本标准「{clip(c.standard.text)}」（{c.reason}），请人工核对。",
                c.row.where("value"), "人工核对：成本标准 × 数量 × 月数（或年数）应等于年度资金总额。",
            )
        return
    # 4. Everything resolved and nothing matches.
    product = sum(c.product or 0.0 for c in resolved)
    formula = " + ".join(c.formula for c in resolved)
    difference = abs(product - target)
    single = resolved[0] if len(resolved) == 1 else None
    fix = "核对成本标准、数量和年度资金总额，三者应能相互印证"
    if single is not None and single.quantity is not None and single.product:
        # What the funding pays for at this standard: 5.9314万元 at 32952元/人/年 is 1.8人, not 2人.
        implied = single.quantity.number * target / single.product
        fix += f"：按年度资金总额反算，{single.quantity.unit}数约为{format_number(implied, 2)}{single.quantity.unit}"
    fix += "。标准只覆盖部分资金，或年中人员、月数有变动的，请在说明中写明测算依据。"
    yield Finding(
        "warning", "cost-product",
        f"成本标准测算金额{_wan(product)}万元（{formula}）与年度资金总额{format_wan(total)}万元不一致，相差{_wan(difference)}万元。",
        single.row.where("value") if single is not None else "funding.total",
        fix,
    )
