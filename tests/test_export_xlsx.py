"""xlsx export: the published layout, read back with openpyxl (merged ranges, every cell, number formats)."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from assistant.export import SHEET_MAX, sheet_names
from assistant.export.xlsx import workbook_bytes
from assistant.model import Funding, Indicator, Project, Table

from .seed_tables import seed


def _read(tables: list[Table]):
    return load_workbook(io.BytesIO(workbook_bytes(tables)))


def _grid(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_table_5_every_cell_merge_and_format():
    wb = _read([seed(5)])
    assert wb.sheetnames == ["2024年村干部任职补贴"]
    ws = wb.active
    goal = (
        "及时保障和落实村干部任职补贴,强化村干部领导能力建设,提高村干部工作积极性、主动性和创造性,"
        "充分调动激励村干部担当作为,在农村建设中发挥引领作用。"
    )
    expected = {
        "A1": "部门项目支出预算绩效目标表",
        "A2": "(2024年度)",
        "A3": "项目名称", "B3": "2024年村干部任职补贴",
        "A4": "主管部门及代码", "B4": "平罗县头闸镇人民政府 049", "D4": "实施单位", "E4": "平罗县头闸镇人民政府本级",
        "A5": "项目属性", "B5": "0101—一年期项目", "D5": "项目期", "E5": "1年",
        "A6": "项目资金（万元）", "B6": "年度资金总额", "D6": 184.032,
        "B7": "其中：财政拨款", "D7": 184.032,
        "B8": "其他资金", "D8": 0.0,
        "A9": "年度总体目标", "B9": goal,
        "A10": "名称", "B10": "一级指标", "C10": "二级指标", "D10": "三级指标", "E10": "指标值",
        "A11": "绩效指标", "B11": "产出指标", "C11": "数量指标", "D11": "保障村干部人数", "E11": "60人",
        "C12": "质量指标", "D12": "村干部任职补贴发放", "E12": "100%",
        "C13": "时效指标", "D13": "村干部任职补贴支出时限", "E13": "2024年12月底",
        "C14": "成本指标", "D14": "村干部任职补贴标准", "E14": "2556元/人/月",
        "B15": "效益指标", "C15": "经济效益指标", "D15": "村干部任职收入", "E15": "有所增加",
        "C16": "社会效益指标", "D16": "受益村干部人数", "E16": "有效提高",
        "D17": "完善乡村治理体系，提升乡村治理能力", "E17": "显著提升",
        "C18": "可持续影响指标", "D18": "基层村干部工作积极性", "E18": "不断提高",
        "D19": "激励基层村干部担当作为", "E19": "充分调动",
        "B20": "满意度指标", "C20": "服务对象满意度指标", "D20": "村干部满意度", "E20": "≥95%",
    }
    assert _grid(ws) == expected
    assert sorted(str(r) for r in ws.merged_cells.ranges) == sorted(
        [
            "A1:E1", "A2:E2", "B3:E3", "B4:C4", "B5:C5",
            "A6:A8", "B6:C6", "D6:E6", "B7:C7", "D7:E7", "B8:C8", "D8:E8",
            "B9:E9",
            "A11:A20", "B11:B14", "B15:B19", "C16:C17", "C18:C19",
        ]
    )
    assert [ws[f"D{r}"].number_format for r in (6, 7, 8)] == ["0.000", "0.000", "0.00"]
    assert all(isinstance(ws[f"D{r}"].value, (int, float)) for r in (6, 7, 8))  # numbers, not text


@pytest.mark.parametrize("number,amount,fmt", [(1, 36.0, "0.00"), (7, 16.7076, "0.0000"), (12, 5.9314, "0.0000"), (6, 2.88, "0.00")])
def test_amount_number_formats(number, amount, fmt):
    ws = _read([seed(number)]).active
    assert (ws["D6"].value, ws["D6"].number_format) == (amount, fmt)


def test_form_styling_and_print_setup():
    ws = _read([seed(1)]).active
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.bold and ws["A1"].font.sz == 16
    assert {ws[ref].font.name for ref in ("A3", "B9", "D11", "E20", "C14")} == {"宋体"}
    assert ws["B9"].alignment.wrap_text and ws["D11"].alignment.wrap_text
    assert ws["A3"].border.left.style == "thin" and ws["E20"].border.bottom.style == "thin"
    assert ws["A1"].border.left.style is None  # the title sits above the table, unframed
    assert {c: ws.column_dimensions[c].width for c in "ABCDE"} == {"A": 13, "B": 13, "C": 21, "D": 32, "E": 23}
    assert ws.row_dimensions[9].height >= 2 * 15  # the goal wraps onto a second line
    assert str(ws.page_setup.paperSize) == "9" and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$10:$10"


def test_every_bundled_table_in_one_workbook_in_order():
    tables = [seed(n) for n in (3, 1, 15, 2)]
    wb = _read(tables)
    assert wb.sheetnames == [t.project.name for t in tables]
    for ws, table in zip(wb.worksheets, tables):
        assert ws["B3"].value == table.project.name
        last = 10 + len(table.indicators)
        assert [ws[f"D{r}"].value for r in range(11, last + 1)] == [i.name for i in table.indicators]
        assert [ws[f"E{r}"].value for r in range(11, last + 1)] == [i.value or None for i in table.indicators]


def test_a_table_without_indicators_and_with_a_single_row_block():
    bare = Table(Project("x", 2025), Funding(1.5, 1.5, 0.0), [])
    one = Table(Project("y", 2025), Funding(), [Indicator("产出指标", "数量指标", "人数", "3人")])
    wb = _read([bare, one])
    assert sorted(str(r) for r in wb["x"].merged_cells.ranges if r.min_row >= 10) == []
    assert wb["x"].max_row == 10
    assert sorted(str(r) for r in wb["y"].merged_cells.ranges if r.min_row >= 10) == []  # one row: nothing to merge
    assert [wb["y"][f"{c}11"].value for c in "ABCDE"] == ["绩效指标", "产出指标", "数量指标", "人数", "3人"]


TRICKY = [
    "2024年村干部任职补贴",
    "2024年村干部任职补贴",
    "2024年村干部任职补贴",
    "项目/子项目: [试点]*?\\",
    "'引号'",
    "",
    "History",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六",
    "a" * 40,
    "A" * 40,
    "😀" * 20,
    "\x07控制\x1f字符",
]


def test_sheet_names_are_valid_unique_and_readable():
    names = sheet_names(TRICKY)
    assert names == [
        "2024年村干部任职补贴",
        "2024年村干部任职补贴(2)",
        "2024年村干部任职补贴(3)",
        "项目／子项目： ［试点］＊？＼",
        "引号",
        "表6",
        "History(1)",
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八(2)",
        "a" * 31,
        "A" * 28 + "(2)",  # Excel compares sheet names regardless of case
        "😀" * 15,
        "控制字符",
    ]
    for name in names:
        assert 0 < len(name.encode("utf-16-le")) // 2 <= SHEET_MAX
        assert not set(name) & set("[]:*?/\\") and not name.startswith("'") and not name.endswith("'")
    assert len({n.casefold() for n in names}) == len(names)


def test_tricky_names_make_a_workbook_openpyxl_reads():
    tables = [Table(Project(n, 2025), Funding(1.0, 1.0, 0.0), []) for n in TRICKY]
    wb = _read(tables)
    assert wb.sheetnames[:4] == sheet_names(TRICKY)[:4]
    assert [ws["B3"].value for ws in wb.worksheets][:3] == ["2024年村干部任职补贴"] * 3


def test_openpyxl_is_imported_only_when_used():
    code = (
        "import sys\n"
        "import assistant.cli, assistant.commands.export, assistant.commands.renew, assistant.commands.ingest\n"
        "import assistant.export, assistant.export.md, assistant.export.xlsx, assistant.ingest, assistant.renew\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'textual', 'rich')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
