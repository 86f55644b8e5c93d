"""The corpus on disk, one file at a time: a start stats the corpus files and parses only what changed.

One SQLite database in the user cache folder per set of corpus folders holds, per corpus file, its size and
modification time, what the index keeps of it (`index.FileRecord`: texts, rows, jieba tokens) and the whole
parsed table (for the drafting workspace, tablecache.py), plus the pinyin keys of every text. Both the
suggestion engine (`build_stored`) and the workspace (`stored_tables`) read it, so a file is parsed once.

It is a cache, so anything wrong with it means "rebuild": a symlink in its place, a damaged database, one
made with another user's cache secret (its meta row fails its MAC: discarded whole), a row that fails its
MAC (the file is parsed again: a forged row never injects text). Every row carries keyed BLAKE2 MACs
(cache.Signer, keyed with the user's cache secret): over the record columns with the file's path, size and
mtime, over the tokens with the domain words they were made with, over the table. Values are plain SQL
columns and JSON (nothing that could carry objects), type-checked before use; the table is marshalled (plain
data only, read back several times faster than JSON) and unmarshalled only after its MAC passed. Two
processes may open it at once: WAL journal, writes in one IMMEDIATE transaction, a busy timeout.

A cold build parses in a pool of processes (one per core) when there are many files: parsing TOML is
half of a cold build, and one process runs it on one core.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import marshal
import os
import sqlite3
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from . import cache
from .cache import Signer, storable
from .corpus import read_entry
from .index import (
    HEADER_FIELDS,
    CorpusIndex,
    FileRecord,
    build_from_records,
    domain_words,
    record_of,
)
from .model import Table
from .paths import user_cache_dir
from .segment import add_words, pinyin_keys
from .tomlio import TableFileError

FORMAT = 4  # of the database: bump when a table changes
_TABLE, _NOT_PROJECT, _BROKEN = 1, 0, 2  # files.status
POOL_MIN = 2000  # changed files from which parsing goes to a process pool (below it, starting one costs more)
_CHUNK = 200  # files per task sent to a pool worker

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL, status INTEGER NOT NULL,
    warning TEXT, name TEXT, year INTEGER, goal TEXT, header TEXT, rows TEXT, quoted TEXT, mac BLOB,
    tmac BLOB, tabledata BLOB
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (path TEXT PRIMARY KEY, tokens TEXT NOT NULL, kmac BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pinyin (text TEXT PRIMARY KEY, full TEXT, initials TEXT, alt TEXT, mac BLOB) WITHOUT ROWID;
"""
_OWNER = "jixiao corpus index"  # the meta row whose MAC says the database was made with this user's secret

# json.dumps(v, ensure_ascii=False), without making an encoder for every value (a cold build writes millions)
_JSON = json.JSONEncoder(ensure_ascii=False)

# A file as read: its record, its warning (broken) or None (not a project file), and its table marshalled.
Read = tuple[FileRecord | str | None, bytes | None]


def store_path(dirs: list[Path]) -> Path:
    """One database per set of corpus folders (like the engine cache)."""
    digest = hashlib.sha256("\n".join(str(d.resolve()) for d in dirs).encode()).hexdigest()[:16]
    return user_cache_dir() / f"index-{digest}.sqlite"


class StoreError(Exception):
    """The database cannot be used (damaged, not ours, unwritable): the caller works without it."""


def _is_plain_file_or_missing(path: Path) -> bool:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode)


