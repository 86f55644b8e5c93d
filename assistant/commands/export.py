"""`jixiao export FILE.toml... --format xlsx|md [-o OUT] [--force]`: the table(s) in the official layout.

Several files make one workbook (a sheet each, in the order given) or one Markdown document. Every file is
read before anything is written: one unreadable file means no output and exit 2. An existing output file is
never replaced unless --force is given (a Markdown file with the very same content counts as done).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import EXIT_OK, EXIT_USAGE, display

FORMATS = {"xlsx": ".xlsx", "md": ".md"}
SEVERAL = "绩效目标表"  # default output name for several tables


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help="把项目文件导出为正式格式的绩效目标表（Excel 或 Markdown）",
        description="把 TOML 项目文件导出为「部门项目支出预算绩效目标表」的正式版式：xlsx（Excel 工作簿，"
        "多个文件时每张表一个工作表，按给出的顺序）或 md（可粘贴到报告中的 Markdown 表格）。",
        epilog="默认输出到当前文件夹：一个文件时以项目名称命名，多个文件时为「绩效目标表.xlsx」或「绩效目标表.md」。"
        "输出文件已存在时不会覆盖（内容完全相同的 Markdown 文件除外），确需覆盖请加 --force。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE.toml", help="要导出的项目文件（可多个）")
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default=None,
        help="xlsx 或 md（省略时按 -o 的扩展名判断）",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        default=None,
        help="输出文件或文件夹（默认：当前文件夹中以项目名称命名的文件）；md 格式可用「-」输出到屏幕（标准输出）",
    )
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _error(message: str) -> int:
    print(f"jixiao: 错误：{message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from ..filenames import slug
    from ..tomlio import TableFileError, load, os_reason, read_bytes, same_file, write_bytes_atomic

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output and args.output != "-" else ""
        fmt = next((f for f, ext in FORMATS.items() if ext == suffix), None)
        if fmt is None:
            return _error("请用 --format 指定导出格式：xlsx 或 md。")

    tables = []
    for name in args.files:
        try:
            tables.append(load(name))
        except TableFileError as exc:
            print(exc, file=sys.stderr)
            return EXIT_USAGE

    for name, table in zip(args.files, tables):
        marks = _review_marks(table)
        if marks:
            print(f"{name}: 提示：还有 {marks} 处「沿用上年数值，请核实」未核实（jixiao check 会列出）。", file=sys.stderr)

    if fmt == "md":
        from ..export.md import markdown

        data = markdown(tables).encode("utf-8")
    else:
        from ..export.xlsx import workbook_bytes

        data = workbook_bytes(tables)

    if args.output == "-":
        if fmt != "md":
            return _error("xlsx 是二进制文件，不能输出到屏幕，请用 -o 指定文件名。")
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK

    if args.output:
        out = Path(args.output)
    else:
        stem = slug(tables[0].project.name) if len(tables) == 1 else SEVERAL
        out = Path(stem + FORMATS[fmt])
    if os.path.isdir(out):  # a folder: the default name inside it
        out = out / ((slug(tables[0].project.name) if len(tables) == 1 else SEVERAL) + FORMATS[fmt])
    source = next((name for name in args.files if same_file(out, name)), None)
    if source is not None:  # even with --force: the project file is what the user wrote
        return _error(f"输出文件 {out} 就是要导出的项目文件 {source}，请用 -o 指定其他文件名。")
    # lexists: anything by that name counts, even a broken symlink; a name the system refuses fails when written
    if os.path.lexists(out) and not args.force:
        try:
            same = fmt == "md" and read_bytes(out) == data
        except OSError:
            same = False
        if same:
            print(f"未改变 {display(out)}（{_summary(tables)}）")
            return EXIT_OK
        return _error(f"{display(out)} 已存在，未覆盖（确需覆盖请加 --force，或用 -o 指定其他文件名）。")
    try:
        write_bytes_atomic(out, data)
    except OSError as exc:
        return _error(f"无法写入 {display(out)}：{os_reason(exc)}")
    print(f"已导出 {display(out)}（{_summary(tables)}）")
    return EXIT_OK


def _review_marks(table) -> int:
    """How many review notes (left by renew) the table still carries."""
    return sum(1 for note in (table.project.review, table.funding.review, *(i.review for i in table.indicators)) if note)


def _summary(tables: list) -> str:
    if len(tables) == 1:
        t = tables[0]
        return f"{t.project.name}，{len(t.indicators)} 条指标"
    return f"{len(tables)} 张表：" + "、".join(t.project.name for t in tables)
