"""Ingest from .xlsx: what `export` writes reads back equal, the common published one-sheet layout reads, and
broken workbooks give a Chinese problem naming the file (exit 2), never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from assistant import cli
from assistant.export.xlsx import workbook_bytes
from assistant.ingest import Problem, parse_file
from assistant.model import Funding, Indicator, Project, Source, Table
from assistant.ingest import parse_bytes
from assistant.ingest.xlsx import cell_text

from .seed_tables import seed, seed_path

NUMBERS = list(range(1, 16))


def _same(a: Table, b: Table) -> None:
    assert b.project == a.project
    assert b.funding == a.funding
    assert b.indicators == a.indicators


@pytest.mark.parametrize("number", NUMBERS, ids=[f"表{n}" for n in NUMBERS])
def test_round_trip_every_bundled_table(number, tmp_path):
    table = seed(number)
    path = tmp_path / "导出.xlsx"
    path.write_bytes(workbook_bytes([table]))
    result = parse_file(path)
    assert len(result.tables) == 1
    _same(table, result.tables[0].table)
    assert result.tables[0].table.source == Source(f"导出.xlsx 工作表「{table.project.name}」", 1)  # where it was read from
    expected = [Problem(20, "三级指标「群众满意度」没有指标值。")] if number == 1 else []
    assert result.problems == expected


def test_round_trip_all_tables_in_one_workbook():
    tables = [seed(n) for n in NUMBERS]
    result = parse_bytes(workbook_bytes(tables), "全部.xlsx")
    assert [p.table.source for p in result.tables] == [
        Source(f"全部.xlsx 工作表「{t.project.name}」", n) for n, t in zip(NUMBERS, tables)
    ]
    for table, parsed in zip(tables, result.tables):
        _same(table, parsed.table)
    assert result.problems == [Problem(20, "工作表「2024年村委会办公经费」：三级指标「群众满意度」没有指标值。")]


def test_round_trip_of_rows_without_value_or_name_inside_a_block():
    table = Table(
        Project("2025年测试项目", 2025, "某局", "012", "某局本级", "0101-一年期项目", "1年", "目标。"),
        Funding(0.1 + 0.2, 0.3, 0.0),
        [
            Indicator("产出指标", "数量指标", "甲", "1个"),
            Indicator("产出指标", "数量指标", "乙", ""),
            Indicator("产出指标", "数量指标", "", "3个"),
            Indicator("产出指标", "数量指标", "丁", "=4个"),  # ASCII operator as typed: text, not a formula
            Indicator("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
        ],
    )
    parsed = parse_bytes(workbook_bytes([table]), "x.xlsx").tables[0].table
    assert parsed.indicators == table.indicators
    assert parsed.funding == Funding(0.3, 0.3, 0.0)  # 15 significant digits: no float noise from a sheet
    assert parsed.project == table.project


def _common_layout() -> bytes:
    """The one-sheet form as many departments publish it: 指标值 split into 指标性质 / 指标值 / 度量单位,
    merged 一级/二级 cells, amounts in 元 with a unit line, a 备注 column, numbers typed as numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标"
    rows = [
        ["附件2", None, None, None, None, None, None],
        ["项目支出绩效目标申报表", None, None, None, None, None, None],
        ["（2025年度）", None, None, None, None, None, None],
        ["金额单位：元", None, None, None, None, None, None],
        ["项目名称", "2025年农村环境整治", None, None, None, None, None],
        ["主管部门", "【812033】某县农业农村局", None, None, "实施单位", "某县农业农村局本级", None],
        ["项目属性", "0101—一年期项目", None, None, "项目期", "1年", None],
        ["项目资金（元）", "年度资金总额", None, 3309840, None, None, None],
        [None, "其中：财政拨款", None, 3000000, None, None, None],
        [None, "其他资金", None, 309840, None, None, None],
        ["年度总体目标", "完成12个村的环境整治，群众满意度达到90%以上。", None, None, None, None, None],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "备注"],
        ["产出指标", "数量指标（必填）", "整治村庄数", "≥", 12, "个", None],
        [None, None, "清运垃圾", "≥", 3000, "吨", "含建筑垃圾"],
        [None, "质量指标", "验收合格率", "＝", 1, None, None],
        [None, None, "整治标准", "定性", "优良中低差", None, None],
        [None, "时效指标", "完成时间", "≤", "2025年11月", None, None],
        [None, None, "未定指标", None, None, None, None],
        [None, "成本指标", "每村整治费用", "≤", 27.582, "万元/村", None],
        ["效益指标", "社会效益指标", "人居环境", "定性", "明显改善", None, None],
        [None, "生态效益指标", None, None, None, None, None],
        ["满意度指标", "服务对象满意度指标", "群众满意度", ">=", 0.9, None, None],
        ["填报人：张三", None, None, None, "联系电话：123", None, None],
    ]
    for r in rows:
        ws.append(r)
    ws["E15"].number_format = "0%"
    ws["E22"].number_format = "0%"
    for rng in ("A2:G2", "A3:G3", "B5:G5", "B6:D6", "B7:D7", "A8:A10", "B8:C8", "D8:G8", "B9:C9", "D9:G9",
                "B10:C10", "D10:G10", "B11:G11", "A13:A19", "B13:B14", "B15:B16", "B17:B18", "A20:A21"):
        ws.merge_cells(rng)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_common_published_layout_with_merged_and_split_cells():
    result = parse_bytes(_common_layout(), "申报表.xlsx")
    assert len(result.tables) == 1
    table = result.tables[0].table
    assert table.project == Project(
        name="2025年农村环境整治",
        year=2025,
        department="某县农业农村局",
        department_code="812033",
        implementing_unit="某县农业农村局本级",
        attribute="0101—一年期项目",
        period="1年",
        goal="完成12个村的环境整治，群众满意度达到90%以上。",
    )
    assert table.funding == Funding(330.984, 300.0, 30.984)
    assert [(i.level1, i.level2, i.name, i.value) for i in table.indicators] == [
        ("产出指标", "数量指标", "整治村庄数", "≥12个"),
        ("产出指标", "数量指标", "清运垃圾", "≥3000吨"),
        ("产出指标", "质量指标", "验收合格率", "100%"),
        ("产出指标", "质量指标", "整治标准", "优良中低差"),
        ("产出指标", "时效指标", "完成时间", "≤2025年11月"),
        ("产出指标", "时效指标", "未定指标", ""),
        ("产出指标", "成本指标", "每村整治费用", "≤27.582万元/村"),
        ("效益指标", "社会效益指标", "人居环境", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    assert Problem(18, "三级指标「未定指标」没有指标值。") in result.problems


@pytest.mark.parametrize(
    "value,fmt,text",
    [
        (None, "General", ""),
        ("  2024年 ", "General", "2024年"),
        (36, "General", "36"),
        (184.032, "0.00", "184.032"),
        (0.1 + 0.2, "General", "0.3"),
        (1e20, "General", "100000000000000000000"),
        (0.95, "0%", "95%"),
        (0.955, "0.0%", "95.5%"),
        (12, '0"个"', "12个"),
        (True, "General", "是"),
    ],
)
def test_cell_text(value, fmt, text):
    assert cell_text(value, fmt) == text


def test_cell_text_dates():
    import datetime as dt

    assert cell_text(dt.datetime(2025, 12, 31)) == "2025年12月31日"
    assert cell_text(dt.date(2025, 6, 1)) == "2025年6月1日"


# ------------------------------------------------------------------------------------------- hostile
def _no_sheets() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([seed(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                start, end = text.index("<sheets>"), text.index("</sheets>") + len("</sheets>")
                data = (text[:start] + "<sheets/>" + text[end:]).encode("utf-8")
            z.writestr(item, data)
    return out.getvalue()


def _empty_sheet() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _not_a_workbook_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


HOSTILE = {
    "random": (bytes(range(256)) * 8, "无法作为 Excel 工作簿（.xlsx）读取"),
    "truncated": (workbook_bytes([seed(1)])[:3000], "无法作为 Excel 工作簿（.xlsx）读取"),
    "no-sheets": (_no_sheets(), "工作簿中没有工作表"),
    "empty-sheet": (_empty_sheet(), "没有找到绩效目标表"),
    "docx-like": (_not_a_workbook_zip(), "无法作为 Word 文档（.docx）读取"),
    "old-xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "无法作为旧版 Excel 工作簿（.xls）读取"),
    "empty-file": (b"", "文件是空的"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_broken_workbooks_are_problems_not_exceptions(kind, tmp_path, capsys):
    data, message = HOSTILE[kind]
    path = tmp_path / f"坏表-{kind}.xlsx"
    path.write_bytes(data)
    result = parse_file(path)
    assert result.tables == [] and result.problems
    assert all(p.line == 0 for p in result.problems)
    if message:
        assert any(message in p.message for p in result.problems)

    code = cli.main(["ingest", str(path), "-o", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{path}: " in err and "Traceback" not in err and "错误" in err
    assert not (tmp_path / "out").exists()


def test_ingest_command_reads_an_exported_workbook(tmp_path, capsys):
    book = tmp_path / "两张表.xlsx"
    book.write_bytes(workbook_bytes([seed(5), seed(7)]))
    code = cli.main(["ingest", str(book), "-o", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "已写入" in out and err == ""
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["2024年村干部任职补贴.toml", "2024年社区工作者任职补贴.toml"]
    from assistant import tomlio

    again = tomlio.load(tmp_path / "out" / "2024年村干部任职补贴.toml")
    _same(tomlio.load(seed_path(5)), again)
    assert again.source == Source("两张表.xlsx 工作表「2024年村干部任职补贴」", 1)
