"""Fixtures for the app tests: a real engine over the 14 seed tables other than 表5, built once."""

from __future__ import annotations

import pytest

from assistant.corpus import load_corpus
from assistant.dialogue import Dialogue
from assistant.index import build_from_entries
from assistant.paths import bundled_knowledge
from assistant.suggest import Engine
from assistant.tui.app import JixiaoApp


@pytest.fixture(scope="session")
def entries():
    return load_corpus(bundled_knowledge()).entries


@pytest.fixture(scope="session")
def table5(entries):
    return next(e.table for e in entries if e.table.source.table == 5)


@pytest.fixture(scope="session")
def others(entries):
    return [e.table for e in entries if e.table.source.table != 5]


@pytest.fixture(scope="session")
def engine14(entries):
    return Engine.build(build_from_entries([e for e in entries if e.table.source.table != 5]))


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
