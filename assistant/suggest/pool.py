"""A pool: the distinct texts of one field (and one 二级) with blobs for C-speed substring search.

The texts sit in one string each for the text and its pinyin keys ("blob"), most used first, so a typed
query is a `str.find` loop that stops once enough matches are found.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping

from .state import PoolState, ReadMapping
from .text import normalise

FUZZY_POOL = 3000  # texts rapidfuzz looks at when exact matching finds too little
PAIR_ITEMS = 40  # texts sharing a character pair that similar wording is looked for among
LATIN = re.compile(r"[a-z]")  # (normal forms are lower case)
_SEP = "\x1f"


class Pool:
    """Read access to a PoolState: lookups by normal form and blob search."""

    def __init__(self, state: PoolState):
        self.state = state
        self.texts = state.texts
        self.norms = state.norms
        self.level2 = state.level2
        self.value = state.value
        self.tables = state.tables
        self.pop = state.pop
        self.newest = state.newest
        self.spaced = state.spaced
        self.table_items = state.table_items
        self.by_norm = {n: i for i, n in reversed(list(enumerate(self.norms)))}
        self.head = self.norms[:FUZZY_POOL]
        self._latin_head: dict[int, str] | None = None
        self._pairs: dict[str, list[int]] | None = None
        self._found: dict[tuple[str, str, int], dict[int, int]] = {}

    def latin_head(self) -> dict[int, str]:
        """The head's texts with a Latin letter (item -> normal form), in the head's order."""
        if self._latin_head is None:
            self._latin_head = {i: norm for i, norm in enumerate(self.head) if LATIN.search(norm)}
        return self._latin_head

    def with_pair(self, pair: str) -> list[int]:
        """The most used texts (at most PAIR_ITEMS, most used first) holding a two-character string: what
        `find("text", pair, PAIR_ITEMS)` gives, from an index of every pair made when first asked (the value
        step asks a dozen new pairs for each wording; the index costs a pass over the texts, once)."""
        if self._pairs is None:
            index: dict[str, list[int]] = {}
            for i, norm in enumerate(self.norms):
                for j in range(len(norm) - 1):
                    items = index.get(norm[j : j + 2])
                    if items is None:
                        index[norm[j : j + 2]] = [i]
                    elif items[-1] != i and len(items) < PAIR_ITEMS:
                        items.append(i)
            self._pairs = index
        return self._pairs.get(pair, [])

    def find(self, kind: str, query: str, limit: int) -> dict[int, int]:
        """Item -> position of `query` in its `kind` key, most used items first, at most `limit`.
        Remembered (read-only for callers): the same few characters start most typing and value lookups."""
        key = (kind, query, limit)
        found = self._found.get(key)
        if found is None:
            if len(self._found) > 8192:
                self._found.clear()
            found = self._found[key] = self._find(kind, query, limit)
        return found

    def _find(self, kind: str, query: str, limit: int) -> dict[int, int]:
        blob, starts = self.state.blobs[kind]
        found: dict[int, int] = {}
        find, last = blob.find, len(starts) - 1
        pos = find(query)
        while pos >= 0 and len(found) < limit:
            item = bisect_right(starts, pos) - 1
            found[item] = pos - starts[item]
            # one occurrence per item is enough: go on from the next item (past the end after the last)
            pos = find(query, starts[item + 1] if item < last else len(blob) + 1)
        return found


class Pools(ReadMapping):
    """Pools by key ("name", "name:<二级>", "goal", "project"), each made a Pool on first use: a stored state
    reads a pool from disk only when a query needs it."""

    def __init__(self, states: Mapping[str, PoolState]):
        self._states = states
        self._pools: dict[str, Pool] = {}

    def get(self, key: str, default: Pool | None = None) -> Pool | None:
        pool = self._pools.get(key)
        if pool is None:
            state = self._states.get(key)
            if state is None:
                return default
            pool = self._pools[key] = Pool(state)
        return pool


# One distinct text of a pool: (text, tables using it ascending, 二级, most used value, newest table, its year).
Item = tuple[str, list[int], "str | None", "str | None", int, int]


def pool_state(
    items: list[Item], pinyin: dict[str, tuple[str, str, str]], n_tables: int, norm: Callable[[str], str] = normalise
) -> PoolState:
    """Build a pool from its items, sorted by use (most tables, newest, text)."""
    items.sort(key=lambda it: (-len(it[1]), -it[5], it[0]))
    texts = [it[0] for it in items]
    tables = [it[1] for it in items]
    keys = [pinyin.get(text, ("", "", "")) for text in texts]
    norms = [norm(text) for text in texts]
    per_table: list[list[int]] = [[] for _ in range(n_tables)]
    for i, ts in enumerate(tables):
        for t in ts:
            per_table[t].append(i)
    scale = math.log1p(max(1, n_tables))
    pop_of: dict[int, float] = {}  # by the number of tables: most texts share a few counts
    pop = []
    for ts in tables:
        got = pop_of.get(len(ts))
        if got is None:
            got = pop_of[len(ts)] = math.log1p(len(ts)) / scale
        pop.append(got)
    return PoolState(
        texts=texts,
        norms=norms,
        level2=[it[2] for it in items],
        value=[it[3] for it in items],
        tables=tables,
        pop=pop,
        newest=[it[4] for it in items],
        spaced=[k[0] for k in keys],
        blobs={
            "text": _blob(norms),
            "full": _blob(k[0].replace(" ", "") for k in keys),
            "initials": _blob(k[1] for k in keys),
            "alt": _blob(k[2] for k in keys),
        },
        table_items={t: its for t, its in enumerate(per_table) if its},
    )


def _blob(keys) -> tuple[str, list[int]]:
    parts, starts, offset = [], [], 0
    for key in keys:
        starts.append(offset)
        parts.append(key)
        offset += len(key) + 1
    return _SEP.join(parts), starts
