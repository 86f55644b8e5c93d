"""A small on-disk cache for derived data (the suggestion engine's state), in the user cache folder.

The payload is marshalled (fast to read back: no per-object Python work as with JSON) behind a header
with a format tag, the caller's key and a BLAKE2 checksum, so a stale, truncated or damaged file is
detected before it is read and simply rebuilt. marshal only stores plain data and never runs code.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from .paths import user_cache_dir
from .safefile import read_bytes, write_bytes_atomic

MAX_CACHE_BYTES = 1 << 30  # far above any corpus index; a runaway file is treated as damaged

_MAGIC = b"JXC1"


def cache_path(name: str) -> Path:
    return user_cache_dir() / name


def _digest(key: object, payload: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(marshal.dumps(key))
    h.update(payload)
    return h.digest()


def load(name: str, key: object) -> object | None:
    """The cached object for this key, or None when missing, stale or damaged."""
    try:
        data = read_bytes(cache_path(name), MAX_CACHE_BYTES)
    except (OSError, ValueError):
        return None
    if len(data) < 20 or not data.startswith(_MAGIC):
        return None
    digest, payload = data[4:20], data[20:]
    if _digest(key, payload) != digest:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def save(name: str, key: object, obj: object) -> None:
    """Store an object of plain data (dict, list, tuple, str, int, float, bool, None); errors are ignored."""
    try:
        payload = marshal.dumps(obj)
        write_bytes_atomic(cache_path(name), _MAGIC + _digest(key, payload) + payload)
    except (OSError, ValueError):
        pass  # without a cache the next start is slower, not wrong
