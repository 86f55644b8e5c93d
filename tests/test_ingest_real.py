"""Six real tables of other units (tests/data/real, hand-checked truth) read row by row, in text and in the
other formats the tests render them into."""

from __future__ import annotations

import json

import pytest

from assistant.ingest import parse_file

from .conftest import DATA

REAL = DATA / "real"
NAMES = sorted(p.stem for p in REAL.glob("*.txt"))
HEADER = ["name", "year", "department", "department_code", "implementing_unit", "attribute", "period", "goal"]
# The forms' own level labels -> the framework's canonical names (written by hand from DOMAIN.md §1).
LEVEL1 = {"项目完成指标": "产出指标", "项目效益指标": "效益指标"}
LEVEL2 = {"满意度指标": "服务对象满意度指标", "社会公众或服务对象满意度指标": "服务对象满意度指标"}
# jixiao stores ASCII operators as ≥/≤ (DOMAIN.md §1 allows either, consistently).
OPS = {">=": "≥", "<=": "≤"}


def truth(name: str) -> list[dict]:
    return json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))


def expected_rows(table: dict) -> list[tuple[str, str, str, str]]:
    out = []
    for row in table["indicators"]:
        level1 = row.get("alt_level1") or LEVEL1.get(row["level1"], row["level1"])
        level2 = row.get("alt_level2") or LEVEL2.get(row["level2"], row["level2"])
        value = row["value"]
        for ascii_op, op in OPS.items():
            value = value.replace(ascii_op, op)
        out.append((level1, level2, row["name"], value))
    return out


def mismatches(result, tables: list[dict]) -> list[str]:
    out = []
    if len(result.tables) != len(tables):
        out.append(f"{len(result.tables)} tables, expected {len(tables)}")
    for parsed, want in zip(result.tables, tables):
        got = parsed.table
        for key in HEADER:
            expected = want.get(key)
            expected = "" if expected is None and key != "year" else expected
            if getattr(got.project, key) != expected:
                out.append(f"{key}: {getattr(got.project, key)!r} != {expected!r}")
        for key in ("total", "fiscal", "other"):
            expected = want["funding"][key]
            if expected is not None and abs(getattr(got.funding, key) - expected) > 1e-9:
                out.append(f"funding.{key}: {getattr(got.funding, key)} != {expected}")
        rows = [(i.level1, i.level2, i.name, i.value) for i in got.indicators]
        wanted = expected_rows(want)
        for n, (g, w) in enumerate(zip(rows, wanted)):
            if g != w:
                out.append(f"row {n}: {g} != {w}")
        if len(rows) != len(wanted):
            out.append(f"{len(rows)} rows, expected {len(wanted)}")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_real_table_reads_exactly(name):
    result = parse_file(REAL / f"{name}.txt")
    assert mismatches(result, truth(name)) == []
    # What the form lacks is said, with its line; nothing else is a problem.
    assert all("未填写" in p.message and p.line > 0 for p in result.problems), result.problems


def test_funding_not_given_is_derived():
    """Hubei gives 项目金额 164 and 其中财政资金 132: other = 32; Sichuan gives only the parts: total = 6.3."""
    hubei = parse_file(REAL / "hubei-huangshi-dangxiao-zhutiban-2022.txt").tables[0].table.funding
    assert (hubei.total, hubei.fiscal, hubei.other) == (164.0, 132.0, 32.0)
    sichuan = parse_file(REAL / "sichuan-guangyuan-zhaohua-tekunfuzhu-2021.txt").tables[0].table.funding
    assert (sichuan.total, sichuan.fiscal, sichuan.other) == (6.3, 6.3, 0.0)


def _cells(name: str) -> list[list[str]]:
    return [line.split("\t") for line in (REAL / f"{name}.txt").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("name", NAMES)
def test_real_table_with_bars_between_cells(name):
    """The same rows of cells copied with `|` between them read the same."""
    from assistant.ingest import parse_text

    text = "\n".join("| " + " | ".join(row) + " |" for row in _cells(name))
    assert mismatches(parse_text(text, f"{name}.txt"), truth(name)) == []
