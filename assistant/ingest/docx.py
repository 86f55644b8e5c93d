"""Word documents (.docx) -> grids, through python-docx: paragraphs outside tables become one-cell rows (the
title, the year line, 单位：万元), each table's rows become rows of cells in document order.

Merged cells are read from the table XML itself: `gridSpan` widens a cell (its column index counts the grid),
and a `vMerge` continuation cell is covered by the cell above, so it is left out, as Excel leaves a merged
range's other cells empty.
"""

from __future__ import annotations

import io
import zipfile

from .grid import Cell, Row, Sheet
from .reader import fill_gaps, page_text_kept

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> tuple[list[Sheet], str | None]:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zip, XML and python-docx errors: the file is not usable
        why = "不是完整的压缩包，可能在下载或复制时被截断" if isinstance(exc, zipfile.BadZipFile) else "内容不符合 .docx 的格式"
        return [], f"无法作为 Word 文档（.docx）读取，文件可能已损坏或不是 .docx（{why}）。"
    rows: list[Row] = []
    line = 0
    body = document.element.body
    has_tables = body.find(f"{_W}tbl") is not None
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            text = _text(child)
            if text and has_tables and not page_text_kept(text):
                line += 1
                continue  # a note or letter text around the tables, not part of a form
            if text:
                line += 1
                rows.append(Row(line, (Cell(0, text),)))
        elif child.tag == f"{_W}tbl":
            table_rows = []
            for tr in child.iter(f"{_W}tr"):
                line += 1
                cells = []
                col = 0
                for tc in tr.findall(f"{_W}tc"):
                    props = tc.find(f"{_W}tcPr")
                    span = 1
                    covered = False
                    if props is not None:
                        grid = props.find(f"{_W}gridSpan")
                        if grid is not None:
                            span = int(grid.get(f"{_W}val", "1") or 1)
                        vmerge = props.find(f"{_W}vMerge")
                        if vmerge is not None and vmerge.get(f"{_W}val", "continue") != "restart":
                            covered = True
                    text = "\n".join(t for p in tc.findall(f"{_W}p") if (t := _text(p)))
                    if text and not covered:
                        cells.append(Cell(col, text, 1, span))
                    col += span
                if cells:
                    table_rows.append(Row(line, tuple(cells)))
            rows.extend(fill_gaps(table_rows))
    return ([Sheet(rows)] if rows else []), None


def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{_W}t")).strip()
