"""`jixiao export`: formats, default names, overwrite policy, bad input (SPEC section 2)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assistant import cli

from .conftest import DATA
from .seed_tables import seed_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_md_to_stdout_is_the_golden_file(capsys):
    code, out, err = run(capsys, "export", str(seed_path(5)), "--format", "md", "-o", "-")
    assert (code, err) == (0, "")
    assert out == (DATA / "export_表5.md").read_text(encoding="utf-8")


def test_default_names_in_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", str(seed_path(5)), "--format", "xlsx")
    assert (code, err) == (0, "")
    assert out == "已导出 2024年村干部任职补贴.xlsx（2024年村干部任职补贴，10 条指标）\n"
    wb = load_workbook(tmp_path / "2024年村干部任职补贴.xlsx")
    assert wb.sheetnames == ["2024年村干部任职补贴"]

    code, out, err = run(capsys, "export", str(seed_path(2)), str(seed_path(1)), "--format", "md")
    assert code == 0 and out.startswith("已导出 绩效目标表.md（2 张表：2024年城乡社区运转经费、2024年村委会办公经费）")
    text = (tmp_path / "绩效目标表.md").read_text(encoding="utf-8")
    assert text.index("2024年城乡社区运转经费") < text.index("2024年村委会办公经费")


def test_several_files_make_one_workbook_in_the_order_given(tmp_path, capsys):
    out_file = tmp_path / "全部.xlsx"
    files = [str(seed_path(n)) for n in (15, 1, 5)]
    code, out, err = run(capsys, "export", *files, "--format", "xlsx", "-o", str(out_file))
    assert code == 0
    wb = load_workbook(io.BytesIO(out_file.read_bytes()))
    assert wb.sheetnames == ["2024年村级组织办公经费自治区补助资金", "2024年村委会办公经费", "2024年村干部任职补贴"]


def test_format_from_the_output_suffix_or_required(tmp_path, capsys):
    code, _, _ = run(capsys, "export", str(seed_path(1)), "-o", str(tmp_path / "a.md"))
    assert code == 0 and (tmp_path / "a.md").read_text(encoding="utf-8").startswith("## 部门项目支出预算绩效目标表")
    code, _, _ = run(capsys, "export", str(seed_path(1)), "-o", str(tmp_path / "a.XLSX"))
    assert code == 0 and load_workbook(tmp_path / "a.XLSX").active["B3"].value == "2024年村委会办公经费"
    code, out, err = run(capsys, "export", str(seed_path(1)), "-o", str(tmp_path / "a.pdf"))
    assert (code, out, err) == (2, "", "jixiao: 错误：请用 --format 指定导出格式：xlsx 或 md。\n")
    with pytest.raises(SystemExit) as info:
        cli.main(["export", str(seed_path(1)), "--format", "pdf"])
    assert info.value.code == 2 and "选项 --format 的值无效" in capsys.readouterr().err


def test_existing_output_is_not_overwritten_without_force(tmp_path, capsys):
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"my own workbook")
    code, out, err = run(capsys, "export", str(seed_path(1)), "--format", "xlsx", "-o", str(target))
    assert code == 2 and out == ""
    assert "已存在，未覆盖（确需覆盖请加 --force" in err
    assert target.read_bytes() == b"my own workbook"
    code, out, err = run(capsys, "export", str(seed_path(1)), "--format", "xlsx", "-o", str(target), "--force")
    assert code == 0 and load_workbook(target).active["B3"].value == "2024年村委会办公经费"

    md = tmp_path / "表.md"
    assert run(capsys, "export", str(seed_path(1)), "--format", "md", "-o", str(md))[0] == 0
    code, out, _ = run(capsys, "export", str(seed_path(1)), "--format", "md", "-o", str(md))
    assert code == 0 and out.startswith("未改变 ")  # the very same Markdown: nothing to refuse
    code, _, err = run(capsys, "export", str(seed_path(2)), "--format", "md", "-o", str(md))
    assert code == 2 and "已存在" in err


def test_help_states_the_overwrite_policy(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "-h"])
    out = capsys.readouterr().out
    assert "不会覆盖" in out and "--force" in out and "绩效目标表.xlsx" in out


def test_bad_input_names_the_file_and_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "坏.toml"
    bad.write_text(seed_path(1).read_text(encoding="utf-8").replace("total = 36.0", 'total = "36"'), encoding="utf-8")
    out_file = tmp_path / "out.xlsx"
    code, out, err = run(capsys, "export", str(seed_path(2)), str(bad), "--format", "xlsx", "-o", str(out_file))
    assert code == 2 and out == ""
    assert err == f"{bad}:14: 键「funding.total」：应为数字（万元），实际是文本。\n"
    assert not out_file.exists()

    code, _, err = run(capsys, "export", str(tmp_path / "无.toml"), "--format", "md")
    assert (code, err) == (2, f"{tmp_path / '无.toml'}: 找不到这个文件。\n")

    code, _, err = run(capsys, "export", str(seed_path(1)), "--format", "xlsx", "-o", "-")
    assert code == 2 and "不能输出到屏幕" in err


def test_output_into_a_folder_uses_the_default_name(tmp_path, capsys):
    code, _, _ = run(capsys, "export", str(seed_path(1)), "--format", "md", "-o", str(tmp_path))
    assert code == 0 and (tmp_path / "2024年村委会办公经费.md").is_file()


def test_unconfirmed_review_notes_are_mentioned_but_not_exported(tmp_path, capsys):
    draft = tmp_path / "draft.toml"
    assert cli.main(["renew", str(seed_path(5)), "--year", "2025", "-o", str(draft)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "export", str(draft), "--format", "md", "-o", "-")
    assert code == 0
    assert err == f"{draft}: 提示：还有 5 处「沿用上年数值，请核实」未核实（jixiao check 会列出）。\n"
    assert "| 项目名称 | 2025年村干部任职补贴 |" in out and "核实" not in out  # the form carries no notes
