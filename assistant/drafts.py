"""The autosaved draft: the dialogue's state after every answer, so nothing typed is lost.

One draft at a time, as JSON in the user data folder, written atomically (a kill mid-write leaves the
previous draft whole). A damaged draft is set aside (renamed, never deleted) and reported, not fatal.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .paths import user_data_dir
from .safefile import read_bytes, write_text_atomic

MAX_DRAFT_BYTES = 16 << 20  # a draft is a few KB; anything this large is not one of ours


def draft_path() -> Path:
    return user_data_dir() / "draft.json"


def save(state: dict, path: Path | None = None) -> Path:
    target = path or draft_path()
    write_text_atomic(target, json.dumps(state, ensure_ascii=False, indent=1))
    return target


def load(path: Path | None = None) -> tuple[dict | None, str]:
    """(state, message): the saved draft, or None with a Chinese message when there is none or it is damaged."""
    source = path or draft_path()
    try:
        state = json.loads(read_bytes(source, MAX_DRAFT_BYTES).decode("utf-8"))
        if not isinstance(state, dict) or "table" not in state:
            raise ValueError("not a draft")
        return state, ""
    except FileNotFoundError:
        return None, ""
    except (OSError, ValueError, UnicodeDecodeError):
        kept = source.with_name(f"draft-damaged-{time.strftime('%Y%m%d-%H%M%S')}.json")
        try:
            os.replace(source, kept)
        except OSError:
            return None, f"草稿文件 {source} 已损坏，无法读取。"
        return None, f"草稿文件已损坏，已另存为 {kept}，本次从头开始。"


def discard(path: Path | None = None) -> None:
    try:
        (path or draft_path()).unlink()
    except FileNotFoundError:
        pass
