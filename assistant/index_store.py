"""The corpus index on disk, one file at a time: a start stats the corpus files and parses only what changed.

A SQLite database in the user cache folder holds, per corpus file, its size and modification time and what
the index keeps of it (`index.FileRecord`: texts, rows, jieba tokens), plus the pinyin keys of every text.
`build_stored(paths)` re-reads only added and changed files, drops removed ones, and builds the
`CorpusIndex` from the stored records: no parsing, no segmentation, no pinyin for the files that did not change.

It is a cache, so anything wrong with it means "rebuild": a symlink in its place, a damaged or forged
database, a record of the wrong types. Values are read through plain SQL columns and JSON lists of strings
(nothing that could carry objects) and checked before use. Two processes may open it at once: WAL journal,
writes in one IMMEDIATE transaction, a busy timeout.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from .index import HEADER_FIELDS, CorpusIndex, FileRecord, build_from_records, domain_words, read_record
from .paths import user_cache_dir
from .tomlio import TableFileError

FORMAT = 1  # of the database: bump when a table changes
_TABLE, _NOT_PROJECT, _BROKEN = 1, 0, 2  # files.status

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL, status INTEGER NOT NULL,
    warning TEXT, name TEXT, year INTEGER, goal TEXT, header TEXT, rows TEXT, quoted TEXT, tokens TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pinyin (text TEXT PRIMARY KEY, full TEXT, initials TEXT, alt TEXT) WITHOUT ROWID;
"""


def store_path(dirs: list[Path]) -> Path:
    """One database per set of corpus folders (like the engine cache)."""
    digest = hashlib.sha256("\n".join(str(d.resolve()) for d in dirs).encode()).hexdigest()[:16]
    return user_cache_dir() / f"index-{digest}.sqlite"


class StoreError(Exception):
    """The database cannot be used (damaged, forged, not ours): the caller rebuilds without it."""


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


