"""The engine cache: warm equals cold, and a stale or damaged cache is rebuilt, never fatal."""

from __future__ import annotations

import os
import shutil

import pytest

from assistant.paths import bundled_knowledge, user_cache_dir, user_knowledge_dir
from assistant.suggest import load_engine


def _cache_files():
    return sorted(user_cache_dir().glob("engine-*.bin"))


def _answer(engine):
    return [s.to_json() for s in engine.suggest("cwh", k=3)]


def test_warm_load_equals_cold(corpus):
    cold = load_engine(corpus)
    assert len(_cache_files()) == 1
    warm = load_engine(corpus)
    assert _answer(warm) == _answer(cold) and _answer(cold)
    assert warm.state == cold.state  # the typed state, read back from the cache


def test_own_tables_are_marked_own(tmp_path):
    own = user_knowledge_dir()
    own.mkdir(parents=True)
    text = (bundled_knowledge() / "tables" / "2024年村委会办公经费.toml").read_text(encoding="utf-8")
    (own / "我的表.toml").write_text(text.replace("村委会个数", "本镇村委会个数"), encoding="utf-8")
    (tmp_path / "other").mkdir()
    shutil.copy(bundled_knowledge() / "tables" / "2024年村干部任职补贴.toml", tmp_path / "other")
    engine = load_engine()  # bundled + the user's own folder
    results = engine.suggest("村委会个数", project="2025年村委会办公经费", k=5)
    kinds = {s.text: (s.kind, s.label, s.source.file) for s in results}
    assert kinds["本镇村委会个数"] == ("own", "本单位往年", str((own / "我的表.toml").resolve()))
    assert kinds["村委会个数"][:2] == ("corpus", "其他单位")
    assert load_engine(tmp_path / "other").state.table_kinds == ["corpus"]


@pytest.mark.parametrize("damage", [b"", b"JXC1", b"garbage" * 10, None])
def test_damaged_cache_is_rebuilt(corpus, damage):
    expected = _answer(load_engine(corpus))
    (path,) = _cache_files()
    data = path.read_bytes()
    path.write_bytes(damage if damage is not None else data[: len(data) // 2])
    assert _answer(load_engine(corpus)) == expected
    assert path.read_bytes() == data  # written again, whole


def test_changed_corpus_file_invalidates_the_cache(corpus):
    load_engine(corpus)
    target = corpus / "2024年村委会办公经费.toml"
    target.write_text(target.read_text(encoding="utf-8").replace("村委会个数", "村委会数量"), encoding="utf-8")
    os.utime(target, ns=(1, 1))  # a different mtime even on coarse clocks
    texts = [s.text for s in load_engine(corpus).suggest("cwh", k=5)]
    assert "村委会数量" in texts and "村委会个数" not in texts


def test_broken_corpus_file_is_skipped_with_a_warning(corpus):
    (corpus / "broken.toml").write_text('schema = 1\n[project]\nname = "x"\n', encoding="utf-8")
    (corpus / "notes.toml").write_text("not toml at all = = =", encoding="utf-8")
    engine = load_engine(corpus)
    assert len(engine.warnings) == 2
    assert any("broken.toml" in w and "缺少必填的键" in w for w in engine.warnings)
    assert engine.suggest("cwh", k=1)  # the other 15 still work


def test_missing_corpus_folder_warns(tmp_path):
    engine = load_engine(tmp_path / "nope")
    assert engine.warnings == [f"{tmp_path / 'nope'}: 语料文件夹不存在。"]
    assert all(s.kind == "library" for s in engine.suggest("", k=3))  # no corpus: the library alone


def test_unwritable_cache_is_not_fatal(corpus, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache folder cannot be created
    assert _answer(load_engine(corpus))
    assert _answer(load_engine(corpus))  # and again, with no cache at all
