"""Regressions from the fuzz campaign: hostile paths and files never hang, never show a traceback, and never
cost the user a file (house rule; SPEC section 2: exit 2 with a Chinese message naming the file)."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant import cli, tomlio
from assistant.export.xlsx import workbook_bytes
from assistant.ingest import parse_bytes

from .conftest import SEED
from .seed_tables import seed, seed_path

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


class _Hung(Exception):
    pass


def _alarm(signum, frame):
    raise _Hung("the command hung (a FIFO read or an endless loop)")


def run(capsys, *argv: object) -> tuple[int, str, str]:
    """cli.main in-process; a command that hangs fails the test after 20 s instead of stalling the suite."""
    if hasattr(signal, "SIGALRM"):
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(20)
    try:
        code = cli.main([str(a) for a in argv])
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _symlink_loop(path: Path) -> Path:
    try:
        os.symlink(path.name, path)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not available")
    return path


# ------------------------------------------------------------------------- FIFOs nobody writes to
@needs_fifo
@pytest.mark.parametrize(
    "argv",
    [
        ["check", "{f}"],
        ["export", "{f}", "--format", "md", "-o", "{d}/out.md"],
        ["renew", "{f}", "--year", "2025", "-o", "{d}/new.toml"],
        ["{f}"],  # the app: the file error comes first
        ["ingest", "{f}", "-o", "{d}/out"],
    ],
)
def test_a_fifo_as_input_is_an_error_not_a_hang(argv, tmp_path, capsys):
    fifo = tmp_path / "管道.toml"
    os.mkfifo(fifo)
    code, out, err = run(capsys, *(a.format(f=fifo, d=tmp_path) for a in argv))
    assert code == 2 and str(fifo) in err


@needs_fifo
def test_a_fifo_batch_reads_as_empty(tmp_path, capsys):
    fifo = tmp_path / "q.jsonl"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "--knowledge", tmp_path, "suggest", "--batch", fifo, "--json")
    assert (code, out) == (0, "")


@needs_fifo
def test_a_fifo_in_the_way_of_the_output_is_not_read_or_replaced(tmp_path, capsys):
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "export", seed_path(1), "--format", "md", "-o", fifo)
    assert code == 2 and "out.md 已存在，未覆盖" in err
    out_dir = tmp_path / "tables"
    out_dir.mkdir()
    os.mkfifo(out_dir / "2024年村委会办公经费.toml")
    code, _, err = run(capsys, "ingest", SEED, "-o", out_dir)
    assert code == 2 and "2024年村委会办公经费.toml: 已存在且内容不同，未覆盖" in err


@needs_fifo
@pytest.mark.parametrize("command", ["export", "renew"])
def test_force_never_puts_a_plain_file_in_place_of_a_fifo_or_device(command, tmp_path, capsys):
    """--force used to rename the output over whatever was there: as root, `-o /dev/null --force` replaced the
    system's /dev/null with a plain file. (Tested on a FIFO: never on a real device.)"""
    fifo = tmp_path / "管道.md"
    os.mkfifo(fifo)
    argv = [command, seed_path(1), *(["--format", "md"] if command == "export" else ["--year", "2025"])]
    code, _, err = run(capsys, *argv, "-o", fifo, "--force")
    assert code == 2 and "管道.md" in err and "特殊文件" in err
    assert fifo.is_fifo()
    assert [p.name for p in tmp_path.iterdir()] == ["管道.md"]  # no temporary file left


def test_force_writes_through_a_symlink_and_keeps_it(tmp_path, capsys):
    """`-o link --force` replaces the file the link names; the link stays (as /dev/stdout must)."""
    real = tmp_path / "real.md"
    real.write_text("旧内容\n", encoding="utf-8")
    link = tmp_path / "link.md"
    try:
        os.symlink(real.name, link)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not available")
    code, _, err = run(capsys, "export", seed_path(1), "--format", "md", "-o", link, "--force")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_text(encoding="utf-8").startswith("## 部门项目支出预算绩效目标表")


def test_endless_or_huge_input_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 101)
    with pytest.raises(OSError) as info:
        tomlio.read_bytes(big, limit=100)
    assert info.value.errno == errno.EFBIG and "文件太大" in tomlio.os_reason(info.value)
    assert tomlio.read_bytes(big, limit=101) == b"#" * 101
    if Path("/dev/zero").exists():
        with pytest.raises(OSError):
            tomlio.read_bytes("/dev/zero", limit=1 << 16)


