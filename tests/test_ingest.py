"""One test per irregularity the seed shows (issue 3), on small tables written here."""

from __future__ import annotations

import codecs

import pytest

from assistant.ingest import decode, parse_text

T = "\t"


def table(*indicator_rows: str, header: str | None = None, goal: str = "保障村级组织正常运转。") -> str:
    head = header or (
        "部门项目支出预算绩效目标表\t\t\t\n"
        "(2024 年度)\t\t\t\n"
        "项目名称\t\t2024 年村委会办公经费\t\n"
        "主管部门及代码\t\t平罗县头闸镇人民政府 049\t实施单位\t平罗县头闸镇人民政府本级\n"
        "项目属性\t\t0101-一年期项目\t项目期\t1 年\n"
        "项目资金 (万元)\t年度资金总额：\t\t36.00\t\n"
        "\t其中：财政拨款\t\t36.00\t\n"
        "\t其他资金\t\t\t\n"
        f"年度总体目标\t{goal}\t\t\n"
    )
    return head + "名称\t一级指标\t二级指标\t三级指标\t指标值\n" + "\n".join(indicator_rows) + "\n"


def one(text: str):
    result = parse_text(text, "t.txt")
    assert len(result.tables) == 1, result.problems
    return result.tables[0].table, result.problems


def rows(t):
    return [(i.level1, i.level2, i.name, i.value) for i in t.indicators]


def test_header_fields_and_code_in_department_cell():
    t, problems = one(table("绩效指标\t产出指标\t数量指标（必填硬性指标）\t村委会个数\t12 个"))
    p = t.project
    assert (p.name, p.year, p.department, p.department_code) == ("2024年村委会办公经费", 2024, "平罗县头闸镇人民政府", "049")
    assert (p.implementing_unit, p.attribute, p.period) == ("平罗县头闸镇人民政府本级", "0101-一年期项目", "1年")
    assert (t.funding.total, t.funding.fiscal, t.funding.other) == (36.0, 36.0, 0.0)
    assert problems == []


@pytest.mark.parametrize("shift", [0, 1, 2])
def test_cells_shifted_by_tab_columns(shift):
    pad = T * shift
    text = table(
        f"{pad}绩效指标\t产出指标\t数量指标\t村委会个数\t12个",
        f"{pad}\t\t\t组织村组干部培训\t147人次",
        f"\t\t{pad}质量指标\t上级部门考核情况\t良好",
    )
    t, _ = one(text)
    assert rows(t) == [
        ("产出指标", "数量指标", "村委会个数", "12个"),
        ("产出指标", "数量指标", "组织村组干部培训", "147人次"),
        ("产出指标", "质量指标", "上级部门考核情况", "良好"),
    ]


@pytest.mark.parametrize(
    "label,marker",
    [("年度资金总额：", "（必填硬性指标）"), ("年度资金总额:", "(必填硬性指标)"), ("年度资金总额", ""), ("年度资金总额 ：", "（必填)")],
)
def test_colons_and_markers_in_both_widths(label, marker):
    text = table(f"绩效指标\t产出指标\t数量指标{marker}\t村委会个数\t12个").replace("年度资金总额：", label)
    t, _ = one(text)
    assert t.funding.total == 36.0
    assert t.indicators[0].level2 == "数量指标"


