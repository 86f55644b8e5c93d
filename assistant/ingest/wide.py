"""The wide export of the 预算管理一体化系统: one row per indicator, many projects on one sheet.

Columns 单位名称 / 项目名称 / 预算数 / 年度目标 / 一级 / 二级 / 三级 / 指标性质 / 指标值 / 度量单位 / 权重 /
指标方向性 (names vary: knowledge/labels.toml). The project's fields stand only on its first row; the
following rows carry indicators only. Amounts are in 元 unless the header says 万元; unit codes such as
`820001-` before a name become the department code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..framework import Framework, default_framework
from ..model import Funding, Indicator, Project, Source, Table
from ..textnorm import fold_width, label_key, tidy
from ..values import parse_amount
from .grid import IngestResult, Parsed, Problem, Row
from .labels import canonical_levels, vocabulary

_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
_CODE_DASH = re.compile(
    r"^\s*(?:[\[【(（]([0-9A-Za-z]{3,})[\]】)）]|([0-9A-Za-z]{3,})\s*[-—－–_])\s*(?=[\u4e00-\u9fff])(.+)$"
)
_YEAR = re.compile(r"(20\d\d)\s*年")
_HEADER_SCAN = 15  # the header row is among a sheet's first rows


def _columns(row: Row) -> dict[int, str] | None:
    """A wide header row -> {column: role or field kind}, or None if the row is not one."""
    voc = vocabulary()
    out: dict[int, str] = {}
    for cell in row.cells:
        if label_key(cell.text) in ("年度", "预算年度", "年份", "项目年度"):
            out[cell.col] = "year"  # in an export's header 年度 is the budget year's column, not a goal
            continue
        role = voc.column_role(cell.text)
        kind = voc.header_kind(_UNIT.sub("", fold_width(cell.text)))
        if role in ("level1", "level2", "name", "op", "value") or (role == "unit" and kind is None):
            out[cell.col] = "ind_" + role
        elif kind is not None:
            out[cell.col] = kind
        elif role == "skip":
            out[cell.col] = "ind_skip"
    kinds = set(out.values())
    if "name" in kinds and {"ind_name", "ind_value"} <= kinds and ("ind_level2" in kinds or "ind_level1" in kinds):
        return out
    return None


def is_wide(rows: list[Row]) -> bool:
    return any(_columns(row) for row in rows[:_HEADER_SCAN])


def _split_code(text: str) -> tuple[str, str]:
    m = _CODE_DASH.match(text)
    return (m.group(3).strip(), m.group(1) or m.group(2)) if m else (text, "")


def _value(op: str, value: str, unit: str) -> str:
    op = op.strip()
    if op in ("定性", "定量", "=", "＝", "等于"):
        op = ""
    op = {">=": "≥", "<=": "≤", "大于等于": "≥", "小于等于": "≤"}.get(op, op)
    text = tidy(value)
    if unit and not text.endswith(unit):
        text += unit
    return op + text if text else ""


def parse_wide(
    rows: Iterable[Row], document: str = "", framework: Framework | None = None, *, first_ordinal: int = 0
) -> IngestResult:
    fw = framework or default_framework()
    result = IngestResult()
    rows = list(rows)
    header_at = next(i for i, row in enumerate(rows[:_HEADER_SCAN]) if _columns(row))
    columns = _columns(rows[header_at]) or {}
    money_unit = "元"
    for cell in rows[header_at].cells:
        if (m := _UNIT.search(fold_width(cell.text))) and columns.get(cell.col) in ("total", "fiscal", "other"):
            money_unit = m.group(1)
    title_year = None
    for row in rows[:header_at]:
        for cell in row.cells:
            if m := _YEAR.search(cell.text):
                title_year = int(m.group(1))
            if m := re.search(r"单位\s*[:：]\s*(万元|元)", cell.text):
                money_unit = m.group(1)
    current: dict | None = None
    ordinal = first_ordinal

    def finish() -> None:
        nonlocal ordinal
        if current is None:
            return
        table = _table(current, fw, document, ordinal + 1, money_unit, title_year, result.problems)
        if table is not None:
            ordinal += 1
            result.tables.append(Parsed(table, current["line"]))

    for row in rows[header_at + 1 :]:
        by = {columns[c.col]: tidy(c.text) for c in row.cells if c.col in columns}
        if not by:
            continue
        name = by.get("name", "")
        if name and (current is None or name != current["fields"].get("name")):
            finish()
            current = {"line": row.line, "fields": dict(by), "rows": []}
        elif current is None:
            result.problems.append(Problem(row.line, "这一行在任何项目之前，已忽略。"))
            continue
        else:
            for key, val in by.items():
                if not key.startswith("ind_") and val:
                    current["fields"].setdefault(key, val)
        if by.get("ind_name") or by.get("ind_value"):
            current["rows"].append((row.line, by))
    finish()
    return result


def _table(cur: dict, fw: Framework, document: str, number: int, unit: str, title_year, problems) -> Table | None:
    f = cur["fields"]
    name, _ = _split_code(f.get("name", ""))
    department, code = _split_code(f.get("department", ""))
    implementing, _ = _split_code(f.get("unit", ""))
    year = int(m.group(1)) if (m := re.match(r"^(20\d\d)年", name)) else title_year
    if (m := re.search(r"20\d\d", f.get("year", ""))) is not None:
        year = int(m.group(0))
    if year is None and (m := _YEAR.search(f.get("goal", "") + f.get("period", ""))):
        year = int(m.group(1))
    if year is None:
        problems.append(Problem(cur["line"], f"「{name}」找不到预算年度，已跳过。"))
        return None
    amounts = {}
    for kind in ("total", "fiscal", "other"):
        text = f.get(kind, "")
        amounts[kind] = parse_amount(text, unit) if text else None
        if text and amounts[kind] is None:
            problems.append(Problem(cur["line"], f"资金数额「{text[:30]}」不是数字，已忽略。"))
    total, fiscal, other = amounts["total"], amounts["fiscal"], amounts["other"]
    if total is None:
        total = (fiscal or 0.0) + (other or 0.0)
    if fiscal is None:
        fiscal = max(total - (other or 0.0), 0.0)
    if other is None:
        other = max(total - fiscal, 0.0)
    indicators = []
    level1 = level2 = ""
    for line, by in cur["rows"]:
        level1 = by.get("ind_level1") or level1
        level2 = by.get("ind_level2") or level2
        pair = canonical_levels(level1, level2, fw)
        if pair is None:
            problems.append(Problem(line, f"无法识别的二级指标「{level2}」，这一行已跳过。"))
            continue
        value = _value(by.get("ind_op", ""), by.get("ind_value", ""), by.get("ind_unit", ""))
        indicators.append(Indicator(pair[0], pair[1], by.get("ind_name", ""), value))
    project = Project(
        name=name,
        year=year,
        department=department,
        department_code=code,
        implementing_unit=implementing,
        attribute=f.get("attribute", ""),
        period=f.get("period", ""),
        goal=f.get("goal", "") or f.get("goal_long", ""),
    )
    funding = Funding(round(total, 6), round(fiscal, 6), round(other, 6))
    return Table(project, funding, indicators, Source(document, number))
