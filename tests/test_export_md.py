"""Markdown export: the published table as Markdown, checked against golden files in tests/data."""

from __future__ import annotations

from assistant import tomlio
from assistant.export import amount_decimals, format_amount, number_format
from assistant.export.md import cell, markdown
from assistant.model import Funding, Indicator, Project, Table

from .conftest import DATA
from .seed_tables import seed, seed_path


def test_table_5_matches_golden():
    assert markdown([seed(5)]) == (DATA / "export_表5.md").read_text(encoding="utf-8")


def test_two_tables_one_document_in_order_golden():
    # 表1 has a row without a value and blocks of one to three rows; 表4 a 成本 block of four.
    text = markdown([tomlio.load(seed_path(1)), tomlio.load(seed_path(4))])
    assert text == (DATA / "export_表1_表4.md").read_text(encoding="utf-8")


def test_every_bundled_table_exports(tmp_path):
    for number in range(1, 16):
        table = seed(number)
        text = markdown([table])
        assert f"| 项目名称 | {table.project.name} |" in text
        rows = [line for line in text.splitlines() if line.startswith("| ") and line.count(" | ") == 3]
        assert len(rows) == len(table.indicators) + 2  # header and delimiter rows, then one row per indicator


def test_cells_are_escaped_and_line_breaks_kept():
    assert cell("a|b") == "a\\|b"
    assert cell("第一段\n第二段\r\n第三段") == "第一段<br>第二段<br>第三段"
    assert cell(" *重点* _x_ `c` \\ ") == "\\*重点\\* \\_x\\_ \\`c\\` \\\\"


def test_a_tricky_table():
    table = Table(
        Project("2025年A|B项目", 2025, "某局", "", "某局本级", "0101-一年期项目", "1年", "第一句。\n第二句。"),
        Funding(16.7076, 16.7076, 0.0),
        [
            Indicator("产出指标", "数量指标", "人数", "3人"),
            Indicator("成本指标", "经济成本指标", "标准", "4641元/人/月"),
            Indicator("成本指标", "经济成本指标", "总额", "≤16.7076万元"),
        ],
    )
    assert markdown([table]) == (
        "## 部门项目支出预算绩效目标表\n\n(2025年度)\n\n"
        "| 项目名称 | 2025年A\\|B项目 |\n| --- | --- |\n"
        "| 主管部门及代码 | 某局 |\n| 实施单位 | 某局本级 |\n| 项目属性 | 0101-一年期项目 |\n| 项目期 | 1年 |\n"
        "| 项目资金（万元） | 年度资金总额：16.7076 |\n|  | 其中：财政拨款：16.7076 |\n|  | 其他资金：0.00 |\n"
        "| 年度总体目标 | 第一句。<br>第二句。 |\n\n"
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n| --- | --- | --- | --- |\n"
        "| 产出指标 | 数量指标 | 人数 | 3人 |\n"
        "| 成本指标 | 经济成本指标 | 标准 | 4641元/人/月 |\n"
        "|  |  | 总额 | ≤16.7076万元 |\n"
    )


def test_amounts_keep_two_or_more_decimals():
    assert [format_amount(x) for x in (36.0, 184.032, 16.7076, 0.18, 0, 5.9314, 0.1 + 0.2)] == [
        "36.00", "184.032", "16.7076", "0.18", "0.00", "5.9314", "0.30",
    ]
    assert [number_format(x) for x in (36.0, 184.032, 16.7076)] == ["0.00", "0.000", "0.0000"]
    assert amount_decimals(float("nan")) == 2 and format_amount(float("inf")) == "inf"


def test_html_and_links_from_a_file_stay_text():
    # A table from a shared corpus is untrusted: rendered Markdown must not run HTML or follow links.
    assert cell('<img src=x onerror="alert(1)">') == '&lt;img src=x onerror="alert(1)"&gt;'
    assert cell("[点我](javascript:alert(1))") == "\\[点我\\](javascript:alert(1))"
    assert cell("A&B") == "A&amp;B"
    table = Table(
        project=Project(name="<script>alert(1)</script>", year=2024, department="x", goal="<b>目标</b>"),
        funding=Funding(total=1.0, fiscal=1.0),
        indicators=[Indicator("产出指标", "数量指标", "[a](javascript:x)", "<i>1</i>个")],
    )
    text = markdown([table])
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "](javascript:" not in text.replace("\\](javascript:", "")
