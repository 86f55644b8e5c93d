"""项目资金: funding-value (error), funding-sum (error / warning). Amounts are 万元. DOMAIN §4.

funding-sum follows the form (profile `funding_breakdown`): on the seed template the parts must add up. On
other forms a total with no parts (the table gives only 年度资金总额) is not checked, and parts short of the
total with 其他资金 blank (Hubei: "其中：当年市级财政资金132万元" of 164万元) are a warning, since the form may
have had no line for the rest; parts over the total, or given in full and not adding up, stay errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..values import format_wan
from .base import FUNDING_FIELDS, Context, Finding, amount

# total = fiscal + other to 0.5 元: amounts carry at most 4 decimals of 万元 (1 元).
SUM_TOLERANCE = 0.00005
_VALUE_FIX = "以万元为单位填写大于0的年度资金总额，如「36.00」；没有其他资金的，其他资金填0。"


def check_funding_value(ctx: Context) -> Iterator[Finding]:
    """funding-value: total ≤ 0, any amount < 0, or an amount that is not a number (NaN, inf, text)."""
    funding = ctx.table.funding
    for key, label in FUNDING_FIELDS.items():
        raw = getattr(funding, key, None)
        value = amount(raw)
        if value is None:
            yield Finding(
                "error", "funding-value", f"「{label}」不是有效的金额（{raw!s:.40}），请填写以万元为单位的数字。",
                f"funding.{key}", _VALUE_FIX,
            )
        elif value < 0 or (key == "total" and value == 0):
            yield Finding("error", "funding-value", "年度资金总额须大于0，各项资金不得为负数。", f"funding.{key}", _VALUE_FIX)


def check_funding_sum(ctx: Context) -> Iterator[Finding]:
    """funding-sum: |total − (fiscal + other)| > 0.00005 万元."""
    funding = ctx.table.funding
    total, fiscal, other = (amount(getattr(funding, k, None)) for k in FUNDING_FIELDS)
    if total is None or fiscal is None or other is None:
        return  # funding-value has said what is wrong
    parts = fiscal + other
    if abs(total - parts) <= SUM_TOLERANCE:
        return
    severity = "error"
    if ctx.profile_spec.funding_breakdown == "partial" and other == 0 and parts < total:
        if fiscal == 0:
            return  # only the total is given: nothing to add up
        severity = "warning"
    yield Finding(
        severity,
        "funding-sum",
        f"年度资金总额{format_wan(total)}万元不等于财政拨款{format_wan(fiscal)}万元与其他资金{format_wan(other)}万元之和"
        f"{format_wan(parts)}万元。",
        "funding.total",
        "核对三个金额：年度资金总额 = 财政拨款 + 其他资金（单位都是万元，没有其他资金的填0）。"
        + ("表中未列明的其余资金请填入其他资金。" if severity == "warning" else ""),
    )
