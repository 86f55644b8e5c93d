"""Loading the engine: the stored state when nothing changed, else derived again from the per-file index.

A start walks and stats the corpus files (no parsing). When every file, the library and the bundled support
files are as the stored state was made from, the state is opened where it lies (suggest/store.py: constant
time, a few megabytes). Otherwise only added and changed files are parsed (index_store.py), the state is
derived from the stored records and written again, unless only a few files changed since the stored state
was made: then it is opened with an overlay of those files (suggest/overlay.py), and derived again whole at
the first start when more have changed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from ..corpus import knowledge_dirs, project_paths
from ..index import stat_key
from ..index_store import IndexStore, StoreError, build_delta, build_stored, store_path
from ..paths import bundled_knowledge, bundled_library, user_cache_dir
from . import store
from .build import build_state
from .engine import Engine
from .overlay import OverlayState, changes, within_share
from .state import FORMAT
from .store import open_any, open_state

# Bundled files the state is derived from besides the corpus: a change to any rebuilds the cache.
_SUPPORT = ("framework.toml", "subjects.toml")


def _library():
    """The bundled library; a broken library file is a warning, not a failure (suggestions still work)."""
    from ..library import load_library
    from ..tomlio import TableFileError

    try:
        return load_library(bundled_library()), []
    except TableFileError as exc:
        return None, [f"{exc}（指标库未加载）"]


def _collect_rarely() -> None:
    """Full garbage collections at most a tenth as often as Python's default. The engine keeps what it reads (a
    province's corpus: a million table numbers in the sets it remembers, which every full collection walks, 30-80 ms
    each) and makes no reference cycles: with the default, a batch of 2,000 queries paid for a dozen of them."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, max(full, 100))


def load_engine(knowledge: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Engine:
    """The engine over the corpus (SPEC section 2: --knowledge DIR, or bundled + user folders) and the library.

    Stored in the user cache folder, keyed by every corpus and library file's path, size and modification
    time (and the bundled framework and subject files): a warm start opens one database and reads its header.
    A start with a few corpus files changed since opens it with an overlay of them (overlay.py).
    """
    _collect_rarely()
    dirs = knowledge_dirs(knowledge)
    paths = project_paths(dirs)  # strings: a warm start only stats them
    support = [bundled_knowledge() / name for name in _SUPPORT]
    library_files = sorted(bundled_library().glob("*.toml")) if bundled_library().is_dir() else []
    files = stat_key(paths)
    rest = [FORMAT, [str(d) for d in dirs], stat_key(support), stat_key(library_files)]
    digest = hashlib.sha256(json.dumps([*rest[:2], files, *rest[2:]]).encode()).hexdigest()
    support_key = hashlib.sha256(json.dumps(rest).encode()).hexdigest()  # all but the corpus files
    path = user_cache_dir() / ("engine-" + hashlib.sha256("\n".join(str(d.resolve()) for d in dirs).encode()).hexdigest()[:16] + ".sqlite")
    if use_cache:
        stored = open_state(path, digest)
        if stored is not None:
            return Engine(stored)  # type: ignore[arg-type]  # EngineState's interface, read from disk
        overlay = _overlay(path, support_key, files, dirs)
        if overlay is not None:
            return Engine(overlay)  # type: ignore[arg-type]  # EngineState's interface
    with _collector_paused():
        index = _index(dirs, paths, use_cache)
        if knowledge and not Path(knowledge).is_dir():
            index.warnings.insert(0, f"{knowledge}: 语料文件夹不存在。")
        library, problems = _library()
        index.warnings.extend(problems)
        state = build_state(index, library)
        del index  # the rows, texts and tokens: freed before the state is written (peak memory of a cold build)
        saved = use_cache and store.save(path, digest, state, files, support_key)
    if saved:
        stored = open_state(path, digest)
        if stored is not None:
            return Engine(stored)  # type: ignore[arg-type]  # as a warm start reads it: the memory is freed
    return Engine(state)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a cold build. A build makes millions of objects and keeps most
    of them to the end (records, rows, the state), none in reference cycles; each of the collector's full
    passes walks every one, which at 1,000,000 rows cost a third of the build. Process-wide while it runs (a
    parsing pool forked meanwhile inherits it: its workers are short-lived)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _overlay(path: Path, support_key: str, files: list, dirs: list[Path]) -> OverlayState | None:
    """The stored state with the files changed since it was made overlaid, when they are few (overlay.py);
    None when there is no stored state of these folders, library and bundled files, or too much changed."""
    base = open_any(path)
    if base is None:
        return None
    stored = base.files() if base.support == support_key else None
    fresh, removed, dead = changes(stored, files) if stored is not None else ([], [], set())
    if stored is None or not within_share(len(fresh) + len(removed), len(stored)):
        base.close()
        return None
    try:
        index_store: IndexStore | None = IndexStore.open(store_path(dirs))
    except StoreError:
        index_store = None
    try:
        index = build_delta(fresh, removed, index_store, base.domain_words)
    finally:
        if index_store is not None:
            index_store.close()
    return OverlayState(base, index, dead, [*fresh, *removed])


def _index(dirs: list[Path], paths: list[str], use_store: bool):
    """The corpus index, parsing only files the on-disk store does not hold as they are (index_store)."""
    store = None
    if use_store:
        try:
            store = IndexStore.open(store_path(dirs))
        except StoreError:
            store = None  # an unwritable cache folder: every file is read, as without a store
    try:
        return build_stored(paths, store)
    finally:
        if store is not None:
            store.close()
