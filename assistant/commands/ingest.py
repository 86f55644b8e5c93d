"""`jixiao ingest FILES_OR_DIRS [-o DIR | --corpus] [--json] [--force]`: tables in any format -> project files.

Text, .pdf, .xlsx/.xls, .docx, .html and folders of them (SPEC §3). With `--corpus` the tables go into the
user's own knowledge folder (SPEC §2), where `suggest` and the assistant find them; a table already there with
the same content (from another file, or ingested before) is recognised and not added again.
On a terminal a progress bar (rich, imported only then) follows the files and a PDF's pages; the core reports
progress through a plain callback and never imports rich.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from ..cli import EXIT_OK, EXIT_USAGE, display, stdout_json
from ..filenames import slug
from ..ingest import Parsed, expand, parse_file
from ..model import Table
from ..paths import user_knowledge_dir
from ..tomlio import dumps, loads, os_reason, read_bytes, write_new


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


def content_key(table: Table) -> str:
    """What makes two tables the same for the corpus: everything but where they were read from."""
    return dumps(Table(table.project, table.funding, table.indicators, None, table.schema))


def _existing_keys(folder: Path) -> dict[str, Path]:
    """Content keys of the project files already in a folder (files that do not load are left alone)."""
    keys: dict[str, Path] = {}
    if not folder.is_dir():
        return keys
    for path in sorted(folder.rglob("*.toml")):
        try:
            table = loads(read_bytes(path).decode("utf-8-sig"), path)
        except Exception:  # noqa: BLE001 - a broken or foreign file is simply not a duplicate
            continue
        keys.setdefault(content_key(table), path)
    return keys


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="把绩效目标表（PDF、Excel、Word、网页、文本或整个文件夹）解析为项目文件（每张表一个）",
        description="把绩效目标表解析为 TOML 项目文件，每张表一个文件。可读：从 PDF 或网页复制出的文本（制表符、"
        "空格、| 分隔，或每格一行）、.csv、.pdf、Excel（.xlsx/.xls，包括预算管理一体化系统导出的宽表）、Word（.docx）、"
        "网页（.html/.htm），以及文件夹（其中所有支持的文件）。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE_OR_DIR", help="文件或文件夹")
    parser.add_argument("-o", "--output", metavar="DIR", default=None, help="输出文件夹（默认：当前文件夹）")
    parser.add_argument(
        "--corpus", action="store_true", help="写入自己的语料文件夹（供 suggest 和助手使用）；内容相同的表不重复添加"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    parser.add_argument("--force", action="store_true", help="覆盖内容不同的同名文件")


@contextmanager
def _progress_bar(enabled: bool, total: int):
    """A rich progress bar on stderr when it is a terminal; else a callback that does nothing."""
    if not enabled:
        yield lambda *args: None, lambda name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]导入[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        TimeRemainingColumn(), console=console, transient=True,
    ) as bar:
        files = bar.add_task("", total=total)
        pages = {"task": None}

        def on_pages(what: str, done: int, count: int) -> None:
            if pages["task"] is None:
                pages["task"] = bar.add_task(what, total=count)
            bar.update(pages["task"], completed=done, description=f"第 {done}/{count} {what}")

        def on_file(name: str) -> None:
            if pages["task"] is not None:
                bar.remove_task(pages["task"])
                pages["task"] = None
            bar.update(files, advance=1 if name == "" else 0, description=_markup_safe(name)[-40:])

        yield on_pages, on_file


def _markup_safe(name: str) -> str:
    """A file name for the bar's text: shown as the user would type it, rich markup brackets escaped."""
    return display(Path(name)).replace("[", r"\[") if name else ""


def run(args: argparse.Namespace) -> int:
    if args.corpus and args.output is not None:
        print("jixiao: 错误：--corpus 与 -o 不能同时使用（--corpus 写入自己的语料文件夹）。", file=sys.stderr)
        return EXIT_USAGE
    # The corpus is --knowledge DIR (or JIXIAO_KNOWLEDGE) where one is named, else the user's own folder (SPEC §2):
    # whichever `suggest` will read next.
    knowledge = getattr(args, "knowledge", None)
    corpus_dir = Path(knowledge) if knowledge else user_knowledge_dir()
    out_dir = corpus_dir if args.corpus else Path(args.output or ".")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        print(f"jixiao: 错误：输出位置 {display(out_dir)} 是一个文件，不是文件夹。", file=sys.stderr)
        return EXIT_USAGE
    files = list(expand(args.files))
    parsed: list[tuple[str, Parsed]] = []
    problems: list[dict] = []
    show_bar = not args.json and sys.stderr.isatty()
    with _progress_bar(show_bar, len(files)) as (on_pages, on_file):
        for name, _named in files:
            on_file(name)
            result = parse_file(name, progress=on_pages)
            on_file("")
            parsed.extend((name, p) for p in result.tables)
            for prob in result.problems:
                problems.append({"file": name, "line": prob.line, "message": prob.message})
    for prob in problems:
        where = f"{prob['file']}:{prob['line']}" if prob["line"] else prob["file"]
        print(f"{where}: {prob['message']}", file=sys.stderr)
    if not files:
        print("jixiao: 错误：文件夹中没有可导入的文件（.txt .pdf .xlsx .xls .docx .html）。", file=sys.stderr)
        return EXIT_USAGE

    written = []
    conflicts = 0
    if parsed:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"jixiao: 错误：无法创建输出文件夹 {display(out_dir)}：{os_reason(exc)}", file=sys.stderr)
            return EXIT_USAGE
    known = _existing_keys(out_dir) if args.corpus else {}
    for (source, p), filename in zip(parsed, _names([p for _, p in parsed])):
        path = out_dir / filename
        if args.corpus:
            key = content_key(p.table)
            if key in known:
                written.append((source, p, known[key], "duplicate"))
                continue
            path = _free_name(path, p.table)
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
        if args.corpus:
            known[content_key(p.table)] = path
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
        states = {"written": "已写入", "unchanged": "未改变", "duplicate": "已在语料中"}
        for source, p, path, outcome in written:
            src = p.table.source
            number = f"表{src.table} " if src else ""
            print(f"{states[outcome]} {display(path)}  （{number}{p.table.project.name}，{len(p.table.indicators)} 条指标）")
        if parsed:
            read = f"读了 {len(files)} 个文件，" if len(files) > 1 else ""
            kept = sum(o != "duplicate" for *_, o in written)
            dup = len(written) - kept
            again = f"（{dup} 张已在语料中，未重复添加）" if dup else ""
            print(f"{read}共 {len(parsed)} 张表，写入 {kept} 个文件{again}；{len(problems)} 个问题。")
    if not parsed:
        print("jixiao: 错误：没有读到任何绩效目标表。", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE if conflicts or len(written) < len(parsed) else EXIT_OK


def _free_name(path: Path, table: Table) -> Path:
    """In the corpus a different table may already use the name: take the next free one, never overwrite."""
    if not os.path.lexists(path):
        return path
    text = dumps(table).encode("utf-8")
    for n in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not os.path.lexists(candidate):
            return candidate
        try:
            if read_bytes(candidate) == text:
                return candidate
        except OSError:
            continue
    return path
