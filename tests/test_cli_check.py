"""`jixiao check` as users and scripts see it: exit status, JSON shape, human output, unreadable input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant import cli, tomlio

from .seed_tables import seed, seed_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """表5 with four planted defects, in an otherwise empty folder that also serves as an empty corpus."""
    table = seed(5)
    table.project.implementing_unit = ""
    table.funding.total = 190.0
    table.indicators[2].value = "2023年12月底"
    table.indicators[9].value = "≥80%"
    (tmp_path / "empty").mkdir()
    tomlio.write(tmp_path / "planted.toml", table)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "planted.toml"


PLANTED_HUMAN = """\
检查 planted.toml：2024年村干部任职补贴（2024年度，10 条指标）
要求配置：seed-template，平罗县模板（有实施单位、项目属性、项目期；社会效益、可持续影响指标必填）。按表中内容自动识别，可用 --profile 指定。

错误 3 项（须改正，否则表格会被退回）
  1. 实施单位（project.implementing_unit）
     「实施单位」未填写。
     改法：填写具体实施项目的单位；部门自己实施的，写「……本级」。
  2. 年度资金总额（funding.total）
     年度资金总额190.00万元不等于财政拨款184.032万元与其他资金0.00万元之和184.032万元。
     改法：核对三个金额：年度资金总额 = 财政拨款 + 其他资金（单位都是万元，没有其他资金的填0）。
  3. 第3条指标「村干部任职补贴支出时限」的指标值（indicators[2].value）
     完成时间「2023年12月底」不在预算年度2024年内。
     改法：把完成时间改在2024年内，如「2024年12月31日前」；跨年度实施的，项目期应如实填写。

警告 7 项（审核时很可能被指出，请修改或准备说明）
  4. 第4条指标「村干部任职补贴标准」的指标值（indicators[3].value）
     成本标准测算金额184.032万元（2556元/人/月 × 60人 × 12月）与年度资金总额190.00万元不一致，相差5.968万元。
     改法：核对成本标准、数量和年度资金总额，三者应能相互印证：按年度资金总额反算，人数约为61.95人。标准只覆盖部分资金，或年中人员、月数有变动的，请在说明中写明测算依据。
  5. 第5条指标「村干部任职收入」的指标值（indicators[4].value）
     「有所增加」为笼统表述，建议量化，或采用分级分档表述并说明衡量方法。
     改法：尽量量化，如「较上年提高≥5%」「达标率≥95%」；不能量化的改用分级分档表述，如「优/良/中/差」，写明各档的判断标准和由谁评定（自评按达成年度指标、部分达成、未达成打分）。
  6. 第6条指标「受益村干部人数」的指标值（indicators[5].value）
     「受益村干部人数」的指标值「有效提高」无法衡量，应填写数值和单位（如「60人」「100%」）。
     改法：填写数字和计量单位，可加≥或≤，如「60人」「≥12次」；应与总体目标和成本标准对应。
  7. 第7条指标「完善乡村治理体系，提升乡村治理能力」的指标值（indicators[6].value）
     「显著提升」为笼统表述，建议量化，或采用分级分档表述并说明衡量方法。
     改法：尽量量化，如「较上年提高≥5%」「达标率≥95%」；不能量化的改用分级分档表述，如「优/良/中/差」，写明各档的判断标准和由谁评定（自评按达成年度指标、部分达成、未达成打分）。
  8. 第8条指标「基层村干部工作积极性」的指标值（indicators[7].value）
     「不断提高」为笼统表述，建议量化，或采用分级分档表述并说明衡量方法。
     改法：尽量量化，如「较上年提高≥5%」「达标率≥95%」；不能量化的改用分级分档表述，如「优/良/中/差」，写明各档的判断标准和由谁评定（自评按达成年度指标、部分达成、未达成打分）。
  9. 第9条指标「激励基层村干部担当作为」的指标值（indicators[8].value）
     「充分调动」为笼统表述，建议量化，或采用分级分档表述并说明衡量方法。
     改法：尽量量化，如「较上年提高≥5%」「达标率≥95%」；不能量化的改用分级分档表述，如「优/良/中/差」，写明各档的判断标准和由谁评定（自评按达成年度指标、部分达成、未达成打分）。
 10. 第10条指标「村干部满意度」的指标值（indicators[9].value）
     满意度目标「≥80%」低于90%。
     改法：满意度一般写为「≥90%」这样的下限；常见为≥85%至≥95%。

