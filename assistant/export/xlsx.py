"""The official form as an Excel workbook (openpyxl), one sheet per table, laid out as published.

Five columns, as the published table (DOMAIN.md §1):

    A            B              C            D           E
    部门项目支出预算绩效目标表                                      (title, merged A:E)
    (2024年度)                                                      (merged A:E)
    项目名称      <name, merged B:E>
    主管部门及代码 <department code, B:C>       实施单位     <unit>
    项目属性      <attribute, B:C>              项目期       <period>
    项目资金（万元）年度资金总额 (B:C)           <amount, D:E>         (A merged over the three rows)
                  其中：财政拨款               <amount>
                  其他资金                     <amount>
    年度总体目标   <goal, merged B:E>
    名称          一级指标       二级指标      三级指标     指标值
    绩效指标      <一级, merged  <二级, merged <三级>       <指标值>
    (merged down)  over block>   over block>

Amounts are numbers with two or more decimals, as many as the value has. A CJK font (宋体), thin borders,
wrapped text, row heights that fit the text, A4 portrait fitted to the page width, the indicator header
repeated on every printed page. openpyxl is imported by the functions, never at module import.
"""

from __future__ import annotations

import io
import math
import unicodedata
from typing import TYPE_CHECKING

from ..model import Table
from . import (
    FUNDING_LABEL,
    FUNDING_ROWS,
    INDICATOR_CAPTION,
    INDICATOR_HEADER,
    NOT_XML,
    TITLE,
    department_text,
    number_format,
    sheet_names,
    spans,
    year_line,
)

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"  # SimSun: what the published forms use; Excel and WPS have it, LibreOffice maps it to a CJK serif
FONT_SIZE = 11
TITLE_SIZE = 16
# Column widths in Excel character units (one "0" of the default font; a 汉字 of 宋体 11pt is about two).
WIDTHS = {"A": 13.0, "B": 13.0, "C": 21.0, "D": 32.0, "E": 23.0}
LINE_POINTS = 15.0  # one line of 11pt text
PAD_POINTS = 6.0
MIN_ROW = 22.0
FIRST_INDICATOR_ROW = 11  # rows 1–10 are the title, the header fields and the indicator header

# Rows of the fixed part (1-based).
R_TITLE, R_YEAR, R_NAME, R_DEPT, R_ATTR = 1, 2, 3, 4, 5
R_FUNDING = 6  # 6, 7, 8
R_GOAL, R_HEADER = 9, 10


def workbook_bytes(tables: list[Table]) -> bytes:
    """The .xlsx file for these tables: one sheet each, in order, named after the projects."""
    buffer = io.BytesIO()
    build_workbook(tables).save(buffer)
    return buffer.getvalue()


def build_workbook(tables: list[Table]) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table, name in zip(tables, sheet_names([t.project.name for t in tables])):
        fill_sheet(wb.create_sheet(title=name), table)
    wb.properties.creator = "jixiao"
    wb.properties.title = TITLE
    return wb


