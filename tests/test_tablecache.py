"""The corpus tables on a warm start: read back from the cache, equal to a fresh parse; only changed files are
parsed again (a stat, not a parse, for the rest); a damaged or forged table cache is never believed."""

from __future__ import annotations

import marshal
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.index_store import store_path
from assistant.paths import bundled_knowledge, user_cache_dir
from assistant.tablecache import load_corpus_cached


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(bundled_knowledge() / "tables", target)
    (target / "broken.toml").write_text('schema = 1\n[project]\nname = "x"\n', encoding="utf-8")
    (target / "notes.toml").write_text("title = 1\n", encoding="utf-8")
    return target


def _same(a, b):
    return [(e.path, e.table) for e in a.entries] == [(e.path, e.table) for e in b.entries] and a.warnings == b.warnings


def test_a_warm_start_parses_nothing_and_equals_a_fresh_parse(folder, files_parsed):
    fresh = load_corpus(folder)
    assert _same(load_corpus_cached(folder), fresh)
    assert len(files_parsed) == len(list(folder.rglob("*.toml")))
    files_parsed.clear()
    assert _same(load_corpus_cached(folder), fresh)
    assert files_parsed == []


def test_only_a_changed_file_is_parsed_again(folder, files_parsed):
    load_corpus_cached(folder)
    files_parsed.clear()
    target = folder / "2024年村委会办公经费.toml"
    target.write_text(target.read_text(encoding="utf-8").replace("村委会个数", "村委会数量"), encoding="utf-8")
    os.utime(target, ns=(1, 1))
    (folder / "2024年村干部任职补贴.toml").unlink()
    again = load_corpus_cached(folder)
    assert files_parsed == ["2024年村委会办公经费.toml"]
    assert _same(again, load_corpus(folder))


@pytest.mark.parametrize("damage", [b"", b"SQLite format 3\0" + b"\0" * 80, b"garbage" * 10])
def test_a_damaged_table_store_is_rebuilt(folder, damage):
    fresh = load_corpus(folder)
    load_corpus_cached(folder)
    path = store_path([folder])
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    path.write_bytes(damage)
    assert _same(load_corpus_cached(folder), fresh)


def test_a_forged_table_is_never_believed(folder, files_parsed):
    """A row whose table was replaced (a plausible table, the old MAC kept) is parsed again from its file."""
    fresh = load_corpus(folder)
    load_corpus_cached(folder)
    victim = str(sorted(folder.glob("*.toml"))[0].resolve())
    db = sqlite3.connect(store_path([folder]))
    (data,) = db.execute("SELECT tabledata FROM files WHERE path = ?", (victim,)).fetchone()
    forged = marshal.loads(data)
    forged["indicators"][0]["name"] = "注入的指标"
    db.execute("UPDATE files SET tabledata = ? WHERE path = ?", (marshal.dumps(forged), victim))
    db.commit()
    db.close()
    files_parsed.clear()
    got = load_corpus_cached(folder)
    assert _same(got, fresh)
    assert files_parsed == [Path(victim).name]
    assert all(i.name != "注入的指标" for t in got.tables for i in t.indicators)


def test_a_store_made_with_another_secret_is_discarded(folder, files_parsed):
    """Another user's (or a copied-in) database: its rows are not trusted, everything is parsed again."""
    fresh = load_corpus(folder)
    load_corpus_cached(folder)
    (user_cache_dir() / "cache.key").write_bytes(b"k" * 32)  # as if the database came from elsewhere
    files_parsed.clear()
    assert _same(load_corpus_cached(folder), fresh)
    assert len(files_parsed) == len(list(folder.rglob("*.toml")))


def test_engine_and_workspace_parse_each_file_once(folder, files_parsed):
    from assistant.index_store import IndexStore, build_stored

    store = IndexStore.open(store_path([folder]))
    try:
        build_stored(sorted(folder.rglob("*.toml")), store)
    finally:
        store.close()
    assert len(files_parsed) == len(list(folder.rglob("*.toml")))
    files_parsed.clear()
    assert _same(load_corpus_cached(folder), load_corpus(folder))
    assert files_parsed == []
