"""Renew: next year's draft from last year's table (pure: `Table` -> `Table`, no I/O).

- The budget year moves on, and with it the years written in 项目名称, 年度总体目标, the 三级 wording and the
  指标值: "2024年12月底" -> "2025年12月底", "2024 年度" -> "2025 年度", "2024-12-31" -> "2025-12-31". Only real
  years move: a four-digit year from the year before to the year after the old budget year, followed by
  年 or in a date. "12024", amounts (2024元), document numbers (〔2020〕26号), other years (2019年文件) and year
  ranges (2024—2026年, a multi-year project's period) stay as written.
- Amounts and other numbers are kept, but marked for review: the optional `review` note
  "沿用上年数值，请核实" on `[funding]`, on each indicator whose wording or value holds a number other than a
  date, and on `[project]` when the goal does. `check` shows the notes (rule `review-mark`).
- `[source]` records the prior file: its name and its source table number (1 if it has none).
"""

from __future__ import annotations

import copy
import re
import unicodedata

from .model import Source, Table
from .years import DIGITS as _DIGITS, YEAR as _YEAR, shift_years

REVIEW_NOTE = "沿用上年数值，请核实"

# Dates are not "numbers carried over": they move with the year. What is left is checked for digits.
_DATE = re.compile(
    rf"{_YEAR}\s*年(?:\s*[{_DIGITS}]{{1,2}}\s*月(?:\s*[{_DIGITS}]{{1,2}}\s*[日号])?|度|底|初|末)?"
    rf"|{_YEAR}[-/.．][{_DIGITS}]{{1,2}}[-/.．][{_DIGITS}]{{1,2}}"
)


def has_number(text: str) -> bool:
    """Whether the text holds a number other than a date (60人, 100%, 2556元/人/月, 12个月; not 2025年12月底)."""
    rest = _DATE.sub("", text or "")
    return any(ch.isdigit() for ch in unicodedata.normalize("NFKC", rest))


def renew(table: Table, year: int, *, document: str = "") -> Table:
    """Next year's draft of `table` for budget year `year`; `document` is the prior file's name.

    Raises ValueError when the table has no year (a loaded file always has one).
    """
    old = table.project.year
    if old is None:
        raise ValueError("the prior table has no budget year")
    new = copy.deepcopy(table)
    p = new.project
    p.year = year
    p.name = shift_years(p.name, old, year)
    p.goal = shift_years(p.goal, old, year)
    if has_number(p.goal):
        p.review = p.review or REVIEW_NOTE
    new.funding.review = new.funding.review or REVIEW_NOTE
    for ind in new.indicators:
        ind.name = shift_years(ind.name, old, year)
        ind.value = shift_years(ind.value, old, year)
        if has_number(ind.name) or has_number(ind.value):
            ind.review = ind.review or REVIEW_NOTE
    prior_table = table.source.table if table.source is not None else 1
    new.source = Source(document, prior_table)
    return new
