"""Issue 16, cases 3 and 4 in the app: a damaged draft is set aside and the app starts; declining a draft (Esc)
and answering never destroys it; a saved table's draft is archived, not offered back as unfinished."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from assistant.tui.widgets.transcript import Transcript

from ..conftest import DATA
from .conftest import draft_files, settle

GOLDEN = DATA / "draft_v1_golden_from_dialogue.json"


def _bubbles(app) -> list[str]:
    return [str(b.render()) for b in app.query_one(Transcript).children]


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_damaged_draft_is_set_aside_and_the_app_starts(make_app, tmp_path):
    (tmp_path / "draft.json").write_text('{"table": null}', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "项目名称是什么？" in _bubbles(app)[0]  # no resume dialog: nothing usable to offer
        assert any("无法使用" in t and "damaged" in t for t in _toasts(app))
    assert len(list((tmp_path / "drafts" / "damaged").glob("*.json"))) == 1


async def test_esc_on_the_resume_dialog_then_answering_keeps_the_old_draft(make_app, tmp_path):
    (tmp_path / "draft.json").write_text(GOLDEN.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # a new draft
        await settle(pilot)
        await pilot.press(*"2026年新项目", "enter")
        await settle(pilot)
    names = sorted(json.loads(p.read_text(encoding="utf-8"))["table"]["project"]["name"] for p in draft_files(tmp_path))
    assert names == ["2025年村干部任职补贴", "2026年新项目"]
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        offered = again.screen.query_one("#drafts", OptionList)
        labels = [str(offered.get_option_at_index(n).prompt) for n in range(offered.option_count)]
        assert len(labels) == 2 and any("2025年村干部任职补贴" in label for label in labels)
        await pilot.press("down", "enter")  # the older one, the golden draft, second on the list
        await settle(pilot)
        assert again.draft.table.project.name == "2025年村干部任职补贴"


async def test_a_saved_tables_draft_is_archived(make_app, table5, tmp_path):
    app = make_app(table5)  # `jixiao FILE.toml`: the review first
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")  # checked again: an answer, so the draft is autosaved
        await settle(pilot)
        assert len(draft_files(tmp_path)) == 1
        await pilot.press("enter")  # the review's Enter saves to the path it shows
        await settle(pilot)
        assert app.draft.saved_to
    assert draft_files(tmp_path) == []
    assert len(list((tmp_path / "drafts" / "saved").glob("*.json"))) == 1
    fresh = make_app()
    async with fresh.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "项目名称是什么？" in _bubbles(fresh)[0] and fresh.screen is fresh.dialogue_screen
