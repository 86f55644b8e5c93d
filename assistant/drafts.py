"""Autosaved drafts: the dialogue's state after every answer, one file per draft, so nothing typed is lost.

Layout in the user data folder (`drafts/`):
  `<id>.json`          a draft in progress (written atomically, never through a symlink, 0600)
  `<id>.lock`          held (an OS lock, released when the process dies) by the window editing that draft
  `saved/<id>.json`    a draft whose table was saved: kept, but not offered back as unfinished
  `damaged/…json`      a draft that could not be read, set aside (never deleted) and reported
The single `draft.json` of earlier versions is taken in as one draft on the first start.

Two windows never write one draft: each opens a draft under its lock, and a draft locked by another window
is not offered. Declining a draft at start only means "start a new one": the old one stays on the list.
Everything read back is checked against a schema (`DraftState`) before it is used.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .model import Table
from .paths import user_data_dir
from .safefile import os_reason, read_private, write_private_atomic
from .schema import SchemaError, check

MAX_DRAFT_BYTES = 16 << 20  # a draft is a few KB; anything this large is not one of ours
_MAX_TEXT = 200_000  # characters in one field of a draft
_MAX_ITEMS = 20_000  # rows, steps …
VERSION = 1
_TABLE_PARTS = ("project", "funding", "indicators")


@dataclass
class Typed:
    """What was typed at a step but not yet answered (kept when the window is closed or killed by a signal)."""

    step: str
    text: str


@dataclass
class DraftState:
    """The shape of a draft file (Session.to_state, version 1); only used to check a file before it is read."""

    version: int
    table: Table
    prior: Table | None = None
    key: str = "project.name"
    history: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    template: str = ""
    saved_to: str = ""
    typed: Typed | None = None


class DraftError(ValueError):
    """A draft file that cannot be used; the message is Chinese."""


def validate(state: object) -> dict:
    """The state if it is a draft this version can resume; DraftError (Chinese) otherwise."""
    try:
        check(state, DraftState, max_text=_MAX_TEXT, max_items=_MAX_ITEMS)
    except SchemaError as exc:
        raise DraftError(f"{exc.where or '草稿'}：{exc.problem}") from None
    assert isinstance(state, dict)
    if state["version"] != VERSION:
        raise DraftError(f"草稿格式版本 {state['version']} 不是本版本能读的（{VERSION}）")
    for part in ("table", "prior"):
        table = state.get(part)
        missing = [k for k in _TABLE_PARTS if table is not None and k not in table]
        if missing:  # every draft this version writes has them
            raise DraftError(f"{part}.{missing[0]}：缺少这一项")
    return state


def parse(data: bytes) -> dict:
    """A draft file's bytes to its checked state; DraftError for anything else (bad JSON, deep nesting …)."""
    try:
        state = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DraftError("不是 UTF-8 编码的文本") from None
    except RecursionError:
        raise DraftError("嵌套层数太多，不是草稿文件") from None
    except ValueError as exc:
        raise DraftError(f"不是有效的 JSON（{exc}）") from None
    return validate(state)


