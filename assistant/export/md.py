"""The table as Markdown a person can paste into a report: the form's fields, then its indicator block.

Markdown has no merged cells, so a 一级/二级 label is written on the first row of its block only and the
rows below leave it empty, as the published form reads. Several tables follow one another.
"""

from __future__ import annotations

from ..model import Table
from . import (
    FUNDING_LABEL,
    FUNDING_ROWS,
    INDICATOR_HEADER,
    TITLE,
    department_text,
    format_amount,
    spans,
    year_line,
)

# Markdown specials, plus what would let a cell become HTML or a link when the document is rendered
# (`<img onerror=…>`, `[x](javascript:…)`): a table from a shared corpus is untrusted text.
_ESCAPE = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)


def cell(text: str) -> str:
    """Cell text safe inside a Markdown table row: escaped, line breaks as <br>."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "<br>".join(line.strip().translate(_ESCAPE) for line in lines)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def table_markdown(table: Table) -> str:
    p = table.project
    out = [f"## {TITLE}", ""]
    if year := year_line(table):
        out += [year, ""]
    out += [
        _row("项目名称", cell(p.name)),
        _row("---", "---"),
        _row("主管部门及代码", cell(department_text(table))),
        _row("实施单位", cell(p.implementing_unit)),
        _row("项目属性", cell(p.attribute)),
        _row("项目期", cell(p.period)),
    ]
    for i, (key, label) in enumerate(FUNDING_ROWS):
        out.append(_row(FUNDING_LABEL if i == 0 else "", f"{label}：{format_amount(getattr(table.funding, key))}"))
    out += [_row("年度总体目标", cell(p.goal)), ""]

    header = INDICATOR_HEADER[1:]  # 一级 二级 三级 指标值: the "名称 / 绩效指标" caption column says nothing here
    out += [_row(*header), _row(*["---"] * len(header))]
    first1 = {s.start for s in spans(table.indicators, 1)}
    first2 = {s.start for s in spans(table.indicators, 2)}
    for i, ind in enumerate(table.indicators):
        out.append(
            _row(
                cell(ind.level1) if i in first1 else "",
                cell(ind.level2) if i in first2 else "",
                cell(ind.name),
                cell(ind.value),
            )
        )
    return "\n".join(out) + "\n"


def markdown(tables: list[Table]) -> str:
    """One or more tables as one Markdown document (a blank line between tables)."""
    return "\n".join(table_markdown(t) for t in tables)
