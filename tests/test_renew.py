"""renew: next year's draft from a prior table — years move, numbers stay but are marked, source recorded."""

from __future__ import annotations

import pytest

from assistant import cli, tomlio
from assistant.checks import run_checks
from assistant.model import Source
from assistant.renew import REVIEW_NOTE, has_number, renew, shift_years

from .seed_tables import seed, seed_path

NUMBERS = list(range(1, 16))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024年12月底", "2025年12月底"),
        ("2024 年度", "2025 年度"),
        ("2024年村委会办公经费", "2025年村委会办公经费"),
        ("2024-12-31前", "2025-12-31前"),
        ("2024/6/30", "2025/6/30"),
        ("2024.12.31", "2025.12.31"),
        ("巩固2023年成果，2024年底前完成", "巩固2024年成果，2025年底前完成"),
        ("２０２４年１２月", "２０２５年１２月"),  # full-width digits stay full-width
        ("12024年", "12024年"),  # not a year
        ("2024元/人", "2024元/人"),  # an amount
        ("2024.5万元", "2024.5万元"),
        ("≤2024", "≤2024"),
        ("平党发〔2020〕26号", "平党发〔2020〕26号"),  # a document number
        ("按2019年标准", "按2019年标准"),  # a year far from the budget year
        ("2024—2026年", "2024—2026年"),  # a multi-year period stays as a whole
        ("2024年至2026年", "2024年至2026年"),
        ("", ""),
    ],
)
def test_shift_years(text, expected):
    assert shift_years(text, 2024, 2025) == expected


def test_shift_years_by_more_than_one():
    assert shift_years("2024年12月底", 2024, 2026) == "2026年12月底"
    assert shift_years("2024年12月底", 2024, 2024) == "2024年12月底"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("60人", True), ("100%", True), ("≥95%", True), ("2556元/人/月", True), ("12个月", True),
        ("2025年12月底", False), ("2025年底", False), ("2025年2月底", False), ("2025年12月31日前", False),
        ("2025-12-31", False), ("2025年全年", False), ("有效提升", False), ("", False), ("受益人数 60 人", True),
        ("１２个", True),
    ],
)
def test_has_number(text, expected):
    assert has_number(text) is expected


@pytest.mark.parametrize("number", NUMBERS, ids=[f"表{n}" for n in NUMBERS])
def test_renew_every_bundled_table(number):
    path = seed_path(number)
    prior = tomlio.load(path)
    draft = renew(prior, 2025, document=path.name)

    assert draft.project.year == 2025
    assert draft.project.name == prior.project.name.replace("2024年", "2025年")
    assert draft.project.name.startswith("2025年")
    assert draft.project.goal == prior.project.goal  # no goal in the corpus names a year
    for old, new in zip(prior.indicators, draft.indicators, strict=True):
        assert (new.level1, new.level2) == (old.level1, old.level2)
        assert new.name == old.name.replace("2024年", "2025年")
        assert new.value == old.value.replace("2024年", "2025年")
        assert new.review == (REVIEW_NOTE if has_number(new.name) or has_number(new.value) else "")
    texts = [draft.project.name, draft.project.goal] + [t for i in draft.indicators for t in (i.name, i.value)]
    assert not any("2024" in t for t in texts)

    # amounts kept and marked; the rest of the header as it was
    for key in ("total", "fiscal", "other"):
        assert getattr(draft.funding, key) == getattr(prior.funding, key)
    assert draft.funding.review == REVIEW_NOTE
    for key in ("department", "department_code", "implementing_unit", "attribute", "period"):
        assert getattr(draft.project, key) == getattr(prior.project, key)
    assert draft.source == Source(path.name, prior.source.table)
    assert prior.project.year == 2024 and prior.funding.review == ""  # the prior table is not touched

    # the draft is a sound project file, and check finds no error the prior table did not have
    assert tomlio.loads(tomlio.dumps(draft)) == draft
    errors = lambda t: {(f.code, f.where) for f in run_checks(t) if f.severity == "error"}
    assert errors(draft) <= errors(prior)
    marked = {f.where for f in run_checks(draft) if f.code == "review-mark"}
    expected = {"funding.total"} | {f"indicators[{i}].value" for i, ind in enumerate(draft.indicators) if ind.review}
    expected |= {"project.goal"} if draft.project.review else set()
    assert marked == expected


def test_renew_table_5_exactly():
    draft = renew(seed(5), 2025, document="2024年村干部任职补贴.toml")
    assert [(i.value, i.review) for i in draft.indicators] == [
        ("60人", REVIEW_NOTE),
        ("100%", REVIEW_NOTE),
        ("2025年12月底", ""),
        ("2556元/人/月", REVIEW_NOTE),
        ("有所增加", ""),
        ("有效提高", ""),
        ("显著提升", ""),
        ("不断提高", ""),
        ("充分调动", ""),
        ("≥95%", REVIEW_NOTE),
    ]
    assert draft.project.review == ""


def test_goal_with_numbers_is_marked_and_document_numbers_kept():
    draft = renew(seed(6), 2025, document="x.toml")  # 表6: 按照……(平党发〔2020〕26号)文件精神
    assert "〔2020〕26号" in draft.project.goal and draft.project.review == REVIEW_NOTE


def test_renew_keeps_existing_notes_and_defaults_source_table():
    prior = seed(3)
    prior.source = None
    prior.indicators[4].review = "我自己的备注"
    draft = renew(prior, 2026, document="上年.toml")
    assert draft.source == Source("上年.toml", 1)
    assert draft.indicators[4].review == "我自己的备注"
    assert [i.name for i in prior.indicators if i.level2 == "时效指标"] == ["2024年全年"]  # 表3's odd 三级
    assert [(i.name, i.value) for i in draft.indicators if i.level2 == "时效指标"] == [("2026年全年", "12个月")]


