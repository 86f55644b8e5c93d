"""`jixiao check FILE_OR_DIR [--json] [--profile P] [--satisfaction-min N]`: the reviewer's rules.

One file: every finding with its place and fix, then the ✓ lines (what was verified right), then a tally.
A folder: every *.toml project file below it, one summary line per table (with its errors), and a total, so a
reviewer can run it over a whole submission; the tables of the folder are also each other's corpus (a goal
copied between two projects of one submission is found). Exit 2 for bad usage or a file the loader rejects
(its message on stderr; in a folder the other tables are still checked), else 1 iff an error-severity
finding, else 0.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from ..cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, display, stdout_json
from ..framework import default_framework
from ..model import Table
from . import load_or_report

# Group headings for the human output: what each severity means for the person filling the table.
_HEADINGS = {
    "error": ("错误", "须改正，否则表格会被退回"),
    "warning": ("警告", "审核时很可能被指出，请修改或准备说明"),
    "info": ("提示", "供参考"),
}


def _percent(text: str) -> float:
    """0–100, "%" allowed. A ValueError lets the CLI's Chinese usage message name the option and value."""
    value = float(text.strip().rstrip("%％"))
    if not 0 <= value <= 100:
        raise ValueError(text)
    return value


def add_parser(commands: argparse._SubParsersAction) -> None:
    fw = default_framework()
    parser = commands.add_parser(
        "check",
        help="按审核规则检查绩效目标表（一个文件或整个文件夹），指出问题和改法",
        description="按财政审核的常见退回理由检查绩效目标表（TOML 项目文件）：必填项、资金、指标类别、"
        "指标值写法、模板占位符、成本测算等。给出文件夹时检查其中所有 .toml 项目文件，每张表一行小结并给出合计。"
        "有错误时退出码为 1，有无法读取的文件时为 2。",
    )
    parser.add_argument("file", metavar="FILE_OR_DIR", help="要检查的项目文件，或包含项目文件的文件夹")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    profiles = "；".join(f"{key}：{fw.profile(key).title}" for key in sorted(fw.profiles))
    parser.add_argument(
        "--profile",
        choices=sorted(fw.profiles),
        default=None,
        help=f"按哪种表式的要求检查（默认按表中内容自动识别）。{profiles}",
    )
    parser.add_argument(
        "--satisfaction-min",
        metavar="N",
        type=_percent,
        default=None,
        help=f"满意度目标的下限，0–100（%%，默认：{fw.checks.satisfaction_min:g}）",
    )


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return path.absolute()


def _corpus_tables(args: argparse.Namespace, checked: list[Path]) -> list[Table]:
    """Corpus tables for the corpus rules, the checked files left out; problems are only warnings on stderr."""
    from ..corpus import load_corpus

    try:
        corpus = load_corpus(args.knowledge)
    except Exception as exc:  # noqa: BLE001 - the corpus only adds hints; never fail the check over it
        print(f"jixiao: 提示：无法读取语料，已跳过与其他项目的比对（{exc}）。", file=sys.stderr)
        return []
    mine = {_resolved(p) for p in checked}
    said = tuple(str(p) for p in mine)
    for warning in corpus.warnings:
        if not warning.startswith(said):  # a checked file that is also in the corpus: reported once, above
            print(warning, file=sys.stderr)
    return [e.table for e in corpus.entries if _resolved(e.path) not in mine]


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.is_dir():
        return _run_folder(args, path)
    table = load_or_report(path)
    if table is None:
        return EXIT_USAGE
    corpus = _corpus_tables(args, [path])
    review = _review(args, table, corpus)
    if args.json:
        stdout_json(_json_review(table, review))
    else:
        _print_human(path, table, review, _profile_line(args, review.profile))
    return EXIT_FINDINGS if any(f.severity == "error" for f in review.findings) else EXIT_OK


def _review(args: argparse.Namespace, table: Table, corpus: list[Table]):
    from ..checks import run_review

    return run_review(table, corpus_tables=corpus, profile=args.profile, satisfaction_min=args.satisfaction_min)


def _json_review(table: Table, review, file: str | None = None) -> dict:
    from ..checks import describe_where

    extra = {"file": file} if file is not None else {}
    return {
        "findings": [{**f.to_dict(), "location": describe_where(table, f.where), **extra} for f in review.findings],
        "confirmations": [
            {**c.to_dict(), "location": describe_where(table, c.where), **extra} for c in review.confirmations
        ],
        "profile": review.profile,
    }


def _profile_line(args: argparse.Namespace, profile: str) -> str:
    title = default_framework().profile(profile).title
    how = "按 --profile 指定" if args.profile else "按表中内容自动识别，可用 --profile 指定"
    return f"要求配置：{profile}，{title}。{how}。"


