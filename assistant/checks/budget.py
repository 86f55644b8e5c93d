"""cost-restates-budget (warning, DOMAIN §4): a 成本 row that only repeats the budget.

"项目总成本 ≤1000万元" on a 1000万元 project, "2万元/年" on a 2万元 one, "项目金额 5万元" on 5万元, or a bare
"成本控制率 100%": the row states no unit cost, so the reviewer cannot see what the money buys (适当性).
The arithmetic is cost.py's (`restates_budget`), so cost-product and this rule agree on what matches.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context, Finding, clip
from .cost import restates_budget


def check_cost_restates_budget(ctx: Context) -> Iterator[Finding]:
    for row in ctx.of_kind("cost"):
        if row.value and restates_budget(ctx, row):
            yield Finding(
                "warning", "cost-restates-budget",
                f"成本指标「{clip(row.name)}」只重复了预算总额，应写单位成本或分项标准（如「元/人」「元/平方米」）。",
                row.where("value"),
                "按测算依据写单位成本，如「补助标准2556元/人/月」「建设成本≤1600元/亩」；有多项支出的分项列出，"
                "标准 × 数量应与年度资金总额相符。",
            )