# ------------------------------------------------------------------------------------------ locks
class _Lock:
    """An exclusive, non-blocking OS lock on a small file; the OS drops it when the process ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> bool:
        """True when this process now holds the lock; False when another does; OSError when it cannot be made."""
        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                if sys.platform == "win32":
                    import msvcrt

                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                else:
                    import fcntl

                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            if sys.platform == "win32" or _same_inode(fd, self.path):
                self.fd = fd
                return True
            os.close(fd)  # the file was removed (a released lock) between open and lock: take the new one
        return False

    def release(self, remove: bool = False) -> None:
        if self.fd is None:
            return
        if remove:
            try:
                os.unlink(self.path)  # before closing: nobody can take a lock on a file about to go
            except OSError:
                pass
        os.close(self.fd)
        self.fd = None


def _same_inode(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


# ------------------------------------------------------------------------------------------ drafts
@dataclass(frozen=True)
class Listed:
    """A draft on disk that no other window has open: what the resume dialog shows."""

    id: str
    path: Path
    state: dict
    modified: float  # seconds since the epoch


class OpenDraft:
    """The draft this window writes: its lock is held until `close` (or the process ends)."""

    def __init__(self, store: Store, draft_id: str, lock: _Lock) -> None:
        self.store = store
        self.id = draft_id
        self._lock = lock

    @property
    def path(self) -> Path:
        return self.store.folder / f"{self.id}.json"

    def save(self, state: dict) -> Path:
        write_private_atomic(self.path, json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))
        return self.path

    def archive(self) -> Path | None:
        """The table was saved: keep the draft under saved/, off the list of unfinished drafts."""
        if not self.path.exists():
            return None
        target = self.store.folder / "saved" / f"{self.id}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, target)
        return target

    def close(self) -> None:
        """Release the lock (the lock file goes too when there is no draft left to protect)."""
        self._lock.release(remove=not self.path.exists())


class Store:
    def __init__(self, folder: Path | None = None, legacy: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self.legacy = legacy if legacy is not None else (user_data_dir() / "draft.json" if folder is None else None)

    def new(self) -> OpenDraft:
        """A new draft (no file until its first save), already locked for this window; OSError when the folder
        cannot be written."""
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            draft_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
            if not (self.folder / f"{draft_id}.json").exists():
                lock = _Lock(self.folder / f"{draft_id}.lock")
                if lock.acquire():
                    return OpenDraft(self, draft_id, lock)

    def open(self, draft_id: str) -> OpenDraft | None:
        """The draft under this window's lock; None when another window has it open. In a folder where no lock
        can be made (read-only) it opens unlocked: nothing can be written there, by this window or another."""
        lock = _Lock(self.folder / f"{draft_id}.lock")
        try:
            return OpenDraft(self, draft_id, lock) if lock.acquire() else None
        except OSError:
            return OpenDraft(self, draft_id, lock)

    def unfinished(self) -> tuple[list[Listed], list[str]]:
        """(drafts to offer, newest first; Chinese messages about drafts set aside or left out)."""
        messages = self._take_in_legacy()
        listed: list[Listed] = []
        busy = 0
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError:
            paths = []
        for path in paths:
            draft_id = path.stem
            lock = _Lock(self.folder / f"{draft_id}.lock")
            try:
                if not lock.acquire():
                    busy += 1  # open in another window: never offered here
                    continue
            except OSError:
                pass  # a read-only folder: the draft can still be read and offered (saving will say why not)
            try:
                modified = path.lstat().st_mtime
                state = parse(read_private(path, MAX_DRAFT_BYTES))
            except FileNotFoundError:
                continue
            except (OSError, DraftError) as exc:
                messages.append(self.set_aside(path, exc))
                continue
            finally:
                lock.release(remove=not path.exists())
            listed.append(Listed(draft_id, path, state, modified))
        self._clear_stale_locks()
        if busy:
            messages.append(f"另有 {busy} 份草稿正在其他窗口中编辑，本窗口不会改动它们。")
        listed.sort(key=lambda d: d.modified, reverse=True)
        return listed, messages

    def _clear_stale_locks(self) -> None:
        """Lock files of new drafts that a killed window never saved (no draft beside them, nobody holding them)."""
        try:
            locks = list(self.folder.glob("*.lock"))
        except OSError:
            return
        for path in locks:
            if (self.folder / f"{path.stem}.json").exists():
                continue
            lock = _Lock(path)
            try:
                if lock.acquire():
                    lock.release(remove=not (self.folder / f"{path.stem}.json").exists())
            except OSError:
                pass

    def set_aside(self, path: Path, exc: Exception) -> str:
        """Move a draft that cannot be used into damaged/ (never deleted); the Chinese message says where."""
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        kept = self.folder / "damaged" / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}.json"
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, kept)
        except OSError:
            return f"草稿文件 {path} 无法使用（{reason}），也无法移开；请手动处理。"
        return f"草稿文件 {path.name} 无法使用（{reason}），已移到 {kept}，原样保留。"

    def _take_in_legacy(self) -> list[str]:
        """The one draft.json of earlier versions becomes a draft of the folder (its content is checked later)."""
        if self.legacy is None or not os.path.lexists(self.legacy):
            return []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.legacy.lstat().st_mtime))
            os.replace(self.legacy, self.folder / f"{stamp}-legacy.json")
        except FileNotFoundError:
            return []  # another window took it in first
        except OSError as exc:
            return [f"旧草稿文件 {self.legacy} 无法移入草稿文件夹：{os_reason(exc)}"]
        return []


def default_folder() -> Path:
    return user_data_dir() / "drafts"
