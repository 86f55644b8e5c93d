"""The real seed document against its golden regression file (tests/data/seed_golden.json).

That file is the parser's own output for the seed, kept so that a change in what ingest reads shows up
here; it was reviewed against the seed text but not written by hand, so it is not a truth file (the
hand-checked truths are tests/data/real/*.json)."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from assistant.ingest import parse_file, parse_text

from .conftest import SEED

HEADER_FIELDS = ["name", "year", "department", "department_code", "implementing_unit", "attribute", "period", "goal"]


def _fields(obj) -> dict:
    """A model object as a dict without the optional `review` note (ingest never sets it)."""
    return {k: v for k, v in asdict(obj).items() if k != "review"}


@pytest.fixture(scope="module")
def parsed():
    return parse_file(SEED)


def test_fifteen_tables_169_rows(parsed, seed_golden):
    assert [p.table.source.table for p in parsed.tables] == [e["table"] for e in seed_golden]
    assert sum(len(p.table.indicators) for p in parsed.tables) == 169
    assert all(p.table.source.document == SEED.name for p in parsed.tables)


@pytest.mark.parametrize("index", range(15), ids=[f"表{i + 1}" for i in range(15)])
def test_table_equals_truth(parsed, seed_golden, index):
    got, want = parsed.tables[index].table, seed_golden[index]
    for key in HEADER_FIELDS:
        assert getattr(got.project, key) == want["project"][key], key
    assert _fields(got.funding) == want["funding"]
    assert len(got.indicators) == len(want["indicators"])
    for row, (g, w) in enumerate(zip(got.indicators, want["indicators"])):
        assert _fields(g) == w, f"row {row} (line {want['lines'][row]})"


def test_only_problem_is_table1_missing_value(parsed):
    assert [(p.line, p.message) for p in parsed.problems] == [(26, "三级指标「群众满意度」没有指标值。")]


def test_header_and_indicator_counts(parsed, seed_golden):
    """165 header fields (11 per table) and 169 rows, as the issue counts them."""
    fields = sum(len(HEADER_FIELDS) + 3 for _ in parsed.tables)
    assert fields == 165
    assert [len(p.table.indicators) for p in parsed.tables] == [len(e["indicators"]) for e in seed_golden]


def test_parse_text_same_as_parse_file(parsed, seed_text):
    again = parse_text(seed_text, SEED.name)
    assert [p.table for p in again.tables] == [p.table for p in parsed.tables]
