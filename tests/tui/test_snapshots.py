"""Snapshots of the key screens at 80x24, 120x40 and 200x50 (the preview takes half a wide screen) (pytest-textual-snapshot).

Update after an intended change with `uv run pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest

from assistant.drafting import Draft
from assistant.tui.widgets.answer_input import AnswerInput, GoalEditor

from .conftest import settle

@pytest.fixture(autouse=True, scope="module")
def _tagger_loaded():
    """Wording from the goal needs jieba's tagger, which loads in the background: load it first, so a snapshot
    does not depend on whether an earlier test happened to load it."""
    from assistant import goalwords

    goalwords._posseg()


SIZES = [(80, 24), (120, 40), (200, 50)]
IDS = ["80x24", "120x40", "200x50"]
HEADER = ["2024年村干部任职补贴", "", "平罗县头闸镇人民政府", "049", "", "", "", "184.032", "0"]  # a new user types the unit
GOAL = "及时保障和落实村干部任职补贴，提高村干部工作积极性。"


async def _steady(pilot) -> None:
    for widget in (pilot.app.screen.query_one(AnswerInput), pilot.app.screen.query_one(GoalEditor)):
        widget.cursor_blink = False
    await settle(pilot)
    await _at_end(pilot)


async def _at_end(pilot) -> None:
    """Bubbles re-break their lines when a scrollbar narrows them: let that settle, then sit at the end."""
    await pilot.pause(0.1)
    transcript = pilot.app.screen.query_one("#transcript")
    for bubble in transcript.children:
        bubble.refresh(layout=True)
    await pilot.pause(0.1)
    transcript.scroll_end(animate=False, immediate=True)
    await pilot.pause()


async def _answer(pilot, text: str) -> None:
    await pilot.press(*text) if text else None
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_first_question(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_indicator_step_with_suggestions(snap_compare, make_app, size):
    async def run_before(pilot):
        await _steady(pilot)
        for text in HEADER:
            await _answer(pilot, text)
        pilot.app.screen.query_one(GoalEditor).text = GOAL
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"保障")
        await settle(pilot)
        await _at_end(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_review_with_findings(snap_compare, make_app, table5, others, tmp_path, size):
    table = Draft.from_table(table5).table
    table.indicators[0].value = "很多"
    table.indicators[-1].value = "≥80%"
    app = make_app(table)
    assert snap_compare(app, terminal_size=size, run_before=_steady)
