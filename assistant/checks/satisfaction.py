"""满意度 targets: satisfaction-threshold (warning / info), satisfaction-format (warning)."""

from __future__ import annotations

from collections.abc import Iterator

from ..values import format_number, parse_measure
from .base import Context, Finding, clip


def check_satisfaction(ctx: Context) -> Iterator[Finding]:
    """satisfaction-threshold: p% below satisfaction_min, an upper bound (≤), over 100% (warnings), exactly 100% (info).

    satisfaction-format: a value that is not a percentage ("满意", "95").
    """
    minimum = format_number(ctx.satisfaction_min)
    fix = f"满意度一般写为「≥{minimum}%」这样的下限；常见为≥85%至≥95%。"
    for row in ctx.of_kind("satisfaction"):
        if not row.value:
            continue  # missing-value
        measure = parse_measure(row.value)
        where = row.where("value")
        value = clip(row.value)
        if measure is None or not measure.is_percent:
            yield Finding(
                "warning", "satisfaction-format",
                f"满意度指标「{clip(row.name)}」的指标值「{value}」不是百分比，应写为「≥{minimum}%」这样的目标。", where, fix,
            )
        elif measure.operator in ("≤", "<"):
            yield Finding(
                "warning", "satisfaction-threshold", f"满意度目标「{value}」是上限，满意度应设下限（如「≥{minimum}%」）。", where, fix
            )
        elif measure.number > 100:
            yield Finding("warning", "satisfaction-threshold", f"满意度目标「{value}」超过100%。", where, fix)
        elif measure.number < ctx.satisfaction_min:
            yield Finding("warning", "satisfaction-threshold", f"满意度目标「{value}」低于{minimum}%。", where, fix)
        elif measure.number == 100:
            yield Finding(
                "info", "satisfaction-threshold", "满意度目标为100%，通常难以实现，请确认。", where,
                f"除非有把握全部满意，建议改为「≥{format_number(max(ctx.satisfaction_min, 95))}%」。",
            )
