"""Odd keystrokes never break the app: a seeded random key storm, then the dialogue still works."""

from __future__ import annotations

import random

import pytest

from assistant.tui.screens.dialogue import DialogueScreen

from .conftest import settle

KEYS = [
    *"村委会干部2024年12月底≥95%60人abcxyz ", "enter", "enter", "enter", "escape", "tab", "up", "down",
    "backspace", "left", "right", "home", "end", "f1", "f2", "f3", "f4", "f6", "f7", "f8", "ctrl+j",
    "ctrl+s", "ctrl+p", "1", "2", "9", "0", "alt+1", "alt+3", "ctrl+u", "ctrl+k", "delete", "[", "]", "/",
]  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keys_never_crash(make_app, seed):
    rng = random.Random(seed)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(150):
            await pilot.press(rng.choice(KEYS))
        await settle(pilot)
        # Close whatever modal the storm left open, then the dialogue must still answer.
        while not isinstance(app.screen, DialogueScreen):
            await pilot.press("escape")
            await pilot.pause()
        d = app.dialogue_screen.draft
        assert d.question().prompt  # a valid step
        state = d.to_state()
        assert state["key"] == d.key
