"""A bounded, seeded fuzz of the command line (house rule: bad input is normal, not exceptional).

Every case feeds one damaged, mis-encoded or hostile input to `cli.main` in-process and asserts what a user
must always get: an exit status from SPEC section 2 (0, 1 for check's findings, 2 for unreadable input), no
traceback, a message naming the file when the input is refused, and every file the user already had byte for
byte as it was (no stray temporary files either). The inputs are derived from the bundled seed files with a
fixed random seed, so a failure reproduces exactly; the full campaign this was cut from ran ~1,250 cases.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import signal
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant import cli

from .conftest import SEED
from .seed_tables import seed_path

SEED_BYTES = SEED.read_bytes()
TOML_BYTES = seed_path(1).read_bytes()
TOML_TEXT = TOML_BYTES.decode("utf-8")
EXCEPTION = re.compile(r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b|BadZipFile")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Case:
    """What to run, on files made in the test's folder."""

    argv: list[str]
    codes: set[int]
    names: list[str] = field(default_factory=list)  # one of these appears on stderr when the input is refused
    keep: list[Path] = field(default_factory=list)  # files that must come out untouched


Builder = Callable[[Path], Case]
CASES: dict[str, Builder] = {}
rng = random.Random(20240601)


def case(name: str):
    def register(builder: Builder) -> Builder:
        assert name not in CASES
        CASES[name] = builder
        return builder

    return register


