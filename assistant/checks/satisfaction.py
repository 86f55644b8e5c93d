"""满意度 targets (DOMAIN §3, §4): satisfaction-threshold (warning / info), satisfaction-format (warning).

A 满意度 row is one under the 满意度 二级, or one whose 三级 speaks of 满意度 under another 二级 (older
Hunan/Hubei forms put "市民对空气质量改善的满意程度 ≥85%" under 社会效益): its floor is the same.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..values import format_number, parse_measure
from .base import Context, Finding, Row, clip
from .wording import vague_term


def satisfaction_rows(ctx: Context) -> list[Row]:
    """Rows that set a 满意度 target: the 满意度 二级, or a 效益 三级 naming 满意度 (满意率, 满意程度).

    Not a 产出 row such as "满意度调查覆盖率 100%": that measures the survey, not the satisfaction."""
    words = tuple(ctx.settings.goal_satisfaction_words)
    return [
        row
        for row in ctx.rows
        if row.kind == "satisfaction" or (row.kind == "benefit" and words and any(w in row.name_key for w in words))
    ]


def check_satisfaction(ctx: Context) -> Iterator[Finding]:
    """satisfaction-threshold: p% below satisfaction_min, an upper bound (≤), over 100% (warnings), exactly 100% (info).

    satisfaction-format: a 满意度-二级 value that is not a percentage ("满意", "95"); "95%以上。" is one.
    A trend word ("明显提升") is vague-benefit's, not reported twice.
    """
    minimum = format_number(ctx.satisfaction_min)
    fix = f"满意度一般写为「≥{minimum}%」这样的下限；常见为≥85%至≥95%。"
    for row in satisfaction_rows(ctx):
        if not row.value:
            continue  # missing-value
        measure = parse_measure(row.value)
        where = row.where("value")
        value = clip(row.value)
        if measure is None or not measure.is_percent:
            if row.kind == "satisfaction" and vague_term(ctx, row.value) is None:
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
