"""schema.check: plain data read back from disk is accepted only in the shape it claims; its fast column checks
(an engine index holds millions of values) agree with the item-by-item check on anything hypothesis makes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import schema
from assistant.drafts import DraftState
from assistant.model import Indicator, Table
from assistant.schema import SchemaError, check
from assistant.suggest.state import ValueStats

_SCALAR = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
_PLAIN = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4),
    max_leaves=12,
)
_ROW = st.fixed_dictionaries(
    {"level1": _SCALAR, "level2": _SCALAR, "name": _SCALAR},
    optional={"value": _SCALAR, "review": _SCALAR, "extra": _SCALAR},
)
HINTS: list[Any] = [
    list[str], list[int], list[float], list[tuple[str, int, int]], dict[str, list[tuple[int, float]]],
    dict[int, dict[str, list[str]]], list[list[str]], list[str | None], ValueStats, list[Indicator],
]  # fmt: skip


def _verdict(value, hint, fast: bool) -> bool:
    if not fast:
        real = schema._leaves
        schema._leaves = lambda *a: False
    try:
        check(value, hint)
        return True
    except SchemaError:
        return False
    finally:
        if not fast:
            schema._leaves = real


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(HINTS), st.lists(_PLAIN | _ROW, max_size=6) | _PLAIN)
def test_fuzz_fast_and_slow_checks_agree(hint, value):
    assert _verdict(value, hint, fast=True) == _verdict(value, hint, fast=False)


@settings(max_examples=300, deadline=None)
@given(_PLAIN | st.fixed_dictionaries({"project": _PLAIN, "funding": _PLAIN, "indicators": st.lists(_ROW, max_size=3)}))
def test_fuzz_only_a_table_passes_as_a_table(value):
    try:
        check(value, Table)
    except SchemaError as exc:
        assert not str(exc).isascii()  # where and what, in Chinese
        return
    from assistant.tablecache import _table

    assert isinstance(_table(value), Table)


@pytest.mark.parametrize(
    "value, where",
    [
        ({"version": 1, "table": {}}, None),
        ({"version": 1, "table": {"project": {"year": True}}}, "table.project.year"),
        ({"version": 1, "table": {"funding": {"total": "36"}}}, "table.funding.total"),
        ({"version": 1, "table": {"indicators": [{"level1": "a", "level2": "b"}]}}, "table.indicators[0].name"),
        ({"version": 1, "table": {}, "answered": 5}, "answered"),
        ({"version": 1, "table": {}, "newer": 1}, "newer"),
        ({"version": 1, "table": {"funding": {"total": float("inf")}}}, "table.funding.total"),
    ],
)
def test_draft_problems_say_where(value, where):
    if where is None:
        check(value, DraftState)  # every table field has a default
        return
    with pytest.raises(SchemaError) as caught:
        check(value, DraftState)
    assert caught.value.where == where