def test_level1_on_wrong_row_is_derived_from_level2():
    """表1 prints 效益指标 beside 成本指标 and 满意度指标 beside 可持续影响指标."""
    t, _ = one(
        table(
            "\t\t时效指标（必填）\t项目完成时限\t2024 年 12 月",
            "\t效益指标\t成本指标（必填硬性指标）\t经费补助标准\t3 万元/村/年",
            "\t\t经济效益指标（必填）\t村集体经济收入\t显著提升",
            "\t满意度指标\t可持续影响指标（必填）\t村干部队伍稳定\t明显改变",
            "\t\t\t服务对象满意度指标（必填）\t群众满意度\t≥95%",
        )
    )
    assert [(i.level1, i.level2) for i in t.indicators] == [
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


def test_cost_as_its_own_level1_is_kept():
    t, _ = one(table("\t成本指标\t经济成本指标\t村级办公经费\t≤36万元", "\t产出指标\t成本指标\t经费补助标准\t3万元/村/年"))
    assert rows(t) == [
        ("成本指标", "经济成本指标", "村级办公经费", "≤36万元"),
        ("产出指标", "成本指标", "经费补助标准", "3万元/村/年"),
    ]


def test_continuation_rows_and_lost_leading_tabs():
    """表4: "组织党员教育培训\t260 元/次" lost its tabs after a page break and still belongs to 成本指标."""
    t, _ = one(
        table(
            "\t\t成本指标(必填硬性指标)\t社区党组织建设工作经费标准\t2 万元/年",
            "\t\t\t组织开展主题党员活动\t350 元/次",
            "组织党员教育培训\t260 元/次\t\t\t",
            "",
            "\t效益指标\t社会效益指标（必填）\t健全党的组织生活\t明显提高",
            "\t激发党务工作者积极性\t\t充分调动\t",
        )
    )
    assert rows(t) == [
        ("产出指标", "成本指标", "社区党组织建设工作经费标准", "2万元/年"),
        ("产出指标", "成本指标", "组织开展主题党员活动", "350元/次"),
        ("产出指标", "成本指标", "组织党员教育培训", "260元/次"),
        ("效益指标", "社会效益指标", "健全党的组织生活", "明显提高"),
        ("效益指标", "社会效益指标", "激发党务工作者积极性", "充分调动"),
    ]


def test_missing_value_is_kept_empty_and_reported():
    text = table("\t满意度指标\t服务对象满意度指标（必填）\t群众满意度")
    t, problems = one(text)
    assert rows(t) == [("满意度指标", "服务对象满意度指标", "群众满意度", "")]
    line = text.splitlines().index("\t满意度指标\t服务对象满意度指标（必填）\t群众满意度") + 1
    assert [(p.line, p.message) for p in problems] == [(line, "三级指标「群众满意度」没有指标值。")]


def test_pdf_spaces_between_digits_and_cjk_removed_everywhere():
    t, _ = one(
        table(
            "\t产出指标\t时效指标\t2024 年全年\t12 个月",
            "\t\t\t受益村干部人数 60 人\t≥ 95 %",
            goal="2024 年保障 12 个村正常运转",
        )
    )
    assert t.project.name == "2024年村委会办公经费"
    assert t.project.goal == "2024年保障12个村正常运转"
    assert rows(t) == [("产出指标", "时效指标", "2024年全年", "12个月"), ("产出指标", "时效指标", "受益村干部人数60人", "≥95%")]


def test_wrapped_goal_and_name_are_joined():
    header = (
        "部门项目支出预算绩效目标表\n(2024 年度)\n"
        "项目名称\t\t2024 年村级组织办公经费\n\t\t自治区补助资金\n"
        "主管部门及代码\t\t平罗县头闸镇人民政府 049\t实施单位\t平罗县头闸镇人民政府本级\n"
        "项目属性\t\t0101-一年期项目\t项目期\t1 年\n"
        "项目资金 (万元)\t年度资金总额:\t\t36.00\n\t其中:财政拨款\t\t36.00\n\t其他资金\n"
        "年度总体目标\t保障村级组织各项日常工作的有效运转，\n\t充分发挥基层党组织战斗堡垒作用。\n"
    )
    t, _ = one(table("\t产出指标\t数量指标\t保障运转村个数\t12 个", header=header))
    assert t.project.name == "2024年村级组织办公经费自治区补助资金"
    assert t.project.goal == "保障村级组织各项日常工作的有效运转，充分发挥基层党组织战斗堡垒作用。"


def test_budget_year_from_header_line_wins_over_name():
    text = table("\t产出指标\t数量指标\t村委会个数\t12个").replace("(2024 年度)", "(2025 年度)")
    t, _ = one(text)
    assert t.project.year == 2025
    assert t.project.name == "2024年村委会办公经费"


def test_crlf_bom_fullwidth_digits_and_blank_lines():
    text = table("\t产出指标\t数量指标\t村委会个数\t１２个", "", "", "\t\t质量指标\t发放率\t１００%")
    data = codecs.BOM_UTF8 + text.replace("36.00", "３６.００").replace("\n", "\r\n\r\n").encode("utf-8")
    decoded, problems = decode(data)
    assert problems == []
    t, _ = one(decoded)
    assert t.funding.total == 36.0
    assert rows(t)[0][3] == "12个" and rows(t)[1][3] == "100%"


def test_gbk_file_is_read_with_a_notice():
    text, problems = decode(table("\t产出指标\t数量指标\t村委会个数\t12个").encode("gb18030"))
    assert "村委会个数" in text
    assert [p.line for p in problems] == [0] and "GB18030" in problems[0].message


def test_amounts_in_yuan_with_thousands_separators():
    text = table("\t产出指标\t数量指标\t村委会个数\t12个").replace("项目资金 (万元)", "项目资金 (元)")
    text = text.replace("36.00", "360,000.00")
    t, _ = one(text)
    assert (t.funding.total, t.funding.fiscal) == (36.0, 36.0)


def test_code_before_department_in_brackets():
    text = table("\t产出指标\t数量指标\t村委会个数\t12个").replace("平罗县头闸镇人民政府 049", "【812033】平罗县头闸镇人民政府")
    t, _ = one(text)
    assert (t.project.department, t.project.department_code) == ("平罗县头闸镇人民政府", "812033")


def test_split_value_columns_are_joined():
    header_row = "名称\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重"
    text = table(
        "\t产出指标\t数量指标\t村委会个数\t＝\t12\t个\t10",
        "\t满意度指标\t服务对象满意度指标\t群众满意度\t≥\t95\t%\t10",
        "\t效益指标\t社会效益指标\t治理能力\t定性\t优良中低差\t\t10",
    ).replace("名称\t一级指标\t二级指标\t三级指标\t指标值", header_row)
    t, _ = one(text)
    assert [i.value for i in t.indicators] == ["12个", "≥95%", "优良中低差"]


def test_two_tables_without_markers_and_a_second_name_splits():
    first = table("\t产出指标\t数量指标\t村委会个数\t12个")
    second = first.replace("村委会办公经费", "城乡社区运转经费").replace("部门项目支出预算绩效目标表\t\t\t\n", "")
    result = parse_text(first + second, "two.txt")
    assert [p.table.project.name for p in result.tables] == ["2024年村委会办公经费", "2024年城乡社区运转经费"]
    assert [p.table.source.table for p in result.tables] == [1, 2]


@pytest.mark.parametrize(
    "text",
    ["", "\n\n\t\t\n", "hello world", "项目名称", "\x00\x01\x02", "名称\t一级指标\t二级指标\t三级指标\t指标值\n\t\t\t村委会个数\t12个"],
)
def test_no_table_is_no_exception(text):
    result = parse_text(text, "bad.txt")
    assert result.tables == []
    assert all(isinstance(p.line, int) and p.message for p in result.problems)


def test_unknown_text_in_header_is_reported_with_line():
    text = table("\t产出指标\t数量指标\t村委会个数\t12个").replace("(2024 年度)\t\t\t\n", "(2024 年度)\t\t\t\n说明文字随便写\n")
    result = parse_text(text, "t.txt")
    assert [p.table.project.name for p in result.tables] == ["2024年村委会办公经费"]
