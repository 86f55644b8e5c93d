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
    overwrite: bool = False  # the user chose "覆盖" (or it is the draft's own file): replace what is there
    # The copy into the user's corpus: None for none (a table with errors), True for a new file that replaces
    # nothing there, or the path of this draft's earlier copy (a re-save replaces its own copy only).
    corpus: Path | bool | None = True


@dataclass(frozen=True)
class OpenRequest:
    """Read the reference table the user named at the template step; the screen performs it."""

    path: Path


Request = SaveRequest | OpenRequest


@dataclass(frozen=True)
class Ask:
    """A choice only the user can make, in a dialog: "overwrite" (覆盖/另存为/取消) or "errors" (仍然保存/返回修改)."""

    kind: str
    target: Path


@dataclass
class Outcome:
    ok: bool
    message: str = ""
    severity: str = ""  # "error" keeps the question; "warning" asks to confirm; "" / "info" moves on
    request: Request | None = None  # the draft waits for its result (Draft.finish)
    ask: Ask | None = None  # the screen asks the user, then calls Draft.save with the choice
