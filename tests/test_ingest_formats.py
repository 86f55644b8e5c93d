"""The 15 seed tables rendered by the tests (tests/render.py) into every format a user brings, read back equal
to the bundled tables (knowledge/tables); committed PDFs (tests/data/formats, made by tests/data/make_pdfs.py);
bad input in each format: a clear problem, exit 2, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from assistant import cli
from assistant.ingest import parse_bytes, parse_file
from assistant.model import Table

from . import render
from .conftest import DATA
from .seed_tables import seed

FORMATS = DATA / "formats"
NUMBERS = range(1, 16)
SEED = [seed(n) for n in NUMBERS]
MISSING = "三级指标「群众满意度」没有指标值。"


def rows(t: Table) -> list[tuple]:
    return [(i.level1, i.level2, i.name, i.value) for i in t.indicators]


def assert_same(got: Table, want: Table) -> None:
    assert got.project == want.project
    assert got.funding == want.funding
    assert rows(got) == rows(want)


RENDERED = {
    "xlsx-sheets": (lambda: render.xlsx_bytes(SEED), "表.xlsx"),
    "xlsx-one-sheet": (lambda: render.xlsx_bytes(SEED, one_sheet=True), "表.xlsx"),
    "xls": (lambda: render.xls_bytes(SEED), "表.xls"),
    "wide-export": (lambda: render.wide_xlsx_bytes(SEED), "导出.xlsx"),
    "docx": (lambda: render.docx_bytes(SEED), "表.docx"),
    "html": (lambda: render.html_text(SEED).encode("utf-8"), "表.html"),
    "html-gbk": (lambda: render.html_text(SEED).replace("utf-8", "gbk").encode("gb18030"), "表.htm"),
}


@pytest.fixture(scope="module", params=list(RENDERED))
def rendered(request):
    make, name = RENDERED[request.param]
    return request.param, parse_bytes(make(), name)


def test_rendered_seed_reads_back_equal(rendered):
    kind, result = rendered
    assert len(result.tables) == 15
    for want, parsed in zip(SEED, result.tables):
        assert_same(parsed.table, want)
    assert [p.table.source.table for p in result.tables] == list(NUMBERS)
    messages = [p.message for p in result.problems]
    if kind == "wide-export":
        assert messages == []  # an empty 指标值 is just an empty cell there
    else:
        assert [m for m in messages if MISSING not in m and "首页" not in m] == []
        assert sum(MISSING in m for m in messages) == 1


@pytest.mark.parametrize("name", ["seed-15.pdf", "seed-15-no-rules.pdf"])
def test_committed_pdf_reads_back_equal(name):
    result = parse_file(FORMATS / name)
    assert len(result.tables) == 15
    for want, parsed in zip(SEED, result.tables):
        assert_same(parsed.table, want)
    assert [p.table.source.document for p in result.tables][:3] == [f"{name} 第{n}页" for n in (1, 2, 3)]
    assert [p.message for p in result.problems] == [f"第1页：{MISSING}"]


def test_source_names_sheet_and_page():
    book = parse_bytes(render.xlsx_bytes(SEED[:2]), "两表.xlsx")
    assert [(p.table.source.table, p.table.source.document) for p in book.tables] == [
        (1, "两表.xlsx 工作表「表1」"),
        (2, "两表.xlsx 工作表「表2」"),
    ]


def test_wide_export_amounts_in_yuan_and_codes():
    data = render.wide_rows([SEED[4]], code="820001")
    assert data[2][0] == "049-平罗县头闸镇人民政府" and data[2][5] == "1,840,320.00"
    [parsed] = parse_bytes(render.wide_xlsx_bytes([SEED[4]]), "w.xlsx").tables
    assert parsed.table.project.department_code == "049"
    assert parsed.table.funding.total == 184.032


def test_scan_gets_the_clear_message(tmp_path, capsys):
    result = parse_file(FORMATS / "scan.pdf")
    assert result.tables == []
    assert [p.message for p in result.problems] == ["这是扫描件，没有文字层，请用原始 Excel 或可复制文字的 PDF。"]
    assert cli.main(["ingest", str(FORMATS / "scan.pdf"), "-o", str(tmp_path)]) == 2
    assert "这是扫描件" in capsys.readouterr().err


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _encrypted_ooxml() -> bytes:
    """The container Office writes for a password-protected .xlsx/.docx (an OLE file holding EncryptedPackage)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return head + "EncryptionInfo\x00EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024


