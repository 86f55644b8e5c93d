"""Render tables into the formats users bring (the published form as xlsx with merged cells, .xls, .docx,
.html, PDF; the wide 一体化 export): written here, from the model, never through the reader under test.

One grid of the published form (`form_grid`) feeds every renderer, so each format carries the same cells and
merges. tests/data/make_pdfs.py uses `pdf_bytes` to make the committed PDFs.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

from assistant.model import Table

WIDTH = 6


@dataclass(frozen=True)
class Box:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def amount(x: float) -> str:
    text = f"{x:.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text if len(text.split(".")[1]) >= 2 else text + "0"


def form_grid(table: Table) -> list[Box]:
    """The published 绩效目标表 as boxes on a 6-column grid (title, header block, indicator block)."""
    p, f = table.project, table.funding
    boxes = [
        Box(0, 0, "部门项目支出预算绩效目标表", 1, WIDTH),
        Box(1, 0, f"（{p.year}年度）", 1, WIDTH),
        Box(2, 0, "项目名称"), Box(2, 1, p.name, 1, 5),
        Box(3, 0, "主管部门及代码"), Box(3, 1, f"{p.department} {p.department_code}".strip(), 1, 2),
        Box(3, 3, "实施单位"), Box(3, 4, p.implementing_unit, 1, 2),
        Box(4, 0, "项目属性"), Box(4, 1, p.attribute, 1, 2), Box(4, 3, "项目期"), Box(4, 4, p.period, 1, 2),
        Box(5, 0, "项目资金（万元）", 3, 1), Box(5, 1, "年度资金总额："), Box(5, 2, amount(f.total), 1, 4),
        Box(6, 1, "其中：财政拨款"), Box(6, 2, amount(f.fiscal), 1, 4),
        Box(7, 1, "其他资金"), Box(7, 2, amount(f.other) if f.other else "", 1, 4),
        Box(8, 0, "年度总体目标"), Box(8, 1, p.goal, 1, 5),
    ]
    rows = table.indicators
    boxes.append(Box(9, 0, "绩效指标", len(rows) + 1, 1))
    boxes += [Box(9, 1, "一级指标"), Box(9, 2, "二级指标"), Box(9, 3, "三级指标"), Box(9, 4, "指标值", 1, 2)]
    r = 10
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].level1 == rows[i].level1:
            j += 1
        boxes.append(Box(r + i, 1, rows[i].level1, j - i, 1))
        k = i
        while k < j:
            m = k
            while m < j and rows[m].level2 == rows[k].level2:
                m += 1
            boxes.append(Box(r + k, 2, rows[k].level2, m - k, 1))
            k = m
        i = j
    for n, ind in enumerate(rows):
        boxes.append(Box(r + n, 3, ind.name))
        boxes.append(Box(r + n, 4, ind.value, 1, 2))
    return boxes


def grid_height(boxes: list[Box]) -> int:
    return max(b.row + b.rowspan for b in boxes)


# ------------------------------------------------------------------------------------------- xlsx
def xlsx_bytes(tables: list[Table], *, one_sheet: bool = False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    ws = None
    offset = 0
    for n, table in enumerate(tables, 1):
        if ws is None or not one_sheet:
            ws = wb.create_sheet(f"表{n}")
            offset = 0
        boxes = form_grid(table)
        for b in boxes:
            ws.cell(offset + b.row + 1, b.col + 1, b.text or None)
            if b.rowspan > 1 or b.colspan > 1:
                ws.merge_cells(
                    start_row=offset + b.row + 1, start_column=b.col + 1,
                    end_row=offset + b.row + b.rowspan, end_column=b.col + b.colspan,
                )
        offset += grid_height(boxes) + 3
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls_bytes(tables: list[Table]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for n, table in enumerate(tables, 1):
        ws = book.add_sheet(f"表{n}")
        for b in form_grid(table):
            if b.rowspan > 1 or b.colspan > 1:
                ws.write_merge(b.row, b.row + b.rowspan - 1, b.col, b.col + b.colspan - 1, b.text)
            elif b.text:
                ws.write(b.row, b.col, b.text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- wide
_SPLIT = re.compile(r"^([≥≤＝=<>]?)(\d+(?:\.\d+)?)(.*)$")
WIDE_HEADER = [
    "单位名称", "项目名称", "实施单位", "项目属性", "项目期", "预算数（元）", "财政拨款（元）", "其他资金（元）", "年度目标",
    "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向性",
]


def split_value(value: str) -> tuple[str, str, str]:
    """"≥95%" -> ("≥", "95", "%"); "良好" -> ("定性", "良好", ""), as the 一体化 export stores a 指标值."""
    m = _SPLIT.match(value)
    if not m or not m.group(3) or m.group(3)[0] in "年月日" or any(ch.isdigit() for ch in m.group(3)):
        return ("定性" if value else "", value, "")
    return (m.group(1) or "＝", m.group(2), m.group(3))


def yuan(x: float) -> str:
    text = f"{x * 10000:.2f}"
    return f"{float(text):,.2f}"


def wide_rows(tables: list[Table], code: str = "820001") -> list[list[str]]:
    rows = [["2024年部门项目支出绩效目标（一体化系统导出）"], WIDE_HEADER]
    for table in tables:
        p, f = table.project, table.funding
        first = [
            f"{p.department_code or code}-{p.department}", p.name, p.implementing_unit, p.attribute, p.period,
            yuan(f.total), yuan(f.fiscal), yuan(f.other), p.goal,
        ]
        for n, ind in enumerate(table.indicators):
            op, number, unit = split_value(ind.value)
            head = first if n == 0 else [""] * len(first)
            rows.append(head + [ind.level1, ind.level2, ind.name, op, number, unit, "10", "正向"])
    return rows


def wide_xlsx_bytes(tables: list[Table]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(wide_rows(tables), 1):
        for c, text in enumerate(row, 1):
            if text:
                ws.cell(r, c, text)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- docx
def docx_bytes(tables: list[Table]) -> bytes:
    import docx

    document = docx.Document()
    for table in tables:
        boxes = form_grid(table)
        document.add_paragraph(boxes[0].text)
        document.add_paragraph(boxes[1].text)
        body = [b for b in boxes if b.row >= 2]
        t = document.add_table(rows=grid_height(boxes) - 2, cols=WIDTH)
        t.style = "Table Grid"
        for b in body:
            cell = t.cell(b.row - 2, b.col)
            if b.rowspan > 1 or b.colspan > 1:
                cell = cell.merge(t.cell(b.row - 2 + b.rowspan - 1, b.col + b.colspan - 1))
            cell.text = b.text
        document.add_paragraph("填报人：张三    联系电话：0952-0000000")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- html
def html_text(tables: list[Table]) -> str:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>预算公开</title>",
             "<style>td{border:1px solid}</style><script>var x='<td>';</script></head><body>",
             "<div class='nav'>首页 &gt; 预算公开</div>"]
    for table in tables:
        boxes = form_grid(table)
        parts.append(f"<h2>{html.escape(boxes[0].text)}</h2><p>{html.escape(boxes[1].text)}</p>")
        parts.append("<table>")
        by_row: dict[int, list[Box]] = {}
        for b in boxes[2:]:
            by_row.setdefault(b.row, []).append(b)
        for r in range(2, grid_height(boxes)):
            cells = "".join(
                f"<td rowspan='{b.rowspan}' colspan='{b.colspan}'>{html.escape(b.text)}</td>"
                for b in sorted(by_row.get(r, []), key=lambda b: b.col)
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("<p>发布时间：2024-01-20 来源：平罗县财政局</p></body></html>")
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------- pdf
def pdf_bytes(tables: list[Table], *, rules: bool = True) -> bytes:
    """A ruled table per page, as Excel's "save as PDF" makes it (reportlab, a CJK font of its own); with
    `rules=False` the same layout without any lines, so only the text's positions tell the cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table as RLTable, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    title = ParagraphStyle("title", parent=style, fontSize=14, leading=18, alignment=1)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=30, rightMargin=30, topMargin=30, bottomMargin=30)
    story = []
    for n, table in enumerate(tables):
        boxes = form_grid(table)
        story.append(Paragraph(boxes[0].text, title))
        story.append(Paragraph(boxes[1].text, title))
        height = grid_height(boxes) - 2
        data = [["" for _ in range(WIDTH)] for _ in range(height)]
        spans = []
        for b in boxes[2:]:
            data[b.row - 2][b.col] = Paragraph(html.escape(b.text), style) if b.text else ""
            if b.rowspan > 1 or b.colspan > 1:
                spans.append(("SPAN", (b.col, b.row - 2), (b.col + b.colspan - 1, b.row - 2 + b.rowspan - 1)))
        t = RLTable(data, colWidths=[70, 80, 90, 140, 80, 75])
        grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if rules else []
        valign = ("VALIGN", (0, 0), (-1, -1), "MIDDLE" if rules else "TOP")
        t.setStyle(TableStyle([*grid, valign, *(spans if rules else [])]))
        story.append(t)
        if n < len(tables) - 1:
            story.append(PageBreak())
    doc.build(story)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- text shapes
