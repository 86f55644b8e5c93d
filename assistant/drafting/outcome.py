"""What an answer or a command did: accepted or not, a message, and any file the screen should write or read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Table


@dataclass(frozen=True)
class SaveRequest:
    """Write `table` to `target` (and a copy into the user's corpus); the screen performs it, not the core."""

    target: Path
    table: Table
    overwrite: bool = False  # the user confirmed replacing an existing file


@dataclass(frozen=True)
class OpenRequest:
    """Read the reference table the user named at the template step; the screen performs it."""

    path: Path


Request = SaveRequest | OpenRequest


@dataclass
class Outcome:
    ok: bool
    message: str = ""
    severity: str = ""  # "error" keeps the question; "warning" asks to confirm; "" / "info" moves on
    request: Request | None = None  # the draft waits for its result (Draft.finish)