def _print_human(path: Path, table: Table, review, profile_line: str) -> None:
    from ..checks import describe_where

    project = table.project
    name = project.name or "（未填写项目名称）"
    year = f"{project.year}年度，" if project.year is not None else ""
    print(f"检查 {display(path)}：{name}（{year}{len(table.indicators)} 条指标）")
    print(profile_line)
    findings = review.findings
    number = 0
    for severity, (title, meaning) in _HEADINGS.items():
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        print()
        print(f"{title} {len(group)} 项（{meaning}）")
        for finding in group:
            number += 1
            where = describe_where(table, finding.where)
            key = f"（{finding.where}）" if finding.where else ""
            print(f"{number:>3}. {where}{key}")
            print(f"     {finding.message}")
            if finding.fix:
                print(f"     改法：{finding.fix}")
    if review.confirmations:
        print()
        print(f"核对无误 {len(review.confirmations)} 项")
        for confirmation in review.confirmations:
            print(f"  ✓ {confirmation.message}")
    print()
    print(_summary(findings))


def _counts(findings: list) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in _HEADINGS}


def _summary(findings: list) -> str:
    counts = _counts(findings)
    if not findings:
        return "结果：未发现问题。"
    tally = f"结果：{counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 条提示。"
    if counts["error"]:
        return tally + "请先改正错误再报送。"
    if counts["warning"]:
        return tally + "没有错误；警告请修改或准备说明。"
    return tally + "没有错误或警告。"


# ------------------------------------------------------------------------------------------ folders
@dataclass
class _Checked:
    path: Path
    table: Table | None = None  # None: unreadable (problem) or not a project file (skipped)
    problem: str = ""
    review: object = None


def _read_folder(folder: Path) -> list[_Checked]:
    from ..corpus import project_files, read_entry
    from ..tomlio import TableFileError

    out = []
    for path in project_files([folder]):
        try:
            entry = read_entry(path)
        except TableFileError as exc:
            print(exc, file=sys.stderr)
            out.append(_Checked(path, problem=str(exc)))
            continue
        if entry is not None:
            out.append(_Checked(path, entry.table))
    return out


def _run_folder(args: argparse.Namespace, folder: Path) -> int:
    checked = _read_folder(folder)
    if not checked:
        print(f"{folder}: 文件夹中没有项目文件（*.toml）。", file=sys.stderr)
        return EXIT_USAGE
    readable = [c for c in checked if c.table is not None]
    corpus = _corpus_tables(args, [c.path for c in checked])
    for item in readable:
        others = [c.table for c in readable if c is not item]
        item.review = _review(args, item.table, others + corpus)
    if args.json:
        _print_folder_json(checked)
    else:
        _print_folder_human(args, folder, checked)
    if any(c.problem for c in checked):
        return EXIT_USAGE
    errors = any(f.severity == "error" for c in readable for f in c.review.findings)
    return EXIT_FINDINGS if errors else EXIT_OK


def _print_folder_json(checked: list[_Checked]) -> None:
    findings, confirmations, tables, problems = [], [], [], []
    total = {"tables": 0, "error": 0, "warning": 0, "info": 0, "unreadable": 0}
    for item in checked:
        file = display(item.path)
        if item.table is None:
            problems.append({"file": file, "message": item.problem})
            total["unreadable"] += 1
            continue
        part = _json_review(item.table, item.review, file)
        findings += part["findings"]
        confirmations += part["confirmations"]
        counts = _counts(item.review.findings)
        tables.append({"file": file, "name": item.table.project.name, "profile": item.review.profile, **counts})
        total["tables"] += 1
        for severity, n in counts.items():
            total[severity] += n
    stdout_json(
        {"findings": findings, "confirmations": confirmations, "tables": tables, "problems": problems, "total": total}
    )


def _print_folder_human(args: argparse.Namespace, folder: Path, checked: list[_Checked]) -> None:
    from ..checks import describe_where

    print(f"检查文件夹 {display(folder)}：{len(checked)} 个项目文件")
    print()
    total = {s: 0 for s in _HEADINGS}
    with_errors = unreadable = 0
    for item in checked:
        shown = display(item.path)
        if item.table is None:
            unreadable += 1
            print(f"  ✗ {shown}：无法读取（{item.problem}）")
            continue
        findings = item.review.findings
        counts = _counts(findings)
        for severity, n in counts.items():
            total[severity] += n
        mark = "✗" if counts["error"] else ("!" if counts["warning"] else "✓")
        with_errors += bool(counts["error"])
        name = item.table.project.name or "（未填写项目名称）"
        print(
            f"  {mark} {shown}：{name} — {counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 条提示"
        )
        for finding in findings:
            if finding.severity == "error":
                print(f"      错误：{describe_where(item.table, finding.where)}：{finding.message}")
    print()
    tables = len(checked) - unreadable
    line = (
        f"合计：{tables} 张表，{with_errors} 张有错误；{total['error']} 个错误，{total['warning']} 个警告，"
        f"{total['info']} 条提示。"
    )
    if unreadable:
        line += f"另有 {unreadable} 个文件无法读取（原因见上）。"
    print(line)
    if tables:
        print("逐张查看问题和改法：jixiao check 文件名.toml")