class IndexStore:
    """The per-file records of one corpus. Use `IndexStore.open(path)`; every method may raise StoreError."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    @classmethod
    def open(cls, path: Path) -> IndexStore:
        """Open (or create) the database; one that is a symlink, not ours or damaged is discarded first."""
        for attempt in range(2):
            sidecars = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            if not all(_is_plain_file_or_missing(p) for p in sidecars):
                _discard(path)  # a symlink (or a folder, a FIFO) where the cache should be
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(str(exc)) from None
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(_SCHEMA)
                got = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
                if got is None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (str(FORMAT),))
                elif got[0] != str(FORMAT):
                    raise sqlite3.DatabaseError("another format")
                db.execute("SELECT path, size, mtime, status FROM files LIMIT 1").fetchall()
                return cls(db)
            except sqlite3.Error as exc:
                db.close()
                if attempt:
                    raise StoreError(str(exc)) from None
                _discard(path)  # damaged or another format: start afresh, once
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

    def stats(self) -> dict[str, tuple[int, int]]:
        """Path -> (size, mtime_ns) of every file known."""
        out = {}
        for path, size, mtime in self._read("SELECT path, size, mtime FROM files"):
            if isinstance(path, str) and isinstance(size, int) and isinstance(mtime, int):
                out[path] = (size, mtime)
        return out

    def meta(self, key: str) -> str | None:
        got = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return got[0][0] if got and isinstance(got[0][0], str) else None

    def records(self) -> dict[str, FileRecord | str | None]:
        """Path -> its record, its warning (a broken file) or None (not a project file).
        A row of the wrong types is left out: its file counts as changed and is read again."""
        out: dict[str, FileRecord | str | None] = {}
        sql = "SELECT path, status, warning, name, year, goal, header, rows, quoted, tokens FROM files"
        for row in self._read(sql):
            try:
                out[row[0]] = _record(row)
            except (ValueError, TypeError):
                continue
        return out

    def pinyin(self) -> dict[str, tuple[str, str, str]]:
        out = {}
        for text, full, initials, alt in self._read("SELECT text, full, initials, alt FROM pinyin"):
            if all(isinstance(v, str) for v in (text, full, initials, alt)):
                out[text] = (full, initials, alt)
        return out

    def update(
        self,
        changed: list[tuple[str, tuple[int, int], FileRecord | str | None]],
        removed: list[str],
        tokens: list[FileRecord],
        pinyin: dict[str, tuple[str, str, str]],
        words: str,
    ) -> None:
        """One transaction: changed files (record, warning or None), removed paths, re-segmented records,
        new pinyin keys, the domain words the tokens were made with."""
        with self._write() as db:
            db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in removed))
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_row(path, st, value) for path, st, value in changed),
            )
            db.executemany(
                "UPDATE files SET tokens = ? WHERE path = ?",
                ((json.dumps([r.name_tokens, r.goal_tokens], ensure_ascii=False), r.path) for r in tokens),
            )
            db.executemany("INSERT OR REPLACE INTO pinyin VALUES (?, ?, ?, ?)", ((t, *k) for t, k in pinyin.items()))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('words', ?)", (words,))


def _strings(value: object, n: int | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or (n is not None and len(value) != n):
        raise ValueError("not a list of strings")
    return value


def _record(row: tuple) -> FileRecord | str | None:
    path, status, warning, name, year, goal, header, rows, quoted, tokens = row
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
    if not all(isinstance(v, str) for v in (header, rows, quoted)):
        raise ValueError("bad table row")
    plain_rows = json.loads(rows)
    if not isinstance(plain_rows, list):
        raise ValueError("bad rows")
    triples = [tuple(_strings(r, 3)) for r in plain_rows]
    record = FileRecord(
        path, name, year, goal, tuple(_strings(json.loads(header), len(HEADER_FIELDS))), triples,  # type: ignore[arg-type]
        _strings(json.loads(quoted)),
    )
    if isinstance(tokens, str):
        pair = json.loads(tokens)
        if isinstance(pair, list) and len(pair) == 2:
            record.name_tokens, record.goal_tokens = _strings(pair[0]), _strings(pair[1])
    return record


def _row(path: str, st: tuple[int, int], value: FileRecord | str | None) -> tuple:
    if value is None:
        return (path, *st, _NOT_PROJECT, None, None, None, None, None, None, None, None)
    if isinstance(value, str):
        return (path, *st, _BROKEN, value, None, None, None, None, None, None, None)
    tokens = None
    if value.name_tokens is not None and value.goal_tokens is not None:
        tokens = json.dumps([value.name_tokens, value.goal_tokens], ensure_ascii=False)
    return (
        path, *st, _TABLE, None, value.name, value.year, value.goal,
        json.dumps([str(h or "") for h in value.header], ensure_ascii=False),
        json.dumps(value.rows, ensure_ascii=False), json.dumps(value.quoted, ensure_ascii=False), tokens,
    )  # fmt: skip


def file_stat(path: Path | str) -> tuple[int, int]:
    """(size, mtime_ns), or (-1, -1) when the file cannot be stat'ed (it is then read again, and reported)."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _read(path: Path) -> FileRecord | str | None:
    try:
        return read_record(path)
    except TableFileError as exc:
        return f"{exc}（已跳过）"


def build_stored(paths: list[Path] | list[str], store: IndexStore | None) -> CorpusIndex:
    """The index of these files, parsing only the ones the store does not hold as they are now.
    Without a store (or when it fails) every file is read, as `index.build` does."""
    stats = {str(p): file_stat(p) for p in paths}
    try:
        known = store.stats() if store else {}
        kept = store.records() if store else {}
        pinyin = store.pinyin() if store else {}
        old_words = store.meta("words") if store else None
    except StoreError:
        store, known, kept, pinyin, old_words = None, {}, {}, {}, None
    changed = []
    values: list[FileRecord | str | None] = []
    for p in paths:
        key = str(p)
        st = stats[key]
        if st[0] >= 0 and known.get(key) == st and key in kept:
            values.append(kept[key])
        else:
            value = _read(Path(p))
            changed.append((key, st, value))
            values.append(value)
    removed = [p for p in known if p not in stats]
    records = [v for v in values if isinstance(v, FileRecord)]
    words = domain_words(records)
    signature = hashlib.sha256("\n".join(words).encode()).hexdigest()
    if signature != old_words:  # other domain words segment differently: every record again (no parsing)
        for r in records:
            r.name_tokens = r.goal_tokens = None
    unsegmented = [r for r in records if r.name_tokens is None or r.goal_tokens is None]
    before = set(pinyin)
    index = build_from_records(records, pinyin=pinyin)
    index.warnings[:0] = [v for v in values if isinstance(v, str)]
    if store is not None and (changed or removed or unsegmented or len(pinyin) > len(before)):
        new_pinyin = {t: k for t, k in pinyin.items() if t not in before}
        with contextlib.suppress(StoreError):  # without the store the next start parses again, nothing worse
            store.update(changed, removed, unsegmented, new_pinyin, signature)
    return index
