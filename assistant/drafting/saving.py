"""Performs a SaveRequest for the screen: the project file, then its copy in the user's corpus."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..paths import user_knowledge_dir
from ..safefile import os_reason
from ..tomlio import write, write_new
from .copy import copy
from .outcome import SaveRequest


@dataclass(frozen=True)
class SaveResult:
    target: Path
    problem: str = ""  # "" written, "exists" (not overwritten), "folder", or why it failed (Chinese)
    copy_path: Path | None = None


def perform(request: SaveRequest) -> SaveResult:
    """Never overwrites unless the request says the user confirmed it."""
    target, table = request.target, request.table
    try:
        if os.path.isdir(target):
            return SaveResult(target, "folder")
        if request.overwrite:
            write(target, table)
        elif write_new(target, table) == "exists":
            return SaveResult(target, "exists")
        copy_path = user_knowledge_dir() / target.name
        write(copy_path, table)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        return SaveResult(target, os_reason(exc) if isinstance(exc, OSError) else copy().say("bad_file_name"))
    return SaveResult(target, "", copy_path)
