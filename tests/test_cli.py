"""The command line as users and scripts see it (SPEC section 2): output, JSON shape, exit status."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant import cli

from .conftest import SEED


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert out.startswith("用法：jixiao")
    assert "ingest" in out and "suggest" in out and "check" in out and "--knowledge" in out
    assert "不带命令时打开助手" in out


def test_opening_a_broken_file_fails_before_any_ui(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\n[project]\nname = 3\n", encoding="utf-8")
    code, out, err = run(capsys, str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"jixiao: 错误：{bad}:3: 键「project.name」：应为文本，实际是整数。")


def test_no_terminal_no_app(capsys):
    """Without a terminal (a script, CI) the assistant explains instead of waiting for keys."""
    code, out, err = run(capsys)
    assert code == 2 and "助手需要在终端中交互运行" in err


def test_file_argument_is_told_apart_from_commands():
    assert cli._split_file(["--knowledge", "ingest", "a.toml"]) == ("a.toml", ["--knowledge", "ingest"])
    assert cli._split_file(["ingest", "x.txt"]) == (None, ["ingest", "x.txt"])
    assert cli._split_file([]) == (None, [])


def test_python_dash_m_is_the_same_command():
    proc = subprocess.run([sys.executable, "-m", "assistant", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip().startswith("jixiao ")


def test_bad_usage_exits_2_in_chinese(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["ingest"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "错误：缺少参数：FILE" in err and "Traceback" not in err


def test_unknown_option_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["ingest", str(SEED), "--bogus"])
    assert info.value.code == 2
    assert "无法识别的参数：--bogus" in capsys.readouterr().err


def test_ingest_json_shape_and_files(capsys, tmp_path):
    code, out, err = run(capsys, "ingest", str(SEED), "-o", str(tmp_path / "out"), "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["tables"]) == 15
    first = data["tables"][0]
    assert first["name"] == "2024年村委会办公经费" and first["indicators"] == 10
    assert first["file"] == str(tmp_path / "out" / "2024年村委会办公经费.toml")
    assert sum(t["indicators"] for t in data["tables"]) == 169
    assert data["problems"] == [{"file": str(SEED), "line": 26, "message": "三级指标「群众满意度」没有指标值。"}]
    assert f"{SEED}:26: 三级指标「群众满意度」没有指标值。" in err


def test_ingest_human_output(capsys, tmp_path):
    code, out, _ = run(capsys, "ingest", str(SEED), "-o", str(tmp_path))
    assert code == 0
    assert "（表5 2024年村干部任职补贴，10 条指标）" in out
    assert out.strip().endswith("共 15 张表，写入 15 个文件；1 个问题。")


def test_ingest_never_overwrites_silently(capsys, tmp_path):
    mine = tmp_path / "2024年村干部任职补贴.toml"
    mine.write_text("我改过的内容", encoding="utf-8")
    code, out, err = run(capsys, "ingest", str(SEED), "-o", str(tmp_path))
    assert code == 2
    assert mine.read_text(encoding="utf-8") == "我改过的内容"
    assert "2024年村干部任职补贴.toml: 已存在且内容不同，未覆盖（确需覆盖请加 --force）" in err
    # Unchanged files are not a conflict; --force replaces.
    code, out, _ = run(capsys, "ingest", str(SEED), "-o", str(tmp_path), "--force")
    assert code == 0 and mine.read_text(encoding="utf-8").startswith("schema = 1")
    code, out, _ = run(capsys, "ingest", str(SEED), "-o", str(tmp_path))
    assert code == 0 and out.count("未改变") == 15


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "文件是空的"),
        (b"\x00\x01\x02binary\x00", "这是二进制文件"),
        ("随便一段话\n".encode(), "无法识别的内容「随便一段话」"),
    ],
)
def test_ingest_unreadable_input_exits_2(capsys, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run(capsys, "ingest", str(bad), "-o", str(tmp_path / "out"))
    assert code == 2
    assert message in err and str(bad) in err
    assert not (tmp_path / "out").exists()


def test_ingest_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "ingest", str(tmp_path / "nope.txt"))
    assert code == 2
    assert f"{tmp_path / 'nope.txt'}: 无法读取文件" in err


def test_output_is_a_file(capsys, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    code, _, err = run(capsys, "ingest", str(SEED), "-o", str(target))
    assert code == 2 and "不是文件夹" in err


def test_console_script_end_to_end(tmp_path):
    """The installed entry point, as a user runs it: no traceback, Chinese on stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(SEED), "-o", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)["tables"]) == 15
    assert "Traceback" not in proc.stderr


def test_escape_sequences_from_a_file_never_reach_the_terminal(tmp_path, monkeypatch):
    import io
    import sys

    from assistant.paths import bundled_knowledge

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    text = (bundled_knowledge() / "tables" / "2024年村委会办公经费.toml").read_text(encoding="utf-8")
    path = tmp_path / "esc.toml"
    hostile = 'name = "2024年村委会办公经费\\u001b[2J\\u001b]0;pwned\\u0007"'
    path.write_text(text.replace('name = "2024年村委会办公经费"', hostile, 1), encoding="utf-8")
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["check", str(path)]) == 1
    shown = out.getvalue() + err.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "2024年村委会办公经费\\x1b[2J\\x1b]0;pwned\\x07" in shown
