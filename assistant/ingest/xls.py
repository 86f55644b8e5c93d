"""Old binary Excel workbooks (.xls, also WPS .et saved as xls) -> grids, through xlrd.

xlrd reads merged ranges only with `formatting_info=True`; a range's text stays in its top-left cell, as in
.xlsx. Numbers are shown as a person sees them (no float noise; dates as 2024年12月31日).
"""

from __future__ import annotations

import datetime as dt

from .grid import Cell, Row, Sheet
from .reader import fill_gaps
from .xlsx import MAX_SHEETS, cell_text


def read_xls(data: bytes) -> tuple[list[Sheet], str | None]:
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        except NotImplementedError:  # formatting_info is not supported for some BIFF versions
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds for a damaged file
        if "encrypt" in str(exc).lower():
            return [], "文件已加密（设置了打开密码），jixiao 无法读取：请在 Excel 或 WPS 中取消密码后另存，再导入。"
        return [], "无法作为旧版 Excel 工作簿（.xls）读取，文件可能已损坏；可在 Excel 或 WPS 中「另存为」.xlsx 后再导入。"
    sheets = []
    try:
        for index in range(min(book.nsheets, MAX_SHEETS)):
            ws = book.sheet_by_index(index)
            if getattr(ws, "visibility", 0):
                continue
            sheets.append(Sheet(_rows(ws, book.datemode), f"工作表「{ws.name}」"))
            book.unload_sheet(index)
    except Exception:  # noqa: BLE001
        return [], "无法作为旧版 Excel 工作簿（.xls）读取，文件可能已损坏；可在 Excel 或 WPS 中「另存为」.xlsx 后再导入。"
    finally:
        book.release_resources()
    if not sheets:
        return [], "工作簿中没有工作表。"
    return sheets, None


def _rows(ws, datemode: int) -> list[Row]:
    import xlrd

    spans = {(r0, c0): (r1 - r0, c1 - c0) for r0, r1, c0, c1 in getattr(ws, "merged_cells", [])}
    rows = []
    for r in range(ws.nrows):
        found = []
        for c in range(ws.ncols):
            cell = ws.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value: object = dt.datetime(*xlrd.xldate_as_tuple(cell.value, datemode))
                except Exception:  # noqa: BLE001
                    value = cell.value
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                value = int(cell.value) if float(cell.value).is_integer() else cell.value
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_TEXT,):
                value = cell.value
            else:
                continue
            text = cell_text(value)
            if text:
                rowspan, colspan = spans.get((r, c), (1, 1))
                found.append(Cell(c, text, rowspan, colspan))
        if found:
            rows.append(Row(r + 1, tuple(found)))
    return fill_gaps(rows)
