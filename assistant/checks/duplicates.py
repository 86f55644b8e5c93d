"""duplicate-indicator: the same 三级 twice in one 二级 (warning) or in two 二级 (info).

A 三级 under both a quantity and a cost 二级 is the usual pairing of a count with its unit cost
(表4: 组织开展主题党员活动 → 12次 and 350元/次), not a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context, Finding, clip

_PAIRED_KINDS = frozenset({"quantity", "cost"})


def check_duplicates(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, list] = {}
    for row in ctx.rows:
        if not row.name_key:
            continue
        earlier = seen.setdefault(row.name_key, [])
        level2 = row.canonical2 or row.level2
        if any((e.canonical2 or e.level2) == level2 for e in earlier):
            yield Finding(
                "warning", "duplicate-indicator", f"三级指标「{clip(row.name)}」在「{level2}」中重复出现。", row.where("name"),
                "删除重复的一条，或把两条改写成不同的考核内容。",
            )
        else:
            other = next((e for e in earlier if {e.kind, row.kind} != _PAIRED_KINDS), None)
            if other is not None:
                first = other.canonical2 or other.level2
                yield Finding(
                    "info", "duplicate-indicator",
                    f"三级指标「{clip(row.name)}」同时出现在「{first}」和「{level2}」中，请确认是否重复。", row.where("name"),
                    "同一内容只在最合适的二级指标下保留一条。",
                )
        earlier.append(row)
