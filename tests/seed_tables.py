"""The bundled seed tables (knowledge/tables, 表1–表15) as bases for check tests: load, change one thing, compare."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from assistant import tomlio
from assistant.checks import Finding, run_checks
from assistant.model import Indicator, Table
from assistant.paths import bundled_knowledge


@lru_cache(maxsize=1)
def _by_number() -> dict[int, tuple[Path, Table]]:
    out = {}
    for path in sorted((bundled_knowledge() / "tables").glob("*.toml")):
        table = tomlio.load(path)
        assert table.source is not None
        out[table.source.table] = (path, table)
    return out


def seed_path(number: int) -> Path:
    return _by_number()[number][0]


def seed(number: int) -> Table:
    """A fresh copy of 表N, safe to change."""
    return copy.deepcopy(_by_number()[number][1])


def seed_corpus() -> list[Table]:
    return [copy.deepcopy(t) for _, (_, t) in sorted(_by_number().items())]


def brief(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    """(severity, code, where, message): the part of a finding the rule book fixes."""
    return [(f.severity, f.code, f.where, f.message) for f in findings]


def _minus(these: list[tuple], those: list[tuple]) -> list[tuple]:
    """`these` not in `those`, as multisets of (severity, code, message): a row deleted above shifts `where`."""
    left = Counter((s, c, m) for s, c, _, m in those)
    out = []
    for item in these:
        key = (item[0], item[1], item[3])
        if left[key]:
            left[key] -= 1
        else:
            out.append(item)
    return out


def change(number: int, mutate: Callable[[Table], object], **options) -> tuple[list, list]:
    """Findings added and removed when `mutate` changes 表N, as `brief` tuples in output order."""
    before = brief(run_checks(seed(number), **options))
    table = seed(number)
    mutate(table)
    after = brief(run_checks(table, **options))
    return _minus(after, before), _minus(before, after)


def row(table: Table, index: int) -> Indicator:
    return table.indicators[index]
