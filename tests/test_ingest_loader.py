"""Loading is as tolerant as ingest (issue 11 item 4): every level alias loads, normalised; 满意度 under
效益指标 moves to 满意度指标; a truly unknown 二级 is still an error with file, key and line. And every real
table, ingested and written, loads in check, export and renew."""

from __future__ import annotations

import pytest

from assistant import cli, tomlio
from assistant.ingest import parse_file

from .conftest import DATA

HEAD = """schema = 1

[project]
name = "2025年测试项目"
year = 2025
department = "某局"
department_code = ""
implementing_unit = ""
attribute = ""
period = "1年"
goal = "目标。"

[funding]
total = 1.0
fiscal = 1.0
other = 0.0

[[indicators]]
level1 = "{l1}"
level2 = "{l2}"
name = "受益人满意度"
value = "≥90%"
"""


@pytest.mark.parametrize(
    ("l1", "l2", "want"),
    [
        ("满意度指标", "满意度指标", ("满意度指标", "服务对象满意度指标")),
        ("满意度指标", "服务对象满意度", ("满意度指标", "服务对象满意度指标")),
        ("效益指标", "社会公众或服务对象满意度指标", ("满意度指标", "服务对象满意度指标")),
        ("效益指标", "服务对象满意度指标", ("满意度指标", "服务对象满意度指标")),
        ("项目完成指标", "数量指标", ("产出指标", "数量指标")),
        ("产出值", "数量值", ("产出指标", "数量指标")),
        ("效益值", "社会效益值", ("效益指标", "社会效益指标")),
        ("项目效益指标", "可持续影响指标", ("效益指标", "可持续影响指标")),
        ("成本指标", "经济成本指标", ("成本指标", "经济成本指标")),
        ("产出指标", "成本指标", ("产出指标", "成本指标")),
        ("产出指标", "数量指标（必填）", ("产出指标", "数量指标")),
    ],
)
def test_aliases_load_normalised(l1, l2, want):
    table = tomlio.loads(HEAD.format(l1=l1, l2=l2), "t.toml")
    assert (table.indicators[0].level1, table.indicators[0].level2) == want


@pytest.mark.parametrize(
    ("l1", "l2", "key", "text"),
    [
        ("产出指标", "数量", "indicators[0].level2", "未知的二级指标「数量」"),
        ("产出指标", "好坏指标", "indicators[0].level2", "未知的二级指标「好坏指标」"),
        ("某某指标", "数量指标", "indicators[0].level1", "未知的一级指标「某某指标」"),
        ("效益指标", "数量指标", "indicators[0].level2", "不属于一级指标「效益指标」"),
    ],
)
def test_unknown_levels_are_errors_with_key_and_line(l1, l2, key, text):
    with pytest.raises(tomlio.TableFileError) as info:
        tomlio.loads(HEAD.format(l1=l1, l2=l2), "t.toml")
    err = info.value
    assert err.key == key and text in err.message
    assert err.line == (19 if key.endswith("level1") else 20)
    assert str(err).startswith("t.toml:")


REAL = sorted((DATA / "real").glob("*.txt"))


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_every_real_table_loads_in_check_export_and_renew(path, tmp_path, capsys):
    [parsed] = parse_file(path).tables
    target = tmp_path / "t.toml"
    tomlio.write(target, parsed.table)
    assert tomlio.load(target) == parsed.table
    assert cli.main(["check", str(target)]) in (0, 1)
    assert cli.main(["export", str(target), "-o", str(tmp_path / "t.md")]) == 0
    year = parsed.table.project.year + 1
    assert cli.main(["renew", str(target), "--year", str(year), "-o", str(tmp_path / "next.toml")]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "未知的" not in err


def test_hand_written_alias_file_checks(tmp_path, capsys):
    """A table typed with the form's own labels (满意度 under 效益) is checked, not refused."""
    path = tmp_path / "old.toml"
    path.write_text(HEAD.format(l1="效益指标", l2="社会公众或服务对象满意度指标"), encoding="utf-8")
    code = cli.main(["check", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "未知" not in err and "不属于" not in err
