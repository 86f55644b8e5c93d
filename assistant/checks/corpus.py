"""Rules against the corpus (tables passed in; nothing is read here).

- goal-indicator-mismatch (b): the goal is word for word another project's goal (info).
- unchanged-from-prior: every indicator is as in the same project's table for an earlier year (info).
Results never depend on the corpus order: matches are sorted before they are named.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Table
from ..textnorm import bare_key
from ..values import normalize
from ..years import without_year
from .base import Context, Finding, clip, text


def project_identity(name: str) -> str:
    """The project across years: the name without its year prefix ("2024年村委会办公经费" -> "村委会办公经费")."""
    return without_year(normalize(name))


# The letters and digits of a text (NFKC, lower case): copies differ only in punctuation (表1 "，" vs 表15 ",").
words_only = bare_key  # textnorm is the home of every normal form


def _year(table: Table) -> int | None:
    year = getattr(table.project, "year", None)
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def check_goal_copied(ctx: Context) -> Iterator[Finding]:
    project = ctx.table.project
    goal = words_only(text(getattr(project, "goal", "")))
    if len(goal) < 10:  # a stub goal matching another stub says nothing
        return
    identity = project_identity(text(getattr(project, "name", "")))
    others = set()
    for other in ctx.corpus_tables:
        other_name = text(getattr(other.project, "name", ""))
        if project_identity(other_name) == identity:
            continue  # the same project (this table, or another year of it)
        if words_only(text(getattr(other.project, "goal", ""))) == goal:
            others.add(other_name)
    if others:
        names = "」「".join(clip(n, 40) for n in sorted(others))
        yield Finding(
            "info", "goal-indicator-mismatch", f"年度总体目标与「{names}」的年度总体目标相同，请核对是否照搬其他项目。",
            "project.goal", "按本项目的内容、对象和资金用途改写年度总体目标。",
        )


def _triples(table: Table) -> list[tuple[str, str, str]]:
    """(二级, 三级, 指标值), sorted; each table's own budget year reads "#" (renew moves "2024年12月底" on a year)."""
    year = _year(table)

    def key(value: object) -> str:
        norm = normalize(text(value))
        return norm.replace(str(year), "#") if year is not None else norm

    return sorted((key(i.level2), key(i.name), key(i.value)) for i in table.indicators or [])


def check_unchanged_from_prior(ctx: Context) -> Iterator[Finding]:
    year = ctx.year
    if year is None or not ctx.table.indicators:
        return
    identity = project_identity(text(getattr(ctx.table.project, "name", "")))
    if not identity:
        return
    mine = _triples(ctx.table)
    prior = sorted(
        {
            y
            for other in ctx.corpus_tables
            if (y := _year(other)) is not None and y < year
            and project_identity(text(getattr(other.project, "name", ""))) == identity
            and _triples(other) == mine
        }
    )
    if prior:
        yield Finding(
            "info", "unchanged-from-prior", f"全部绩效指标与{prior[-1]}年度相同，请根据本年度任务更新。", "indicators",
            "按本年度的任务、人数和资金调整指标值，删去已完成或不再适用的指标。",
        )
