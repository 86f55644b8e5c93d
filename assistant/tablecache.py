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
from .model import SCHEMA, Funding, Indicator, Project, Source, Table
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
    paths = project_files(dirs)
    for path in paths:
        try:
            st = path.stat()
            stamp = [st.st_size, st.st_mtime_ns]
        except OSError:
            stamp = [-1, -1]
        record = known.get(str(path))
        now[str(path)] = record if record is not None and record[:2] == stamp else _read(path, stamp)
    changed = any(now[p] is not known.get(p) for p in now) or set(now) != set(known)
    tables = _tables([now[str(p)] for p in paths])
    for path, record, table in zip(paths, [now[str(p)] for p in paths], tables):
        if record[2] == "table" and table is None:  # cached data that fails the schema: parse the file again
            record = now[str(path)] = _read(path, record[:2])
            table = _tables([record])[0]
            changed = True
        if record[2] == "warning":
            corpus.warnings.append(record[3])
        elif table is not None:
            corpus.entries.append(Entry(path, table))
    if changed:
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


def _tables(records: list[list]) -> list[Table | None]:
    """The table of each record (None for the others); all checked against the schema at once, and one by one
    only when that fails, so a single bad record costs only itself."""
    payloads = [r[3] for r in records if r[2] == "table"]
    try:
        check(payloads, list[Table])
        good = None
    except SchemaError:
        good = False
    out: list[Table | None] = []
    for r in records:
        if r[2] != "table":
            out.append(None)
            continue
        if good is False:
            try:
                check(r[3], Table)
            except SchemaError:
                out.append(None)
                continue
        out.append(_table(r[3]))
    return out


def _table(data: dict) -> Table:
    """A table from data that passed the schema (a missing part takes the dataclass's default)."""
    source = Source(**data["source"]) if data.get("source") else None
    return Table(
        Project(**data.get("project", {})),
        Funding(**data.get("funding", {})),
        [Indicator(**i) for i in data.get("indicators", [])],
        source,
        data.get("schema", SCHEMA),
    )
