"""placeholder (error, DOMAIN §4): template placeholders left in a 三级 or 指标值.

Provincial templates ship rows such as "资产入股贫困人口总数(≥**人)" and mark core indicators with a leading
"*"; a table sent with them still in place is returned. What counts as a placeholder is data
(`[checks] placeholder_pattern`: "(≥**人)", "**", "××", "XX", "某某", a leading "*").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .base import Context, Finding, clip


@lru_cache(maxsize=8)
def _regex(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")  # linear: no nested repetition (cells may be hostile)
_LEADING_STAR = re.compile(r"^\*+")


def placeholders(ctx: Context, cell: str) -> list[str]:
    """The placeholders in a cell as written, in order, each once: a leading "*", "(≥**人)", "××"."""
    mark = _regex(ctx.settings.placeholder_pattern)
    cell = cell.strip()
    found: list[tuple[int, str]] = []
    star = _LEADING_STAR.match(cell)
    if star:
        found.append((0, star.group(0)))
    if mark is not None:
        spans = []
        for group in _BRACKETED.finditer(cell):
            if mark.search(group.group(0)):
                found.append((group.start(), group.group(0)))
                spans.append(group.span())
        for match in mark.finditer(cell):
            if not any(a <= match.start() < b for a, b in spans):
                found.append((match.start(), match.group(0)))
    out: list[str] = []
    for _, text in sorted(found, key=lambda pair: pair[0]):
        if text not in out:
            out.append(text)
    return out


def check_placeholders(ctx: Context) -> Iterator[Finding]:
    for row in ctx.rows:
        for field_name, cell in (("name", row.name), ("value", row.value)):
            found = placeholders(ctx, cell)
            if not found:
                continue
            shown = "」「".join(clip(x, 20) for x in found)
            label = row.name or row.value
            yield Finding(
                "error", "placeholder", f"「{clip(label)}」含有模板占位符「{shown}」，请替换为本项目的内容。",
                row.where(field_name),
                "删去模板中的「*」标记和括号里的「**」，把本项目的目标值填在指标值栏，如「资产入股贫困人口总数」→「≥1102人」。",
            )
