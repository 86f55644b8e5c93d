"""The corpus tables on a warm start: read back from the cache, equal to a fresh parse; only changed files are
parsed again (a stat, not a parse, for the rest); a damaged or forged table cache is never believed."""

from __future__ import annotations

import os
import shutil

import pytest

from assistant import corpus, tablecache
from assistant.corpus import load_corpus
from assistant.paths import bundled_knowledge, user_cache_dir
from assistant.tablecache import load_corpus_cached


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(bundled_knowledge() / "tables", target)
    (target / "broken.toml").write_text('schema = 1\n[project]\nname = "x"\n', encoding="utf-8")
    (target / "notes.toml").write_text("title = 1\n", encoding="utf-8")
    return target


@pytest.fixture
def parsed(monkeypatch):
    """The files parsed (read_entry calls) while the test runs."""
    seen: list[str] = []
    real = corpus.read_entry

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(tablecache, "read_entry", counting)
    return seen


def _same(a, b):
    return [(e.path, e.table) for e in a.entries] == [(e.path, e.table) for e in b.entries] and a.warnings == b.warnings


def test_a_warm_start_parses_nothing_and_equals_a_fresh_parse(folder, parsed):
    fresh = load_corpus(folder)
    assert _same(load_corpus_cached(folder), fresh)
    assert len(parsed) == len(list(folder.rglob("*.toml")))
    parsed.clear()
    assert _same(load_corpus_cached(folder), fresh)
    assert parsed == []


def test_only_a_changed_file_is_parsed_again(folder, parsed):
    load_corpus_cached(folder)
    parsed.clear()
    target = folder / "2024年村委会办公经费.toml"
    target.write_text(target.read_text(encoding="utf-8").replace("村委会个数", "村委会数量"), encoding="utf-8")
    os.utime(target, ns=(1, 1))
    (folder / "2024年村干部任职补贴.toml").unlink()
    again = load_corpus_cached(folder)
    assert parsed == ["2024年村委会办公经费.toml"]
    assert _same(again, load_corpus(folder))


@pytest.mark.parametrize("damage", [b"", b"JXC2" + b"\0" * 40, b"garbage" * 10])
def test_a_damaged_table_cache_is_rebuilt(folder, damage):
    fresh = load_corpus(folder)
    load_corpus_cached(folder)
    (path,) = user_cache_dir().glob("tables-*.bin")
    path.write_bytes(damage)
    assert _same(load_corpus_cached(folder), fresh)
