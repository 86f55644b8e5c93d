"""Chinese labels of the table's fields by key path: the one list checks, drafting and the palette share."""

from __future__ import annotations

# SPEC section 1 order, which is also the order findings are sorted in.
PROJECT_FIELDS = {
    "name": "项目名称",
    "year": "预算年度",
    "department": "主管部门",
    "department_code": "主管部门代码",
    "implementing_unit": "实施单位",
    "attribute": "项目属性",
    "period": "项目期",
    "goal": "年度总体目标",
}
FUNDING_FIELDS = {"total": "年度资金总额", "fiscal": "财政拨款", "other": "其他资金"}
INDICATOR_FIELDS = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标名称", "value": "指标值"}


def label(path: str) -> str:
    """"project.department_code" -> "主管部门代码"; the path itself when it names no field."""
    head, _, tail = path.partition(".")
    labels = {"project": PROJECT_FIELDS, "funding": FUNDING_FIELDS}.get(head, {})
    return labels.get(tail, path)
