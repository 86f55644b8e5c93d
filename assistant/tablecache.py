"""The corpus as parsed tables, reused on a warm start: only files whose size or modification time changed are
read again (a stat per file, not a parse). The drafting workspace loads its corpus tables through here.

The parsed tables live in the corpus index database (index_store.py, shared with the suggestion engine, so
a file is parsed once for both; every row signed with the user's cache secret); every table read back is
checked against the Table schema, and anything that does not pass is parsed again from its file, so a cache
can cost time but never change a table.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path

from .corpus import Corpus, Entry, knowledge_dirs, project_paths
from .index_store import IndexStore, StoreError, reread, store_path, stored_tables
from .model import SCHEMA, Funding, Indicator, Project, Source, Table
from .paths import user_cache_dir
from .schema import SchemaError, check


def load_corpus_cached(knowledge: str | os.PathLike[str] | None = None) -> Corpus:
    """The same Corpus as `corpus.load_corpus`, parsing only the files that changed since the last start."""
    dirs = knowledge_dirs(knowledge)
    corpus = Corpus()
    if knowledge and not Path(knowledge).is_dir():
        corpus.warnings.append(f"{knowledge}: 语料文件夹不存在。")
    for old in user_cache_dir().glob("tables-*.bin"):  # the separate table cache of earlier versions
        with contextlib.suppress(OSError):
            old.unlink()
    try:
        store: IndexStore | None = IndexStore.open(store_path(dirs))
    except StoreError:
        store = None  # an unwritable cache folder: every file is parsed, as load_corpus does
    try:
        found = stored_tables(project_paths(dirs), store)
        records = [[kind, _plain(payload) if kind == "table" else payload] for _, kind, payload in found]
        tables = _tables(records)
        for (path, _, _), record, table in zip(found, records, tables):
            if record[0] == "table" and table is None:  # stored data that fails the schema: parse the file again
                value, payload = reread(path, store)
                record = ["table", _plain(payload)] if payload is not None else ["warning", value] if isinstance(value, str) else ["skip", None]
                table = _tables([record])[0]
            if record[0] == "warning":
                corpus.warnings.append(record[1])
            elif table is not None:
                corpus.entries.append(Entry(Path(path), table))
    finally:
        if store is not None:
            store.close()
    return corpus


def _plain(payload: object) -> object:
    try:
        return marshal.loads(payload) if isinstance(payload, bytes) else None  # our own, its MAC checked
    except (ValueError, EOFError, TypeError):
        return None


def _tables(records: list[list]) -> list[Table | None]:
    """The table of each record (None for the others); all checked against the schema at once, and one by one
    only when that fails, so a single bad record costs only itself."""
    payloads = [r[1] for r in records if r[0] == "table"]
    try:
        check(payloads, list[Table])
        good = None
    except SchemaError:
        good = False
    out: list[Table | None] = []
    for r in records:
        if r[0] != "table":
            out.append(None)
            continue
        if good is False:
            try:
                check(r[1], Table)
            except SchemaError:
                out.append(None)
                continue
        out.append(_table(r[1]))
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