# --------------------------------------------------------------------------------- symlink loops
def test_symlink_loops_as_input_output_and_corpus(tmp_path, capsys):
    loop = _symlink_loop(tmp_path / "loop.toml")
    code, _, err = run(capsys, "check", loop)
    assert code == 2 and f"{loop}: 无法读取文件：符号链接循环指向自己。" in err

    prior = tmp_path / "prior.toml"
    prior.write_bytes(seed_path(1).read_bytes())
    code, _, err = run(capsys, "renew", prior, "--year", "2025", "-o", loop)
    assert code == 2 and "loop.toml" in err  # was: RuntimeError from Path.resolve()
    assert os.path.islink(loop)  # what was there is left alone

    knowledge = tmp_path / "corpus"
    knowledge.mkdir()
    (knowledge / "ok.toml").write_bytes(seed_path(1).read_bytes())
    _symlink_loop(knowledge / "loop.toml")
    code, out, err = run(capsys, "--knowledge", knowledge, "suggest", "村", "--json")
    assert code == 0 and json.loads(out) and "loop.toml: 无法读取：符号链接循环指向自己（已跳过）" in err
    code, _, err = run(capsys, "--knowledge", knowledge, "check", prior)
    assert code in (0, 1) and "loop.toml" in err

    code, _, err = run(capsys, "--knowledge", knowledge / "loop.toml", "suggest", "村")
    assert code == 2 and "loop.toml 无法使用：符号链接循环指向自己" in err


# ------------------------------------------------------------------------ the input is the output
@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("fmt", ["md", "xlsx"])
def test_export_never_writes_over_its_own_input_even_with_force(how, fmt, tmp_path, capsys):
    source = tmp_path / "表.toml"
    source.write_bytes(seed_path(1).read_bytes())
    target = tmp_path / "别名.toml"
    try:
        if how == "symlink":
            os.symlink(source, target)
        elif how == "hardlink":
            os.link(source, target)
    except (OSError, NotImplementedError):
        pytest.skip("links not available")
    out = source if how == "same" else target
    code, _, err = run(capsys, "export", source, "--format", fmt, "-o", out, "--force")
    assert code == 2 and "就是要导出的项目文件" in err and str(out) in err
    assert source.read_bytes() == seed_path(1).read_bytes()


def test_renew_never_writes_over_the_prior_file_through_a_hard_link(tmp_path, capsys):
    prior = tmp_path / "上年.toml"
    prior.write_bytes(seed_path(1).read_bytes())
    try:
        os.link(prior, tmp_path / "别名.toml")
    except OSError:
        pytest.skip("hard links not available")
    code, _, err = run(capsys, "renew", prior, "--year", "2025", "-o", tmp_path / "别名.toml", "--force")
    assert code == 2 and "就是上年的文件本身" in err
    assert prior.read_bytes() == seed_path(1).read_bytes()


def test_a_broken_symlink_in_the_way_is_not_replaced(tmp_path, capsys):
    link = tmp_path / "2025年村委会办公经费.toml"
    try:
        os.symlink(tmp_path / "elsewhere" / "gone.toml", link)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not available")
    code, _, err = run(capsys, "renew", seed_path(1), "--year", "2025", "-o", tmp_path)
    assert code == 2 and "已存在且内容不同，未覆盖" in err
    assert os.path.islink(link)


