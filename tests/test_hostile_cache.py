"""Issue 16, case 2: the engine cache and jixiao's own files cannot be turned against the user.

A symlink planted where a cache or draft goes is replaced, never written through; a cache forged or copied in
(unkeyed checksum, another user's key, wrong types) is rebuilt, never trusted and never a crash; no write changes
the process umask (a thread writing meanwhile would get a 0666 file).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import threading

import pytest

from assistant import cache, safefile
from assistant.paths import user_cache_dir
from assistant.suggest import load_engine

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and modes as on POSIX")


def _engine_cache():
    (path,) = sorted(user_cache_dir().glob("engine-*.bin"))
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


def _forge(path, mutate, mac):
    """Rewrite the cache with a changed state and a checksum computed by `mac(key_bytes, payload)`."""
    data = path.read_bytes()
    state = marshal.loads(data[4 + 32 :])
    mutate(state)
    payload = marshal.dumps(state)
    path.write_bytes(data[:4] + mac(payload) + payload)


def _swap_wording(state):
    pool = state["pools"]["name"]
    pool["texts"] = ["伪造的措辞" if t == "村委会个数" else t for t in pool["texts"]]


@pytest.mark.parametrize(
    "mac",
    [
        pytest.param(lambda payload: hashlib.blake2b(payload, digest_size=32).digest(), id="unkeyed-blake2"),
        pytest.param(lambda payload: hashlib.blake2b(payload, key=b"x" * 32, digest_size=32).digest(), id="other-key"),
    ],
)
def test_a_forged_cache_is_rebuilt_and_its_wording_never_shown(corpus, mac):
    expected = _texts(load_engine(corpus))
    assert "村委会个数" in expected
    _forge(_engine_cache(), _swap_wording, mac)
    again = load_engine(corpus)
    assert _texts(again) == expected and "伪造的措辞" not in _texts(again)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda s: s["pools"]["name"].__setitem__("texts", [1, 2, 3]), id="ints-for-texts"),
        pytest.param(lambda s: s.__setitem__("idf", {"村": "高"}), id="text-for-number"),
        pytest.param(lambda s: s.__setitem__("tables", None), id="null-list"),
        pytest.param(lambda s: s["pools"]["name"].__setitem__("extra", 1), id="extra-key"),
        pytest.param(lambda s: s.__setitem__("idf", {"村": float("nan")}), id="nan"),
    ],
)
def test_a_cache_with_the_right_key_but_wrong_types_is_rebuilt_not_a_crash(corpus, mutate):
    expected = _texts(load_engine(corpus))
    path = _engine_cache()
    # Signed with the user's own key, as a bug or an older build could have written it: the schema stops it.
    secret = (user_cache_dir() / "cache.key").read_bytes()
    data = path.read_bytes()
    state = marshal.loads(data[4 + 32 :])
    mutate(state)
    import assistant.suggest.loader as loader

    key = _loader_key(corpus, loader)
    payload = marshal.dumps(state)
    path.write_bytes(b"JXC2" + cache._mac(secret, key, payload) + payload)
    assert cache.load(path.name, key) is not None  # the MAC passes: only the schema can catch it
    assert _texts(load_engine(corpus)) == expected


def _loader_key(corpus, loader):
    """The key load_engine uses, recovered by recording its cache.load call."""
    seen = {}
    real = cache.load

    def spy(name, key, validate=None):
        seen["key"] = key
        return real(name, key, validate)

    cache.load = spy
    try:
        loader.load_engine(corpus)
    finally:
        cache.load = real
    return seen["key"]


def test_a_cache_of_the_old_unkeyed_format_is_rebuilt(corpus):
    expected = _texts(load_engine(corpus))
    path = _engine_cache()
    payload = path.read_bytes()[4 + 32 :]
    path.write_bytes(b"JXC1" + hashlib.blake2b(payload, digest_size=16).digest() + payload)
    assert _texts(load_engine(corpus)) == expected


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
