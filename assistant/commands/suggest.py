"""`jixiao suggest QUERY [--field F] [--level2 L] [--project NAME] [--name WORDING] [-k N] [--json]`
and `jixiao suggest --batch FILE.jsonl [--json]` (SPEC section 2), with the additions `--goal --year --exclude`
and `--funding WAN --row LEVEL2 WORDING VALUE` (batch keys `funding`, `rows`): the table's funding and the rows
drafted so far, from which a value list derives a cost standard as the app does."""

from __future__ import annotations

import argparse
import json
import sys

from ..cli import EXIT_OK, EXIT_USAGE, stdout_json

_FIELD_HELP = "name：三级指标措辞（默认）；value：指标值（配合 --name）；goal：年度总体目标；project：项目名称"
_KEYS = {
    "query": str,
    "field": str,
    "level2": str,
    "project": str,
    "name": str,
    "k": int,
    "goal": str,
    "year": int,
    "exclude": list,
    "funding": (int, float),
    "rows": list,
}


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "suggest",
        help="从语料中给出填写建议（措辞、指标值、总体目标、项目名称）",
        description="根据语料库中同类项目的写法，给出排好序的填写建议。QUERY 为已输入的内容，可为空，可用拼音首字母。",
    )
    parser.add_argument("query", nargs="?", default="", metavar="QUERY", help="已输入的内容（可为空；支持拼音，如 cwh）")
    parser.add_argument("--field", default="name", choices=("name", "value", "goal", "project"), help=_FIELD_HELP)
    parser.add_argument("--level2", metavar="L", help="二级指标，如 数量指标")
    parser.add_argument("--project", metavar="NAME", default="", help="正在填写的项目名称（用于排序和改写）")
    parser.add_argument("--goal", metavar="TEXT", default="", help="正在填写的年度总体目标（可选，帮助排序）")
    parser.add_argument("--year", type=int, metavar="YYYY", help="预算年度（默认取项目名称开头的年份）")
    parser.add_argument("--name", metavar="WORDING", default="", help="三级指标措辞（--field value 时使用）")
    parser.add_argument("-k", type=int, default=10, metavar="N", help="最多给出几条（默认 10）")
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="WORDING", help="表中已有的措辞，不再建议（可重复）"
    )
    parser.add_argument("--funding", type=float, metavar="WAN", help="年度资金总额（万元；--field value 时据此推算成本标准）")
    parser.add_argument(
        "--row", dest="rows", action="append", nargs=3, default=[], metavar=("LEVEL2", "WORDING", "VALUE"),
        help="表中已填的一条指标：二级 措辞 指标值（可重复；如 --row 数量指标 村干部人数 60人）",
    )  # fmt: skip
    parser.add_argument("--batch", metavar="FILE.jsonl", help="批量查询：每行一个 JSON 对象，键同上述选项（rows 为 [二级, 措辞, 指标值] 的数组）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def _engine(args: argparse.Namespace):
    from ..suggest import load_engine

    engine = load_engine(args.knowledge)
    for warning in engine.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return engine


def _query(engine, q: dict) -> list:
    return engine.suggest(
        q.get("query", ""),
        field=q.get("field", "name"),
        level2=q.get("level2") or None,
        project=q.get("project", ""),
        goal=q.get("goal", ""),
        name=q.get("name", ""),
        year=q.get("year"),
        k=q.get("k", 10),
        exclude=q.get("exclude") or (),
        funding=q.get("funding"),
        rows=[tuple(r) for r in q.get("rows") or ()],
    )


def _has_surrogate(value: object) -> bool:
    """A lone surrogate ("\\ud800") is valid JSON but not text: it could not even be printed."""
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def _check(q: object) -> str | None:
    """Why a batch line is not a valid query (Chinese), or None."""
    if not isinstance(q, dict):
        return "每行应为一个 JSON 对象"
    if any(_has_surrogate(k) or _has_surrogate(v) for k, v in q.items()):
        return "含有无效的字符（单独的代理码位），不是有效的文本"
    for key, value in q.items():
        if key not in _KEYS:
            return f"未知的键「{key}」（可用：{'、'.join(_KEYS)}）"
        if value is not None and (not isinstance(value, _KEYS[key]) or isinstance(value, bool)):
            return f"键「{key}」的值类型不对"
    if not all(isinstance(x, str) for x in q.get("exclude") or ()):
        return "exclude 应为文本数组"
    if not all(isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in q.get("rows") or ()):
        return "rows 应为 [二级, 措辞, 指标值] 三项文本的数组"
    if isinstance(q.get("k"), int) and not 1 <= q["k"] <= 100:
        return "k 应在 1 到 100 之间"
    if q.get("field", "name") not in ("name", "value", "goal", "project"):
        return f"field 应为 name、value、goal 或 project，而不是「{q['field']}」"
    return None


def _print_human(results, field: str, notice: str | None = None) -> None:
    if notice and field == "name":
        print(f"（{notice}）")
    if not results:
        print("（没有找到建议）")
    for n, s in enumerate(results, 1):
        extra = [s.label] if s.label else []
        if s.level2 and field == "name":
            extra.append(s.level2)
        if s.value:
            extra.append(f"常用值 {s.value}")
        if s.adapted:
            extra.append("已按本项目改写")
        tail = f"  [{'；'.join(extra)}]" if extra else ""
        print(f"{n:>2}. {s.text}{tail}")
        if s.source:
            print(f"    来自 {s.source.project}（{s.source.year}年，{s.count} 张表使用）  {s.source.file}")
        elif s.origin:
            print(f"    来自 {s.origin}")


def run(args: argparse.Namespace) -> int:
    if args.batch:
        return _run_batch(args)
    if not 1 <= args.k <= 100:
        print("jixiao: 错误：-k 应在 1 到 100 之间。", file=sys.stderr)
        return EXIT_USAGE
    engine = _engine(args)
    query = {k: getattr(args, k) for k in _KEYS if getattr(args, k) not in (None, "", [])}
    results = _query(engine, query)
    if args.json:
        stdout_json([s.to_json() for s in results])
    else:
        _print_human(results, args.field, engine.notice(args.project, args.goal, args.year))
    return EXIT_OK


def _run_batch(args: argparse.Namespace) -> int:
    from ..tomlio import os_reason, read_bytes

    try:
        data = read_bytes(args.batch)
    except OSError as exc:
        print(f"{args.batch}: 无法读取文件：{os_reason(exc)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        lines = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        print(f"{args.batch}:{line}: 文件不是 UTF-8 编码。", file=sys.stderr)
        return EXIT_USAGE
    engine = _engine(args)
    out = sys.stdout
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
            problem = _check(q)
        except ValueError:
            problem = "不是有效的 JSON"
        except RecursionError:  # thousands of nested [ or {: json recurses once per level
            problem = "不是有效的查询（数组或对象嵌套的层数太多）"
        if problem is not None:
            print(f"{args.batch}:{no}: {problem}", file=sys.stderr)
            out.write(json.dumps({"error": problem, "line": no}, ensure_ascii=False) + "\n")
            continue
        results = _query(engine, q)
        if args.json:
            out.write(json.dumps([s.to_json() for s in results], ensure_ascii=False) + "\n")
        else:
            print(f"# 第 {no} 行：{q.get('query', '')}")
            notice = engine.notice(q.get("project") or "", q.get("goal") or "", q.get("year"))
            _print_human(results, q.get("field", "name"), notice)
    return EXIT_OK
