"""`jixiao renew FILE.toml --year YYYY [-o OUT] [--force]`: next year's draft from last year's table.

Years move on; amounts and numbers are kept and marked 「沿用上年数值，请核实」 (the optional `review` key,
which `check` lists until someone confirms the value and removes it). Never replaces a different existing
file without --force. Exit 2 for an unreadable file, a bad year or a refused overwrite.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import EXIT_OK, EXIT_USAGE, display
from ..safetext import path_text
from . import load_or_report

YEAR_RANGE = (1900, 2200)


def _year(text: str) -> int:
    """A budget year; a ValueError lets the CLI's Chinese usage message name the option and value."""
    value = int(text.strip().removesuffix("年"))
    if not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        raise ValueError(text)
    return value


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "renew",
        help="以上年的绩效目标表为底稿，生成新年度的草稿",
        description="以上年的项目文件为底稿生成新年度草稿：项目名称、年度总体目标、指标名称和指标值中的年份"
        "改为新年度（如「2024年12月底」→「2025年12月底」）；资金和其他数值保留，但标记为「沿用上年数值，请核实」，"
        "check 会逐条列出；[source] 记录上年文件。",
        epilog="默认输出到当前文件夹，以新项目名称命名（如「2025年村委会办公经费.toml」）。"
        "输出文件已存在且内容不同时不会覆盖，确需覆盖请加 --force。",
    )
    parser.add_argument("file", metavar="FILE.toml", help="上年的项目文件")
    parser.add_argument("--year", metavar="YYYY", type=_year, required=True, help="新的预算年度，如 2025")
    parser.add_argument(
        "-o", "--output", metavar="OUT", default=None, help="输出文件（默认：当前文件夹中以新项目名称命名）；「-」输出到屏幕"
    )
    parser.add_argument("--force", action="store_true", help="覆盖内容不同的已有文件")


def _error(message: str) -> int:
    print(f"jixiao: 错误：{message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from ..filenames import slug
    from ..renew import renew
    from ..tomlio import dumps, os_reason, same_file, write_new

    path = Path(args.file)
    prior = load_or_report(path)
    if prior is None:
        return EXIT_USAGE
    old_year = prior.project.year
    if args.year <= old_year:
        return _error(f"{display(path)}：新的预算年度 {args.year} 应晚于原表的预算年度 {old_year}。")

    draft = renew(prior, args.year, document=path_text(path.name))
    if args.output == "-":
        sys.stdout.write(dumps(draft))
        return EXIT_OK
    out = Path(args.output) if args.output else Path(slug(draft.project.name) + ".toml")
    if os.path.isdir(out):
        out = out / (slug(draft.project.name) + ".toml")
    if same_file(out, path):
        return _error(f"输出文件 {out} 就是上年的文件本身，请用 -o 指定新的文件名。")
    try:
        outcome = write_new(out, draft, force=args.force)
    except OSError as exc:
        return _error(f"无法写入 {display(out)}：{os_reason(exc)}")
    if outcome == "exists":
        return _error(f"{display(out)} 已存在且内容不同，未覆盖（确需覆盖请加 --force，或用 -o 指定其他文件名）。")
    state = "已写入" if outcome == "written" else "未改变"
    print(f"{state} {display(out)}（{draft.project.name}，据 {path_text(path.name)}）")
    _print_marks(draft)
    return EXIT_OK


def _print_marks(draft) -> None:
    from ..export import format_amount

    marks = []
    if draft.project.review:
        marks.append("年度总体目标")
    if draft.funding.review:
        f = draft.funding
        marks.append(
            f"项目资金：年度资金总额 {format_amount(f.total)} 万元（财政拨款 {format_amount(f.fiscal)}，"
            f"其他资金 {format_amount(f.other)}）"
        )
    for i, ind in enumerate(draft.indicators):
        if ind.review:
            marks.append(f"第{i + 1}条指标「{ind.name}」：{ind.value or '（未填写）'}")
    if not marks:
        return
    print(f"以下 {len(marks)} 处沿用了上年数值，请逐一核实（jixiao check 会列出，核实后删除 review 标记）：")
    for mark in marks:
        print(f"  - {mark}")