def _put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _truncated(data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _flipped(data: bytes, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


# ------------------------------------------------------------------------- project files (TOML)
TOML_COMMANDS = [
    lambda f, d: ["check", f],
    lambda f, d: ["check", "--json", f],
    lambda f, d: ["export", f, "--format", "md", "-o", f"{d}/out.md"],
    lambda f, d: ["export", f, "--format", "xlsx", "-o", f"{d}/out.xlsx"],
    lambda f, d: ["renew", f, "--year", "2025", "-o", f"{d}/new.toml"],
    lambda f, d: [f],  # the app: a broken file is reported before the "needs a terminal" message
]


def toml_case(name: str, data: bytes, command: int, codes: set[int] | None = None) -> None:
    def build(d: Path) -> Case:
        f = _put(d, "项目.toml", data)
        argv = TOML_COMMANDS[command](str(f), str(d))
        expected = codes if codes is not None else ({0, 1, 2} if argv[0] == "check" else {0, 2})
        if len(argv) == 1:
            expected = {2}  # the app never runs without a terminal
        return Case(argv, expected, [f.name], [f])

    case(name)(build)


for i in range(6):
    toml_case(f"toml-truncated-{i}", _truncated(TOML_BYTES), i % 6)
for i in range(6):
    toml_case(f"toml-flipped-{i}", _flipped(TOML_BYTES, 1 + i), (i + 3) % 6)
for i, (label, data) in enumerate(
    [
        ("gbk", TOML_TEXT.encode("gb18030")),
        ("utf16-bom", TOML_TEXT.encode("utf-16")),
        ("utf16-no-bom", TOML_TEXT.encode("utf-16-le")),
        ("latin1", TOML_TEXT.replace("村委会", "café").encode("latin-1", "replace").replace(b"?", b"\xe9")),
        ("invalid-utf8", TOML_BYTES[:200] + b"\xc3\x28\xff\xfe" + TOML_BYTES[200:]),
        ("nul", TOML_BYTES[:100] + b"\x00" + TOML_BYTES[100:]),
    ]
):
    toml_case(f"toml-{label}", data, i % 6, {2})
HOSTILE_TEXT = [
    "😀👨‍👩‍👧‍👦",
    "\u202e倒序\u202c",
    "零\u200b宽\u200d\ufeff",
    "[bold]粗[/bold][/]",
    "\\u001b[31m红\\u0000",
    "值" * 10000,
    "\\uffff\\ufffe",
]
for i, text in enumerate(HOSTILE_TEXT):
    data = TOML_TEXT.replace('"村委会个数"', f'"{text}"', 1).replace('"12个"', f'"{text}"', 1)
    data = data.replace('name = "2024年村委会办公经费"', f'name = "2024年{text}"', 1)
    toml_case(f"toml-hostile-{i}", data.encode("utf-8"), (2, 3, 0, 4, 3, 2, 3)[i], {0, 1})
for i, (label, data) in enumerate(
    [
        ("deep-array", TOML_TEXT + "\nx = " + "[" * 3000 + "]" * 3000 + "\n"),
        ("deep-inline-table", "x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n"),
        ("deep-dotted-key", "a" + ".a" * 40000 + " = 1\n"),
        ("huge-array", TOML_TEXT.replace('value = "12个"', "value = [" + "1," * 100000 + "]", 1)),
        ("year-text", TOML_TEXT.replace("year = 2024", 'year = "2024"')),
        ("unknown-key", TOML_TEXT.replace("[project]\n", "[project]\ncolour = 1\n")),
        ("duplicate-table", TOML_TEXT + "\n[project]\nname = 'x'\n"),
        ("indicators-not-tables", TOML_TEXT.split("[[indicators]]")[0] + "indicators = [1, 2]\n"),
    ]
):
    toml_case(f"toml-{label}", data.encode("utf-8"), i % 6, {2})


# ------------------------------------------------------------------------------------ ingest
def ingest_case(name: str, data: bytes, filename: str = "来源.txt") -> None:
    def build(d: Path) -> Case:
        f = _put(d, filename, data)
        return Case(["ingest", str(f), "-o", str(d / "out")], {0, 2}, [f.name], [f])

    case(name)(build)


SEED_TEXT = SEED_BYTES.decode("utf-8")
ingest_case("ingest-truncated", _truncated(SEED_BYTES))
ingest_case("ingest-flipped", _flipped(SEED_BYTES, 40))
ingest_case("ingest-gbk", SEED_TEXT.encode("gb18030"))
ingest_case("ingest-utf16-no-bom", SEED_TEXT.encode("utf-16-le"))
ingest_case("ingest-nul", SEED_BYTES[:5000] + b"\x00" * 3 + SEED_BYTES[5000:])
ingest_case("ingest-1mb-line", b"x" * (1 << 20))
ingest_case("ingest-markup-and-controls", SEED_TEXT.replace("村委会个数", "[bold]\x1b[31m\u202e😀[/]", 1).encode())

WORKBOOK = None


def _workbook() -> bytes:
    global WORKBOOK
    if WORKBOOK is None:
        from assistant.export.xlsx import workbook_bytes
        from assistant.tomlio import load

        WORKBOOK = workbook_bytes([load(seed_path(1))])
    return WORKBOOK


def _rezip(edit: Callable[[dict[str, bytes]], None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_workbook()))
    members = {n: src.read(n) for n in src.namelist()}
    edit(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return buffer.getvalue()


def _sheet(members: dict[str, bytes]) -> str:
    return next(n for n in members if n.startswith("xl/worksheets/sheet"))


def _no_sheets(m):
    m["xl/workbook.xml"] = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", m["xl/workbook.xml"], flags=re.S)


def _merge_chaos(m):
    xml = m[_sheet(m)].decode()
    chaos = "".join(f'<mergeCell ref="A{r}:E{r + 3}"/>' for r in range(1, 25))  # overlapping, over text
    m[_sheet(m)] = re.sub(r"<mergeCells.*?</mergeCells>", f"<mergeCells>{chaos}</mergeCells>", xml, flags=re.S).encode()


def _formulas_dates_floats(m):
    cells = {
        "E12": '<c r="E12" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        "E13": '<c r="E13" t="str"><f>"1"&amp;"2"</f><v>12</v></c>',
        "E14": '<c r="E14"><f>SUM(A1:A2)</f></c>',
        "E15": '<c r="E15" t="d"><v>2024-12-31T00:00:00</v></c>',
        "E16": '<c r="E16"><v>0.30000000000000004</v></c>',
        "E17": '<c r="E17" t="n"><v>1E+300</v></c>',
        "D18": '<c r="D18" t="b"><v>1</v></c>',
    }
    xml = m[_sheet(m)].decode()
    for ref, cell in cells.items():
        xml = re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1, flags=re.S)
    m[_sheet(m)] = xml.encode()


def _bomb_lite(m):
    m[_sheet(m)] = m[_sheet(m)].replace(b"<sheetData>", b"<sheetData>" + b" " * (8 << 20), 1)


def _corrupt_central_directory(data: bytes) -> bytes:
    at = data.rfind(b"PK\x01\x02")
    return data[: at + 10] + b"\xff" * 20 + data[at + 30 :]


XLSX_CASES = {
    "xlsx-truncated": lambda: _truncated(_workbook()),
    "xlsx-flipped": lambda: _flipped(_workbook(), 6),
    "xlsx-central-directory": lambda: _corrupt_central_directory(_workbook()),
    "xlsx-no-sheets": lambda: _rezip(_no_sheets),
    "xlsx-merge-chaos": lambda: _rezip(_merge_chaos),
    "xlsx-formulas-dates-floats": lambda: _rezip(_formulas_dates_floats),
    "xlsx-bomb-lite": lambda: _rezip(_bomb_lite),
}
for _name, _make in XLSX_CASES.items():

    def _build(d: Path, make=_make) -> Case:
        f = _put(d, "表.xlsx", make())
        return Case(["ingest", str(f), "-o", str(d / "out")], {0, 2}, [f.name], [f])

    case(_name)(_build)


# ------------------------------------------------------------------------------ suggest --batch
BATCH_LINES = [
    "[1, 2]",
    "42",
    '{"query": {"nested": {"deeper": [1]}}}',
    '{"query": "村", "k": 99999999999999999999999}',
    '{"query": "村", "k": -3}',
    '{"query": "村", "year": 99999999999, "field": "value", "name": "村委会个数"}',
    "[" * 50000 + "]" * 50000,
    '{"query": "\\u0000[bold]😀\\u202e"}',
]


def batch_case(name: str, data: bytes, codes: set[int]) -> None:
    def build(d: Path) -> Case:
        corpus = d / "corpus"
        corpus.mkdir()
        (corpus / "t.toml").write_bytes(TOML_BYTES)
        f = _put(d, "查询.jsonl", data)
        return Case(["--knowledge", str(corpus), "suggest", "--batch", str(f), "--json"], codes, [f.name], [f])

    case(name)(build)


batch_case("batch-hostile-lines", ("\n".join(BATCH_LINES) + "\n").encode("utf-8"), {0})
batch_case("batch-gbk", '{"query": "村委会"}\n'.encode("gb18030"), {2})
batch_case("batch-flipped", _flipped(("\n".join(BATCH_LINES[:6]) + "\n").encode(), 8), {0, 2})


# -------------------------------------------------------------------------------------- paths
@case("path-directory")
def _(d: Path) -> Case:
    (d / "夹.toml").mkdir()
    return Case(["check", str(d / "夹.toml")], {2}, ["夹.toml"])


@case("path-missing")
def _(d: Path) -> Case:
    return Case(["export", str(d / "无.toml"), "--format", "md", "-o", str(d / "o.md")], {2}, ["无.toml"])


@case("path-fifo")
def _(d: Path) -> Case:
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    os.mkfifo(d / "管道.toml")
    return Case(["renew", str(d / "管道.toml"), "--year", "2025", "-o", str(d / "n.toml")], {2}, ["管道.toml"])


@case("path-symlink-loop")
def _(d: Path) -> Case:
    try:
        os.symlink("环.txt", d / "环.txt")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not available")
    return Case(["ingest", str(d / "环.txt"), "-o", str(d / "out")], {2}, ["环.txt"])


@case("output-in-missing-folder")
def _(d: Path) -> Case:
    f = _put(d, "表.toml", TOML_BYTES)
    return Case(["export", str(f), "--format", "md", "-o", str(d / "无此" / "文件夹" / "o.md")], {0, 2}, [], [f])


@case("output-under-a-file")
def _(d: Path) -> Case:
    f = _put(d, "表.toml", TOML_BYTES)
    return Case(["renew", str(f), "--year", "2025", "-o", str(f / "n.toml")], {2}, ["表.toml"], [f])


@case("output-is-the-input")
def _(d: Path) -> Case:
    f = _put(d, "表.toml", TOML_BYTES)
    return Case(["export", str(f), "--format", "md", "-o", str(f), "--force"], {2}, ["表.toml"], [f])


@case("output-exists")
def _(d: Path) -> Case:
    f = _put(d, "表.toml", TOML_BYTES)
    mine = _put(d, "我的.xlsx", b"my own workbook")
    return Case(["export", str(f), "--format", "xlsx", "-o", str(mine)], {2}, ["我的.xlsx"], [f, mine])


@case("ingest-output-is-a-file")
def _(d: Path) -> Case:
    f = _put(d, "来源.txt", SEED_BYTES)
    return Case(["ingest", str(f), "-o", str(f)], {2}, ["来源.txt"], [f])


@case("ingest-outputs-exist")
def _(d: Path) -> Case:
    f = _put(d, "来源.txt", SEED_BYTES)
    (d / "out").mkdir()
    mine = _put(d / "out", "2024年村委会办公经费.toml", "# 我改过的\n".encode())
    return Case(["ingest", str(f), "-o", str(d / "out")], {2}, ["2024年村委会办公经费.toml"], [f, mine])


# ----------------------------------------------------------------------------------------- run
def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


class _Hung(Exception):
    pass


def _alarm(signum, frame):
    raise _Hung("the command hung")


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(name, tmp_path, capsys):
    folder = tmp_path / "work"
    folder.mkdir()
    c = CASES[name](folder)
    before = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in c.keep}
    existing = _snapshot(folder)

    if hasattr(signal, "SIGALRM"):
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(20)
    try:
        code = cli.main(c.argv)
    except SystemExit as exc:  # argparse
        code = exc.code
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()

    assert code in c.codes, f"exit {code}; stderr: {err[-500:]}"
    assert not EXCEPTION.search(out + err), (out + err)[-1500:]
    if code == 2:
        assert CJK.search(err), err
        if c.names and "助手需要在终端中交互运行" not in err:  # the app given a good file: no terminal is the news
            assert any(n in err for n in c.names), err[-500:]
    elif code == 1:
        assert CJK.search(out)
    if c.argv[0] == "check" and code in (0, 1) and "--json" in c.argv:
        json.loads(out)
    for path, digest in before.items():
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest, f"{path} was changed"
    after = _snapshot(folder)
    assert all(after.get(p) == h for p, h in existing.items()), "an existing file was changed or removed"
    assert not [p for p in after if p.endswith(".tmp")], "a temporary file was left behind"


def test_the_campaign_is_bounded():
    assert 50 <= len(CASES) <= 65
