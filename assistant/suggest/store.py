"""The engine's state on disk, queried where it lies: opening costs the same at 1,000 and 1,000,000 rows.

`save(path, key, state)` writes an `EngineState` into a SQLite database (built in a temporary file, then
renamed over the old one, so a reader never sees half a database and two writers never mix); `open_state`
gives a `StoredState` with the same attributes as `EngineState`, each a lazy view that reads one key (one
word's postings, one wording's values, one table's row, one pool) when the engine asks for it.

Why SQLite rather than memory-mapped arrays: the state is mostly keyed by text (words, wordings, 二级),
which a B-tree answers in a few microseconds without a hash table to load first; the big per-field pools
are read whole when first used (their substring search is a `str.find` over one string, faster than FTS5's
trigram index, which cannot answer the one- and two-character queries most typing starts with).

It is a cache: a database that is a symlink, not a regular file, of another format or key, or damaged, is
not used (`open_state` returns None and the caller rebuilds). Values are JSON (plain data only) and their
shapes are checked when read; a value of the wrong shape reads as missing, never as a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path

from .state import FORMAT, EngineState, LibraryState, PoolState

STORE_FORMAT = f"{FORMAT}.1"

# kv.kind: one key-value table holds every mapping of the state.
_KINDS = ("idf", "postings", "core", "value_stats", "level2_values", "level2_of_name", "table_values", "table",
          "sector", "pool", "department")  # fmt: skip
_KIND = {name: n for n, name in enumerate(_KINDS)}


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def save(path: Path, key: str, state: EngineState) -> bool:
    """Write the state; False when it cannot be written (the engine then works from memory)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError:
        return False
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            _write(db, key, state)
        finally:
            db.close()
        os.replace(tmp, path)  # replaces a symlink itself, never its target
        return True
    except (OSError, sqlite3.Error, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


def _write(db: sqlite3.Connection, key: str, state: EngineState) -> None:
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    db.execute("CREATE TABLE kv (kind INTEGER, key TEXT, value TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
    db.execute("BEGIN")
    years = [t[2] for t in state.tables] or [0]
    meta = {
        "format": STORE_FORMAT,
        "key": key,
        "tables": len(state.tables),
        "years": [min(years), max(years)],
        "max_idf": state.max_idf(),
        "warnings": state.warnings,
        "headers": state.headers,
        "groups": state.groups,
        "domain_words": state.domain_words,
        "library": vars(state.library),
        "pools": sorted(state.pools),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, _dumps(v)) for k, v in meta.items()))
    # Per-table columns the hot loops read for every candidate: one compact array each, read at open.
    db.execute("CREATE TABLE arrays (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
    years_array = array("i", (max(-(2**31), min(2**31 - 1, t[2])) for t in state.tables))
    db.execute("INSERT INTO arrays VALUES ('years', ?)", (years_array.tobytes(),))
    db.execute("INSERT INTO arrays VALUES ('own', ?)", (bytes(k == "own" for k in state.table_kinds),))

    def put(kind: str, items: Iterable[tuple[object, object]]) -> None:
        n = _KIND[kind]
        db.executemany("INSERT INTO kv VALUES (?, ?, ?)", ((n, str(k), _dumps(v)) for k, v in items))

    put("idf", state.idf.items())
    put("postings", state.postings.items())
    put("core", state.core.items())
    put("value_stats", state.value_stats.items())
    put("level2_values", state.level2_values.items())
    put("level2_of_name", state.level2_of_name.items())
    put("table_values", state.table_values.items())
    put("table", ((t, [*state.tables[t], state.table_sectors[t], state.table_words[t]]) for t in range(len(state.tables))))
    put("sector", ((s, sorted(ts)) for s, ts in state.sector_tables().items()))
    put("pool", ((k, vars(p)) for k, p in state.pools.items()))
    put("department", state.by_department.items())
    db.execute("COMMIT")


# ------------------------------------------------------------------------------------------ reading
def _is_str(v: object) -> bool:
    return isinstance(v, str)


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _list_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def _tuple_of(*checks: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda v: isinstance(v, list) and len(v) == len(checks) and all(c(x) for c, x in zip(checks, v))


def _dict_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda v: isinstance(v, dict) and all(isinstance(k, str) and check(x) for k, x in v.items())


_STATS = _list_of(_tuple_of(_is_str, _is_int, _is_int))
_RANKED = _list_of(_tuple_of(_is_str, _is_int))
_CHECKS: dict[str, Callable[[object], bool]] = {
    "idf": _is_num,
    "postings": _list_of(_tuple_of(_is_int, _is_num)),
    "core": _list_of(_is_int),
    "value_stats": _STATS,
    "level2_values": _STATS,
    "level2_of_name": _is_str,
    "table_values": _dict_of(_list_of(_is_str)),
    "table": _tuple_of(_is_str, _is_str, _is_int, _list_of(_is_str), _list_of(_is_str)),
    "sector": _list_of(_is_int),
    "department": _dict_of(_RANKED),
}


class _Reader:
    """One read-only connection, shared by the lazy views (reads may come from several threads)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.lock = threading.Lock()

    def get(self, kind: str, key: object) -> object | None:
        with self.lock:
            try:
                row = self.db.execute("SELECT value FROM kv WHERE kind = ? AND key = ?", (_KIND[kind], str(key))).fetchone()
            except sqlite3.Error:
                return None
        if row is None or not isinstance(row[0], str):
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None


class _View:
    """A read-only mapping over one kind: `get`, `[]`, `in`; values are checked and remembered."""

    def __init__(self, reader: _Reader, kind: str, convert: Callable[[object], object] | None = None):
        self.reader, self.kind = reader, kind
        self.check = _CHECKS.get(kind, lambda v: True)
        self.convert = convert
        self.memo: dict[object, object] = {}

    def get(self, key: object, default: object = None) -> object:
        if key in self.memo:
            got = self.memo[key]
        else:
            got = self.reader.get(self.kind, key)
            if got is not None and not self.check(got):
                got = None  # a value of the wrong shape reads as missing
            if got is not None and self.convert is not None:
                got = self.convert(got)
            if len(self.memo) > 200_000:
                self.memo.clear()
            self.memo[key] = got
        return default if got is None else got

    def __getitem__(self, key: object) -> object:
        got = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None


class _Column:
    """table -> one field of its stored row (file, name, year) or its sectors / words, as a sequence."""

    def __init__(self, rows: _View, n: int, pick: Callable[[list], object], empty: object):
        self.rows, self.n, self.pick, self.empty = rows, n, pick, empty

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, t: int) -> object:
        if not 0 <= t < self.n:  # only a forged table number: read as a blank table
            if t == self.n:
                raise IndexError(t)  # the end, for iteration
            return self.empty
        row = self.rows.get(t)
        return self.empty if row is None else self.pick(row)


class _Recency:
    def __init__(self, years: array, low: int, high: int):
        self.years, self.low, self.span = years, low, high - low

    def __len__(self) -> int:
        return len(self.years)

    def __getitem__(self, t: int) -> float:
        if not 0 <= t < len(self.years):
            return 0.0  # only a forged table number
        return 1.0 if self.span <= 0 else (self.years[t] - self.low) / self.span


class _Kinds:
    def __init__(self, own: bytes):
        self.own = own

    def __len__(self) -> int:
        return len(self.own)

    def __getitem__(self, t: int) -> str:
        if t == len(self.own):
            raise IndexError(t)  # the end, for iteration
        return "own" if 0 <= t < len(self.own) and self.own[t] else "corpus"


def _pool(plain: object) -> PoolState:
    """A stored pool, or an empty one when it is of the wrong shape."""
    return _checked_pool(plain) or PoolState([], [], [], [], [], [], [], [], {k: ("", []) for k in ("text", "full", "initials", "alt")}, {})


def _checked_pool(plain: object) -> PoolState | None:
    if not isinstance(plain, dict):
        return None
    try:
        state = PoolState(**plain)
    except TypeError:
        return None
    n = len(state.texts)
    lists = (state.norms, state.level2, state.value, state.tables, state.pop, state.newest, state.spaced)
    if not all(isinstance(x, list) and len(x) == n for x in (state.texts, *lists)):
        return None
    if not (all(isinstance(t, str) for t in state.texts) and all(isinstance(t, str) for t in state.norms)
            and all(isinstance(t, str) for t in state.spaced) and all(_is_int(t) for t in state.newest)
            and all(_is_num(p) for p in state.pop) and all(_list_of(_is_int)(ts) for ts in state.tables)):  # fmt: skip
        return None
    if not all(v is None or isinstance(v, str) for v in (*state.level2, *state.value)):
        return None
    if not isinstance(state.blobs, dict) or set(state.blobs) != {"text", "full", "initials", "alt"}:
        return None
    for blob in state.blobs.values():
        if not _tuple_of(_is_str, _list_of(_is_int))(blob) or len(blob[1]) != n:
            return None
    state.blobs = {k: (b, s) for k, (b, s) in state.blobs.items()}
    if not _dict_of(_list_of(_is_int))(state.table_items):
        return None
    state.table_items = {int(t): items for t, items in state.table_items.items()}
    if any(i >= n or i < 0 for items in state.table_items.values() for i in items):
        return None
    return state


class StoredState:
    """EngineState's attributes and retrieval interfaces, read from the database on demand."""

    def __init__(self, reader: _Reader, meta: dict, years: array, own: bytes):
        self._reader = reader
        n = meta["tables"]
        rows = _View(reader, "table")
        self.format = FORMAT
        self.tables = _Column(rows, n, lambda r: (r[0], r[1], r[2]), ("", "", 0))
        self.table_kinds = _Kinds(own)
        self.table_sectors = _Column(rows, n, lambda r: r[3], [])
        self.table_words = _Column(rows, n, lambda r: r[4], [])
        self.idf = _View(reader, "idf")
        self.core = _View(reader, "core")
        self.postings = _View(reader, "postings")
        self.value_stats = _View(reader, "value_stats")
        self.level2_values = _View(reader, "level2_values")
        self.level2_of_name = _View(reader, "level2_of_name")
        self.table_values = _View(reader, "table_values")
        self.warnings = meta["warnings"]
        self.headers = meta["headers"]
        self.by_department = _View(reader, "department")
        self.groups = meta["groups"]
        self.domain_words = meta["domain_words"]
        self.pools = _View(reader, "pool", _pool)
        self.library = meta["library"]
        self._years, self._span, self._max_idf = years, meta["years"], meta["max_idf"]
        self._sectors = _View(reader, "sector", frozenset)

    def recency(self) -> _Recency:
        return _Recency(self._years, *self._span)

    def max_idf(self) -> float:
        return self._max_idf

    def sector_tables(self) -> _View:
        return self._sectors

    def close(self) -> None:
        with self._reader.lock:
            self._reader.db.close()


def _meta_ok(meta: dict, key: str) -> bool:
    checks = {
        "format": lambda v: v == STORE_FORMAT,
        "key": lambda v: v == key,
        "tables": _is_int,
        "years": _tuple_of(_is_int, _is_int),
        "max_idf": _is_num,
        "warnings": _list_of(_is_str),
        "headers": _dict_of(_RANKED),
        "groups": _list_of(_list_of(_is_str)),
        "domain_words": _list_of(_is_str),
        "library": lambda v: isinstance(v, dict),
        "pools": _list_of(_is_str),
    }
    return all(name in meta and check(meta[name]) for name, check in checks.items())


def open_state(path: Path, key: str) -> StoredState | None:
    """The stored state when the database holds this key's, else None (missing, stale, damaged, a symlink)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    try:
        # immutable: the file is never changed in place, only replaced whole (save), so no locking is needed
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except (sqlite3.Error, ValueError):
        return None
    try:
        plain = dict(db.execute("SELECT key, value FROM meta").fetchall())
        raw = dict(db.execute("SELECT key, value FROM arrays").fetchall())
        meta = {k: json.loads(v) for k, v in plain.items() if isinstance(v, str)}
        if not _meta_ok(meta, key) or not all(isinstance(raw.get(k), bytes) for k in ("years", "own")):
            raise ValueError("another state")
        years = array("i")
        years.frombytes(raw["years"])
        own = raw["own"]
        if len(years) != meta["tables"] or len(own) != meta["tables"]:
            raise ValueError("columns of another length")
        meta["library"] = LibraryState(**meta["library"])
        library = meta["library"]
        lib_lists = [library.sector, library.level2, library.name, library.value, library.unit, library.source,
                     library.norm, library.initials]  # fmt: skip
        if not all(_list_of(_is_str)(x) and len(x) == len(library.name) for x in lib_lists):
            raise ValueError("library of another shape")
        if not _list_of(_list_of(_is_str))(library.keywords) or not _list_of(_tuple_of(_is_str, _is_str, _list_of(_is_str)))(library.sectors):
            raise ValueError("library of another shape")
        library.sectors = [tuple(s) for s in library.sectors]
    except (sqlite3.Error, ValueError, TypeError, AttributeError):
        db.close()
        return None
    return StoredState(_Reader(db), meta, years, own)
