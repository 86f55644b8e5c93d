"""goal-indicator-mismatch (a): the 年度总体目标 does not mention the project's subject (warning: issue 14).

Meaning cannot be checked; this only catches a goal that shares almost nothing with the project name,
the usual sign of a goal copied from another project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..values import normalize
from ..years import without_year
from .base import Context, Finding, clip, text

_NOT_WORD = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


@lru_cache(maxsize=8)
def _suffix_regex(suffixes: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile(rf"(?:{'|'.join(suffixes)})$") if suffixes else None


def project_core(name: str, suffixes: tuple[str, ...]) -> str:
    """The subject of a project name: "2024年村委会办公经费" -> "村委会办公" (a place before the year goes too); trailing 经费/资金/补助资金 go."""
    core = without_year(normalize(name))
    pattern = _suffix_regex(suffixes)
    while pattern is not None:
        shorter = pattern.sub("", core)
        if shorter == core or len(shorter) < 2:
            break
        core = shorter
    return core


def bigrams(value: str) -> set[str]:
    letters = _NOT_WORD.sub("", value)
    return {letters[i : i + 2] for i in range(len(letters) - 1)}


def check_goal_mentions_project(ctx: Context) -> Iterator[Finding]:
    name = text(getattr(ctx.table.project, "name", ""))
    goal = text(getattr(ctx.table.project, "goal", ""))
    if not name or not goal:
        return  # required-field
    core = project_core(name, tuple(ctx.settings.goal_core_suffixes))
    pieces = bigrams(core)
    if not pieces:
        return
    goal_letters = _NOT_WORD.sub("", normalize(goal))
    found = sum(1 for piece in pieces if piece in goal_letters)
    if found / len(pieces) < ctx.settings.goal_min_overlap:
        yield Finding(
            "warning", "goal-indicator-mismatch", f"年度总体目标未体现「{clip(core, 40)}」，请核对是否照搬其他项目。", "project.goal",
            "在年度总体目标中写明本项目做什么、为谁做、达到什么效果，并与绩效指标对应。",
        )