# ------------------------------------------------------------------------------- long file names
def test_names_near_the_limit_are_written_and_longer_ones_are_an_error(tmp_path, capsys):
    near = tmp_path / ("经" * 80 + ".toml")  # 245 bytes: the temporary ".<name>.XXXX.tmp" used to pass 255
    tomlio.write(near, seed(1))
    assert tomlio.load(near).project.name == seed(1).project.name
    assert [p.name for p in tmp_path.iterdir()] == [near.name]

    too_long = "长" * 90
    for argv in (
        ["export", seed_path(1), "--format", "md", "-o", tmp_path / f"{too_long}.md"],
        ["renew", seed_path(1), "--year", "2025", "-o", tmp_path / f"{too_long}.toml"],
        ["ingest", SEED, "-o", tmp_path / too_long],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "文件名太长" in err and too_long in err, argv


# ------------------------------------------------------------------------- parser-exhausting input
@pytest.mark.parametrize(
    "text, line",
    [
        ("schema = 1\nv = " + "[" * 5000 + "]" * 5000 + "\n", 2),
        ("schema = 1\n\nv = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", 3),
        ("schema = 1\n" + "a" + ".a" * 50000 + " = 1\n", 2),
        ("[" + ".".join(["a"] * 50000) + "]\n", 1),
    ],
    ids=["nested-arrays", "nested-tables", "dotted-key", "dotted-header"],
)
def test_deep_nesting_is_a_file_error_with_its_line(text, line, tmp_path, capsys):
    path = tmp_path / "深.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tomlio.TableFileError) as info:  # how fast: benchmarks/hostile_input.py
        tomlio.load(path)
    assert info.value.line == line and "层" in info.value.message
    code, _, err = run(capsys, "check", path)
    assert code == 2 and err.startswith(f"{path}:{line}: ")


def test_deeply_nested_batch_line_is_a_line_error(tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text("[" * 100000 + "]" * 100000 + '\n{"query": "村", "k": 1}\n', encoding="utf-8")
    code, out, err = run(capsys, "suggest", "--batch", batch, "--json")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and lines[0]["line"] == 1 and "嵌套" in lines[0]["error"] and len(lines[1]) == 1
    assert f"{batch}:1: " in err


# ------------------------------------------------------------------------------------ workbooks
def test_damaged_workbooks_are_described_in_chinese_not_by_exception_name():
    good = workbook_bytes([seed(1)])
    cut = good[: good.rfind(b"PK\x05\x06")]
    for data in (cut, good[:-30], b"PK\x03\x04" + b"\x00" * 100):
        [problem] = parse_bytes(data, "x.xlsx").problems
        assert "无法作为 Excel 工作簿" in problem.message
        assert not any(name in problem.message for name in ("Error", "BadZipFile", "Exception"))


def test_characters_xml_cannot_hold_do_not_break_the_exported_workbook(tmp_path, capsys):
    table = seed(1)
    table.project.name = "2024年\ufffe村委会\uffff办公经费"
    table.indicators[0].value = "12\uffff个"
    path = tmp_path / "t.toml"
    tomlio.write(path, table)
    code, _, err = run(capsys, "export", path, "--format", "xlsx", "-o", tmp_path / "t.xlsx")
    assert code == 0, err
    ws = load_workbook(io.BytesIO((tmp_path / "t.xlsx").read_bytes())).active
    assert ws.title == "2024年村委会办公经费" and ws["B3"].value == "2024年村委会办公经费"
    code, _, err = run(capsys, "ingest", tmp_path / "t.xlsx", "-o", tmp_path / "back")
    assert code == 0, err


# ------------------------------------------------------------------------------- output failing
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["check", "{t}"], ["export", "{t}", "--format", "md", "-o", "-"]])
def test_output_that_cannot_be_written_is_an_error_not_a_traceback(argv, tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "assistant", *(a.format(t=seed_path(5)) for a in argv)],
            stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE, env=env, timeout=60,
        )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "Traceback" not in err
    assert "无法输出结果：磁盘空间不足" in err


# ------------------------------------------------------------------------------------ encodings
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_byte_order_mark_is_read(encoding, tmp_path, capsys):
    text = tmp_path / "来源.txt"
    text.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    code, out, err = run(capsys, "ingest", text, "-o", tmp_path / "out", "--json")
    assert code == 0, err
    assert len(json.loads(out)["tables"]) == 15


def test_an_empty_project_file_says_so(tmp_path, capsys):
    empty = tmp_path / "空.toml"
    empty.write_bytes(b"\n  \n")
    code, _, err = run(capsys, "check", empty)
    assert code == 2 and f"{empty}: 文件是空的" in err


@pytest.mark.skipif(os.name != "posix", reason="closes a file descriptor before exec")
@pytest.mark.parametrize("argv", [["check", "--json", "{t}"], ["check", "{t}"], ["check", "{missing}"]])
def test_a_closed_stdout_or_stderr_is_no_traceback(argv, tmp_path):
    """`jixiao check a.toml >&- 2>&-`: Python starts with sys.stdout/sys.stderr None; the exit status still holds."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    words = [a.format(t=seed_path(5), missing=tmp_path / "无.toml") for a in argv]
    for closed in (1, 2):
        proc = subprocess.run(
            [sys.executable, "-m", "assistant", *words],
            stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=60,
            preexec_fn=lambda fd=closed: os.close(fd),
        )
        assert b"Traceback" not in proc.stdout + proc.stderr
        assert proc.returncode == (2 if "无.toml" in words[-1] else 0), (closed, proc.stderr[-500:])
