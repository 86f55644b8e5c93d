"""Incomplete rows: missing-value (error), missing-name (error)."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context, Finding, clip


def check_missing_value(ctx: Context) -> Iterator[Finding]:
    """missing-value: 三级 filled, 指标值 empty."""
    for row in ctx.rows:
        if row.name and not row.value:
            fix = ctx.hint(row.canonical2) or "填写可衡量的指标值，如「60人」「100%」「≥95%」。"
            yield Finding("error", "missing-value", f"三级指标「{clip(row.name)}」未填写指标值。", row.where("value"), fix)


def check_missing_name(ctx: Context) -> Iterator[Finding]:
    """missing-name: 三级 empty (with or without a value): the row says nothing about what is measured."""
    for row in ctx.rows:
        if not row.name:
            yield Finding(
                "error", "missing-name", f"第{row.number}条指标缺少三级指标名称。", row.where("name"),
                "写明这一条考核什么，如「保障村干部人数」；空行请删除。",
            )
