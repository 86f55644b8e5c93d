"""Layouts neither the seed nor the six real samples show (tests/data/layouts, text and expected content written
by hand), and the seed re-shaped into every text shape users paste."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from assistant.ingest import parse_file, parse_text

from . import render
from .conftest import DATA
from .seed_tables import seed

LAYOUTS = DATA / "layouts"
NAMES = sorted(p.stem for p in LAYOUTS.glob("*.txt"))


def _fields(obj) -> dict:
    return {k: v for k, v in asdict(obj).items() if k != "review"}


@pytest.mark.parametrize("name", NAMES)
def test_layout_reads_exactly(name):
    want = json.loads((LAYOUTS / f"{name}.json").read_text(encoding="utf-8"))
    result = parse_file(LAYOUTS / f"{name}.txt")
    assert all("未填写" in p.message for p in result.problems), result.problems  # only what the form lacks
    tables = want.get("tables", [want])
    assert len(result.tables) == len(tables)
    for parsed, expected in zip(result.tables, tables):
        assert _fields(parsed.table.project) == expected["project"]
        assert _fields(parsed.table.funding) == expected["funding"]
        assert [_fields(i) for i in parsed.table.indicators] == expected["indicators"]


SEED = [seed(n) for n in range(1, 16)]


def _rows(t):
    return [(i.level1, i.level2, i.name, i.value) for i in t.indicators]


@pytest.mark.parametrize("shape", ["tab", "bar", "space", "line"])
def test_seed_in_every_text_shape_reads_back_equal(shape):
    result = parse_text(render.text_shape(SEED, shape), "粘贴.txt")
    assert len(result.tables) == 15
    for want, parsed in zip(SEED, result.tables):
        assert parsed.table.project == want.project
        assert parsed.table.funding == want.funding
        assert _rows(parsed.table) == _rows(want)
    assert [p.message for p in result.problems] == ["三级指标「群众满意度」没有指标值。"]


def test_seed_run_together_reads_every_header_and_nearly_every_row():
    """With no separator at all a value is found by its shape or a graded word; a few of the seed's own
    wordings (一日三餐, 按时足额 after another 三级) cannot be told from the name. Every header field is right,
    and at least 95% of the rows."""
    result = parse_text(render.text_shape(SEED, "joined"), "连在一起.txt")
    assert len(result.tables) == 15
    right = total = 0
    for want, parsed in zip(SEED, result.tables):
        assert parsed.table.project == want.project
        assert parsed.table.funding == want.funding
        got = set(_rows(parsed.table))
        total += len(want.indicators)
        right += sum(r in got for r in _rows(want))
    assert right / total >= 0.95, (right, total)


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("产出指标数量指标农村义务教育学校改造覆盖率100%", ["产出指标", "数量指标", "农村义务教育学校改造覆盖率", "100%"]),
        ("时效指标完工时间2024年10月底前", ["时效指标", "完工时间", "2024年10月底前"]),
        ("社会效益指标受益村干部60人逐步提升", ["社会效益指标", "受益村干部60人", "逐步提升"]),
        ("主管部门及代码某局012实施单位某局本级", ["主管部门及代码", "某局012", "实施单位", "某局本级"]),
        ("年度总体目标确保项目资金专款专用", ["年度总体目标", "确保项目资金专款专用"]),
    ],
)
def test_run_together_lines_split_on_labels_and_value_shapes(line, cells):
    from assistant.ingest.text import split_run_together

    assert [c.text for c in split_run_together(line)] == cells


def test_captions_broken_one_character_a_line_are_not_content():
    text = (
        "项目支出绩效目标表\n（2024年度）\n项目名称\t2024年测试项目\n主管部门\t某局\n"
        "项\t年度资金总额\t10.00\n目\t其中：财政拨款\t10.00\n资\t其他资金\t0\n金\n"
        "年度目标\t完成测试。\n"
        "绩\t一级指标\t二级指标\t三级指标\t指标值\n"
        "效\t产出指标\t数量指标\t测试次数\t≥3次\n"
        "指\t\t质量指标\t合格率\t100%\n"
        "标\t满意度指标\t服务对象满意度指标\t满意度\t≥90%\n"
    )
    [parsed] = parse_text(text, "t.txt").tables
    t = parsed.table
    assert (t.funding.total, t.funding.fiscal, t.funding.other) == (10.0, 10.0, 0.0)
    assert _rows(t) == [
        ("产出指标", "数量指标", "测试次数", "≥3次"),
        ("产出指标", "质量指标", "合格率", "100%"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    ]


def test_year_from_period_when_the_form_names_none():
    text = (
        "项目名称\t雾炮车降尘服务\n预算部门\t某处\n项目期\t2023.07-2024.01\n年度资金总额\t250\n"
        "年度目标\t空气质量达到优良。\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t车辆数\t10辆\n"
    )
    result = parse_text(text, "t.txt")
    [parsed] = result.tables
    assert parsed.table.project.year == 2023
    assert "「雾炮车降尘服务」没有写明预算年度，按「项目期」中的 2023 年读取，请核对。" in [p.message for p in result.problems]


def test_title_repeated_on_the_next_page_continues_the_table():
    text = (
        "项目支出绩效目标表\n（2024年度）\n项目名称\t2024年测试项目\n主管部门\t某局\n年度资金总额\t10\n"
        "年度目标\t完成测试。\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t测试次数\t≥3次\n"
        "项目支出绩效目标表\n（2024年度）\n一级指标\t二级指标\t三级指标\t指标值\n"
        "满意度指标\t服务对象满意度指标\t满意度\t≥90%\n"
    )
    result = parse_text(text, "t.txt")
    [parsed] = result.tables
    assert _rows(parsed.table) == [
        ("产出指标", "数量指标", "测试次数", "≥3次"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    ]