def _docx_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/styles.xml", "<w:styles/>")
    return buffer.getvalue()


BAD = {
    "locked.pdf": (lambda: (FORMATS / "locked.pdf").read_bytes(), "PDF 已加密"),
    "damaged.pdf": (lambda: _truncated((FORMATS / "seed-15.pdf").read_bytes()), "无法作为 PDF 读取"),
    "not-really.pdf": (lambda: b"%PDF-1.4\n" + b"\x00garbage" * 100, "无法作为 PDF 读取"),
    "damaged.xlsx": (lambda: _truncated(render.xlsx_bytes(SEED[:1])), "无法作为 Excel 工作簿（.xlsx）读取"),
    "locked.xlsx": (_encrypted_ooxml, "文件已加密"),
    "damaged.docx": (lambda: _truncated(render.docx_bytes(SEED[:1])), "无法作为 Word 文档（.docx）读取"),
    "hollow.docx": (_docx_without_document, "无法作为 Word 文档（.docx）读取"),
    "locked.docx": (_encrypted_ooxml, "文件已加密"),
    "damaged.xls": (lambda: _truncated(render.xls_bytes(SEED[:1])), "无法作为旧版 Excel 工作簿（.xls）读取"),
    "empty.html": (lambda: b"<html><body><p>\xe6\xb2\xa1\xe6\x9c\x89\xe8\xa1\xa8</p></body></html>", "没有找到绩效目标表"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files_are_a_message_and_exit_2(name, tmp_path, capsys):
    make, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = parse_file(path)
    assert result.tables == []
    assert any(message in p.message for p in result.problems), result.problems
    code = cli.main(["ingest", str(path), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and f"{path}: " in err and "Traceback" not in err


def test_fifty_sheets(tmp_path):
    tables = [SEED[n % 15] for n in range(50)]
    result = parse_bytes(render.xlsx_bytes(tables), "五十.xlsx")
    assert len(result.tables) == 50
    assert result.tables[49].table.source.document == "五十.xlsx 工作表「表50」"


def test_three_hundred_pages_with_progress():
    """300 pages (one line of text each, no table) read to the end, page by page, with a clear answer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(300):
        c.drawString(72, 800, f"page {n + 1}")
        c.showPage()
    c.save()
    seen = []
    result = parse_bytes(out.getvalue(), "long.pdf", progress=lambda what, done, total: seen.append((done, total)))
    assert seen[0] == (1, 300) and seen[-1] == (300, 300)
    assert result.tables == [] and result.problems[-1].message.startswith("没有找到绩效目标表")


def test_wide_export_in_another_column_order():
    """A hand-written export: extra columns, another order, 元 with separators, G2021 成本 一级, 满意度 under 效益,
    a second project starting mid-sheet, a blank line between."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    rows = [
        ["预算管理一体化系统 项目绩效目标导出", None],
        ["预算年度", "项目编码", "项目名称", "单位名称", "项目类别", "年度目标", "预算数", "一级指标", "二级指标", "三级指标",
         "指标性质", "指标值", "度量单位", "权重", "指标方向性"],
        ["2024", "64012224Y0001", "2024年农村公路养护", "[812033]某县交通运输局", "一般性项目", "养护农村公路120公里。",
         "1,200,000.00", "产出指标", "数量指标", "养护里程", "≥", "120", "公里", "20", "正向"],
        [None, None, None, None, None, None, None, None, "质量指标", "路况优良率", "≥", "80", "%", "20", "正向"],
        [None, None, None, None, None, None, None, "成本指标", "经济成本指标", "每公里养护成本", "≤", "10000", "元/公里", "20", "反向"],
        [None, None, None, None, None, None, None, "效益指标", "社会效益指标", "群众出行条件", "定性", "明显改善", None, "20", "正向"],
        [None, None, None, None, None, None, None, None, "社会公众或服务对象满意度指标", "沿线群众满意度", "≥", "90", "%", "20", "正向"],
        [],
        ["2024", "64012224Y0002", "渡口安全管理", "820001-某县交通运输局", "一般性项目", "渡口安全运行。",
         "36000", "产出指标", "时效指标", "完成时间", "定性", "2024年12月底前", None, "50", "正向"],
    ]
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = parse_bytes(buffer.getvalue(), "导出.xlsx")
    assert result.problems == []
    first, second = (p.table for p in result.tables)
    assert (first.project.name, first.project.year, first.project.department, first.project.department_code) == (
        "2024年农村公路养护", 2024, "某县交通运输局", "812033")
    assert first.project.goal == "养护农村公路120公里。"
    assert (first.funding.total, first.funding.fiscal, first.funding.other) == (120.0, 120.0, 0.0)
    assert rows_of(first) == [
        ("产出指标", "数量指标", "养护里程", "≥120公里"),
        ("产出指标", "质量指标", "路况优良率", "≥80%"),
        ("成本指标", "经济成本指标", "每公里养护成本", "≤10000元/公里"),
        ("效益指标", "社会效益指标", "群众出行条件", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%"),
    ]
    assert second.project.department_code == "820001" and second.funding.total == 3.6
    assert (second.project.name, second.project.year) == ("渡口安全管理", 2024)  # the year from its column
    assert rows_of(second) == [("产出指标", "时效指标", "完成时间", "2024年12月底前")]


rows_of = rows


def test_memory_stays_under_five_times_the_text(tmp_path):
    """Traced peak memory while reading a text of many tables stays under 5x its size (the 90 MB case is in
    benchmarks/ingest_large.py); the text is read one table at a time."""
    import tracemalloc

    from .conftest import SEED as SEED_TEXT

    path = tmp_path / "many.txt"
    path.write_bytes(SEED_TEXT.read_bytes() * 12)
    parse_file(SEED_TEXT)  # vocabulary and patterns loaded before measuring
    tracemalloc.start()
    try:
        result = parse_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.tables) == 180
    assert peak < 5 * path.stat().st_size


def test_html_form_inside_a_layout_table():
    """Older government sites put the whole page in layout tables; the form is a table inside a cell."""
    form = render.html_text([SEED[4]])
    body = form[form.index("<h2>") : form.index("<p>发布时间")]
    page = (
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>首页</td><td>政务公开</td></tr>"
        f"<tr><td colspan='2'><table><tr><td>{body}</td></tr></table></td></tr>"
        "<tr><td>主办：某县人民政府</td><td>联系我们</td></tr></table></body></html>"
    )
    [parsed] = parse_bytes(page.encode("utf-8"), "页面.html").tables
    assert_same(parsed.table, SEED[4])


def test_long_text_reports_progress(tmp_path):
    from .conftest import SEED as SEED_TEXT

    path = tmp_path / "long.txt"
    path.write_bytes(SEED_TEXT.read_bytes() * 60)  # over 1 MB
    seen = []
    result = parse_file(path, progress=lambda what, done, total: seen.append((what, done, total)))
    assert len(result.tables) == 900
    assert seen[-1][1] == seen[-1][2] and len(seen) > 5 and seen[0][0] == "行"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (lambda: render.html_text([SEED[4]]).encode("utf-8"), "网页存成的.xls"),
        (lambda: render.text_shape([SEED[4]], "tab").encode("gb18030"), "制表符文本.xls"),
    ],
    ids=["html-as-xls", "tsv-as-xls"],
)
def test_exports_that_are_not_what_their_suffix_says(data, name):
    """Systems export web pages and tab-separated text under the name .xls: read by what they are."""
    [parsed] = parse_bytes(data(), name).tables
    assert_same(parsed.table, SEED[4])


def test_csv():
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(render.grid_lines(SEED[4]))
    [parsed] = parse_bytes(buffer.getvalue().encode("utf-8"), "表.csv").tables
    assert_same(parsed.table, SEED[4])


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx", ".xls", ".docx", ".html", ".csv", ".txt"])
@pytest.mark.parametrize("seed_", [1, 2, 3])
def test_random_bytes_under_every_suffix(suffix, seed_, tmp_path, capsys):
    import random

    rng = random.Random(seed_)
    heads = {".pdf": b"%PDF-1.7\n", ".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}
    path = tmp_path / f"乱码{suffix}"
    path.write_bytes(heads.get(suffix, b"") + bytes(rng.randrange(256) for _ in range(3000)))
    code = cli.main(["ingest", str(path), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and str(path) in err


def test_wide_export_copied_as_text():
    text = "\n".join("\t".join(row) for row in render.wide_rows(SEED[:3]))
    result = parse_bytes(text.encode("utf-8"), "导出.txt")
    assert len(result.tables) == 3
    for want, parsed in zip(SEED, result.tables):
        assert_same(parsed.table, want)


def test_hand_made_workbook_with_caption_rows_and_a_percent_cell():
    """A form typed in Excel: funding labels on one row and amounts under them, split value columns, a value
    cell formatted as a percentage beside 度量单位 "%", a 项目编码 to skip, signature lines under the table."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active

    def put(r, c, v, rs=1, cs=1):
        ws.cell(r, c, v)
        if rs > 1 or cs > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + rs - 1, end_column=c + cs - 1)

    put(1, 1, "2025年度项目支出绩效目标申报表", 1, 8)
    put(2, 1, "金额单位：万元", 1, 8)
    put(3, 1, "项目名称"), put(3, 2, "2025年河道保洁", 1, 3), put(3, 5, "项目编码"), put(3, 6, "64000025R0001", 1, 3)
    put(4, 1, "主管部门"), put(4, 2, "某县水务局", 1, 3), put(4, 5, "实施单位"), put(4, 6, "某县河湖管理所", 1, 3)
    put(5, 1, "项目资金", 2, 1), put(5, 2, "年度资金总额", 1, 2), put(5, 4, "财政拨款", 1, 2), put(5, 6, "其他资金", 1, 3)
    put(6, 2, 86.5, 1, 2), put(6, 4, 80, 1, 2), put(6, 6, 6.5, 1, 3)
    put(7, 1, "年度绩效目标"), put(7, 2, "完成120公里河道日常保洁。", 1, 7)
    for c, label in enumerate(["一级指标", "二级指标", "三级指标", None, "指标性质", "指标值", "度量单位", "权重"], 1):
        if label:
            put(8, c, label, 1, 2 if label == "三级指标" else 1)
    put(9, 1, "产出指标", 2), put(9, 2, "数量指标"), put(9, 3, "保洁河道长度", 1, 2)
    put(9, 5, "≥"), put(9, 6, 120), put(9, 7, "公里"), put(9, 8, 50)
    put(10, 2, "质量指标"), put(10, 3, "漂浮物清理及时率", 1, 2), put(10, 5, "≥"), put(10, 6, 0.95), put(10, 7, "%")
    ws.cell(10, 6).number_format = "0%"
    put(11, 1, "满意度指标"), put(11, 2, "服务对象满意度指标"), put(11, 3, "沿河群众满意度", 1, 2)
    put(11, 5, "≥"), put(11, 6, 90), put(11, 7, "%")
    put(12, 1, "填报人：李四"), put(12, 4, "联系电话：12345")
    buffer = io.BytesIO()
    wb.save(buffer)
    [parsed] = parse_bytes(buffer.getvalue(), "申报.xlsx").tables
    t = parsed.table
    assert (t.project.name, t.project.year, t.project.department, t.project.implementing_unit) == (
        "2025年河道保洁", 2025, "某县水务局", "某县河湖管理所")
    assert (t.funding.total, t.funding.fiscal, t.funding.other) == (86.5, 80.0, 6.5)
    assert rows_of(t) == [
        ("产出指标", "数量指标", "保洁河道长度", "≥120公里"),
        ("产出指标", "质量指标", "漂浮物清理及时率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "沿河群众满意度", "≥90%"),
    ]
