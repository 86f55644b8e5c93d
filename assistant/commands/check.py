"""`jixiao check FILE.toml [--json] [--profile P] [--satisfaction-min N]`: the reviewer's rules over one table.

Exit 1 iff an error-severity finding; 2 for bad usage or a file the loader rejects (its message on stderr).
"""

from __future__ import annotations

import argparse
import sys
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
        help="按审核规则检查一张绩效目标表，指出问题和改法",
        description="按财政审核的常见退回理由检查一张绩效目标表（TOML 项目文件）：必填项、资金、指标类别、"
        "指标值写法、成本测算等。有错误时退出码为 1。",
    )
    parser.add_argument("file", metavar="FILE.toml", help="要检查的项目文件")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    parser.add_argument(
        "--profile",
        choices=sorted(fw.profiles),
        default=None,
        help=f"必填指标要求（默认：{fw.default_profile}；seed-template 为平罗县模板，另要求社会效益和可持续影响指标）",
    )
    parser.add_argument(
        "--satisfaction-min",
        metavar="N",
        type=_percent,
        default=None,
        help=f"满意度目标的下限，0–100（%%，默认：{fw.checks.satisfaction_min:g}）",
    )


def _corpus_tables(args: argparse.Namespace, checked: Path) -> list[Table]:
    """Corpus tables for the corpus rules, the checked file itself left out; problems are only warnings."""
    from ..corpus import load_corpus

    try:
        corpus = load_corpus(args.knowledge)
    except Exception as exc:  # noqa: BLE001 - the corpus only adds hints; never fail the check over it
        print(f"jixiao: 提示：无法读取语料，已跳过与其他项目的比对（{exc}）。", file=sys.stderr)
        return []
    for warning in corpus.warnings:
        print(warning, file=sys.stderr)
    try:
        me = checked.resolve()
    except OSError:
        me = checked
    return [e.table for e in corpus.entries if e.path.resolve() != me]


def run(args: argparse.Namespace) -> int:
    from ..checks import describe_where, run_checks
    
    path = Path(args.file)
    table = load_or_report(path)
    if table is None:
        return EXIT_USAGE
    findings = run_checks(
        table, corpus_tables=_corpus_tables(args, path), profile=args.profile, satisfaction_min=args.satisfaction_min
    )
    if args.json:
        stdout_json({"findings": [{**f.to_dict(), "location": describe_where(table, f.where)} for f in findings]})
    else:
        _print_human(path, table, findings, describe_where)
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _print_human(path: Path, table: Table, findings: list, describe_where) -> None:
    project = table.project
    name = project.name or "（未填写项目名称）"
    year = f"{project.year}年度，" if project.year is not None else ""
    print(f"检查 {display(path)}：{name}（{year}{len(table.indicators)} 条指标）")
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
    print()
    print(_summary(findings))


def _summary(findings: list) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in _HEADINGS}
    if not findings:
        return "结果：未发现问题。"
    tally = f"结果：{counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 条提示。"
    if counts["error"]:
        return tally + "请先改正错误再报送。"
    if counts["warning"]:
        return tally + "没有错误；警告请修改或准备说明。"
    return tally + "没有错误或警告。"
