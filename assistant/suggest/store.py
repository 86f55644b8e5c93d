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
import operator
import os
import sqlite3
import stat
import tempfile
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain, islice
from pathlib import Path

from .. import cache
from ..cache import Signer as _Signer
from .state import FORMAT, EngineState, LibraryState, PoolState, ReadMapping

STORE_FORMAT = f"{FORMAT}.1"

# kv.kind: one key-value table holds every mapping of the state.
_KINDS = ("idf", "postings", "core", "value_stats", "level2_values", "level2_of_name", "sector", "pool",
          "department", "files")  # fmt: skip
_KIND = {name: n for n, name in enumerate(_KINDS)}


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder for every value
_ascii_dumps = json.JSONEncoder(separators=(",", ":")).encode


def _dumps_paths(value: object) -> str:
    """JSON of what may hold file paths (the file list, warnings naming files): a name that is not UTF-8 (a lone
    surrogate, as Python reads such a name) is written as a \\u escape, since SQLite keeps only UTF-8 text."""
    text = _dumps(value)
    return text if cache.storable(text) else _ascii_dumps(value)


def save(path: Path, key: str, state: EngineState, files: list | None = None, support: str = "") -> bool:
    """Write the state; False when it cannot be written (the engine then works from memory). `files`: each
    corpus file's (path, size, mtime) it was made from, and `support` what identifies the rest (folders,
    library, bundled files): a later start with a few files changed reads them (suggest/overlay.py)."""
    _sweep(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = cache.secret()
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError:
        return False
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            _write(db, key, state, _Signer(secret, key), files or [], support)
        finally:
            db.close()
        os.replace(tmp, path)  # replaces a symlink itself, never its target
        return True
    except (OSError, sqlite3.Error, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


def _sweep(path: Path) -> None:
    """Remove what an interrupted save left (a temporary file over an hour old) and the older format's cache."""
    with contextlib.suppress(OSError):
        (path.with_suffix(".bin")).unlink(missing_ok=True)
        now = time.time()
        for old in path.parent.glob(path.name + ".*.tmp"):
            if now - old.lstat().st_mtime > 3600:
                old.unlink()


def _write(db: sqlite3.Connection, key: str, state: EngineState, sign: _Signer, files: list, support: str) -> None:
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID")
    db.execute("CREATE TABLE kv (kind INTEGER, key TEXT, value TEXT NOT NULL, mac BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
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
        "avgdl": state.avgdl,
        "support": support,
    }
    db.executemany("INSERT INTO meta VALUES (?, ?, ?)", (sign.text("meta", k, _dumps_paths(v)) for k, v in meta.items()))
    # Per-table columns the hot loops read for every candidate: one compact array each, read at open.
    db.execute("CREATE TABLE arrays (key TEXT PRIMARY KEY, value BLOB NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID")
    years_array = array("i", (max(-(2**31), min(2**31 - 1, t[2])) for t in state.tables))
    db.execute("INSERT INTO arrays VALUES (?, ?, ?)", sign.blob("years", years_array.tobytes()))
    db.execute("INSERT INTO arrays VALUES (?, ?, ?)", sign.blob("own", bytes(k == "own" for k in state.table_kinds)))
    # Each table's file, name, sectors and words: one blob per column (a table row read from the kv table
    # cost 50-140 µs at 1,000,000 rows, and a query may name dozens of tables).
    n = len(state.tables)
    columns = {
        "files": _text_column(t[0] for t in state.tables),
        "names": _coded_column([t[1] for t in state.tables]),
        "sectors": _list_column(state.table_sectors),
        "words": _list_column(state.table_words),
        "name_words": _list_column(state.table_name_words),
        "headers": _list_column(state.table_headers),
        # each table's values and the 二级 of each (the value step reads them for a dozen similar tables)
        "value_level2s": _list_column([[l2 for l2, vs in state.table_values.get(t, {}).items() for _ in vs] for t in range(n)]),
        "values": _list_column([[v for vs in state.table_values.get(t, {}).values() for v in vs] for t in range(n)]),
    }
    db.executemany("INSERT INTO arrays VALUES (?, ?, ?)", (sign.blob(f"col:{k}", v) for k, v in columns.items()))

    def put(kind: str, items: Iterable[tuple[object, object]], dumps: Callable[[object], str] = _dumps) -> None:
        n = _KIND[kind]
        place = f"kv{n}"
        # In the state's order, not sorted by key: a sorted insert wrote 10 % faster but made the first query of
        # a session (which reads ~60 tables' rows, postings and sector lists) 1.7 times slower at 1M rows.
        db.executemany("INSERT INTO kv VALUES (?, ?, ?, ?)", ((n, *sign.text(place, str(k), dumps(v))) for k, v in items))

    put("idf", state.idf.items())
    put("postings", ((w, {"t": [t for t, _ in ps], "w": [x for _, x in ps]}) for w, ps in state.postings.items()))
    put("core", state.core.items())
    put("value_stats", ((k, _stat_columns(v)) for k, v in state.value_stats.items()))
    put("level2_values", ((k, _stat_columns(v)) for k, v in state.level2_values.items()))
    put("level2_of_name", state.level2_of_name.items())
    put("sector", ((s, sorted(ts)) for s, ts in state.sector_tables().items()))
    put("pool", ((k, _pool_plain(p)) for k, p in state.pools.items()))
    db.executemany("INSERT INTO arrays VALUES (?, ?, ?)", (sign.blob(f"pool:{k}", _pool_ints(p, len(state.tables))) for k, p in state.pools.items()))
    put("department", state.by_department.items())
    table_of = {file: t for t, (file, _, _) in enumerate(state.tables)}
    put("files", [("", [[p, size, mtime, table_of.get(str(p), -1)] for p, size, mtime in files])], _dumps_paths)
    db.execute("COMMIT")


def _text_column(texts: Iterable[str]) -> bytes:
    """Strings as one int32 array [n, n + 1 character offsets] followed by their UTF-8 text."""
    texts = list(texts)
    offsets, total = array("i", [len(texts), 0]), 0
    for text in texts:
        total += len(text)
        offsets.append(total)
    return offsets.tobytes() + "".join(texts).encode("utf-8", "surrogatepass")


def _coded_column(texts: list[str]) -> bytes:
    """Strings of which many repeat (project names: a name for every year and place) as their vocabulary (a text
    column) and each one's number in it: int32 [n, numbers * n], then the vocabulary."""
    number: dict[str, int] = {}
    codes = array("i", [len(texts)])
    codes.extend(number.setdefault(x, len(number)) for x in texts)
    return codes.tobytes() + _text_column(number)


def _list_column(lists: list[list[str]]) -> bytes:
    """Lists of strings (a few of many distinct ones: sectors, words) as their vocabulary (a text column) and
    each list's numbers in it (int32 [n_vocab bytes, offsets * (n + 1), numbers...])."""
    number: dict[str, int] = {}
    ids = [[number.setdefault(x, len(number)) for x in xs] for xs in lists]
    vocab = _text_column(number)
    out = array("i", [len(vocab)])
    _ragged(out, ids)
    return out.tobytes() + vocab


def _stat_columns(stats: list) -> dict:
    """(value, count, table) rows as three lists: read back and checked without a step per row."""
    return {"v": [r[0] for r in stats], "c": [r[1] for r in stats], "t": [r[2] for r in stats]}


def _pool_plain(p: PoolState) -> dict:
    """A pool's strings and floats (JSON); its integers go to `_pool_ints`."""
    return {"texts": p.texts, "norms": p.norms, "level2": p.level2, "value": p.value, "pop": p.pop,
            "spaced": p.spaced, "blobs": {k: b for k, (b, _) in p.blobs.items()}}  # fmt: skip


def _pool_ints(p: PoolState, n_tables: int) -> bytes:
    """newest, the blobs' starts, tables per item and items per table, as one int32 array:
    [n, newest * n, starts * 4n, offsets * (n + 1), tables..., offsets * (n_tables + 1), items...]."""
    n = len(p.texts)
    out = array("i", [n])
    out.fromlist(list(p.newest))  # (fromlist: twice as fast as extend)
    for kind in _BLOBS:
        out.fromlist(list(p.blobs[kind][1]))
    _ragged(out, p.tables)
    _ragged(out, [p.table_items.get(t, ()) for t in range(n_tables)])
    return out.tobytes()


def _ragged(out: array, lists) -> None:
    out.fromlist(list(accumulate(map(len, lists), initial=0)))
    out.fromlist(list(chain.from_iterable(lists)))


_BLOBS = ("text", "full", "initials", "alt")


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


def _stats(v: object) -> bool:
    """(value, count, table) rows as three lists (`_stat_columns`): the most read shape, checked by type sets."""
    if type(v) is not dict or v.keys() != {"v", "c", "t"}:
        return False
    values, counts, tables = v["v"], v["c"], v["t"]
    return (type(values) is list and type(counts) is list and type(tables) is list
            and len(values) == len(counts) == len(tables) and set(map(type, values)) <= {str}
            and set(map(type, counts)) <= {int} and set(map(type, tables)) <= {int})  # fmt: skip


def _postings(v: object) -> bool:
    """(table, weight) postings as two lists, checked by type sets (a word has up to 200)."""
    if type(v) is not dict or v.keys() != {"t", "w"}:
        return False
    tables, weights = v["t"], v["w"]
    return (type(tables) is list and type(weights) is list and len(tables) == len(weights)
            and set(map(type, tables)) <= {int} and set(map(type, weights)) <= {float, int})  # fmt: skip


def _ints(v: object) -> bool:
    return type(v) is list and set(map(type, v)) <= {int}


_STATS = _stats
_RANKED = _list_of(_tuple_of(_is_str, _is_int))
_CHECKS: dict[str, Callable[[object], bool]] = {
    "idf": _is_num,
    "postings": _postings,
    "core": _ints,
    "value_stats": _STATS,
    "level2_values": _STATS,
    "level2_of_name": _is_str,
    "sector": _ints,
    "department": _dict_of(_RANKED),
    "files": lambda v: type(v) is list and all(
        type(x) is list and len(x) == 4 and type(x[0]) is str and all(type(y) is int for y in x[1:]) for x in v
    ),
}


class _Reader:
    """One read-only connection, shared by the lazy views (reads may come from several threads). A value whose
    MAC fails reads as missing, and the database is removed so that the next start rebuilds it."""

    def __init__(self, db: sqlite3.Connection, sign: _Signer, path: Path):
        self.db, self.sign, self.path = db, sign, path
        self.lock = threading.Lock()

    def _forged(self) -> None:
        """A value failed its MAC or its shape: remove the database (this process keeps its open handle)."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def get(self, kind: str, key: object) -> object | None:
        n, key = _KIND[kind], str(key)
        with self.lock:
            try:
                row = self.db.execute("SELECT value, mac FROM kv WHERE kind = ? AND key = ?", (n, key)).fetchone()
            except sqlite3.Error:
                return None
        if row is None or not isinstance(row[0], str):
            return None
        if not self.sign.ok(f"kv{n}", key, row[0], row[1]):
            self._forged()
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def array(self, key: str) -> bytes | None:
        with self.lock:
            try:
                row = self.db.execute("SELECT value, mac FROM arrays WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                return None
        if row is None or not isinstance(row[0], bytes):
            return None
        if not self.sign.ok("arrays", key, row[0], row[1]):
            self._forged()
            return None
        return row[0]


class _View(ReadMapping):
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
                got = None  # a value of the wrong shape reads as missing, and the next start rebuilds
                self.reader._forged()
            if got is not None and self.convert is not None:
                got = self.convert(got)
            if len(self.memo) > 200_000:
                self.memo.clear()
            self.memo[key] = got
        return default if got is None else got


class _Texts:
    """n strings kept as one text and n + 1 character offsets: `texts[i]` slices it."""

    def __init__(self, text: str, offsets: memoryview):
        self.text, self.offsets = text, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.text[self.offsets[i] : self.offsets[i + 1]]


def _read_texts(blob: memoryview) -> _Texts:
    """A text column (`_text_column`); ValueError when it is not one."""
    if len(blob) < 8:
        raise ValueError("short")
    n = int.from_bytes(blob[:4], "little", signed=True)
    if not 0 <= n <= (len(blob) - 8) // 4:
        raise ValueError("count")
    offsets = blob[4 : 8 + 4 * n].cast("i")
    text = bytes(blob[8 + 4 * n :]).decode("utf-8", "surrogatepass")
    if offsets[0] != 0 or offsets[n] != len(text) or not _ascending(offsets):
        raise ValueError("offsets")
    return _Texts(text, offsets)


class _Column:
    """table -> one of its fields, from one column blob read when first asked for; a forged or damaged blob
    reads as blank rows (and the next start rebuilds)."""

    blank: object = ""

    def __init__(self, reader: _Reader, key: str, n: int):
        self.reader, self.key, self.n = reader, key, n
        self.values: object = None

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, t: int):
        if not 0 <= t < self.n:  # only a forged table number: read as a blank table
            if t == self.n:
                raise IndexError(t)  # the end, for iteration
            return self.blank
        return self._at(self.loaded(), t)

    def loaded(self):
        """The column's values, read on first use (two threads may both read them: the same, assigned whole)."""
        values = self.values
        if values is None:
            values = self.values = self._load()
        return values

    def _load(self) -> object:
        blob = self.reader.array(self.key)
        try:
            if blob is None:
                raise ValueError("missing")
            return self._parse(memoryview(blob))
        except (ValueError, TypeError, IndexError):
            if blob is not None:
                self.reader._forged()
            return self._parse(memoryview(self._empty()))

    def _parse(self, view: memoryview) -> object:
        got = _read_texts(view)
        if len(got) != self.n:
            raise ValueError("length")
        return got

    def _empty(self) -> bytes:
        return _text_column([""] * self.n)

    def _at(self, values, t: int):
        return values[t]


class _CodedColumn(_Column):
    """table -> one of its fields written as a number into the column's vocabulary (`_coded_column`); `codes()`
    gives the numbers, equal for equal values."""

    def _parse(self, view: memoryview) -> tuple[_Texts, memoryview]:
        if len(view) < 4 or int.from_bytes(view[:4], "little", signed=True) != self.n:
            raise ValueError("length")
        codes = view[4 : 4 + 4 * self.n].cast("i")
        vocab = _read_texts(view[4 + 4 * self.n :])
        if self.n and (min(codes) < 0 or max(codes) >= len(vocab)):
            raise ValueError("codes")
        return vocab, codes

    def _empty(self) -> bytes:
        return _coded_column([""] * self.n)

    def _at(self, values, t: int) -> str:
        vocab, codes = values
        return vocab[codes[t]]

    def codes(self) -> memoryview:
        return self.loaded()[1]


class _ListColumn(_Column):
    """table -> its list of strings (sectors, words): numbers into the column's vocabulary (`_list_column`)."""

    blank: object = []

    def _parse(self, view: memoryview) -> tuple[list[str], _Ragged]:
        size = int.from_bytes(view[:4], "little", signed=True)
        if not 0 <= size <= len(view) - 4 or (len(view) - size) % 4:
            raise ValueError("vocabulary")
        texts = _read_texts(view[len(view) - size :])
        numbers = view[4 : len(view) - size].cast("i")
        ids, at = _read_ragged(numbers, 0, self.n)
        if at != len(numbers) or (len(ids.data) and (min(ids.data) < 0 or max(ids.data) >= len(texts))):
            raise ValueError("numbers")
        return [texts[i] for i in range(len(texts))], ids  # (a few thousand words: a list is quicker to index)

    def _empty(self) -> bytes:
        return _list_column([[]] * self.n)

    def _at(self, values, t: int) -> list[str]:
        vocab, ids = values
        return [vocab[i] for i in ids[t]]


class _ValuesByTable(ReadMapping):
    """table -> {二级: its values in the table}, from two list columns of one shape (each value's 二级, the values)."""

    def __init__(self, level2s: _ListColumn, values: _ListColumn):
        self.level2s, self.values = level2s, values

    def get(self, t: object, default: object = None) -> object:
        if type(t) is not int or not 0 <= t < len(self.values):
            return default
        level2s, values = self.level2s[t], self.values[t]
        if not values or len(level2s) != len(values):  # (none, or a damaged column: read as none)
            return default
        out: dict[str, list[str]] = {}
        for level2, value in zip(level2s, values):
            out.setdefault(level2, []).append(value)
        return out


class _Tables:
    """table -> (file, project name, year), the names and files sliced from their columns (a hot path)."""

    def __init__(self, files: _Column, names: _CodedColumn, years: array):
        self.files, self.names, self.years = files, names, years
        self.texts: tuple[_Texts, _Texts, memoryview] | None = None

    def __len__(self) -> int:
        return len(self.years)

    def __getitem__(self, t: int) -> tuple[str, str, int]:
        if not 0 <= t < len(self.years):
            if t == len(self.years):
                raise IndexError(t)  # the end, for iteration
            return ("", "", 0)
        if self.texts is None:
            self.texts = (self.files.loaded(), *self.names.loaded())
        files, names, codes = self.texts
        c = codes[t]
        return (files.text[files.offsets[t] : files.offsets[t + 1]], names.text[names.offsets[c] : names.offsets[c + 1]],
                self.years[t])  # fmt: skip


class _Kinds:
    def __init__(self, own: bytes):
        self.own = own

    def __len__(self) -> int:
        return len(self.own)

    def __getitem__(self, t: int) -> str:
        if t == len(self.own):
            raise IndexError(t)  # the end, for iteration
        return "own" if 0 <= t < len(self.own) and self.own[t] else "corpus"


class _Ragged:
    """Lists of ints stored flat: `r[i]` is the i-th list (an array slice), `r.get(i, ())` the same."""

    def __init__(self, data: memoryview, offsets: memoryview):
        self.data, self.offsets = data, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> memoryview:
        if not 0 <= i < len(self.offsets) - 1:
            raise IndexError(i)
        return self.data[self.offsets[i] : self.offsets[i + 1]]

    def get(self, i: int, default=()):
        return self[i] if 0 <= i < len(self.offsets) - 1 else default


class _TableSets(_Ragged):
    """The tables using each item, as a frozenset made on first use and kept: the engine only counts them and
    asks whether any is of the drafted kind (`kin.isdisjoint(...)`, which walks the smaller set)."""

    def __init__(self, data: memoryview, offsets: memoryview):
        super().__init__(data, offsets)
        self.sets: dict[int, frozenset[int]] = {}

    def __getitem__(self, i: int) -> frozenset[int]:  # type: ignore[override]
        got = self.sets.get(i)
        if got is None:
            got = self.sets[i] = frozenset(super().__getitem__(i))
        return got


def _empty_pool() -> PoolState:
    return PoolState([], [], [], [], [], [], [], [], {k: ("", []) for k in _BLOBS}, {})


def _pool(plain: object, ints: bytes | None, n_tables: int) -> PoolState | None:
    """A stored pool, or None when it is of the wrong shape."""
    try:
        return _checked_pool(plain, ints, n_tables)
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def _checked_pool(plain: object, ints: bytes | None, n_tables: int) -> PoolState | None:
    if not isinstance(plain, dict) or not isinstance(ints, bytes) or len(ints) % 4:
        return None
    texts, norms, level2, value, pop, spaced, blobs = (plain[k] for k in ("texts", "norms", "level2", "value", "pop", "spaced", "blobs"))
    n = len(texts)
    if not all(type(x) is list and len(x) == n for x in (texts, norms, level2, value, pop, spaced)):
        return None
    if not (all(type(t) is str for t in texts) and all(type(t) is str for t in norms) and all(type(t) is str for t in spaced)
            and all(type(p) is float or type(p) is int for p in pop)
            and all(v is None or type(v) is str for v in level2) and all(v is None or type(v) is str for v in value)):  # fmt: skip
        return None
    if not isinstance(blobs, dict) or set(blobs) != set(_BLOBS) or not all(type(b) is str for b in blobs.values()):
        return None
    view = memoryview(ints).cast("i")
    if len(view) < 1 or view[0] != n:
        return None
    at = 1
    newest = view[at : at + n]
    at += n
    starts = {}
    for kind in _BLOBS:
        starts[kind] = view[at : at + n]
        at += n
    tables, at = _read_ragged(view, at, n, _TableSets)
    items, at = _read_ragged(view, at, n_tables)
    if at != len(view) or len(newest) != n or any(len(s) != n for s in starts.values()):
        return None
    # Numbers that index something are checked once here: a forged one would index out of range later.
    if n and (min(newest) < 0 or max(newest) >= n_tables):
        return None
    if len(items.data) and (min(items.data) < 0 or max(items.data) >= n):
        return None
    for kind in _BLOBS:
        s = starts[kind]
        if n and (s[0] != 0 or not _ascending(s) or s[n - 1] > len(blobs[kind])):
            return None
    return PoolState(texts, norms, level2, value, tables, pop, newest, spaced,  # type: ignore[arg-type]
                     {k: (blobs[k], starts[k]) for k in _BLOBS}, items)  # type: ignore[arg-type]  # fmt: skip


def _ascending(numbers: memoryview) -> bool:
    """Whether the numbers never decrease (checked at C speed: a pool's offsets number a hundred thousand)."""
    return all(map(operator.le, numbers, islice(numbers, 1, None)))


def _read_ragged(view: memoryview, at: int, n: int, kind: type[_Ragged] = _Ragged) -> tuple[_Ragged, int]:
    offsets = view[at : at + n + 1]
    if len(offsets) != n + 1 or offsets[0] != 0 or not _ascending(offsets):
        raise ValueError("offsets")
    at += n + 1
    data = view[at : at + offsets[n]]
    if len(data) != offsets[n]:
        raise ValueError("data")
    return kind(data, offsets), at + offsets[n]


class _Pools:
    """Pool key -> PoolState, read (JSON strings + one int array) when first asked for."""

    def __init__(self, reader: _Reader, n_tables: int, keys: list[str]):
        self.reader, self.n_tables, self.keys = reader, n_tables, frozenset(keys)

    def get(self, key: str) -> PoolState | None:
        if key not in self.keys:
            return None
        plain = self.reader.get("pool", key)  # None when it fails its check: read as an empty pool
        got = _pool(plain, self.reader.array(f"pool:{key}"), self.n_tables)
        if got is None:
            self.reader._forged()  # the next start rebuilds
            return _empty_pool()
        return got


class StoredState:
    """EngineState's attributes and retrieval interfaces, read from the database on demand."""

    def __init__(self, reader: _Reader, meta: dict, years: array, own: bytes):
        self._reader = reader
        n = meta["tables"]
        self.format = FORMAT
        self.tables = _Tables(_Column(reader, "col:files", n), _CodedColumn(reader, "col:names", n), years)
        self.table_kinds = _Kinds(own)
        self.table_sectors = _ListColumn(reader, "col:sectors", n)
        self.table_words = _ListColumn(reader, "col:words", n)
        self.table_name_words = _ListColumn(reader, "col:name_words", n)
        self.table_headers = _ListColumn(reader, "col:headers", n)
        # Table numbers index lists: one out of range (only in a forged database) is dropped when read.
        def tables_in(v: list) -> list:
            return v if not v or (min(v) >= 0 and max(v) < n) else [t for t in v if 0 <= t < n]

        # (as tuples: the views remember what they read, and tuples of plain values are no work for the
        # garbage collector, where a list each made every full collection walk the remembered rows)
        def pairs_in(v: dict) -> list:
            rows = list(zip(v["t"], v["w"]))
            return rows if not rows or (min(v["t"]) >= 0 and max(v["t"]) < n) else [r for r in rows if 0 <= r[0] < n]

        def triples_in(v: dict) -> list:
            rows = list(zip(v["v"], v["c"], v["t"]))
            return rows if not rows or (min(v["t"]) >= 0 and max(v["t"]) < n) else [r for r in rows if 0 <= r[2] < n]

        self.idf = _View(reader, "idf")
        self.core = _View(reader, "core", tables_in)
        self.postings = _View(reader, "postings", pairs_in)
        self.value_stats = _View(reader, "value_stats", triples_in)
        self.level2_values = _View(reader, "level2_values", triples_in)
        self.level2_of_name = _View(reader, "level2_of_name")
        self.table_values = _ValuesByTable(_ListColumn(reader, "col:value_level2s", n), _ListColumn(reader, "col:values", n))
        self.warnings = meta["warnings"]
        self.headers = meta["headers"]
        self.by_department = _View(reader, "department")
        self.groups = meta["groups"]
        self.domain_words = meta["domain_words"]
        self.pools = _Pools(reader, n, meta["pools"])
        self.library = meta["library"]
        self._years, self._span, self._max_idf = years, meta["years"], meta["max_idf"]
        self._sectors = _View(reader, "sector", lambda v: frozenset(tables_in(v)))
        self.key, self.support, self.avgdl = meta["key"], meta["support"], meta["avgdl"]

    def years(self) -> tuple[array, tuple[int, int]]:
        """Each table's year, and the oldest and newest."""
        return self._years, (self._span[0], self._span[1])

    def files(self) -> dict[str, tuple[int, int, int]] | None:
        """Path -> (size, mtime, table or -1) of every corpus file the state was made from; None if unreadable."""
        got = self._reader.get("files", "")
        if got is None or not _CHECKS["files"](got):
            return None
        n = len(self._years)
        return {p: (size, mtime, t if 0 <= t < n else -1) for p, size, mtime, t in got}  # type: ignore[union-attr]

    def name_codes(self) -> Sequence[int]:
        """A number per table, equal for tables of the same project name."""
        return self.tables.names.codes()

    def recency(self) -> list[float]:
        """A plain list (the hot loops index it for every candidate): 8 bytes a table, made from the array."""
        low, high = self._span
        span = high - low
        return [1.0 if span <= 0 else (y - low) / span for y in self._years]

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
        "avgdl": _is_num,
        "support": _is_str,
    }
    return all(name in meta and check(meta[name]) for name, check in checks.items())


def open_any(path: Path) -> StoredState | None:
    """The stored state whatever corpus it was made from (its key is read, then checked like every row),
    for an overlay of the files changed since; None when missing, damaged or not this user's."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
        key = json.loads(row[0]) if row and isinstance(row[0], str) else None
    except (OSError, sqlite3.Error, ValueError):
        return None
    return open_state(path, key) if isinstance(key, str) else None


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
        sign = _Signer(cache.secret(), key)
        plain, raw = {}, {}
        for name, value, mac in db.execute("SELECT key, value, mac FROM meta"):
            if not (isinstance(name, str) and isinstance(value, str) and sign.ok("meta", name, value, mac)):
                raise ValueError("a meta row fails its check")  # another user's, forged, or another state's
            plain[name] = value
        for name in ("years", "own"):
            got = db.execute("SELECT value, mac FROM arrays WHERE key = ?", (name,)).fetchone()
            if got is None or not isinstance(got[0], bytes) or not sign.ok("arrays", name, got[0], got[1]):
                raise ValueError("an array fails its check")
            raw[name] = got[0]
        meta = {k: json.loads(v) for k, v in plain.items()}
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
    except (sqlite3.Error, ValueError, TypeError, AttributeError, OSError):
        db.close()
        return None
    return StoredState(_Reader(db, sign, path), meta, years, own)