# ---------------------------------------------------------------------------------------- command
def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_renew_writes_default_name_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "renew", str(seed_path(5)), "--year", "2025")
    assert code == 0 and err == ""
    target = tmp_path / "2025年村干部任职补贴.toml"
    assert out.splitlines() == [
        "已写入 2025年村干部任职补贴.toml（2025年村干部任职补贴，据 2024年村干部任职补贴.toml）",
        "以下 5 处沿用了上年数值，请逐一核实（jixiao check 会列出，核实后删除 review 标记）：",
        "  - 项目资金：年度资金总额 184.032 万元（财政拨款 184.032，其他资金 0.00）",
        "  - 第1条指标「保障村干部人数」：60人",
        "  - 第2条指标「村干部任职补贴发放」：100%",
        "  - 第4条指标「村干部任职补贴标准」：2556元/人/月",
        "  - 第10条指标「村干部满意度」：≥95%",
    ]
    text = target.read_text(encoding="utf-8")
    assert '[funding]\ntotal = 184.032\nfiscal = 184.032\nother = 0.0\nreview = "沿用上年数值，请核实"\n' in text
    assert text.endswith('[source]\ndocument = "2024年村干部任职补贴.toml"\ntable = 5\n')

    # the same draft again: nothing to do
    code, out, err = run(capsys, "renew", str(seed_path(5)), "--year", "2025")
    assert code == 0 and out.startswith("未改变 2025年村干部任职补贴.toml")

    # the user has edited the draft: never replaced silently
    target.write_text(text.replace("60人", "58人"), encoding="utf-8")
    code, out, err = run(capsys, "renew", str(seed_path(5)), "--year", "2025")
    assert code == 2 and out == ""
    assert err == "jixiao: 错误：2025年村干部任职补贴.toml 已存在且内容不同，未覆盖（确需覆盖请加 --force，或用 -o 指定其他文件名）。\n"
    assert "58人" in target.read_text(encoding="utf-8")
    code, out, err = run(capsys, "renew", str(seed_path(5)), "--year", "2025", "--force")
    assert code == 0 and target.read_text(encoding="utf-8") == text


def test_cli_renew_output_options(tmp_path, capsys):
    code, out, err = run(capsys, "renew", str(seed_path(1)), "--year", "2025", "-o", "-")
    assert code == 0 and err == ""
    assert tomlio.loads(out).project.name == "2025年村委会办公经费"
    code, out, _ = run(capsys, "renew", str(seed_path(1)), "--year", "2025", "-o", str(tmp_path / "sub" / "新.toml"))
    assert code == 0 and (tmp_path / "sub" / "新.toml").is_file()
    code, out, _ = run(capsys, "renew", str(seed_path(1)), "--year", "2025", "-o", str(tmp_path))
    assert code == 0 and (tmp_path / "2025年村委会办公经费.toml").is_file()


def test_cli_renew_then_check_has_no_error(tmp_path, capsys):
    out_file = tmp_path / "new.toml"
    assert run(capsys, "renew", str(seed_path(12)), "--year", "2025", "-o", str(out_file))[0] == 0
    code, out, err = run(capsys, "check", str(out_file), "--json")
    assert code == 0
    import json

    findings = json.loads(out)["findings"]
    assert {f["code"] for f in findings if f["severity"] == "error"} == set()
    assert [f["where"] for f in findings if f["code"] == "review-mark"][0] == "funding.total"


def test_cli_renew_bad_input(tmp_path, capsys):
    bad = tmp_path / "坏.toml"
    bad.write_text('schema = 1\n[project]\nname = "x"\nyear = "2024"\n', encoding="utf-8")
    code, out, err = run(capsys, "renew", str(bad), "--year", "2025")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"{bad}:4: 键「project.year」：应为整数年份")

    code, out, err = run(capsys, "renew", str(tmp_path / "没有.toml"), "--year", "2025")
    assert (code, err) == (2, f"{tmp_path / '没有.toml'}: 找不到这个文件。\n")

    code, out, err = run(capsys, "renew", str(seed_path(1)), "--year", "2024", "-o", str(tmp_path / "x.toml"))
    assert code == 2 and "新的预算年度 2024 应晚于原表的预算年度 2024" in err
    assert not (tmp_path / "x.toml").exists()

    for year in ("二〇二五", "99999", "2025.5"):
        with pytest.raises(SystemExit) as info:
            cli.main(["renew", str(seed_path(1)), "--year", year])
        assert info.value.code == 2
        assert f"选项 --year 的值无效：'{year}'" in capsys.readouterr().err

    with pytest.raises(SystemExit) as info:
        cli.main(["renew", str(seed_path(1))])
    assert info.value.code == 2 and "缺少参数：--year" in capsys.readouterr().err


def test_cli_renew_refuses_to_write_over_its_own_input(tmp_path, capsys):
    prior = tmp_path / "表.toml"
    prior.write_bytes(seed_path(1).read_bytes())
    code, _, err = run(capsys, "renew", str(prior), "--year", "2025", "-o", str(prior), "--force")
    assert code == 2 and "就是上年的文件本身" in err
    assert prior.read_bytes() == seed_path(1).read_bytes()


def test_without_year_drops_a_leading_year_and_the_place_before_it():
    from assistant.years import without_year

    assert without_year("2024年村干部任职补贴") == "村干部任职补贴"
    assert without_year("岳阳县2022年高标准农田建设项目") == "高标准农田建设项目"
    assert without_year("2024 年度 城乡社区运转经费") == "城乡社区运转经费"
    assert without_year("村干部补贴") == "村干部补贴"
    assert without_year("平罗县头闸镇2024年") == "平罗县头闸镇2024年"  # nothing would be left
