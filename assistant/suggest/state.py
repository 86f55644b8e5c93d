"""The engine's state: everything derived from the corpus and the library, as typed plain data.

`EngineState.to_plain()` gives dicts, lists, tuples and scalars only, so the cache can marshal it (fast to
read back, never runs code); `from_plain()` checks the shape and raises ValueError on anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from ..schema import check

FORMAT = 6  # of the cached state: bump when a field changes

# Value statistics: (value, count, table) triples.
ValueStats = list[tuple[str, int, int]]


@dataclass
class PoolState:
    """The distinct texts of one field (and one 二级), most used first, as parallel plain lists."""

    texts: list[str]
    norms: list[str]
    level2: list[str | None]
    value: list[str | None]
    tables: list[list[int]]  # corpus tables using each text
    pop: list[float]  # popularity in [0, 1]
    newest: list[int]  # the newest table using each text
    spaced: list[str]  # full pinyin with spaces between syllables
    blobs: dict[str, tuple[str, list[int]]]  # kind (text, full, initials, alt) -> (joined keys, starts)
    table_items: dict[int, list[int]]  # table -> its items


@dataclass
class LibraryState:
    """The indicator library's rows as parallel lists, with their matching keys precomputed."""

    sector: list[str]
    level2: list[str]
    name: list[str]  # may hold {subject} / {year}
    value: list[str]
    unit: list[str]
    keywords: list[list[str]]
    source: list[str]
    norm: list[str]  # the wording without slots, normalised
    initials: list[str]  # pinyin initials of the wording without slots
    sectors: list[tuple[str, str, list[str]]]  # (id, name, keywords) of every sector but the generic one


@dataclass
class EngineState:
    format: int
    tables: list[tuple[str, str, int]]  # (file, project name, year) per corpus table
    table_kinds: list[str]  # "own" or "corpus" per table
    table_sectors: list[list[str]]  # inferred sectors per table
    table_words: list[list[str]]  # distinct content words of name and goal per table
    table_name_words: list[list[str]]  # the project name's words of two characters or more per table
    table_headers: list[list[str]]  # per table, its header values in index.HEADER_FIELDS order ("" for none)
    idf: dict[str, float]
    core: dict[str, list[int]]  # project name without year -> tables
    postings: dict[str, list[tuple[int, float]]]  # word -> (table, BM25 weight), heaviest first
    value_stats: dict[str, ValueStats]  # normalised wording -> values
    level2_values: dict[str, ValueStats]
    level2_of_name: dict[str, str]
    table_values: dict[int, dict[str, list[str]]]
    warnings: list[str]
    headers: dict[str, list[tuple[str, int]]]
    by_department: dict[str, dict[str, list[tuple[str, int]]]]
    groups: list[list[str]]
    domain_words: list[str]
    pools: dict[str, PoolState]
    library: LibraryState
    avgdl: float  # mean BM25 length of a table (name twice, goal): an overlay weighs added tables with it

    # Retrieval interfaces the engine reads through (suggest/store.py answers them from disk, lazily).
    def years(self) -> tuple[Sequence[int], tuple[int, int]]:
        """Each table's year, and the oldest and newest."""
        years = [t[2] for t in self.tables]
        return years, (min(years, default=0), max(years, default=0))

    def name_codes(self) -> Sequence[int]:
        """A number per table, equal for tables of the same project name."""
        number: dict[str, int] = {}
        return [number.setdefault(t[1], len(number)) for t in self.tables]

    def recency(self) -> list[float]:
        """Each table's year in [0, 1] between the corpus's oldest and newest."""
        years, (low, high) = self.years()
        span = high - low
        return [1.0 if span <= 0 else (y - low) / span for y in years]

    def max_idf(self) -> float:
        return max(self.idf.values(), default=1.0)

    def sector_tables(self) -> dict[str, frozenset[int]]:
        """Sector -> the tables inferred to be in it."""
        by_sector: dict[str, list[int]] = {}
        for t, table_sectors in enumerate(self.table_sectors):
            for sector in table_sectors:
                by_sector.setdefault(sector, []).append(t)
        return {sector: frozenset(ts) for sector, ts in by_sector.items()}

    def to_plain(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["pools"] = {k: vars(p) for k, p in self.pools.items()}
        out["library"] = vars(self.library)
        return out

    @classmethod
    def from_plain(cls, data: object) -> EngineState:
        """The state from `to_plain()` output; ValueError when the shape is not this format's."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not an engine state of this format")
        names = {f.name for f in fields(cls)}
        if set(data) != names:
            raise ValueError("engine state keys differ")
        check(data, cls)  # every value's type and size (SchemaError, a ValueError): a bad cache is rebuilt
        try:
            pools = {k: PoolState(**p) for k, p in data["pools"].items()}
            library = LibraryState(**data["library"])
        except TypeError as exc:
            raise ValueError(str(exc)) from None
        return cls(**{**data, "pools": pools, "library": library})


class ReadMapping:
    """`[]` and `in` over a `get(key, default)` that reads a missing key as None."""

    def get(self, key: object, default: object = None) -> object:
        raise NotImplementedError

    def __getitem__(self, key: object) -> object:
        got = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None
