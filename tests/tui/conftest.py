"""Fixtures for the app tests: the app over a real engine of the 14 seed tables other than 表5 (tests/conftest.py)."""

from __future__ import annotations

import pytest

from assistant.dialogue import Dialogue
from assistant.tui.app import JixiaoApp


@pytest.fixture
def make_app(tmp_path, engine14, others):
    def make(dialogue: Dialogue | None = None, *, resume=None, load_engine=None) -> JixiaoApp:
        d = dialogue or Dialogue(corpus_tables=others, cwd=tmp_path)
        loader = load_engine or (lambda: (engine14, []))
        return JixiaoApp(d, load_engine=loader, resume=resume, draft_path=tmp_path / "draft.json")

    return make


async def settle(pilot) -> None:
    """Let workers (engine load, suggestions) finish and their messages arrive."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
