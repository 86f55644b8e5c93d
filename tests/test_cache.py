"""The engine's stored state: warm equals cold equals memory; a stale, damaged or forged cache is rebuilt or
read as missing, never fatal."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from assistant.corpus import project_files
from assistant.index import build
from assistant.library import load_library
from assistant.paths import bundled_knowledge, bundled_library, user_cache_dir, user_knowledge_dir
from assistant.suggest import Engine, load_engine
from assistant.suggest.store import _KIND


def _cache_files():
    return sorted(user_cache_dir().glob("engine-*.sqlite"))


def _answer(engine):
    return [s.to_json() for s in engine.suggest("cwh", k=3)]


QUERIES = [
    {"query": "cwh"},
    {"query": "", "level2": "数量指标", "project": "2025年社区干部任职补贴"},
    {"query": "满意", "level2": "满意度指标", "project": "2025年村委会办公经费"},
    {"query": "", "field": "value", "name": "村干部任职补贴支出时限", "project": "2025年村干部任职补贴"},
    {"query": "", "field": "value", "name": "补贴标准", "level2": "成本指标", "project": "2025年村干部任职补贴"},
    {"query": "村", "field": "project"},
    {"query": "", "field": "goal", "project": "2025年村干部任职补贴"},
]


def _answers(engine):
    out = [[s.to_json() for s in engine.suggest(**q, k=8)] for q in QUERIES]
    out.append([vars(t) for t in engine.similar_tables("2025年村干部任职补贴")])
    out.append(engine.header_values("implementing_unit", "平罗县头闸镇人民政府"))
    return out


def test_warm_load_equals_cold_and_memory(corpus):
    cold = load_engine(corpus)
    assert len(_cache_files()) == 1
    warm = load_engine(corpus)
    assert _answers(warm) == _answers(cold) and _answer(cold)
    # The state read from disk answers as the in-memory state it was written from.
    memory = Engine.build(build(project_files([corpus])), library=load_library(bundled_library()))
    assert _answers(memory) == _answers(warm)


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
    assert list(load_engine(tmp_path / "other").state.table_kinds) == ["corpus"]


@pytest.mark.parametrize("damage", [b"", b"SQLite format 3\x00" + b"garbage" * 200, None])
def test_damaged_cache_is_rebuilt(corpus, damage):
    expected = _answers(load_engine(corpus))
    (path,) = _cache_files()
    data = path.read_bytes()
    path.write_bytes(damage if damage is not None else data[: len(data) // 2])
    assert _answers(load_engine(corpus)) == expected
    assert _answers(load_engine(corpus)) == expected  # and the rewritten database reads back


def test_symlink_in_place_of_the_cache_is_replaced_not_followed(corpus, tmp_path):
    expected = _answers(load_engine(corpus))
    (path,) = _cache_files()
    target = tmp_path / "elsewhere.sqlite"
    shutil.copy(path, target)
    path.unlink()
    os.symlink(target, path)  # even a valid database behind a symlink is not opened
    before = target.read_bytes()
    assert _answers(load_engine(corpus)) == expected
    assert not path.is_symlink() and target.read_bytes() == before


def test_forged_values_read_as_missing_never_crash(corpus):
    load_engine(corpus)
    (path,) = _cache_files()
    db = sqlite3.connect(path)
    db.execute("UPDATE kv SET value = '[[\"x\", \"y\"], {\"a\": 1}]'")  # every value of the wrong shape
    db.commit()
    db.close()
    engine = load_engine(corpus)
    for q in QUERIES:
        assert isinstance(engine.suggest(**q, k=5), list)
    assert engine.similar_tables("2025年村干部任职补贴") == []


def test_forged_table_numbers_never_crash(corpus):
    load_engine(corpus)
    (path,) = _cache_files()
    db = sqlite3.connect(path)
    db.execute("UPDATE kv SET value = '{\"t\": [999999, -5], \"w\": [1.5, 2.0]}' WHERE kind = ?", (_KIND["postings"],))
    db.execute("UPDATE kv SET value = '{\"v\": [\"1\", \"2\"], \"c\": [1, 1], \"t\": [999999, -5]}' WHERE kind IN (?, ?)",
               (_KIND["value_stats"], _KIND["level2_values"]))  # fmt: skip
    db.execute("UPDATE kv SET value = '[999999]' WHERE kind IN (?, ?)", (_KIND["core"], _KIND["sector"]))
    db.commit()
    db.close()
    engine = load_engine(corpus)
    for q in QUERIES:
        assert isinstance(engine.suggest(**q, k=5), list)


def test_forged_meta_is_rebuilt(corpus):
    expected = _answers(load_engine(corpus))
    (path,) = _cache_files()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '{\"not\": \"a list\"}' WHERE key = 'warnings'")
    db.commit()
    db.close()
    assert _answers(load_engine(corpus)) == expected


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


@pytest.mark.parametrize("blob", [b"", b"\x01\x02\x03", b"\xff" * 4096])
def test_forged_arrays_never_crash(corpus, blob):
    expected = _answers(load_engine(corpus))
    (path,) = _cache_files()
    db = sqlite3.connect(path)
    db.execute("UPDATE arrays SET value = ? WHERE key LIKE 'pool:%'", (blob,))
    db.commit()
    db.close()
    engine = load_engine(corpus)  # pools fail their MAC and read as empty: the library and the goal still answer
    for q in QUERIES:
        assert isinstance(engine.suggest(**q, k=5), list)
    assert _answers(load_engine(corpus)) == expected  # the forged database was removed: the next start rebuilt it
    (path,) = _cache_files()
    db = sqlite3.connect(path)
    db.execute("UPDATE arrays SET value = ? WHERE key = 'years'", (blob,))
    db.commit()
    db.close()
    assert _answers(load_engine(corpus)) == expected  # a column of the wrong length: rebuilt
