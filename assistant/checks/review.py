"""review-mark (warning): a value carried over from last year that nobody has confirmed yet.

`renew` copies amounts and numbers into next year's draft and leaves the optional `review` note on them
("沿用上年数值，请核实"). The note stays in the file until someone checks the figure and removes it (the
assistant does this when the user confirms the value), so `check` keeps showing it until then.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context, Finding, clip, text

_FIX = "核对并按本年度实际修改；确认无误后删除该处的 review 标记（在助手中确认即可）。"


def check_review_marks(ctx: Context) -> Iterator[Finding]:
    table = ctx.table
    note = text(getattr(table.project, "review", ""))
    if note:
        yield Finding("warning", "review-mark", f"年度总体目标：{clip(note)}", "project.goal", _FIX)
    note = text(getattr(table.funding, "review", ""))
    if note:
        yield Finding("warning", "review-mark", f"项目资金：{clip(note)}", "funding.total", _FIX)
    for i, ind in enumerate(table.indicators or []):
        note = text(getattr(ind, "review", ""))
        if note:
            name = text(getattr(ind, "name", ""))
            value = text(getattr(ind, "value", ""))
            shown = f"「{clip(name, 30)}」" if name else f"第{i + 1}条指标"
            shown += f"的指标值「{clip(value, 30)}」" if value else ""
            yield Finding("warning", "review-mark", f"{shown}：{clip(note)}", f"indicators[{i}].value", _FIX)