def grid_lines(table: Table) -> list[list[str]]:
    """The form's rows as lists of cell texts on the 6-column grid ("" where a cell is empty or covered)."""
    boxes = form_grid(table)
    out = [["" for _ in range(WIDTH)] for _ in range(grid_height(boxes))]
    for b in boxes:
        out[b.row][b.col] = b.text
    return out


def text_shape(tables: list[Table], shape: str) -> str:
    """The tables as text copied out in one of the shapes users paste: "tab", "bar", "space", "line" (one
    cell per line, indented like a tree) or "joined" (cells run together, no separator)."""
    lines: list[str] = []
    for table in tables:
        for cells in grid_lines(table):
            filled = [c for c in cells if c]
            if not filled:
                continue
            if shape == "tab":
                lines.append("\t".join(cells).rstrip("\t"))
            elif shape == "bar":
                lines.append("| " + " | ".join(cells) + " |")
            elif shape == "space":
                widths = [16, 14, 16, 34, 16, 4]
                line = ""
                for c, w in zip(cells, widths):
                    line += c + " " * max(2, w - _display_width(c))
                lines.append(line.rstrip())
            elif shape == "line":
                depth = next(i for i, c in enumerate(cells) if c)
                lines.extend("  " * min(depth, 3) + c for c in filled)
            elif shape == "joined":
                lines.append("".join(filled))
        lines.append("")
    return "\n".join(lines)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