def _discard(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            os.unlink(p)  # unlinks a symlink itself, never its target


def _create_private(path: Path) -> None:
    """Create the database file 0600 (it holds the user's tables; SQLite gives its journal files the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _pack(*parts: object) -> bytes:
    """Values as one unambiguous byte string for a MAC: each part tagged and length-prefixed."""
    out = bytearray()
    for part in parts:
        if isinstance(part, bytes):
            raw = b"\2" + part
        else:
            raw = b"\0" if part is None else ("\1" + str(part)).encode("utf-8", "surrogatepass")
        out += len(raw).to_bytes(4, "little") + raw
    return bytes(out)


class IndexStore:
    """The per-file records of one corpus. Use `IndexStore.open(path)`; every method may raise StoreError."""

    def __init__(self, db: sqlite3.Connection, sign: Signer):
        self.db, self.sign = db, sign

    @classmethod
    def open(cls, path: Path) -> IndexStore:
        """Open (or create) the database; one that is a symlink, not ours or damaged is discarded first."""
        try:
            sign = Signer(cache.secret(), f"index-{FORMAT}")
        except (OSError, ValueError) as exc:
            raise StoreError(str(exc)) from None
        owner = sign.mac("meta", "owner", _OWNER.encode()).hex()
        for attempt in range(2):
            sidecars = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            if not all(_is_plain_file_or_missing(p) for p in sidecars):
                _discard(path)  # a symlink (or a folder, a FIFO) where the cache should be
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                _create_private(path)
                db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(str(exc)) from None
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(_SCHEMA)
                got = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('format', 'owner')").fetchall())
                if not got and not db.execute("SELECT 1 FROM files LIMIT 1").fetchall():
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (str(FORMAT),))
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('owner', ?)", (owner,))
                elif got.get("format") != str(FORMAT) or got.get("owner") != owner:
                    raise sqlite3.DatabaseError("another format, or made with another cache secret")
                db.execute("SELECT path, size, mtime, status, mac, tmac FROM files LIMIT 1").fetchall()
                return cls(db, sign)
            except sqlite3.Error as exc:
                db.close()
                if attempt:
                    raise StoreError(str(exc)) from None
                _discard(path)  # damaged, another format or not ours: start afresh, once
        raise StoreError("unreachable")

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from None

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from None

    def _rows(self, sql: str) -> Iterator[tuple]:
        """Rows one by one (a million-row corpus's records are not all held twice)."""
        try:
            yield from self.db.execute(sql)
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from None

    def stats(self) -> dict[str, tuple[int, int]]:
        """Path -> (size, mtime_ns) of every file known (not yet checked: the rows' MACs are, when read)."""
        out = {}
        for path, size, mtime in self._read("SELECT path, size, mtime FROM files"):
            if isinstance(path, str) and isinstance(size, int) and isinstance(mtime, int):
                out[path] = (size, mtime)
        return out

    def records(self, paths: list[str] | None = None) -> dict[str, tuple[FileRecord | str | None, tuple[int, int], object, object]]:
        """Path -> (its record, warning or None; its size and mtime; its stored tokens and their MAC), of every
        file or of these `paths`. A row that fails its MAC or is of the wrong types is left out: its file counts
        as changed."""
        out = {}
        sql = ("SELECT f.path, size, mtime, status, warning, name, year, goal, header, rows, quoted, mac, tokens, kmac"
               " FROM files f LEFT JOIN tokens t ON t.path = f.path")  # fmt: skip
        if paths is None:
            rows: Iterator[tuple] | list[tuple] = self._rows(sql)
        else:
            paths = [p for p in paths if storable(p)]  # (the others are never stored: read each time)
            rows = [r for i in range(0, len(paths), 500) for r in self._read(
                f"{sql} WHERE f.path IN ({','.join('?' * len(paths[i : i + 500]))})", tuple(paths[i : i + 500]))]
        for row in rows:
            if not self.sign.ok("file", str(row[0]), _pack(*row[1:11]), row[11]):
                continue
            try:
                out[row[0]] = (_record(row[0], *row[3:11]), (row[1], row[2]), row[12], row[13])
            except (ValueError, TypeError):
                continue
        return out

    def tokens_ok(self, path: str, signature: str, tokens: object, mac: object) -> tuple[list[str], list[str]] | None:
        """The stored (name, goal) tokens of a file when they were made with these domain words, else None."""
        if not isinstance(tokens, str) or not self.sign.ok("tokens", path, _pack(signature, tokens), mac):
            return None
        try:
            pair = json.loads(tokens)
            if isinstance(pair, list) and len(pair) == 2:  # interned: the same few thousand words in every table
                return [sys.intern(w) for w in _strings(pair[0])], [sys.intern(w) for w in _strings(pair[1])]
        except ValueError:
            pass
        return None

    def tables(self) -> dict[str, tuple[tuple[int, int], str, object]]:
        """Path -> (size and mtime, kind, payload): kind "table" with the marshalled table, "warning" with the
        message, "skip" (not a project file). Rows failing their MAC are left out (the file is read again)."""
        out: dict[str, tuple[tuple[int, int], str, object]] = {}
        sql = "SELECT path, size, mtime, status, warning, name, year, goal, header, rows, quoted, mac, tmac, tabledata FROM files"
        for row in self._rows(sql):
            path, size, mtime, status = row[:4]
            if not isinstance(path, str) or not isinstance(size, int) or not isinstance(mtime, int):
                continue
            if status == _TABLE:
                if isinstance(row[13], bytes) and self.sign.ok("table", path, _pack(size, mtime, row[13]), row[12]):
                    out[path] = ((size, mtime), "table", row[13])
            elif status in (_NOT_PROJECT, _BROKEN) and self.sign.ok("file", path, _pack(*row[1:11]), row[11]):
                if status == _NOT_PROJECT:
                    out[path] = ((size, mtime), "skip", None)
                elif isinstance(row[4], str):
                    out[path] = ((size, mtime), "warning", row[4])
        return out

    def pinyin(self, texts: list[str] | None = None) -> dict[str, tuple[str, str, str]]:
        """Text -> its pinyin keys, of every text known or of these `texts`."""
        out = {}
        sql = "SELECT text, full, initials, alt, mac FROM pinyin"
        if texts is None:
            rows = self._read(sql)
        else:
            rows = [r for i in range(0, len(texts), 500) for r in self._read(
                f"{sql} WHERE text IN ({','.join('?' * len(texts[i : i + 500]))})", tuple(texts[i : i + 500]))]
        for text, full, initials, alt, mac in rows:
            if all(isinstance(v, str) for v in (text, full, initials, alt)) and self.sign.ok(
                "pinyin", text, _pack(full, initials, alt), mac
            ):
                out[text] = (full, initials, alt)
        return out

    def update(
        self,
        changed: list[tuple],
        removed: list[str] = (),  # type: ignore[assignment]
        tokens: list[FileRecord] = (),  # type: ignore[assignment]
        pinyin: dict[str, tuple[str, str, str]] | None = None,
        signature: str = "",
    ) -> None:
        """One transaction: changed files (rows made by `file_row`), removed paths, records segmented with
        the domain words of `signature`, new pinyin keys. The tokens are a table of their own (a file's row
        holds its whole table: updating it in place rewrote every row); a changed or removed file's go."""
        sign = self.sign
        # A file whose name (or broken-file message) SQLite cannot keep is not stored: it is read at each start.
        changed = [row for row in changed if storable(row[0]) and storable(row[4])]
        removed = [p for p in removed if storable(p)]
        tokens = [r for r in tokens if storable(r.path)]
        with self._write() as db:
            db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in removed))
            db.executemany("DELETE FROM tokens WHERE path = ?", ((p,) for p in removed))
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", changed)
            db.executemany("DELETE FROM tokens WHERE path = ?", ((row[0],) for row in changed))
            pairs = ((r.path, _JSON.encode([r.name_tokens, r.goal_tokens])) for r in tokens)
            db.executemany(
                "INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)",
                ((p, t, sign.mac("tokens", p, _pack(signature, t))) for p, t in pairs),
            )
            db.executemany(
                "INSERT OR REPLACE INTO pinyin VALUES (?, ?, ?, ?, ?)",
                ((t, *k, sign.mac("pinyin", t, _pack(*k))) for t, k in (pinyin or {}).items()),
            )


