"""Issue 16, case 2 (issue 17: the engine state in SQLite, a MAC per value): the engine cache and jixiao's own files cannot be turned against the user.

A symlink planted where a cache or draft goes is replaced, never written through; a cache forged or copied in
(unkeyed checksum, another user's key, wrong types) is rebuilt, never trusted and never a crash; no write changes
the process umask (a thread writing meanwhile would get a 0666 file).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import threading

import pytest

from assistant import safefile
from assistant.paths import user_cache_dir
from assistant.suggest import load_engine
from assistant.suggest.store import _KIND

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and modes as on POSIX")


def _engine_cache():
    (path,) = sorted(user_cache_dir().glob("engine-*.sqlite"))
    return path


def _texts(engine, query="cwh"):
    return [s.text for s in engine.suggest(query, k=9)]


@posix_only
def test_a_symlink_in_place_of_the_cache_is_replaced_not_followed(corpus, tmp_path):
    load_engine(corpus)
    path = _engine_cache()
    precious = tmp_path / "precious.txt"
    precious.write_text("不能被覆盖", encoding="utf-8")
    path.unlink()
    path.symlink_to(precious)
    os.utime(corpus / "2024年村委会办公经费.toml", ns=(1, 1))  # the corpus changed: the cache is written again
    assert _texts(load_engine(corpus))
    assert precious.read_text(encoding="utf-8") == "不能被覆盖"
    assert not path.is_symlink() and path.stat().st_size > 100


@posix_only
def test_a_symlink_in_place_of_the_key_is_never_read_or_written_through(corpus, tmp_path):
    precious = tmp_path / "precious.bin"
    precious.write_bytes(b"k" * 32)  # would be a valid key if it were read through the link
    user_cache_dir().mkdir(parents=True)
    (user_cache_dir() / "cache.key").symlink_to(precious)
    assert _texts(load_engine(corpus))
    assert precious.read_bytes() == b"k" * 32
    key = user_cache_dir() / "cache.key"
    assert not key.is_symlink() and key.read_bytes() != b"k" * 32


@posix_only
def test_own_files_are_private(corpus):
    load_engine(corpus)
    for path in (_engine_cache(), user_cache_dir() / "cache.key"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def _resign(path, mac, change=None):
    """Rewrite the stored state: `change(db)` first, then every row's MAC computed by `mac(place, key, value)`."""
    db = sqlite3.connect(path)
    if change:
        change(db)
    for table, place in (("meta", lambda k: "meta"), ("arrays", lambda k: "arrays")):
        for key, value in db.execute(f"SELECT key, value FROM {table}").fetchall():
            raw = value if isinstance(value, bytes) else value.encode()
            db.execute(f"UPDATE {table} SET mac = ? WHERE key = ?", (mac(place(key), key, raw), key))
    for kind, key, value in db.execute("SELECT kind, key, value FROM kv").fetchall():
        db.execute("UPDATE kv SET mac = ? WHERE kind = ? AND key = ?", (mac(f"kv{kind}", key, value.encode()), kind, key))
    db.commit()
    db.close()


def _swap_wording(db):
    pool = _KIND["pool"]
    found = db.execute("SELECT key, value FROM kv WHERE key LIKE 'name%' AND kind = ?", (pool,)).fetchall()
    assert any("村委会个数" in value for _, value in found)
    for key, value in found:
        db.execute("UPDATE kv SET value = ? WHERE kind = ? AND key = ?", (value.replace("村委会个数", "伪造的措辞"), pool, key))


def _blake(secret):
    def mac(place, key, value):  # mac.prefix: the state key, set by the caller
        h = hashlib.blake2b(key=secret, digest_size=16) if secret else hashlib.blake2b(digest_size=16)
        h.update(mac.prefix + place.encode() + b"\0" + key.encode() + b"\0")
        h.update(value)
        return h.digest()

    return mac


def _state_key(path):
    db = sqlite3.connect(path)
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
    db.close()
    return json.loads(value).encode() + b"\0"


