"""The engine's shortcuts for a province-sized corpus give the answers of the long way.

Each is checked against the plain computation it replaces, on a generated corpus of several thousand rows
(several years, subjects and places, as benchmarks/synthetic.py makes them) and on the bundled tables.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from assistant.corpus import Entry
from assistant.index import build_from_entries
from assistant.suggest import Engine
from assistant.suggest.pool import PAIR_ITEMS, Pool
from assistant.suggest.build import VALUES_KEPT, _most_used
from assistant.years import has_real_year, shift_years
from benchmarks.suggest_speed import make_queries
from benchmarks.synthetic import generate


@pytest.fixture(scope="module")
def synthetic():
    tables = generate(6000, seed=3)
    return Engine.build(build_from_entries([Entry(Path(f"/corpus/t{n:05d}.toml"), t) for n, t in enumerate(tables)])), tables


def _queries(tables, n: int = 600) -> list[dict]:
    return [{k: v for k, v in q.items() if k != "first"} for q in make_queries(tables, n, random.Random(5))]


def _answers(engine: Engine, queries: list[dict]) -> list[list[tuple]]:
    return [[(s.text, s.score, s.count, s.value, s.source) for s in engine.suggest(**q, k=10)] for q in queries]


def test_ranking_stops_early_with_the_same_answers(synthetic, monkeypatch):
    engine, tables = synthetic
    queries = _queries(tables)
    fast = _answers(engine, queries)
    whole = Engine._rank
    scored = []
    monkeypatch.setattr(Engine, "_rank", lambda self, *a, **kw: whole(self, *a, **{**kw, "whole": True}))
    monkeypatch.setattr(Engine, "_scored", lambda self, *a, _s=Engine._scored: scored.append(1) or _s(self, *a))
    slow = _answers(Engine(engine.state), queries)  # a fresh engine: nothing remembered from the fast pass
    assert fast == slow
    assert len(scored) > 0


def test_fuzzy_letters_over_latin_texts_only_find_what_all_texts_give(synthetic):
    engine, _ = synthetic
    pool = Pool(engine.state.pools["name"])
    pool.head = [*pool.head, "app使用率", "gdp增长率", "ktv场所数"]  # texts with Latin letters, as some wording has
    for q in ("app", "sy", "apl", "bzsq", "gdpzz", "ktv", "xyz"):
        want = {i: s for _, s, i in process.extract(q, pool.head, scorer=fuzz.partial_ratio, limit=10, score_cutoff=60)}
        got = engine._fuzzy(pool, q, {})
        assert {i: round(score * 100 / 0.75, 6) for i, (_, score) in got.items()} == {i: round(s, 6) for i, s in want.items()}, q
    assert engine._fuzzy(pool, "app", {})  # the Latin texts are found


def test_values_merged_per_value_weigh_as_row_by_row(synthetic):
    engine, _ = synthetic
    checked = 0
    for norm in sorted(engine.value_stats, key=lambda n: -len(engine.value_stats[n]))[:200]:
        stats = engine.value_stats[norm]
        for year in (None, 2023, 2026):
            plain: dict[str, list] = {}
            for value, count, t in stats:  # the long way: each row moved to the year on its own
                moved = shift_years(value, engine.years[t], year) if year else value
                got = plain.setdefault(moved, [0, None, 0, True])
                got[0] += count
                if count > got[2]:
                    got[1], got[2] = t, count
                got[3] = got[3] and moved != value
            assert {v: [c, t, m, a] for v, c, t, m, a in engine._by_value(stats, year)} == plain
            checked += len(stats)
    assert checked > 3000


def test_only_the_most_used_values_of_a_wording_are_kept():
    rows = {(f"{n}人", 2020 + n % 3): [51 if n % 7 == 0 else 1, n] for n in range(VALUES_KEPT + 40)}
    rows[("5人", 2024)] = [30, 999]  # a value used in two years: its uses add up (31, among the most used)
    kept = _most_used(rows)
    values = {v for v, _, _ in kept}
    assert len(values) == VALUES_KEPT
    assert {"5人"} | {f"{n}人" for n in range(0, VALUES_KEPT + 40, 7)} <= values
    assert kept == [(v, c, t) for (v, _), (c, t) in rows.items() if v in values]  # every year's row, as written
    small = {("1人", 2024): [3, 1], ("2人", 2023): [1, 2]}
    assert _most_used(small) == [("1人", 3, 1), ("2人", 1, 2)]


@pytest.mark.parametrize(
    ("text", "moves"),
    [("2024年12月底", True), ("2024-12-31", True), ("２０２４年", True), ("2024元", False), ("60人", False),
     ("2024—2026年", True), ("≥95%", False)],
)  # fmt: skip
def test_a_value_is_moved_only_if_it_writes_a_year(text, moves):
    assert has_real_year(text) == moves
    if not moves:
        assert shift_years(text, 2024, 2026) == text


def test_pair_index_gives_what_the_blob_search_gives(synthetic):
    engine, _ = synthetic
    pool = Pool(engine.state.pools["name:数量指标"])
    pairs = {norm[j : j + 2] for norm in pool.norms[:400] for j in range(len(norm) - 1)} | {"不存", "x1"}
    for pair in sorted(pairs):
        assert pool.with_pair(pair) == list(pool.find("text", pair, PAIR_ITEMS)), pair
    assert len(pairs) > 300 and any(len(pool.with_pair(p)) == PAIR_ITEMS for p in pairs)
