"""Issue 16, case 1: text from a shared corpus or a draft never reaches the terminal as escapes.

Every field the app shows gets OSC (retitle), CSI (leave the alternate screen, colours), C1 and bidi controls;
after each step the whole screen as the terminal would receive it (every segment of every strip the compositor
renders, toasts and modals included) holds none of them, while their visible form (\\x1b …) is there.
"""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType

import pytest

from assistant.corpus import Entry
from assistant.drafting import Draft, Workspace
from assistant.index import build_from_entries
from assistant.safetext import printable
from assistant.suggest import Engine
from assistant.tui.app import build_app
from assistant.tui.widgets.answer_input import AnswerInput

from .conftest import settle

EVIL = "\x1b]2;pwned\x07\x1b[?1049l\x9b31m\u202e\x1b[?1000h\x00"
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\x00")


def _evil_table(table):
    p = table.project
    project = replace(
        p, name=p.name + EVIL, department=p.department + EVIL, implementing_unit=p.implementing_unit + EVIL, goal=p.goal + EVIL
    )
    rows = [replace(i, name=i.name + EVIL, value=i.value + EVIL) for i in table.indicators]
    return replace(table, project=project, indicators=rows)


@pytest.fixture(scope="module")
def evil_workspace(entries):
    mine = [Entry(e.path, _evil_table(e.table)) for e in entries if e.table.source.table != 5]
    engine = Engine.build(build_from_entries(mine))
    return Workspace(
        engine=engine,
        corpus_tables=tuple(e.table for e in mine),
        warnings=(f"坏文件{EVIL}.toml：无法读取（已跳过）",),
        by_path=MappingProxyType({str(e.path): e.table for e in mine}),
    )


def screen_text(app) -> str:
    """Everything the compositor would send for the current screen, as the text of its segments."""
    update = app.screen._compositor.render_update(full=True)
    return "".join(segment.text for line in update.strips for strip in line for segment in strip)


def assert_clean(app) -> str:
    text = screen_text(app)
    for ch in UNSAFE:
        assert ch not in text, (repr(ch), _where(app, ch))
    return text


async def test_no_escape_from_any_field_reaches_the_terminal(evil_workspace, table5, tmp_path):
    # A draft whose name holds the escapes: the resume dialog lists it.
    draft = Draft.from_table(_evil_table(table5))
    (tmp_path / "draft.json").write_text(json.dumps(draft.to_state(), ensure_ascii=False), encoding="utf-8")
    app = build_app(None, draft_path=tmp_path / "draft.json", cwd=tmp_path, load_workspace=lambda: evil_workspace)
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        seen = assert_clean(app)  # the resume dialog, and the corpus warning toast
        assert printable(EVIL)[:12] in seen
        await pilot.press("escape")  # a new draft (the old one stays)
        await settle(pilot)
        assert_clean(app)
        await pilot.press(*"2024")
        await settle(pilot)
        assert "\\x1b" in assert_clean(app)  # suggestion options show the escapes visibly
        await pilot.press("tab")  # the suggestion into the answer line
        await settle(pilot)
        assert "\\x1b" in app.query_one(AnswerInput).value
        assert_clean(app)
        await pilot.press("enter")  # answered: a transcript bubble and the preview
        await settle(pilot)
        assert "\\x1b" in assert_clean(app)
        for _ in range(2):  # 年度, then 主管部门 whose default comes from the corpus (the placeholder)
            await pilot.press("enter")
            await settle(pilot)
            assert_clean(app)
        await pilot.press("f1")  # help
        await settle(pilot)
        assert_clean(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p")  # the palette's step labels hold the answers
        await settle(pilot)
        await pilot.press(*"项目名称")
        await settle(pilot)
        assert "\\x1b" in assert_clean(app)
        await pilot.press("escape")
        await settle(pilot)
        app.notify(f"来自文件的消息{EVIL}", title=f"标题{EVIL}")  # any notification, whatever its source
        await settle(pilot)
        assert_clean(app)


def _where(app, ch):
    text = screen_text(app)
    i = text.index(ch)
    return text[max(0, i - 80): i + 40]


async def test_pasted_text_shows_its_escapes(make_app):
    from textual import events

    from assistant.tui.widgets.answer_input import GoalEditor

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.post_message(events.Paste(f"粘贴{EVIL}"))  # as the terminal driver delivers a paste: to the focus
        await settle(pilot)
        assert app.query_one(AnswerInput).value == "粘贴" + printable(EVIL)
        assert_clean(app)
        editor = app.query_one(GoalEditor)
        editor.display = True
        editor.focus()
        await pilot.pause()
        app.post_message(events.Paste(f"第一行{EVIL}\n第二行"))
        await settle(pilot)
        assert editor.text == f"第一行{printable(EVIL)}\n第二行"