def file_row(sign: Signer, path: str, st: tuple[int, int], value: FileRecord | str | None, table: bytes | None) -> tuple:
    """A file's row, signed: the record columns (with the path, size and mtime) and the table apart."""
    if value is None:
        cols: tuple = (_NOT_PROJECT, None, None, None, None, None, None, None)
    elif isinstance(value, str):
        cols = (_BROKEN, value, None, None, None, None, None, None)
    else:
        cols = (
            _TABLE, None, value.name, value.year, value.goal,
            _JSON.encode([str(h or "") for h in value.header]), _JSON.encode(value.rows), _JSON.encode(value.quoted),
        )  # fmt: skip
    mac = sign.mac("file", path, _pack(*st, *cols))
    tmac = sign.mac("table", path, _pack(*st, table)) if table is not None else None
    return (path, *st, *cols, mac, tmac, table)


def _strings(value: object, n: int | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or (n is not None and len(value) != n):
        raise ValueError("not a list of strings")
    return value


def _record(path: object, status: object, warning: object, name: object, year: object, goal: object,
            header: object, rows: object, quoted: object) -> FileRecord | str | None:  # fmt: skip
    if not isinstance(path, str) or status not in (_TABLE, _NOT_PROJECT, _BROKEN):
        raise ValueError("bad file row")
    if status == _NOT_PROJECT:
        return None
    if status == _BROKEN:
        if not isinstance(warning, str):
            raise ValueError("bad warning")
        return warning
    if not (isinstance(name, str) and isinstance(goal, str) and (year is None or isinstance(year, int))):
        raise ValueError("bad table row")
    if not (isinstance(header, str) and isinstance(rows, str) and isinstance(quoted, str)):
        raise ValueError("bad table row")
    plain_rows = json.loads(rows)
    if not isinstance(plain_rows, list):
        raise ValueError("bad rows")
    triples = [tuple(_strings(r, 3)) for r in plain_rows]
    return FileRecord(
        path, name, year, goal, tuple(_strings(json.loads(header), len(HEADER_FIELDS))), triples,  # type: ignore[arg-type]
        _strings(json.loads(quoted)),
    )


def file_stat(path: Path | str) -> tuple[int, int]:
    """(size, mtime_ns), or (-1, -1) when the file cannot be stat'ed (it is then read again, and reported)."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def read_file(path: Path) -> Read:
    """One file as the store keeps it: (record, the table marshalled), (warning, None) or (None, None)."""
    try:
        entry = read_entry(path)
    except TableFileError as exc:
        return f"{exc}（已跳过）", None
    if entry is None:
        return None, None
    return record_of(entry), marshal.dumps(_plain(entry.table))


def _plain(table: Table) -> dict:
    """`dataclasses.asdict(table)` without its deep copies (a fifth of reading a file): every field of these
    dataclasses is a scalar, a list of dataclasses or one dataclass."""
    t = table
    return {
        "project": dict(vars(t.project)), "funding": dict(vars(t.funding)),
        "indicators": [dict(vars(i)) for i in t.indicators],
        "source": dict(vars(t.source)) if t.source is not None else None, "schema": t.schema,
    }  # fmt: skip


def _read_chunk(sign: Signer, files: list[tuple[str, tuple[int, int]]]) -> list[tuple[FileRecord | str | None, tuple]]:
    """A pool worker's task: read these files and make their signed rows (the JSON, marshal and MACs are half
    the work the main process would otherwise do alone)."""
    out = []
    for path, st in files:
        value, table = read_file(Path(path))
        out.append((value, file_row(sign, path, st, value, table)))
    return out


def _pinyin_chunk(texts: list[str]) -> list[tuple[str, str, str]]:
    return [pinyin_keys(t) for t in texts]


def _chunked(fn: Callable[[list], list], items: list) -> Iterator:
    """`fn` over the items in chunks, results in order: in a pool of processes when there are many items,
    more than one core, and this process runs no other thread (a forked child gets a copy of every lock
    another thread may hold: the app, which loads the corpus in a worker thread, works in its own process)."""
    chunks = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    done = 0
    if len(items) >= POOL_MIN and cores >= 2 and threading.active_count() == 1 and "fork" in get_all_start_methods():
        # The parent's objects are frozen out of the collector first: a child's collection would otherwise
        # touch every object and copy the parent's whole memory (fork shares it until written).
        gc.freeze()
        try:
            # fork, not spawn: spawn runs the main script again in each child, which a script without a
            # __main__ guard cannot survive; the children only parse and convert (no threads, no locks taken)
            with ProcessPoolExecutor(max_workers=min(cores, 8), mp_context=get_context("fork")) as pool:
                for got in pool.map(fn, chunks):
                    yield from got
                    done += 1
        except (OSError, BrokenProcessPool):
            pass  # a pool that cannot start or dies: the rest is done here
        finally:
            gc.unfreeze()
    for chunk in chunks[done:]:
        yield from fn(chunk)


def read_files(files: list[tuple[str, tuple[int, int]]], sign: Signer) -> Iterator[tuple[FileRecord | str | None, tuple]]:
    """(record, warning or None; its signed row) of each (path, (size, mtime)), in order (in a pool of
    processes when there are many)."""
    return _chunked(partial(_read_chunk, sign), files)


def _add_pinyin(records: list[FileRecord], pinyin: dict[str, tuple[str, str, str]]) -> None:
    """The pinyin keys of every text of these records the store does not know yet (what `build_from_records`
    would compute one by one), in a pool when there are many."""
    missing: dict[str, None] = {}
    for r in records:
        if r.year is not None:
            for text in (r.name, r.goal, *(name for _, name, _ in r.rows)):
                if text not in pinyin:
                    missing[text] = None
    texts = list(missing)
    pinyin.update(zip(texts, _chunked(_pinyin_chunk, texts)))


def _refresh(files: list[tuple[str, tuple[int, int]]], store: IndexStore | None, sign: Signer) -> Iterator[tuple[str, FileRecord | str | None, tuple]]:
    """Read these files (added, changed, or stored rows that failed their checks), yielding (path, value,
    row); the rows go to the store in batches as they come, so a cold build never holds every table."""
    batch: list[tuple] = []
    for (path, _), (value, row) in zip(files, read_files(files, sign)):
        yield path, value, row
        batch.append(row)
        if store is not None and len(batch) >= 1000:
            store = _flush(store, batch)
            batch = []
    if store is not None and batch:
        _flush(store, batch)


def _flush(store: IndexStore, batch: list) -> IndexStore | None:
    try:
        store.update(batch)
        return store
    except StoreError:
        return None  # without the store the next start parses again, nothing worse


def _signer(store: IndexStore | None) -> Signer:
    return store.sign if store is not None else Signer(b"", "unsigned")  # rows that are never written


def build_stored(paths: list[Path] | list[str], store: IndexStore | None) -> CorpusIndex:
    """The index of these files, parsing only the ones the store does not hold as they are now.
    Without a store (or when it fails) every file is read, as `index.build` does."""
    keys = [str(p) for p in paths]
    stats = {key: file_stat(key) for key in keys}
    try:
        known = store.stats() if store else {}
        kept = store.records() if store else {}
        pinyin = store.pinyin() if store else {}
    except StoreError:
        store, known, kept, pinyin = None, {}, {}, {}
    current = {k for k in keys if stats[k][0] >= 0 and k in kept and kept[k][1] == stats[k]}
    stale = [(k, stats[k]) for k in keys if k not in current]
    fresh = {path: value for path, value, _ in _refresh(stale, store, _signer(store))}
    values = [fresh[k] if k in fresh else kept[k][0] for k in keys]
    removed = [p for p in known if p not in stats]
    records = [v for v in values if isinstance(v, FileRecord)]
    words = domain_words(records)
    signature = hashlib.sha256("\n".join(words).encode()).hexdigest()
    if store is not None:  # tokens made with these domain words are kept (no segmentation); others are redone
        for r in records:
            if r.path in current:
                _, _, tokens, mac = kept[r.path]
                got = store.tokens_ok(r.path, signature, tokens, mac)
                if got is not None:
                    r.name_tokens, r.goal_tokens = got
    del kept, fresh  # the stored rows' text: freed before the index is built (peak memory at 1M rows)
    unsegmented = [r for r in records if r.name_tokens is None or r.goal_tokens is None]
    before = set(pinyin)
    _add_pinyin(records, pinyin)
    index = build_from_records(records, pinyin=pinyin)
    index.warnings[:0] = [v for v in values if isinstance(v, str)]
    if store is not None and (removed or unsegmented or len(pinyin) > len(before)):
        new_pinyin = {t: k for t, k in pinyin.items() if t not in before}
        with contextlib.suppress(StoreError):  # without the store the next start segments again, nothing worse
            store.update([], removed, unsegmented, new_pinyin, signature)
    return index


def build_delta(paths: list[str], removed: list[str], store: IndexStore | None, words: list[str]) -> CorpusIndex:
    """The index of only these (added or changed) files, for an overlay on the stored engine state
    (suggest/overlay.py): their stored records when current, else parsed (and stored); `removed` paths leave
    the store. Segmented with the corpus's domain words `words` (and these files' own), as a whole build
    would; the tokens are not stored (a whole build's words differ a little: it segments them again)."""
    stats = {key: file_stat(key) for key in paths}
    try:
        kept = store.records(paths) if store else {}
    except StoreError:
        store, kept = None, {}
    current = {k for k in paths if stats[k][0] >= 0 and k in kept and kept[k][1] == stats[k]}
    stale = [(k, stats[k]) for k in paths if k not in current]
    fresh = {path: value for path, value, _ in _refresh(stale, store, _signer(store))}
    values = [fresh[k] if k in fresh else kept[k][0] for k in paths]
    if store is not None and removed:
        with contextlib.suppress(StoreError):
            store.update([], removed)
    records = [v for v in values if isinstance(v, FileRecord)]
    texts = list({t: None for r in records if r.year is not None for t in (r.name, r.goal, *(n for _, n, _ in r.rows))})
    try:
        pinyin = store.pinyin(texts) if store else {}
    except StoreError:
        store, pinyin = None, {}
    known = set(pinyin)
    add_words(words)
    index = build_from_records(records, pinyin=pinyin)
    index.warnings[:0] = [v for v in values if isinstance(v, str)]
    if store is not None and len(pinyin) > len(known):
        with contextlib.suppress(StoreError):
            store.update([], pinyin={t: k for t, k in pinyin.items() if t not in known})
    return index


def stored_tables(paths: list[Path] | list[str], store: IndexStore | None) -> list[tuple[str, str, object]]:
    """(path, kind, payload) per file, in order, parsing only what the store does not hold as it is now:
    kind "table" with the marshalled table, "warning" with the message, "skip" for other TOML files."""
    keys = [str(p) for p in paths]
    stats = {key: file_stat(key) for key in keys}
    try:
        kept = store.tables() if store else {}
        known = store.stats() if store else {}
    except StoreError:
        store, kept, known = None, {}, {}
    current = {k for k in keys if stats[k][0] >= 0 and k in kept and kept[k][0] == stats[k]}
    fresh: dict[str, tuple[str, object]] = {}
    stale = [(k, stats[k]) for k in keys if k not in current]
    for path, value, row in _refresh(stale, store, _signer(store)):
        table = row[-1]
        fresh[path] = ("table", table) if table is not None else ("warning", value) if isinstance(value, str) else ("skip", None)
    removed = [p for p in known if p not in stats]
    if store is not None and removed:
        with contextlib.suppress(StoreError):
            store.update([], removed)
    return [(k, *(fresh[k] if k in fresh else kept[k][1:])) for k in keys]  # type: ignore[misc]


def reread(path: str, store: IndexStore | None) -> Read:
    """Parse one file again (its stored table failed the schema) and store what it is now."""
    value, table = read_file(Path(path))
    if store is not None:
        with contextlib.suppress(StoreError):
            store.update([file_row(store.sign, path, file_stat(path), value, table)])
    return value, table
