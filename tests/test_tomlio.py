"""TOML I/O: strict, helpful loading; deterministic atomic writing; byte-identical round-trip."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import tomlio
from assistant.framework import default_framework
from assistant.model import Funding, Indicator, Project, Source, Table
from assistant.paths import bundled_knowledge

CORPUS = sorted((bundled_knowledge() / "tables").glob("*.toml"))

GOOD = """schema = 1

[project]
name = "2024年村委会办公经费"
year = 2024
department = "平罗县头闸镇人民政府"
department_code = "049"
implementing_unit = "平罗县头闸镇人民政府本级"
attribute = "0101-一年期项目"
period = "1年"
goal = "保障村级组织各项日常工作的有效运转。"

[funding]
total = 36.0
fiscal = 36.0
other = 0.0

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "村委会个数"
value = "12个"

[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "村级治理规范有序"
value = "有效提升"
"""


def test_good_file_loads_and_writes_back_identically(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(GOOD, encoding="utf-8")
    table = tomlio.load(path)
    assert table.project.department_code == "049"
    assert table.funding == Funding(36.0, 36.0, 0.0)
    assert table.indicators[1] == Indicator("效益指标", "社会效益指标", "村级治理规范有序", "有效提升")
    assert table.source is None
    assert tomlio.dumps(table) == GOOD


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_bundled_file_round_trips_byte_identical(path, tmp_path):
    table = tomlio.load(path)
    out = tmp_path / path.name
    tomlio.write(out, table)
    assert out.read_bytes() == path.read_bytes()


def test_bundled_corpus_is_all_15_tables():
    assert len(CORPUS) == 15


# ------------------------------------------------------------------------------------ strict loading
def _error(tmp_path: Path, text: str) -> tomlio.TableFileError:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tomlio.TableFileError) as info:
        tomlio.load(path)
    return info.value


@pytest.mark.parametrize(
    "old,new,key,line,message",
    [
        (
            'period = "1年"\n',
            'period = "1年"\nowner = "张三"\n',
            "project.owner",
            11,
            "未知的键「owner」（此处可用的键：name、year、department、department_code、implementing_unit、attribute、period、goal）。",
        ),
        ("year = 2024", 'year = "2024"', "project.year", 5, "应为整数年份，实际是文本。"),
        ("total = 36.0", 'total = "36"', "funding.total", 14, "应为数字（万元），实际是文本。"),
        ('department_code = "049"', "department_code = 49", "project.department_code", 7, "应为文本，实际是整数。"),
        ('value = "12个"\n', "", "indicators[0].value", 18, "缺少必填的键「value」（文本）。"),
        (
            'level2 = "社会效益指标"',
            'level2 = "质量指标"',
            "indicators[1].level2",
            26,
            "二级指标「质量指标」不属于一级指标「效益指标」（应在：产出指标）。",
        ),
        ('level2 = "数量指标"', 'level2 = "数量"', "indicators[0].level2", 20, None),
        ('level1 = "产出指标"', 'level1 = "产出"', "indicators[0].level1", 19, None),
        ("schema = 1", "schema = 2", "schema", 1, "文件格式版本 2 比本程序支持的版本 1 新，请升级 jixiao。"),
        ("fiscal = 36.0", "fiscal = true", "funding.fiscal", 15, "应为数字（万元），实际是布尔值。"),
    ],
)
def test_strict_errors_name_file_key_and_line(tmp_path, old, new, key, line, message):
    assert old in GOOD
    err = _error(tmp_path, GOOD.replace(old, new, 1))
    assert (err.key, err.line) == (key, line)
    if message:
        assert err.message == message
    text = str(err)
    assert text.startswith(f"{tmp_path / 'bad.toml'}:{line}: 键「{key}」：")


def test_missing_section(tmp_path):
    text = GOOD[: GOOD.index("[funding]")] + GOOD[GOOD.index("[[indicators]]") :]
    err = _error(tmp_path, text)
    assert (err.key, err.message) == ("funding", "缺少「[funding]」部分。")


def test_unknown_top_level_key(tmp_path):
    err = _error(tmp_path, GOOD.replace("schema = 1\n", "schema = 1\nnotes = 1\n"))
    assert (err.key, err.line) == ("notes", 2)
    assert err.message.startswith("未知的键「notes」")


def test_syntax_error_has_line_and_chinese_message(tmp_path):
    err = _error(tmp_path, GOOD.replace('name = "村委会个数"', "name = 村委会个数"))
    assert err.line == 21
    assert err.message.startswith("第 8 列，值的写法不对")
    assert str(err).startswith(f"{tmp_path / 'bad.toml'}:21: ")


def test_unclosed_string(tmp_path):
    err = _error(tmp_path, GOOD.replace('period = "1年"', 'period = "1年'))
    assert err.line == 10 and err.message.startswith("第 13 列，引号没有闭合")


BROKEN = [
    GOOD.replace('name = "村委会个数"', "name = 村委会个数"),
    GOOD.replace('period = "1年"', 'period = "1年'),
    GOOD + "\n[project]\n",
    GOOD.replace("[funding]", "[funding]\ntotal = {a = 1,\n b = 2,}"),  # TOML 1.1 only: both parsers refuse it
    GOOD.replace('period = "1年"', 'period = "\\e"'),
    "a = " + "[" * 2000,
]


@pytest.mark.parametrize("text", BROKEN)
def test_stdlib_parser_gives_the_same_errors(text, monkeypatch):
    """The compiled tomli and the stdlib tomllib (the fallback) accept the same files and fail with the same words."""
    import tomllib

    def error() -> str:
        with pytest.raises(tomlio.TableFileError) as caught:
            tomlio.parse_toml(text, "bad.toml")
        return str(caught.value)

    fast = error()
    monkeypatch.setattr(tomlio, "_toml", tomllib)
    assert error() == fast
    assert fast.startswith("bad.toml:")


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(GOOD.encode("gb18030"))
    with pytest.raises(tomlio.TableFileError) as info:
        tomlio.load(path)
    assert info.value.line == 4
    assert "不是 UTF-8" in info.value.message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(tomlio.TableFileError, match="找不到这个文件"):
        tomlio.load(tmp_path / "nope.toml")
    with pytest.raises(tomlio.TableFileError, match="这是一个文件夹"):
        tomlio.load(tmp_path)


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert tomlio.load(path).project.name == "2024年村委会办公经费"


def test_integer_amounts_are_read_as_numbers(tmp_path):
    path = tmp_path / "int.toml"
    path.write_text(GOOD.replace("total = 36.0", "total = 36"), encoding="utf-8")
    table = tomlio.load(path)
    assert table.funding.total == 36.0 and isinstance(table.funding.total, float)


# ------------------------------------------------------------------------------------------- writing
def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    table = tomlio.loads(GOOD)
    target = tmp_path / "sub" / "out.toml"
    tomlio.write(target, table)
    assert target.read_text(encoding="utf-8") == GOOD
    assert os.listdir(target.parent) == ["out.toml"]


def test_write_new_never_replaces_different_content(tmp_path):
    table = tomlio.loads(GOOD)
    target = tmp_path / "out.toml"
    target.write_text("我的草稿", encoding="utf-8")
    assert tomlio.write_new(target, table) == "exists"
    assert target.read_text(encoding="utf-8") == "我的草稿"
    assert tomlio.write_new(target, table, force=True) == "written"
    assert tomlio.write_new(target, table) == "unchanged"


# ------------------------------------------------------------------------- round-trip property test
_levels = [(l1, l2) for l2, spec in default_framework().level2.items() for l1 in spec.level1]
_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("村委会办公经费≥≤％，。“”'\"\\\n\r\t😀🏛️[]{}#=")),
    ),
    max_size=40,
)
_float = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e-300, 1e300, 184.032, 0.1 + 0.2])


_review = st.just("") | _text  # the optional `review` note: mostly absent, any text when present


@st.composite
def tables(draw) -> Table:
    indicators = [
        Indicator(l1, l2, draw(_text), draw(_text), review=draw(_review))
        for l1, l2 in draw(st.lists(st.sampled_from(_levels), max_size=6))
    ]
    source = draw(st.none() | st.builds(Source, _text, st.integers(min_value=-(2**63), max_value=2**63 - 1)))
    return Table(
        Project(
            *(draw(_text) for _ in range(1)),
            draw(st.integers(1900, 2200)),
            *(draw(_text) for _ in range(6)),
            review=draw(_review),
        ),
        Funding(draw(_float), draw(_float), draw(_float), review=draw(_review)),
        indicators,
        source,
    )


def _same_float(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_round_trip_property(table):
    text = tomlio.dumps(table)
    again = tomlio.loads(text)
    assert tomlio.dumps(again) == text  # byte-identical
    assert again.project == table.project and again.indicators == table.indicators and again.source == table.source
    assert again.funding.review == table.funding.review
    for key in ("total", "fiscal", "other"):
        assert _same_float(getattr(again.funding, key), getattr(table.funding, key))


# ------------------------------------------------------------------ optional review notes (renew)
REVIEWED = (
    GOOD.replace('goal = "保障村级组织各项日常工作的有效运转。"\n', 'goal = "保障村级组织各项日常工作的有效运转。"\nreview = "请核实"\n')
    .replace("other = 0.0\n", 'other = 0.0\nreview = "沿用上年数值，请核实"\n')
    .replace('value = "12个"\n', 'value = "12个"\nreview = "沿用上年数值，请核实"\n')
)


def test_review_notes_are_optional_and_round_trip():
    table = tomlio.loads(REVIEWED)
    assert table.project.review == "请核实"
    assert table.funding.review == "沿用上年数值，请核实"
    assert [i.review for i in table.indicators] == ["沿用上年数值，请核实", ""]
    assert tomlio.dumps(table) == REVIEWED  # written after the section's other keys, only where set
    assert tomlio.loads(GOOD).funding.review == ""  # files without the key load as before


def test_review_note_must_be_text(tmp_path):
    err = _error(tmp_path, REVIEWED.replace('review = "沿用上年数值，请核实"\n\n[[indicators]]', "review = 1\n\n[[indicators]]", 1))
    assert (err.key, err.line, err.message) == ("funding.review", 18, "应为文本，实际是整数。")
    err = _error(tmp_path, GOOD.replace('value = "有效提升"', 'value = "有效提升"\nreview = true'))
    assert (err.key, err.message) == ("indicators[1].review", "应为文本，实际是布尔值。")


def test_review_is_not_allowed_in_source(tmp_path):
    text = GOOD + '\n[source]\ndocument = "a.txt"\ntable = 1\nreview = "x"\n'
    err = _error(tmp_path, text)
    assert err.key == "source.review" and err.message.startswith("未知的键「review」")


def test_atomic_write_keeps_permissions(tmp_path):
    target = tmp_path / "a.toml"
    tomlio.write(target, tomlio.loads(GOOD))
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()
    target.chmod(0o640)
    tomlio.write(target, tomlio.loads(GOOD))
    assert (target.stat().st_mode & 0o777) == 0o640


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
