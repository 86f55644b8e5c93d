"""A small on-disk cache for derived data (the suggestion engine's state), in the user cache folder.

The payload is marshalled (fast to read back: no per-object Python work as with JSON; marshal stores plain
data only and never runs code) behind a header with a format tag and a MAC over the caller's key and the
payload. The MAC is keyed with a random secret kept in the cache folder (0600), so a cache file copied in
from elsewhere or forged by hand does not pass: it is rebuilt, and text it holds is never shown as if it came
from a real table. The caller may also check the shape of what comes back (`validate`): a file that passes
the MAC but not the schema is rebuilt too. Files are written and read without following symlinks.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .paths import user_cache_dir
from .safefile import read_private, write_private_atomic

MAX_CACHE_BYTES = 1 << 30  # far above any corpus index; a runaway file is treated as damaged

_MAGIC = b"JXC2"
_MAC_SIZE = 32
_SECRET_FILE = "cache.key"
_SECRET_SIZE = 32

T = TypeVar("T")


def cache_path(name: str) -> Path:
    return user_cache_dir() / name


def secret() -> bytes:
    """This user's cache key: read from the cache folder, or made (random, 0600) when missing or malformed."""
    path = cache_path(_SECRET_FILE)
    try:
        data = read_private(path, 1024)
        if len(data) == _SECRET_SIZE:
            return data
    except OSError:
        pass
    data = secrets.token_bytes(_SECRET_SIZE)
    write_private_atomic(path, data)  # a new key: every cache made with the old one is rebuilt
    return data


def storable(text: object) -> bool:
    """Whether SQLite can keep the text: a file name that is not UTF-8 reads as a lone surrogate, which it cannot."""
    if not isinstance(text, str) or text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Signer:
    """A keyed BLAKE2 MAC per stored value, bound to a key (what the values were made from) and the value's
    place: a database copied in from elsewhere, forged, or a row moved to another place fails its check, and
    checking one value costs about a microsecond (a whole-file checksum would cost every start a full read)."""

    def __init__(self, secret: bytes, key: str):
        self.secret, self.prefix = secret, key.encode() + b"\0"
        self._places: dict[str, Any] = {}  # place -> the hash state after the key and the place: copied per value

    def __getstate__(self) -> dict:  # sent to a parsing pool's workers: the hash states are made again there
        return {"secret": self.secret, "prefix": self.prefix}

    def __setstate__(self, state: dict) -> None:
        self.secret, self.prefix, self._places = state["secret"], state["prefix"], {}

    def mac(self, place: str, key: str, value: bytes) -> bytes:
        base = self._places.get(place)
        if base is None:
            base = self._places[place] = hashlib.blake2b(key=self.secret, digest_size=16)
            base.update(self.prefix + place.encode() + b"\0")
        h = base.copy()  # a third of the cost of keying a new hash (a cold build signs a million values)
        h.update(key.encode("utf-8", "surrogatepass") + b"\0")
        h.update(value)
        return h.digest()

    def text(self, place: str, key: str, value: str) -> tuple[str, str, bytes]:
        return key, value, self.mac(place, key, value.encode("utf-8", "surrogatepass"))

    def blob(self, key: str, value: bytes) -> tuple[str, bytes, bytes]:
        return key, value, self.mac("arrays", key, value)

    def ok(self, place: str, key: str, value: str | bytes, mac: object) -> bool:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        return isinstance(mac, bytes) and hmac.compare_digest(self.mac(place, key, raw), mac)


def _mac(secret: bytes, key: object, payload: bytes) -> bytes:
    h = hashlib.blake2b(key=secret, digest_size=_MAC_SIZE)
    h.update(marshal.dumps(key))
    h.update(len(payload).to_bytes(8, "little"))
    h.update(payload)
    return h.digest()


def load(name: str, key: object, validate: Callable[[object], T] | None = None) -> T | object | None:
    """The cached object for this key, or None when missing, stale, damaged, forged or of the wrong shape.

    `validate` turns the plain data into what the caller uses and raises ValueError or TypeError on a shape
    it does not accept; its result is returned.
    """
    try:
        data = read_private(cache_path(name), MAX_CACHE_BYTES)
        user_secret = secret()
    except (OSError, ValueError):
        return None
    head = len(_MAGIC) + _MAC_SIZE
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    digest, payload = data[len(_MAGIC) : head], data[head:]
    if not hmac.compare_digest(_mac(user_secret, key, payload), digest):
        return None
    try:
        obj = marshal.loads(payload)
        return validate(obj) if validate is not None else obj
    except (ValueError, EOFError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def save(name: str, key: object, obj: object) -> None:
    """Store an object of plain data (dict, list, tuple, str, int, float, bool, None); errors are ignored."""
    try:
        payload = marshal.dumps(obj)
        write_private_atomic(cache_path(name), _MAGIC + _mac(secret(), key, payload) + payload)
    except (OSError, ValueError):
        pass  # without a cache the next start is slower, not wrong

