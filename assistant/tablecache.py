"""The corpus as parsed tables, reused on a warm start: only files whose size or modification time changed are
read again (a stat per file, not a parse). The drafting workspace loads its corpus tables through here.

The parsed tables live in the user cache folder (cache.py: keyed MAC, no symlinks) with each file's size and
mtime; every table read back is checked against the Table schema, and anything that does not pass is parsed
again from its file, so a cache can cost time but never change a table.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict
from pathlib import Path

from . import cache
from .corpus import Corpus, Entry, knowledge_dirs, project_files, read_entry
from .model import Funding, Indicator, Project, Source, Table
from .schema import SchemaError, check
from .tomlio import TableFileError

FORMAT = 1  # of the cached form: bump when Table changes


def load_corpus_cached(knowledge: str | os.PathLike[str] | None = None) -> Corpus:
    """The same Corpus as `corpus.load_corpus`, parsing only the files that changed since the last start."""
    dirs = knowledge_dirs(knowledge)
    name = "tables-" + hashlib.sha256("\n".join(str(d.resolve()) for d in dirs).encode()).hexdigest()[:16] + ".bin"
    key = [FORMAT, [str(d) for d in dirs]]
    before = cache.load(name, key, _files)
    known: dict[str, list] = before if isinstance(before, dict) else {}
    corpus = Corpus()
    if knowledge and not Path(knowledge).is_dir():
        corpus.warnings.append(f"{knowledge}: 语料文件夹不存在。")
    now: dict[str, list] = {}
    changed = False
    for path in project_files(dirs):
        try:
            st = path.stat()
            stamp = [st.st_size, st.st_mtime_ns]
        except OSError:
            stamp = [-1, -1]
        record = known.get(str(path))
        table = _table(record) if record is not None and record[:2] == stamp else None
        if record is None or record[:2] != stamp or (record[2] == "table" and table is None):
            record = _read(path, stamp)
            table = _table(record)
            changed = True
        now[str(path)] = record
        if record[2] == "warning":
            corpus.warnings.append(record[3])
        elif table is not None:
            corpus.entries.append(Entry(path, table))
    if changed or set(now) != set(known):
        cache.save(name, key, now)
    return corpus


def _read(path: Path, stamp: list) -> list:
    """[size, mtime_ns, kind, payload]: kind "table" (the table as plain data), "skip" (not a project file),
    "warning" (why it was skipped, as load_corpus says it)."""
    try:
        entry = read_entry(path)
    except TableFileError as exc:
        return [*stamp, "warning", f"{exc}（已跳过）"]
    if entry is None:
        return [*stamp, "skip", None]
    return [*stamp, "table", asdict(entry.table)]


def _files(data: object) -> dict:
    if not isinstance(data, dict):
        raise ValueError("not a table cache")
    for path, record in data.items():
        if not (isinstance(path, str) and isinstance(record, list) and len(record) == 4):
            raise ValueError("not a table cache")
        size, mtime, kind, payload = record
        if type(size) is not int or type(mtime) is not int or kind not in ("table", "skip", "warning"):
            raise ValueError("not a table cache")
        if kind == "warning" and not isinstance(payload, str):
            raise ValueError("not a table cache")
    return data


def _table(record: list) -> Table | None:
    """The table of a cached record, or None when it is not one or its data fails the schema."""
    if record[2] != "table":
        return None
    data = record[3]
    try:
        check(data, Table)
    except SchemaError:
        return None
    source = Source(**data["source"]) if data.get("source") else None
    return Table(
        Project(**data["project"]),
        Funding(**data["funding"]),
        [Indicator(**i) for i in data["indicators"]],
        source,
        data["schema"],
    )