结果：3 个错误，7 个警告，0 条提示。请先改正错误再报送。
"""


def test_human_output_groups_by_severity_with_place_and_fix(capsys, planted):
    code, out, err = run(capsys, "--knowledge", "empty", "check", "planted.toml")
    assert (code, err) == (1, "")
    assert out == PLANTED_HUMAN


def test_json_shape(capsys, planted):
    code, out, _ = run(capsys, "--knowledge", "empty", "check", "planted.toml", "--json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["findings", "confirmations", "profile"]
    assert data["profile"] == "seed-template" and data["confirmations"] == []  # the cost standard no longer matches
    assert data["findings"][0] == {
        "severity": "error",
        "code": "required-field",
        "message": "「实施单位」未填写。",
        "where": "project.implementing_unit",
        "fix": "填写具体实施项目的单位；部门自己实施的，写「……本级」。",
        "location": "实施单位",
    }
    assert [(f["severity"], f["code"], f["where"]) for f in data["findings"][:6]] == [
        ("error", "required-field", "project.implementing_unit"),
        ("error", "funding-sum", "funding.total"),
        ("error", "deadline-outside-year", "indicators[2].value"),
        ("warning", "cost-product", "indicators[3].value"),
        ("warning", "vague-benefit", "indicators[4].value"),
        ("warning", "vague-quantity", "indicators[5].value"),
    ]
    assert all(set(f) >= {"severity", "code", "message", "where"} for f in data["findings"])


def test_exit_0_without_errors(capsys):
    code, out, err = run(capsys, "check", str(seed_path(11)))
    assert code == 0 and err == ""
    assert out.rstrip().endswith("结果：0 个错误，6 个警告，1 条提示。没有错误；警告请修改或准备说明。")


def test_confirmations_are_check_lines_not_findings(capsys):
    code, out, _ = run(capsys, "check", str(seed_path(5)))
    assert code == 0
    assert "核对无误 1 项\n  ✓ 按成本标准测算：2556元/人/月 × 60人 × 12月 = 184.032万元，与年度资金总额184.032万元相符。\n" in out
    assert out.rstrip().endswith("结果：0 个错误，5 个警告，1 条提示。没有错误；警告请修改或准备说明。")
    _, out, _ = run(capsys, "check", str(seed_path(5)), "--json")
    data = json.loads(out)
    assert not [f for f in data["findings"] if "相符" in f["message"]]
    assert data["confirmations"] == [
        {
            "code": "cost-product",
            "message": "按成本标准测算：2556元/人/月 × 60人 × 12月 = 184.032万元，与年度资金总额184.032万元相符。",
            "where": "indicators[3].value",
            "location": "第4条指标「村干部任职补贴标准」的指标值",
        }
    ]


def test_exit_1_on_the_seed_error(capsys):
    code, out, _ = run(capsys, "check", str(seed_path(1)), "--json")
    assert code == 1
    errors = [f for f in json.loads(out)["findings"] if f["severity"] == "error"]
    assert errors == [
        {
            "severity": "error",
            "code": "missing-value",
            "message": "三级指标「群众满意度」未填写指标值。",
            "where": "indicators[9].value",
            "fix": "填写带运算符的百分比，如「≥90%」；常见为≥85%至≥95%，100%通常难以实现。",
            "location": "第10条指标「群众满意度」的指标值",
        }
    ]


def test_default_corpus_is_the_bundled_one(capsys):
    _, out, _ = run(capsys, "check", str(seed_path(14)), "--json")
    messages = [f["message"] for f in json.loads(out)["findings"] if f["code"] == "goal-indicator-mismatch"]
    assert messages == ["年度总体目标与「2024年村干部任职补贴」的年度总体目标相同，请核对是否照搬其他项目。"]


def test_corpus_problems_are_warnings_on_stderr_only(capsys, planted):
    (planted.parent / "empty" / "坏文件.toml").write_text("[project]\nname = \n", encoding="utf-8")
    code, out, err = run(capsys, "--knowledge", "empty", "check", "planted.toml")
    assert code == 1 and out == PLANTED_HUMAN
    assert "坏文件.toml:2:" in err and "（已跳过）" in err


def test_the_checked_file_is_not_its_own_corpus(capsys, tmp_path):
    shutil.copy(seed_path(5), tmp_path / "a.toml")
    other = seed(5)
    other.project.name = "2024年另一个项目"
    tomlio.write(tmp_path / "b.toml", other)
    _, out, _ = run(capsys, "--knowledge", str(tmp_path), "check", str(tmp_path / "a.toml"), "--json")
    messages = [f["message"] for f in json.loads(out)["findings"] if f["code"] == "goal-indicator-mismatch"]
    assert messages == ["年度总体目标与「2024年另一个项目」的年度总体目标相同，请核对是否照搬其他项目。"]


def test_profile_option(capsys):
    # 表3's coded 项目属性 makes it a seed-template table: its missing 可持续影响指标 is a warning by default.
    path = str(seed_path(3))
    code, out, _ = run(capsys, "check", path)
    assert code == 0
    assert "要求配置：seed-template，" in out and "按表中内容自动识别" in out
    assert "  1. 绩效指标（indicators）\n     缺少必填的二级指标「可持续影响指标」。\n" in out
    out = run(capsys, "check", path, "--profile", "national")[1]
    assert "要求配置：national，" in out and "按 --profile 指定" in out
    assert "缺少必填的二级指标" not in out


def test_satisfaction_min_option(capsys):
    _, out, _ = run(capsys, "check", str(seed_path(5)), "--satisfaction-min", "96", "--json")
    found = [f for f in json.loads(out)["findings"] if f["code"] == "satisfaction-threshold"]
    assert [(f["severity"], f["message"]) for f in found] == [("warning", "满意度目标「≥95%」低于96%。")]


@pytest.mark.parametrize("value", ["120", "abc", "-1"])
def test_bad_satisfaction_min_is_usage_error(capsys, value):
    with pytest.raises(SystemExit) as info:
        cli.main(["check", str(seed_path(5)), "--satisfaction-min", value])
    assert info.value.code == 2
    assert f"选项 --satisfaction-min 的值无效：'{value}'" in capsys.readouterr().err


def test_missing_file_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "check", str(tmp_path / "无.toml"))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / '无.toml'}: 找不到这个文件。\n"


def test_bad_toml_exits_2_with_the_loaders_message(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\n[project]\nname = 2024年\n", encoding="utf-8")
    code, out, err = run(capsys, "check", str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"{bad}:3: ") and "Traceback" not in err


def test_unknown_key_exits_2(capsys, tmp_path):
    text = seed_path(5).read_text(encoding="utf-8").replace("[funding]\n", "[funding]\nbudget = 1.0\n")
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err.startswith(f"{path}:") and "键「funding.budget」：未知的键「budget」" in err


def test_not_utf8_exits_2(capsys, tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(seed_path(5).read_text(encoding="utf-8").encode("gbk"))
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and "不是 UTF-8 编码" in err


def test_nan_funding_in_the_file_is_a_finding_not_a_crash(capsys, tmp_path):
    text = seed_path(5).read_text(encoding="utf-8").replace("total = 184.032", "total = nan")
    path = tmp_path / "nan.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--json")
    assert code == 1
    assert json.loads(out)["findings"][0]["message"] == "「年度资金总额」不是有效的金额（nan），请填写以万元为单位的数字。"


def test_help_lists_check(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0 and "check" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------ folders
REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture
def submission(tmp_path, monkeypatch):
    """A reviewer's folder: three real tables of other units, one in a subfolder, and an empty corpus."""
    folder = tmp_path / "报送"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(REAL / "hunan-yueyang-gaobiaozhunnongtian-2022.toml", folder / "a.toml")
    shutil.copy(REAL / "sichuan-guangyuan-zhaohua-tekunfuzhu-2021.toml", folder / "乡镇" / "b.toml")
    shutil.copy(REAL / "hunan-nanyue-zichanshouyi-2018.toml", folder / "c.toml")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    return folder


