"""Excel workbooks (.xlsx) -> grids, through openpyxl: one `Sheet` per visible worksheet.

Each non-empty cell becomes `Cell(column, text, rowspan, colspan)` on `Row(sheet row, …)`. A merged range's
text belongs to its top-left cell only (openpyxl leaves the other cells empty), which is exactly the shape of
the published form where 一级/二级 stand on the first row of their block. `fill_gaps` (reader) marks an empty
指标值 beside a 三级 as really empty. Cell values are shown as a person sees them (`cell_text`).

Anything wrong with the file (not a zip, a truncated archive, no sheets) is a Chinese message, never raised.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from decimal import Decimal, InvalidOperation

from .grid import Cell, Row, Sheet
from .reader import fill_gaps

_QUOTED_SUFFIX = re.compile(r'"([^"]*)"\s*$')


MAX_SHEETS = 200  # a workbook with more sheets is read up to here, with a problem saying so


def read_xlsx(data: bytes) -> tuple[list[Sheet], str | None]:
    """A workbook's visible sheets as grids, or (no sheets, why not)."""
    try:
        sheets = _read_sheets(data)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike: the file is not usable
        return [], f"无法作为 Excel 工作簿（.xlsx）读取，文件可能已损坏或不是 .xlsx（{_damage(exc)}）。"
    if not sheets:
        return [], "工作簿中没有工作表。"
    return [Sheet(rows, f"工作表「{title}」") for title, rows in sheets], None


def _damage(exc: Exception) -> str:
    """What is wrong with a workbook that cannot be opened, in words for the user (not an exception name)."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    if isinstance(exc, zipfile.BadZipFile):
        return "不是完整的 .xlsx 压缩包，可能在下载或复制时被截断"
    if isinstance(exc, (zlib.error, EOFError, NotImplementedError)) or "zip" in type(exc).__module__:
        return "压缩数据已损坏"
    if isinstance(exc, KeyError):
        return "缺少工作簿必需的组成部分"
    if isinstance(exc, ParseError) or type(exc).__name__ in ("XMLSyntaxError", "ExpatError"):
        return "其中的 XML 内容已损坏"
    if isinstance(exc, MemoryError):
        return "内容太大"
    return "内容不符合 .xlsx 的格式"


def _read_sheets(data: bytes) -> list[tuple[str, list[Row]]]:
    from openpyxl import load_workbook

    # Not read-only: merged ranges are only known to a fully loaded sheet. data_only: a formula's last value.
    # openpyxl warns about features it drops (data validation, print areas of missing sheets …): not the
    # user's concern here, and a warning on stderr would read like an error.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), data_only=True)
    try:
        return [(ws.title, rows_from_sheet(ws)) for ws in wb.worksheets[:MAX_SHEETS] if ws.sheet_state == "visible"]
    finally:
        wb.close()


def rows_from_sheet(ws) -> list[Row]:
    """A worksheet -> rows of non-empty cells (column = 0-based sheet column, line = sheet row); a merged
    range's text stays in its top-left cell, with the span it covers."""
    spans = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
    rows = []
    for cells in ws.iter_rows():
        found = []
        for c in cells:
            text = cell_text(c.value, c.number_format)
            if text:
                rowspan, colspan = spans.get((c.row, c.column), (1, 1))
                found.append(Cell(c.column - 1, text, rowspan, colspan))
        if found:
            rows.append(Row(cells[0].row, tuple(found)))
    return fill_gaps(rows)


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell's value as the text a person sees: numbers without float noise, percentages as "95%", dates
    as "2024年12月31日", a unit kept from a format such as 0"人"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, (int, float)):
        section = (number_format or "General").split(";")[0]
        if "%" in section.replace('"%"', ""):
            return _plain(value * 100) + "%"
        suffix = _QUOTED_SUFFIX.search(section)
        return _plain(value) + (suffix.group(1) if suffix else "")
    return str(value).strip()


def _plain(number: float) -> str:
    """A number in plain decimal notation, at most 15 significant digits (no 0.30000000000000004, no 1e+20)."""
    if isinstance(number, int):
        return str(number)
    try:
        text = format(Decimal(format(number, ".15g")), "f")
    except (InvalidOperation, ValueError):
        return str(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
