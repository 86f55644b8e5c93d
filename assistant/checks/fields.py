"""Header fields: required-field (error / warning / info by profile), year-mismatch (warning), period-malformed (warning).

DOMAIN §4: 项目名称, 主管部门 and 年度总体目标 blank are errors on every form; 实施单位, 项目属性 and 项目期 blank take
the severity the profile gives them (error on the seed template whose form has them; warning on the national
form; a hint on older forms that have no such lines). 项目期 must read as a length or a span (`period-malformed`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..values import parse_project_period, years_in
from .base import PROJECT_FIELDS, Context, Finding, clip, text

# The header fields a reviewer returns a table for when blank (DOMAIN §4), with what to write.
REQUIRED_FIELDS = {
    "name": "按「预算年度 + 项目内容」填写，如「{year}年村委会办公经费」。",
    "department": "填写主管部门的全称，如「平罗县头闸镇人民政府」。",
    "implementing_unit": "填写具体实施项目的单位；部门自己实施的，写「……本级」。",
    "attribute": "按本地预算系统的项目属性填写，如「0101-一年期项目」。",
    "period": "填写项目实施期，一年期项目写「1年」。",
    "goal": "用一段话写明本年度做什么、做到什么程度、达到什么效果；绩效指标是对它的细化和量化。",
}


# What to write on forms other than the seed's (no coded Ningxia 项目属性 there).
_OTHER_FORMS = {
    "attribute": "按本地预算系统或表式填写项目属性，如「延续项目」「新增项目」「一次性项目」。",
}
# Fields some published forms do not have: their severity comes from the profile.
_BY_FORM = ("implementing_unit", "attribute", "period")


def check_required_fields(ctx: Context) -> Iterator[Finding]:
    """required-field: a blank 项目名称, 主管部门, 实施单位, 项目属性, 项目期 or 年度总体目标 (and no year)."""
    project = ctx.table.project
    if ctx.year is None:
        yield Finding("error", "required-field", f"「{PROJECT_FIELDS['year']}」未填写。", "project.year", "填写预算年度，如「2025」。")
    example_year = ctx.year or "2025"
    profile = ctx.profile_spec
    for key, fix in REQUIRED_FIELDS.items():
        if not text(getattr(project, key, "")):
            severity = profile.field_severity(key) if key in _BY_FORM else "error"
            if severity != "error":
                # Not the seed's form: no Ningxia example, and the line may not exist on this form at all.
                fix = _OTHER_FORMS.get(key, fix) + "所用表式没有这一栏的，可不填。"
            yield Finding(
                severity,
                "required-field",
                f"「{PROJECT_FIELDS[key]}」未填写。",
                f"project.{key}",
                fix.format(year=example_year),
            )


def check_year_mismatch(ctx: Context) -> Iterator[Finding]:
    """year-mismatch: a "20xx年" in the name, or in a goal that never names the budget year, ≠ project.year.

    A goal may look back ("巩固2023年成果") beside this year's work; only a goal that names other
    years alone is likely copied from another year.
    """
    year = ctx.year
    if year is None:
        return
    for key in ("name", "goal"):
        years = years_in(text(getattr(ctx.table.project, key, "")))
        if key == "goal" and year in years:
            continue
        other = next((y for y in years if y != year), None)
        if other is not None:
            label = PROJECT_FIELDS[key]
            yield Finding(
                "warning",
                "year-mismatch",
                f"{label}中的年份{other}与预算年度{year}不一致。",
                f"project.{key}",
                f"把{label}中的年份改为{year}年；如果预算年度填错了，改正预算年度。",
            )


def check_period_malformed(ctx: Context) -> Iterator[Finding]:
    """period-malformed: a 项目期 that is not N年, YYYY年, YYYY-YYYY or a month range ("20246-202516")."""
    period = text(getattr(ctx.table.project, "period", ""))
    if period and parse_project_period(period) is None:
        year = ctx.year or 2025
        yield Finding(
            "warning", "period-malformed", f"项目期「{clip(period, 40)}」无法识别。", "project.period",
            f"一年期项目写「1年」；跨年度的写起止年份或年月，如「{year}-{year + 2}」「{year}年1月-{year}年12月」。",
        )