def fill_sheet(ws: Worksheet, table: Table) -> None:
    """Write one table onto an empty sheet in the published layout."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=FONT_SIZE, charset=134)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, charset=134)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)

    p = table.project
    heights: dict[int, float] = {}

    def put(ref: str, value, *, align=left, font=body, merge_to: str | None = None) -> None:
        if isinstance(value, str):  # control characters are not allowed in a sheet; "" is an empty cell
            value = NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value)) or None
        ws[ref] = value
        if isinstance(value, str) and value.startswith("="):
            ws[ref].data_type = "s"  # "=10个" is a value as typed, not a formula
        ws[ref].font = font
        ws[ref].alignment = align
        if merge_to:
            ws.merge_cells(f"{ref}:{merge_to}")

    # Title and year line: no border, as printed above the table.
    put("A1", TITLE, align=Alignment(horizontal="center", vertical="center"), font=Font(
        name=FONT_NAME, size=TITLE_SIZE, bold=True, charset=134), merge_to="E1")
    heights[R_TITLE] = 32.0
    put("A2", year_line(table), align=Alignment(horizontal="center", vertical="center"), merge_to="E2")
    heights[R_YEAR] = 20.0

    put(f"A{R_NAME}", "项目名称", align=centre)
    put(f"B{R_NAME}", p.name, merge_to=f"E{R_NAME}")
    put(f"A{R_DEPT}", "主管部门及代码", align=centre)
    put(f"B{R_DEPT}", department_text(table), merge_to=f"C{R_DEPT}")
    put(f"D{R_DEPT}", "实施单位", align=centre)
    put(f"E{R_DEPT}", p.implementing_unit)
    put(f"A{R_ATTR}", "项目属性", align=centre)
    put(f"B{R_ATTR}", p.attribute, merge_to=f"C{R_ATTR}")
    put(f"D{R_ATTR}", "项目期", align=centre)
    put(f"E{R_ATTR}", p.period)

    put(f"A{R_FUNDING}", FUNDING_LABEL, align=centre, merge_to=f"A{R_FUNDING + 2}")
    for offset, (key, label) in enumerate(FUNDING_ROWS):
        row = R_FUNDING + offset
        put(f"B{row}", label, align=centre, merge_to=f"C{row}")
        amount = float(getattr(table.funding, key))
        put(f"D{row}", amount if math.isfinite(amount) else str(amount), align=centre, merge_to=f"E{row}")
        ws[f"D{row}"].number_format = number_format(amount)

    put(f"A{R_GOAL}", "年度总体目标", align=centre)
    put(f"B{R_GOAL}", p.goal, merge_to=f"E{R_GOAL}")

    for col, label in zip("ABCDE", INDICATOR_HEADER):
        put(f"{col}{R_HEADER}", label, align=centre, font=bold)

    indicators = table.indicators
    first, last = FIRST_INDICATOR_ROW, FIRST_INDICATOR_ROW + len(indicators) - 1
    for i, ind in enumerate(indicators):
        row = first + i
        put(f"D{row}", ind.name)
        put(f"E{row}", ind.value, align=centre)
    if indicators:
        put(f"A{first}", INDICATOR_CAPTION, align=centre, merge_to=f"A{last}" if last > first else None)
        for level, col in ((1, "B"), (2, "C")):
            for span in spans(indicators, level):
                top, bottom = first + span.start, first + span.stop - 1
                put(f"{col}{top}", span.text, align=centre, merge_to=f"{col}{bottom}" if bottom > top else None)
    end = max(last, R_HEADER)

    # Borders on every cell of the table (merged cells draw the outline from their parts).
    for row in ws.iter_rows(min_row=R_NAME, max_row=end, min_col=1, max_col=5):
        for c in row:
            c.border = border
            if c.value is None:
                c.font = body

    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    _fit_rows(ws, heights, end)

    # Print: A4 portrait, one page wide, centred, the indicator header repeated on each page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{R_HEADER}:{R_HEADER}"
    ws.print_area = f"A1:E{end}"
    ws.sheet_view.showGridLines = False


# --------------------------------------------------------------------------------------- row heights
def text_width(text: str) -> float:
    """Display width in Excel character units: a 汉字 or full-width sign is about two, ASCII about one."""
    return sum(2.05 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    usable = max(width - 2.0, 1.0)  # cell padding and indent
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def _fit_rows(ws: Worksheet, heights: dict[int, float], end: int) -> None:
    """Explicit row heights: neither Excel nor LibreOffice grows a row for wrapped text in merged cells."""
    from openpyxl.utils import get_column_letter

    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng
    tall: list[tuple[int, int, float]] = []  # (top, bottom, points) for cells spanning several rows
    for row in range(R_NAME, end + 1):
        need = MIN_ROW
        for col in range(1, 6):
            value = ws.cell(row, col).value
            if value is None or isinstance(value, (int, float)):
                continue
            rng = merged.get((row, col))
            cols = range(col, rng.max_col + 1) if rng else range(col, col + 1)
            width = sum(ws.column_dimensions[get_column_letter(c)].width or WIDTHS["A"] for c in cols)
            points = lines_needed(value, width) * LINE_POINTS + PAD_POINTS
            if rng and rng.max_row > rng.min_row:
                tall.append((rng.min_row, rng.max_row, points))
            else:
                need = max(need, points)
        heights[row] = need
    for top, bottom, points in tall:
        have = sum(heights[r] for r in range(top, bottom + 1))
        if have < points:
            heights[bottom] += points - have
    for row, points in heights.items():
        ws.row_dimensions[row].height = points
