"""The on-disk corpus index: only changed files are read, and a damaged or hostile database is rebuilt."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from assistant import index_store
from assistant.corpus import project_files
from assistant.index import build
from assistant.index_store import IndexStore, build_stored, store_path
from assistant.paths import bundled_knowledge, user_cache_dir


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(bundled_knowledge() / "tables", folder)
    return folder


def _stored(folder):
    store = IndexStore.open(store_path([folder]))
    try:
        return build_stored(project_files([folder]), store)
    finally:
        store.close()


def _same(a, b):
    return (a.tables, a.texts, a.level2s, a.rows, a.pinyin, a.warnings, a.words) == (
        b.tables, b.texts, b.level2s, b.rows, b.pinyin, b.warnings, b.words,
    )  # fmt: skip


def test_second_start_parses_nothing_and_equals_a_full_build(corpus, files_parsed):
    first = _stored(corpus)
    assert len(files_parsed) == len(project_files([corpus]))
    files_parsed.clear()
    second = _stored(corpus)
    assert files_parsed == []
    assert _same(second, first) and _same(second, build(project_files([corpus])))


def test_only_added_changed_and_removed_files_are_read(corpus, files_parsed):
    _stored(corpus)
    files_parsed.clear()
    files = sorted(corpus.glob("*.toml"))
    shutil.copy(files[0], corpus / "added.toml")
    text = files[1].read_text(encoding="utf-8")
    files[1].write_text(text.replace("村", "社区", 1), encoding="utf-8")
    files[2].unlink()
    (corpus / "broken.toml").write_text('[project\nname = "x"', encoding="utf-8")
    got = _stored(corpus)
    assert sorted(files_parsed) == sorted(["added.toml", files[1].name, "broken.toml"])
    assert _same(got, build(project_files([corpus])))
    assert any("broken.toml" in w for w in got.warnings)
    files_parsed.clear()
    again = _stored(corpus)  # the broken file is remembered broken until it changes
    assert files_parsed == [] and _same(again, got)


def test_a_renamed_project_is_segmented_anew(corpus, monkeypatch):
    """Tokens are kept apart from the file's row and signed without its size and time: a changed file's go."""
    _stored(corpus)
    files = sorted(corpus.glob("*.toml"))
    text = files[1].read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name = "))
    files[1].write_text(text.replace(name, 'name = "2024年高标准农田建设项目"', 1), encoding="utf-8")
    write = IndexStore.update

    def interrupted(self, changed, removed=(), tokens=(), *args, **kwargs):
        if tokens:  # the build stops after the parsed rows were written, before the new tokens are
            raise index_store.StoreError("interrupted")
        return write(self, changed, removed, tokens, *args, **kwargs)

    monkeypatch.setattr(IndexStore, "update", interrupted)
    _stored(corpus)
    monkeypatch.setattr(IndexStore, "update", write)
    got = _stored(corpus)  # the file is as stored now: its old tokens must not be taken for it
    table = next(t for t in got.tables if t.file == str(files[1]))
    assert "农田" in table.tokens
    assert _same(got, build(project_files([corpus])))


def test_a_new_quoted_word_resegments_without_parsing(corpus, files_parsed):
    _stored(corpus)
    files_parsed.clear()
    target = sorted(corpus.glob("*.toml"))[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('name = "', 'name = "“两个中心”', 1), encoding="utf-8")
    got = _stored(corpus)
    assert files_parsed == [target.name]
    assert "两个中心" in got.words
    assert _same(got, build(project_files([corpus])))


@pytest.mark.parametrize("damage", [b"", b"garbage" * 100, None])
def test_damaged_database_is_rebuilt(corpus, damage):
    expected = _stored(corpus)
    path = store_path([corpus])
    data = path.read_bytes()
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    path.write_bytes(damage if damage is not None else data[: len(data) // 2])
    assert _same(_stored(corpus), expected)
    assert _same(_stored(corpus), expected)


def test_forged_rows_are_read_again_not_trusted(corpus, files_parsed):
    expected = _stored(corpus)
    db = sqlite3.connect(store_path([corpus]))
    victim = sorted(p.name for p in corpus.glob("*.toml"))[0]
    db.execute("UPDATE files SET rows = '[[1, 2, 3]]' WHERE path LIKE ?", (f"%{victim}",))
    db.execute("UPDATE tokens SET tokens = '{\"a\": 1}' WHERE path LIKE ?", (f"%{victim}",))
    db.execute("UPDATE files SET header = 'not json' WHERE path NOT LIKE ?", (f"%{victim}",))
    db.execute("INSERT OR REPLACE INTO pinyin VALUES ('村', 1, 2, 3, x'00')")
    db.commit()
    db.close()
    files_parsed.clear()
    assert _same(_stored(corpus), expected)
    assert len(files_parsed) == len(project_files([corpus]))  # every forged record was parsed again


def test_a_plausible_forged_row_is_parsed_again(corpus, files_parsed):
    """A record changed to text of the right types (the old MAC kept) is not believed: no injected rows."""
    expected = _stored(corpus)
    db = sqlite3.connect(store_path([corpus]))
    victim = sorted(p.name for p in corpus.glob("*.toml"))[0]
    db.execute("UPDATE files SET rows = ? WHERE path LIKE ?", ('[["数量指标", "注入的指标", "1个"]]', f"%{victim}"))
    db.commit()
    db.close()
    files_parsed.clear()
    got = _stored(corpus)
    assert _same(got, expected) and files_parsed == [victim]
    assert "注入的指标" not in got.texts


def test_a_database_made_with_another_secret_is_rebuilt(corpus, files_parsed):
    expected = _stored(corpus)
    (user_cache_dir() / "cache.key").write_bytes(b"k" * 32)  # the database now looks like another user's
    files_parsed.clear()
    assert _same(_stored(corpus), expected)
    assert len(files_parsed) == len(project_files([corpus]))


def test_many_files_are_parsed_in_a_process_pool(corpus, monkeypatch):
    """The pool (a cold build of a big corpus) gives the same index as reading in this process."""
    monkeypatch.setattr(index_store, "POOL_MIN", 1)
    monkeypatch.setattr(index_store, "_CHUNK", 3)
    assert _same(build_stored(project_files([corpus]), None), build(project_files([corpus])))


def test_the_database_is_private(corpus):
    _stored(corpus)
    path = store_path([corpus])
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            assert p.stat().st_mode & 0o777 == 0o600


def test_symlink_in_place_of_the_database_is_discarded(corpus, tmp_path):
    path = store_path([corpus])
    path.parent.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "precious.sqlite"
    target.write_bytes(b"do not touch")
    os.symlink(target, path)
    assert _same(_stored(corpus), build(project_files([corpus])))
    assert target.read_bytes() == b"do not touch"
    assert not path.is_symlink()


def test_another_format_is_rebuilt(corpus):
    _stored(corpus)
    db = sqlite3.connect(store_path([corpus]))
    db.execute("UPDATE meta SET value = '-1' WHERE key = 'format'")
    db.commit()
    db.close()
    assert _same(_stored(corpus), build(project_files([corpus])))


def test_two_open_stores_both_write(corpus):
    path = store_path([corpus])
    a, b = IndexStore.open(path), IndexStore.open(path)
    try:
        files = project_files([corpus])
        build_stored(files[:5], a)
        build_stored(files, b)
        assert len(a.stats()) == len(files)
    finally:
        a.close()
        b.close()


def test_unwritable_cache_folder_still_builds(corpus, monkeypatch, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(index_store.StoreError):
        IndexStore.open(store_path([corpus]))
    assert _same(build_stored(project_files([corpus]), None), build(project_files([corpus])))


def _answers(engine, queries):
    return [[s.to_json() for s in engine.suggest(**q, k=10)] for q in queries]


def test_a_changed_corpus_answers_as_a_fresh_build(corpus):
    """Through the stores (index reused, only changed files parsed, state derived and stored again) every query
    of a batch answers as an engine built from scratch without any cache."""
    from assistant.corpus import read_entry
    from assistant.suggest import load_engine

    load_engine(corpus)
    files = sorted(corpus.glob("*.toml"))
    changed = next(p for p in files if "村" in p.read_text(encoding="utf-8"))
    shutil.copy(files[0], corpus / "0-added.toml")  # sorts first: every later table's number moves
    changed.write_text(changed.read_text(encoding="utf-8").replace("村", "社区"), encoding="utf-8")
    next(p for p in files if p not in (files[0], changed)).unlink()
    tables = [read_entry(p).table for p in (corpus / "0-added.toml", changed, *sorted(corpus.glob("*.toml"))[-2:])]
    queries = []
    for t in tables:
        for i in t.indicators[:6]:
            base = {"level2": i.level2, "project": t.project.name, "goal": t.project.goal}
            queries += [{**base, "query": ""}, {**base, "query": i.name[:2]}, {**base, "query": "sl"},
                        {**base, "field": "value", "name": i.name, "query": ""}]  # fmt: skip
    queries += [{"field": "project", "query": "村"}, {"field": "goal", "query": "补贴"}]
    incremental = _answers(load_engine(corpus), queries)
    assert incremental == _answers(load_engine(corpus, use_cache=False), queries)
    assert any("0-added.toml" in json.dumps(a, ensure_ascii=False) for a in incremental)  # the change is seen


def _undecodable(folder, stem: bytes) -> str:
    """A file name that is not UTF-8 (Python reads the byte as a lone surrogate); skips where names must be UTF-8."""
    path = os.fsdecode(os.fsencode(str(folder)) + b"/" + stem + b"\xff.toml")
    try:
        open(path, "w").close()
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    return path


def test_a_file_name_that_is_not_utf8_is_read_each_start_and_the_rest_stored(corpus, files_parsed, capsys):
    from assistant import cli
    from assistant.suggest import load_engine
    from assistant.suggest.store import StoredState

    text = (corpus / "2024年村委会办公经费.toml").read_text(encoding="utf-8")
    odd = _undecodable(corpus, b"odd")
    with open(odd, "w", encoding="utf-8") as fh:
        fh.write(text.replace("村委会个数", "独有措辞个数"))
    broken = _undecodable(corpus, b"broken")
    with open(broken, "w", encoding="utf-8") as fh:
        fh.write('schema = 1\n[project]\nname = "x"\n')
    engine = load_engine(corpus)
    assert engine.suggest("独有措辞")[0].source.file == odd
    assert any(broken in w for w in engine.warnings)
    files_parsed.clear()
    again = load_engine(corpus)  # the stored state is used: nothing else parsed, no traceback
    assert isinstance(again.state, StoredState) and again.suggest("独有措辞")[0].source.file == odd
    assert any(broken in w for w in again.warnings)
    files_parsed.clear()
    assert len(build_stored(project_files([corpus]), IndexStore.open(store_path([corpus]))).tables) >= 22
    assert sorted(files_parsed) == ["broken\udcff.toml", "odd\udcff.toml"]  # read again; the 21 others come stored
    code = cli.main(["--knowledge", str(corpus), "suggest", "独有", "-k", "1"])
    out, err = capsys.readouterr()
    assert code == 0 and "odd\\udcff.toml" in out and "broken\\udcff.toml" in err
