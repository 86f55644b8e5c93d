"""`jixiao ingest FILE... [-o DIR] [--json] [--force]`: text files or .xlsx workbooks -> project files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import EXIT_OK, EXIT_USAGE, display, stdout_json
from ..filenames import slug
from ..ingest import Parsed, parse_file
from ..tomlio import os_reason, write_new


def _names(tables: list[Parsed]) -> list[str]:
    """One file name per table; a name shared within the batch gets its table number."""
    stems = [slug(p.table.project.name) for p in tables]
    out = []
    for p, stem in zip(tables, stems):
        if stems.count(stem) > 1 and p.table.source is not None:
            stem = f"{stem}-表{p.table.source.table}"
        out.append(stem)
    seen: dict[str, int] = {}
    unique = []
    for stem in out:
        seen[stem] = seen.get(stem, 0) + 1
        unique.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return [f"{stem}.toml" for stem in unique]


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="把从预算公开 PDF 复制出的文本或 Excel 表格解析为项目文件（每张表一个）",
        description="把从预算公开 PDF 复制出的文本，或 Excel 工作簿（.xlsx，包括 jixiao export 导出的和常见的"
        "单工作表版式），解析为 TOML 项目文件，每张表一个文件。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="文本文件（.txt）或 Excel 工作簿（.xlsx）")
    parser.add_argument("-o", "--output", metavar="DIR", default=".", help="输出文件夹（默认：当前文件夹）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    parser.add_argument("--force", action="store_true", help="覆盖内容不同的同名文件")


def run(args: argparse.Namespace) -> int:
    out_dir = Path(args.output)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        print(f"jixiao: 错误：输出位置 {out_dir} 是一个文件，不是文件夹。", file=sys.stderr)
        return EXIT_USAGE
    parsed: list[tuple[str, Parsed]] = []
    problems: list[dict] = []
    for name in args.files:
        result = parse_file(name)
        parsed.extend((name, p) for p in result.tables)
        for prob in result.problems:
            problems.append({"file": name, "line": prob.line, "message": prob.message})
            where = f"{name}:{prob.line}" if prob.line else name
            print(f"{where}: {prob.message}", file=sys.stderr)

    written = []
    conflicts = 0
    if parsed:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"jixiao: 错误：无法创建输出文件夹 {out_dir}：{os_reason(exc)}", file=sys.stderr)
            return EXIT_USAGE
    for (source, p), filename in zip(parsed, _names([p for _, p in parsed])):
        path = out_dir / filename
        try:
            outcome = write_new(path, p.table, force=args.force)
        except OSError as exc:
            outcome = f"无法写入：{os_reason(exc)}"
        if outcome == "exists":
            conflicts += 1
            outcome = "已存在且内容不同，未覆盖（确需覆盖请加 --force）"
        if outcome not in ("written", "unchanged"):
            message = f"{display(path)}: {outcome}"
            print(message, file=sys.stderr)
            problems.append({"file": source, "line": p.line, "message": message})
            continue
        written.append((source, p, path, outcome))

    if args.json:
        stdout_json(
            {
                "tables": [
                    {
                        "file": str(path),
                        "name": p.table.project.name,
                        "indicators": len(p.table.indicators),
                        "table": p.table.source.table if p.table.source else None,
                        "source": source,
                        "status": outcome,
                    }
                    for source, p, path, outcome in written
                ],
                "problems": problems,
            }
        )
    else:
        for source, p, path, outcome in written:
            state = "已写入" if outcome == "written" else "未改变"
            number = f"表{p.table.source.table} " if p.table.source else ""
            print(f"{state} {display(path)}  （{number}{p.table.project.name}，{len(p.table.indicators)} 条指标）")
        if parsed:
            print(f"共 {len(parsed)} 张表，{len(written)} 个文件；{len(problems)} 个问题。")
    if not parsed:
        print("jixiao: 错误：没有读到任何绩效目标表。", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE if conflicts or len(written) < len(parsed) else EXIT_OK
