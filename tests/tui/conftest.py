"""Fixtures for the app tests: the app over a real engine of the 14 seed tables other than 表5 (tests/conftest.py)."""

from __future__ import annotations

import pytest

from assistant.model import Table
from assistant.tui.app import JixiaoApp, build_app


@pytest.fixture
def make_app(tmp_path, workspace14):
    """The app as `jixiao` builds it (build_app: a table opened, or the draft file offered back), over workspace14."""

    def make(table: Table | None = None, *, load_workspace=None) -> JixiaoApp:
        return build_app(
            None, table, draft_path=tmp_path / "draft.json", cwd=tmp_path, load_workspace=load_workspace or (lambda: workspace14)
        )

    return make


def draft_files(folder) -> list:
    """The drafts the app wrote beside `folder / "draft.json"` (one file per draft, in drafts/)."""
    return sorted((folder / "drafts").glob("*.json"))


def only_draft(folder) -> dict:
    import json

    (path,) = draft_files(folder)
    return json.loads(path.read_text(encoding="utf-8"))


async def settle(pilot) -> None:
    """Let workers (engine load, suggestions) finish and their messages arrive."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
