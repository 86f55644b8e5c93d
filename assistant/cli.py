"""The `jixiao` command: a thin shell over the core (SPEC section 2).

Exit status: 0 success, 1 the command worked and found an error-severity problem, 2 bad usage or
unreadable input (with a message on stderr naming the file and line). No command shows a traceback.
The Textual app is imported only when it is started, so headless commands never load Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .safetext import path_text, printable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_ARGPARSE_ZH = [
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): expected one argument", r"选项 \1 后面需要一个值"),
    (r"argument (\S+): invalid choice: (.*)", r"选项 \1 的值无效：\2"),
    (r"invalid choice: (.*)", r"无效的命令：\1"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"选项 \1 的值无效：\3"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and errors; exits 2 on bad usage, as SPEC says."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "用法：", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, zh in _ARGPARSE_ZH:
            if re.search(pattern, message):
                message = re.sub(pattern, zh, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jixiao",
        description="绩效目标表助手：起草、检查部门项目支出预算绩效目标表，输出 TOML 项目文件。",
        epilog="不带命令时打开助手（jixiao FILE.toml 继续编辑一张表）；「jixiao 命令 -h」查看各命令的用法。",
    )
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}", help="显示版本号")
    parser.add_argument(
        "--knowledge",
        metavar="DIR",
        default=os.environ.get("JIXIAO_KNOWLEDGE") or None,
        help="语料文件夹（其中所有 *.toml 项目文件）；也可用环境变量 JIXIAO_KNOWLEDGE 设置",
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in COMMANDS:
        _command_module(name).add_parser(commands)
    return parser


# One module per command in assistant/commands/, each with add_parser(subparsers) and run(args) -> int.
# Command modules keep heavy imports (jieba, rapidfuzz, openpyxl) inside run(), so building the parser
# stays cheap and `jixiao ingest` never pays for what `jixiao suggest` needs.
COMMANDS = ("ingest", "suggest", "check", "export", "renew")


def _command_module(name: str):
    import importlib

    return importlib.import_module(f".commands.{name}", __package__)


def _split_file(argv: list[str]) -> tuple[str | None, list[str]]:
    """`jixiao [--knowledge DIR] FILE.toml`: the first positional word that is not a command is the file."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--knowledge":
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        if word in COMMANDS:
            return None, argv
        return word, argv[:i] + argv[i + 1 :]
    return None, argv


def main(argv: Sequence[str] | None = None) -> int:
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:  # started with it closed (`jixiao check a.toml >&-`): output goes nowhere
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))
        else:
            # A name that cannot be encoded for this terminal (GBK bytes from a Windows share, a strict
            # ASCII locale) is shown escaped instead of failing the command after its work is done.
            try:
                getattr(sys, stream).reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError):  # not a text stream we own (tests capture it)
                pass
    words = list(sys.argv[1:] if argv is None else argv)
    file, words = _split_file(words)
    parser = build_parser()
    args = parser.parse_args(words)
    if args.knowledge and _is_symlink_loop(args.knowledge):
        print(f"jixiao: 错误：语料文件夹 {args.knowledge} 无法使用：符号链接循环指向自己。", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command in COMMANDS:
            _printable_streams()
            code = _command_module(args.command).run(args)
        else:
            code = _launch_app(args.knowledge, file)
        sys.stdout.flush()  # a write error surfaces here, not after main has returned
        return code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `jixiao … | head`: the reader went away; nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        # The commands report the files they read and write; what is left is the output itself failing
        # (`jixiao check a.toml > /dev/full`, a full disk).
        from .safefile import os_reason

        _discard_stdout()
        where = f"{exc.filename}: " if exc.filename else "无法输出结果："
        print(f"jixiao: 错误：{where}{os_reason(exc)}。", file=sys.stderr)
        return EXIT_USAGE


class _Printable:
    """A terminal stream that shows control characters as \\x1b and the like, so text read from a file
    (an escape sequence in a project name) can never move the cursor, recolour or retitle the terminal."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        return self._inner.write(printable(text))

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def _printable_streams() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if tty and not isinstance(stream, _Printable):
            setattr(sys, name, _Printable(stream))


def _discard_stdout() -> None:
    """Point stdout at the null device, so the output still buffered cannot fail again at exit."""
    try:
        fd = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture stdout)
        pass


def _is_symlink_loop(path: str) -> bool:
    """--knowledge DIR that can never be resolved (a missing folder is fine: the commands warn about it)."""
    try:
        Path(path).resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        return True
    return False


def _launch_app(knowledge: str | None, file: str | None) -> int:
    """The assistant. Textual is imported here and only here (the core never loads it)."""
    from .tomlio import TableFileError, load

    table = None
    if file is not None:
        try:
            table = load(file)
        except TableFileError as exc:
            print(f"jixiao: 错误：{exc}", file=sys.stderr)
            return EXIT_USAGE
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # A script or CI job without a terminal would otherwise wait forever for keys.
        print(
            "jixiao: 错误：助手需要在终端中交互运行；在脚本中请使用 ingest、suggest、check 等命令（见 jixiao --help）。",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from .tui.app import build_app

    app = build_app(knowledge, table)
    message = app.run()
    if message:
        print(message)
    return app.return_code or EXIT_OK  # 128 + the signal after SIGTERM or SIGHUP


def stdout_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def display(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where possible, always valid text."""
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        shown = path
    return path_text(shown)