def test_folder_summary_per_table_and_total(capsys, submission):
    code, out, err = run(capsys, "--knowledge", "empty", "check", "报送")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == "检查文件夹 报送：3 个项目文件"
    assert lines[2] == "  ✓ 报送/a.toml：岳阳县2022年高标准农田建设项目 — 0 个错误，0 个警告，4 条提示"
    assert lines[3] == "  ✗ 报送/c.toml：2018年南岳镇资产收益扶贫项目 — 5 个错误，3 个警告，8 条提示"
    assert lines[4].startswith("      错误：第1条指标「*贫困地区贫困人口加入合作社、村集体经济组织人数(≥**人)」的三级指标名称：")
    assert "  ! 报送/乡镇/b.toml：特困家庭再扶助(独生子女死亡再扶助) — 0 个错误，1 个警告，3 条提示" in lines
    assert lines[-2] == "合计：3 张表，1 张有错误；5 个错误，4 个警告，15 条提示。"


def test_folder_without_errors_exits_0(capsys, submission):
    (submission / "c.toml").unlink()
    code, out, _ = run(capsys, "--knowledge", "empty", "check", "报送")
    assert code == 0 and "合计：2 张表，0 张有错误；" in out


def test_folder_unreadable_file_is_reported_and_the_others_checked(capsys, submission):
    (submission / "坏.toml").write_text("schema = 1\n[project]\nname = \n", encoding="utf-8")
    code, out, err = run(capsys, "--knowledge", "empty", "check", "报送")
    assert code == 2
    assert "坏.toml:3:" in err and "Traceback" not in err
    assert "  ✗ 报送/坏.toml：无法读取（" in out
    assert out.splitlines()[-2] == "合计：3 张表，1 张有错误；5 个错误，4 个警告，15 条提示。另有 1 个文件无法读取（原因见上）。"


