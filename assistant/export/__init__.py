"""Export: a `Table` in the layout of the published 部门项目支出预算绩效目标表 (DOMAIN.md §1).

`xlsx.workbook_bytes(tables)` writes the official form with openpyxl (one sheet per table);
`md.markdown(tables)` the same table as Markdown for a report. What both share lives here: the form's
title and labels, how amounts are shown, and the 一级/二级 blocks that the form merges over their rows.
Core module: no Textual, no openpyxl at import time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from ..model import Indicator, Table
from ..values import format_wan

TITLE = "部门项目支出预算绩效目标表"
FUNDING_LABEL = "项目资金（万元）"
FUNDING_ROWS = (("total", "年度资金总额"), ("fiscal", "其中：财政拨款"), ("other", "其他资金"))
INDICATOR_HEADER = ("名称", "一级指标", "二级指标", "三级指标", "指标值")
INDICATOR_CAPTION = "绩效指标"
MAX_DECIMALS = 6  # amounts are 万元; 4 decimals is one 元, more is float noise


def year_line(table: Table) -> str:
    """"(2024年度)" as the published form prints it under the title; "" without a year."""
    year = table.project.year
    return f"({year}年度)" if year is not None else ""


def department_text(table: Table) -> str:
    """主管部门及代码 in one cell, as published: "平罗县头闸镇人民政府 049"."""
    p = table.project
    return " ".join(part for part in (p.department.strip(), p.department_code.strip()) if part)


def amount_decimals(value: float) -> int:
    """Decimals to show an amount with: at least two, as many as the value has (184.032 -> 3, 36.0 -> 2)."""
    if not math.isfinite(value):
        return 2
    text = format(Decimal(repr(round(value, MAX_DECIMALS))), "f")
    frac = text.partition(".")[2].rstrip("0")
    return max(2, len(frac))


def format_amount(value: float) -> str:
    """"36.00", "184.032", "16.7076"; non-finite amounts (only in hand-broken files) as written."""
    return format_wan(value, MAX_DECIMALS)


def number_format(value: float) -> str:
    """The Excel number format for an amount: "0.00", "0.000", "0.0000"."""
    return "0." + "0" * amount_decimals(value)


@dataclass(frozen=True)
class Span:
    """A run of consecutive indicator rows sharing a label: rows [start, stop) of the indicator list."""

    text: str
    start: int
    stop: int


def spans(indicators: list[Indicator], level: int) -> list[Span]:
    """The 一级 (level 1) or 二级 (level 2) blocks the form merges: consecutive rows with the same label.

    A 二级 block never crosses a 一级 boundary, so the same 二级 under two 一级 stays two blocks.
    """
    out: list[Span] = []
    for i, ind in enumerate(indicators):
        if out and _key(indicators[out[-1].start], level) == _key(ind, level):
            out[-1] = Span(out[-1].text, out[-1].start, i + 1)
        else:
            out.append(Span(ind.level1 if level == 1 else ind.level2, i, i + 1))
    return out


def _key(ind: Indicator, level: int) -> tuple[str, ...]:
    return (ind.level1,) if level == 1 else (ind.level1, ind.level2)


# ------------------------------------------------------------------------------------- sheet names
_SHEET_FORBIDDEN = str.maketrans({"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Characters XML 1.0 cannot hold at all, beyond the control characters openpyxl already refuses: written into a
# sheet they make a workbook that neither Excel nor jixiao ingest can open.
NOT_XML = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
SHEET_MAX = 31  # Excel's limit, counted in UTF-16 code units


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clip_utf16(text: str, limit: int) -> str:
    out = ""
    for ch in text:
        if _utf16_len(out + ch) > limit:
            break
        out += ch
    return out


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names from project names, in order.

    Forbidden characters []:*?/\\ become their full-width forms (they still read the same), control
    characters go, at most 31 characters, no leading or trailing apostrophe, not "History"; a repeated
    name gets "(2)", "(3)" … (Excel compares sheet names without regard to case).
    """
    out: list[str] = []
    taken: set[str] = set()
    for i, name in enumerate(names, 1):
        base = _CONTROL.sub("", name.translate(_SHEET_FORBIDDEN)).strip().strip("'").strip()
        base = _clip_utf16(base, SHEET_MAX).strip().strip("'").strip() or f"表{i}"
        if base.casefold() == "history":
            base = f"{base}(1)"
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f"({n})"
            candidate = _clip_utf16(base, SHEET_MAX - len(suffix)).rstrip().rstrip("'") + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out