@pytest.mark.parametrize("secret", [None, b"x" * 32], ids=["unkeyed-blake2", "other-key"])
def test_a_forged_cache_is_rebuilt_and_its_wording_never_shown(corpus, secret):
    expected = _texts(load_engine(corpus))
    assert "村委会个数" in expected
    path = _engine_cache()
    mac = _blake(secret)
    mac.prefix = _state_key(path)
    _resign(path, mac, _swap_wording)
    again = load_engine(corpus)
    assert _texts(again) == expected and "伪造的措辞" not in _texts(again)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(f"UPDATE kv SET value = '{{\"texts\": [1, 2, 3]}}' WHERE kind = {_KIND['pool']}", id="ints-for-texts"),
        pytest.param(f"UPDATE kv SET value = '\"高\"' WHERE kind = {_KIND['idf']}", id="text-for-number"),
        pytest.param(f"UPDATE kv SET value = 'null' WHERE kind = {_KIND['level2_of_name']}", id="null-row"),
        pytest.param(f"UPDATE kv SET value = '[[\"x\", 1, 2]]' WHERE kind = {_KIND['value_stats']}", id="rows-for-columns"),
        pytest.param(f"UPDATE kv SET value = '[[1, 2.0]]' WHERE kind = {_KIND['postings']}", id="posting-rows-for-columns"),
        pytest.param(f"UPDATE kv SET value = '{{\"t\": [1, 2], \"w\": [\"x\", 1.0]}}' WHERE kind = {_KIND['postings']}", id="text-weight"),
        pytest.param(f"UPDATE kv SET value = '{{\"v\": [\"x\"], \"c\": [1], \"t\": [2], \"x\": [3]}}' WHERE kind = {_KIND['value_stats']}", id="extra-column"),
        pytest.param(f"UPDATE kv SET value = '{{\"v\": [\"x\", \"y\"], \"c\": [1], \"t\": [2]}}' WHERE kind = {_KIND['value_stats']}", id="short-column"),
        pytest.param(f"UPDATE kv SET value = '{{\"v\": [1], \"c\": [true], \"t\": [2.5]}}' WHERE kind = {_KIND['level2_values']}", id="wrong-types"),
        pytest.param(f"UPDATE kv SET value = 'NaN' WHERE kind = {_KIND['idf']}", id="nan"),
        pytest.param("UPDATE arrays SET value = x'0100000000000000' WHERE key = 'col:names'", id="short-name-column"),
        pytest.param("UPDATE arrays SET value = substr(value, 1, length(value) - 3) WHERE key LIKE 'col:%'", id="cut-columns"),
        pytest.param("UPDATE arrays SET value = CAST(x'ffffffff' || value AS BLOB) WHERE key = 'col:words'", id="bad-vocabulary-size"),
    ],
)
def test_a_cache_with_the_right_key_but_wrong_types_is_never_a_crash_and_rebuilt(corpus, change):
    expected = _texts(load_engine(corpus))
    path = _engine_cache()
    # Signed with the user's own key, as a bug or an older build could have written it: the shape checks stop it.
    mac = _blake((user_cache_dir() / "cache.key").read_bytes())
    mac.prefix = _state_key(path)
    _resign(path, mac, lambda db: db.execute(change))
    engine = load_engine(corpus)
    for query in ("cwh", "", "满意"):
        engine.suggest(query, project="2025年村委会办公经费", level2="数量指标", k=5)
        engine.suggest("", field="value", name="村委会个数", project="2025年村委会办公经费", k=5)
    assert _texts(load_engine(corpus)) == expected  # the next start never trusts what this one found wrong


def test_a_cache_copied_from_another_user_is_rebuilt(corpus, tmp_path):
    expected = _texts(load_engine(corpus))
    path = _engine_cache()
    (user_cache_dir() / "cache.key").write_bytes(b"y" * 32)  # as if the database came with another user's key
    assert _texts(load_engine(corpus)) == expected
    assert _engine_cache() == path


def test_no_write_changes_the_process_umask(tmp_path, monkeypatch):
    def forbidden(_mask):
        raise AssertionError("os.umask called: another thread could create a 0666 file meanwhile")

    errors = []

    def writer(n):
        try:
            safefile.write_text_atomic(tmp_path / f"t{n}.toml", "x")
            safefile.write_private_atomic(tmp_path / f"p{n}.bin", b"x")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    monkeypatch.setattr(os, "umask", forbidden)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@posix_only
def test_new_files_get_the_umask_modes_and_replaced_ones_keep_theirs(tmp_path):
    current = os.umask(0o027)
    try:
        safefile.write_text_atomic(tmp_path / "new.toml", "x")
        assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o640
        (tmp_path / "new.toml").chmod(0o604)
        safefile.write_text_atomic(tmp_path / "new.toml", "y")
        assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o604
    finally:
        os.umask(current)