def test_folder_json(capsys, submission):
    code, out, _ = run(capsys, "--knowledge", "empty", "check", "报送", "--json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["findings", "confirmations", "tables", "problems", "total"]
    assert data["tables"][0] == {
        "file": "报送/a.toml", "name": "岳阳县2022年高标准农田建设项目", "profile": "older", "error": 0, "warning": 0, "info": 4,
    }
    assert data["total"] == {"tables": 3, "error": 5, "warning": 4, "info": 15, "unreadable": 0}
    placeholder = next(f for f in data["findings"] if f["code"] == "placeholder")
    assert placeholder["file"] == "报送/c.toml" and placeholder["where"] == "indicators[0].name"
    assert set(placeholder) >= {"severity", "code", "message", "where", "fix", "location"}


def test_folder_tables_are_each_others_corpus(capsys, tmp_path):
    # 表1 and 表15 share their goal; checked together, each names the other.
    (tmp_path / "empty").mkdir()
    (tmp_path / "s").mkdir()
    shutil.copy(seed_path(1), tmp_path / "s" / "1.toml")
    shutil.copy(seed_path(15), tmp_path / "s" / "15.toml")
    _, out, _ = run(capsys, "--knowledge", str(tmp_path / "empty"), "check", str(tmp_path / "s"), "--json")
    copied = [f for f in json.loads(out)["findings"] if f["code"] == "goal-indicator-mismatch" and "相同" in f["message"]]
    assert len(copied) == 2


def test_empty_folder_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "check", str(tmp_path))
    assert (code, out) == (2, "")
    assert "文件夹中没有项目文件" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and symlinks")
def test_folder_with_hostile_entries_never_hangs_and_reports_each_once(capsys, tmp_path):
    folder = tmp_path / "hd"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REAL / "hunan-xiangtan-huanwei-2023.toml", folder / "ok.toml")
    os.mkfifo(folder / "fifo.toml")  # reads as empty: not a project file
    os.symlink("loop.toml", folder / "loop.toml")
    os.symlink("..", folder / "sub" / "up")  # a folder loop
    (folder / "gbk.toml").write_bytes("[project]\nname = '项目'\n".encode("gbk"))
    code, out, err = run(capsys, "--knowledge", str(folder), "check", str(folder))
    assert code == 2
    assert "：雾炮车降尘抑尘服务 — 0 个错误，4 个警告，1 条提示" in out
    assert out.count("：无法读取（") == 2 and "另有 2 个文件无法读取" in out
    assert err.count("gbk.toml") == 1 and err.count("loop.toml") == 1  # not again as a corpus warning
