"""How values and names are written (DOMAIN §3–§4): vague-quantity, missing-unit, vague-benefit (warnings);
value-in-name (info)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..values import has_digit, normalize
from .base import Context, Finding, Row, clip

# A number with nothing after it (or only an operator before it): "12", "≥95".
_BARE_NUMBER = re.compile(r"[≥≤＝=<>]?\d+(\.\d+)?")
_QUANTITATIVE = ("quantity", "quality", "cost")
_VAGUE_KINDS = ("benefit", "satisfaction")


def _counts_things(ctx: Context, row: Row) -> bool:
    return row.kind in _QUANTITATIVE or row.name_key.endswith(tuple(ctx.settings.count_name_suffixes))


def _is_vague_quantity(ctx: Context, row: Row) -> bool:
    return bool(row.value) and not has_digit(row.value) and _counts_things(ctx, row)


def check_vague_quantity(ctx: Context) -> Iterator[Finding]:
    """vague-quantity: no digit in a 数量/质量/成本 value, or in the value of a 三级 that counts (…人数)."""
    quantity = ctx.first_level2("quantity")
    for row in ctx.rows:
        if _is_vague_quantity(ctx, row):
            level2 = row.canonical2 if row.kind in _QUANTITATIVE else quantity
            yield Finding(
                "warning",
                "vague-quantity",
                f"「{clip(row.name)}」的指标值「{clip(row.value)}」无法衡量，应填写数值和单位（如「60人」「100%」）。",
                row.where("value"),
                ctx.hint(level2),
            )


def check_missing_unit(ctx: Context) -> Iterator[Finding]:
    """missing-unit: a 数量 or 成本 value that is a bare number ("12")."""
    for row in ctx.rows:
        if row.kind in ("quantity", "cost") and _BARE_NUMBER.fullmatch(row.value_key):
            message = f"指标值「{clip(row.value)}」缺少计量单位。"
            yield Finding("warning", "missing-unit", message, row.where("value"), ctx.hint(row.canonical2))


@lru_cache(maxsize=8)
def _vague_regex(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def vague_term(ctx: Context, value: str) -> str | None:
    """The first trend word in a value ("促进人民群众健康水平不断提高。" -> "不断提高"), anywhere in it; None if none."""
    key = normalize(value)
    found = [(key.find(word), word) for word in ctx.settings.vague_words if word in key]
    pattern = _vague_regex(ctx.settings.vague_pattern)
    match = pattern.search(key) if pattern else None
    if match and match.group(0):
        found.append((match.start(), match.group(0)))
    if not found:
        return None
    start = min(at for at, _ in found)
    return max((w for at, w in found if at == start), key=len)


def check_vague_benefit(ctx: Context) -> Iterator[Finding]:
    """vague-benefit: a 效益 / 可持续 / 满意度 value with no digit holding a trend word anywhere (有效提升, 稳步提高 …).

    Reviewers return tables for these (DOMAIN §4), so it is a warning, and the fix gives a graded form.
    A row already reported by vague-quantity (受益…人数 → 有效提高) is not reported twice.
    """
    for row in ctx.rows:
        if row.kind not in _VAGUE_KINDS or not row.value or has_digit(row.value) or _is_vague_quantity(ctx, row):
            continue
        if vague_term(ctx, row.value) is not None:
            yield Finding(
                "warning",
                "vague-benefit",
                f"「{clip(row.value)}」为笼统表述，建议量化，或采用分级分档表述并说明衡量方法。",
                row.where("value"),
                ctx.settings.vague_fix or ctx.hint(row.canonical2),
            )


@lru_cache(maxsize=8)
def _number_with_unit(units: tuple[str, ...]) -> re.Pattern[str] | None:
    if not units:
        return None
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![\d.])\d+(?:\.\d+)?(?:{alternatives})")


def check_value_in_name(ctx: Context) -> Iterator[Finding]:
    """value-in-name: the 三级 holds a number + unit ("受益村干部人数60人")."""
    pattern = _number_with_unit(tuple(ctx.settings.name_units))
    if pattern is None:
        return
    for row in ctx.rows:
        match = pattern.search(row.name_key)
        if match:
            yield Finding(
                "info",
                "value-in-name",
                f"三级指标名称中含有数值「{clip(match.group(0), 20)}」，数值应填在指标值栏。",
                row.where("name"),
                f"三级指标只写考核什么，把「{clip(match.group(0), 20)}」这样的数值写在指标值栏（如「受益村干部人数」→「60人」）。",
            )
