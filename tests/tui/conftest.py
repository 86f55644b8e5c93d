"""Fixtures for the app tests: the app over a real engine of the 14 seed tables other than 表5 (tests/conftest.py)."""

from __future__ import annotations

import pytest

from assistant.drafting import Draft, Workspace
from assistant.tui.app import JixiaoApp


@pytest.fixture
def workspace14(engine14, others) -> Workspace:
    """What the production loader hands over, built from the 14 seed tables other than 表5 (no jieba load)."""
    return Workspace(engine=engine14, corpus_tables=tuple(others))


@pytest.fixture
def make_app(tmp_path, workspace14):
    """The app as build_app wires it (a draft, a workspace loader run in a worker, the draft file), over workspace14."""

    def make(draft: Draft | None = None, *, resume=None, load_workspace=None) -> JixiaoApp:
        d = draft or Draft(cwd=tmp_path)
        loader = load_workspace or (lambda: workspace14)
        return JixiaoApp(d, load_workspace=loader, resume=resume, draft_path=tmp_path / "draft.json")

    return make


async def settle(pilot) -> None:
    """Let workers (engine load, suggestions) finish and their messages arrive."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
