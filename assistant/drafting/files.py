"""Performs the file requests a draft returns (the screen calls this): writing the saved table, reading a reference."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..model import Table
from ..paths import user_knowledge_dir
from ..safefile import os_reason
from ..tomlio import TableFileError, load, write, write_new
from .copy import copy
from .outcome import OpenRequest, Request, SaveRequest


@dataclass(frozen=True)
class FileResult:
    request: Request
    problem: str = ""  # "" done; for a save also "exists" (not overwritten) or "folder"; else why it failed (Chinese)
    copy_path: Path | None = None  # where the corpus copy of a saved table went
    copy_problem: str = ""  # why the corpus copy failed (Chinese) although the table itself was saved
    table: Table | None = None  # the table an OpenRequest read


def perform(request: Request) -> FileResult:
    """Never overwrites unless the request says the user confirmed it; never raises for a bad file."""
    if isinstance(request, OpenRequest):
        try:
            return FileResult(request, table=load(request.path))
        except TableFileError as exc:
            return FileResult(request, str(exc))
    return _save(request)


def _save(request: SaveRequest) -> FileResult:
    target, table = request.target, request.table
    try:
        if os.path.isdir(target):
            return FileResult(request, "folder")
        if request.overwrite:
            write(target, table)
        elif write_new(target, table) == "exists":
            return FileResult(request, "exists")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        return FileResult(request, os_reason(exc) if isinstance(exc, OSError) else copy().say("bad_file_name"))
    copy_path = user_knowledge_dir() / target.name
    try:
        write(copy_path, table)
    except OSError as exc:  # the table is saved; only next year's suggestions miss it
        return FileResult(request, "", None, os_reason(exc))
    return FileResult(request, "", copy_path)
