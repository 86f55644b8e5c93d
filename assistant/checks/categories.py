"""Categories: required-category (error/warning), level-mismatch (error), category-mismatch (info).

Which categories are required, and under which 一级 a 二级 may stand, is data (knowledge/framework.toml).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..framework import Requirement
from .base import Context, Finding, Row, clip


def _meets(ctx: Context, requirement: Requirement, row: Row) -> bool:
    if row.canonical2 is not None and row.canonical2 in requirement.level2:
        return True
    if requirement.level1:
        if row.canonical2 is not None:
            # By the 二级: a benefit row meets "效益" even if its 一级 was misfiled (level-mismatch says so).
            return requirement.level1 in ctx.framework.level2[row.canonical2].level1
        return ctx.framework.match_level1(row.level1) == requirement.level1
    return False


def check_required_categories(ctx: Context) -> Iterator[Finding]:
    """required-category: each requirement of the profile needs at least one row."""
    fw = ctx.framework
    for req in fw.requirements(ctx.profile):
        if any(_meets(ctx, req, row) for row in ctx.rows):
            continue
        if req.level2:
            message = f"缺少必填的二级指标「{req.label}」。"
            example = req.level2[0]
            fix = f"增加一条「{example}」指标。{ctx.hint(example)}"
        else:
            message = f"缺少一级指标「{req.label}」下的指标。"
            options = [name for name, spec in fw.level2.items() if req.level1 in spec.level1]
            fix = f"在「{req.level1}」下至少增加一条指标（{'、'.join(options)}）。{ctx.hint(options[0]) if options else ''}"
        yield Finding(req.severity, "required-category", message, "indicators", fix)


def check_level_mismatch(ctx: Context) -> Iterator[Finding]:
    """level-mismatch: a 二级 that is blank, unknown, written differently, or not under its 一级."""
    fw = ctx.framework
    for row in ctx.rows:
        where = row.where("level2")
        if not row.level2:
            yield Finding(
                "error", "level-mismatch", f"第{row.number}条指标没有选择二级指标。", where,
                f"从分类框架中选择二级指标：{'、'.join(fw.level2)}。",
            )
        elif row.canonical2 is None:
            yield Finding(
                "error", "level-mismatch", f"二级指标「{clip(row.level2)}」不在分类框架中。", where,
                f"改为分类框架中的二级指标：{'、'.join(fw.level2)}。",
            )
        elif row.canonical2 != row.level2:
            yield Finding(
                "error", "level-mismatch", f"二级指标「{clip(row.level2)}」应写为「{row.canonical2}」。", where,
                f"改为「{row.canonical2}」（不带「（必填）」等标记）。",
            )
        elif not fw.allows(row.level1, row.canonical2):
            allowed = "、".join(fw.level2[row.canonical2].level1)
            yield Finding(
                "error", "level-mismatch", f"二级指标「{row.canonical2}」不属于一级指标「{clip(row.level1)}」（应在：{allowed}）。",
                where, f"把一级指标改为「{fw.level1_for(row.canonical2)}」，或改选与内容相符的二级指标。",
            )


def check_category_mismatch(ctx: Context) -> Iterator[Finding]:
    """category-mismatch: a rate under a quantity 二级, or an output rate (发放率) under a benefit 二级."""
    settings = ctx.settings
    quality = ctx.first_level2("quality")
    for row in ctx.rows:
        if not row.name_key:
            continue
        if row.kind == "quantity":
            is_rate = row.name_key.endswith(tuple(settings.rate_name_suffixes)) or row.value_key.endswith("%")
        elif row.kind == "benefit":
            is_rate = row.name_key.endswith(tuple(settings.output_rate_suffixes))
        else:
            continue
        if is_rate:
            yield Finding(
                "info", "category-mismatch", f"「{clip(row.name)}」看起来属于{quality}。", row.where("level2"),
                f"比率类指标一般放在「{quality}」下；数量指标填写数量和单位，如「60人」。",
            )
