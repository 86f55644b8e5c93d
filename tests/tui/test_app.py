"""The app driven by Pilot: keys in, dialogue state and saved files out (issue 6)."""

from __future__ import annotations

import threading

from textual import events

from assistant import tomlio
from assistant.drafting import REVIEW
from assistant.tui.screens.dialogue import DialogueScreen
from assistant.tui.widgets.answer_input import AnswerInput, GoalEditor
from assistant.tui.widgets.suggestions import SuggestionList
from assistant.tui.widgets.transcript import Transcript

from .conftest import draft_files, only_draft, settle, type_text

HEADER = ["2024年村干部任职补贴", "", "平罗县头闸镇人民政府", "049", "", "", "", "184.032"]  # a new user types the unit


def screen(app) -> DialogueScreen:
    return app.dialogue_screen


def bubbles(app) -> list[str]:
    return [b.text for b in app.query_one(Transcript).children]


async def answer(pilot, text: str) -> None:
    if text:
        await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_first_question_shows_before_the_engine_has_loaded(make_app, workspace14, engine14):
    release = threading.Event()

    def slow_loader():
        release.wait(10)
        return workspace14

    app = make_app(load_workspace=slow_loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen(app).draft.workspace.engine is None
        assert "项目名称是什么？" in bubbles(app)[0]
        await type_text(pilot, "2024年")  # typing works while the corpus loads
        assert app.query_one(AnswerInput).value == "2024年"
        release.set()
        await settle(pilot)
        assert screen(app).draft.workspace.engine is engine14
        assert app.query_one(SuggestionList).items  # suggestions appear once ready


async def test_drafting_table5_from_an_empty_start(make_app, table5, tmp_path):
    """Accept suggestions wherever the right one is offered, type the rest; the saved file equals 表5."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for text in HEADER + ["0"]:
            await answer(pilot, text)
        editor = app.query_one(GoalEditor)
        assert editor.display and editor.has_focus
        app.post_message(events.Paste(table5.project.goal))  # as the terminal driver delivers a paste
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        rows = list(table5.indicators)
        picked = typed = 0
        d = screen(app).draft
        while d.step != REVIEW:
            q = d.question()
            suggestions = app.query_one(SuggestionList)
            l2 = q.key.split("/")[1]
            want = next((r for r in rows if r.level2 == l2), None)
            if q.key.endswith("/value"):  # a carried value the checks flagged: confirm it or type the right one
                await answer(pilot, "" if q.default == want.value else want.value)
                if d.key.endswith("/value"):
                    await answer(pilot, "")  # Enter on the unchanged answer confirms a warning
                rows.remove(want)
                continue
            if want is None:
                await answer(pilot, "")  # an empty Enter ends the category
                continue
            pairs = [(i.text, i.value) for i in suggestions.items]
            if (want.name, want.value) in pairs[:9]:
                picked += 1
                await pilot.press(str(pairs.index((want.name, want.value)) + 1))  # wording and value in one key
                await settle(pilot)
            elif want.name in [t for t, _ in pairs[:9]]:  # the wording offered with another value: take it, add ours
                picked += 1
                await pilot.press(*["down"] * ([t for t, _ in pairs].index(want.name) + 1), "tab")
                await answer(pilot, f" {want.value}")  # wording and value in one answer
            else:
                typed += 1
                await answer(pilot, f"{want.name} {want.value}")
            if not d.key.endswith("/value"):
                rows.remove(want)
        while d.question().default.startswith("✓"):  # each value taken from another table, confirmed by one Enter
            await answer(pilot, "")
        await answer(pilot, "")  # the review's Enter saves
        saved = tomlio.load(tmp_path / "2024年村干部任职补贴.toml")
        assert saved.project == table5.project and saved.funding == table5.funding
        assert [(i.level2, i.name, i.value) for i in saved.indicators] == [(i.level2, i.name, i.value) for i in table5.indicators]
        assert picked + typed == 10 and picked >= 6, (picked, typed)


async def test_a_pasted_goal_keeps_all_its_lines(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for text in HEADER + ["0"]:
            await answer(pilot, text)
        app.post_message(events.Paste("第一段：保障运转。\n第二段：提升服务。\n第三段：群众满意。"))
        await pilot.pause()
        await pilot.press("ctrl+j")
        await type_text(pilot, "第四段")
        await pilot.press("enter")
        await settle(pilot)
        assert "未体现" in str(app.query_one("#answer-error").render())  # a goal that does not name the project
        await pilot.press("enter")  # Enter on the unchanged text confirms the warning
        await settle(pilot)
        goal = screen(app).draft.table.project.goal
        assert goal == "第一段：保障运转。\n第二段：提升服务。\n第三段：群众满意。\n第四段"


async def test_user_text_is_literal_never_markup(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2024年[bold]测试[/]项目[red]")
        assert screen(app).draft.table.project.name == "2024年[bold]测试[/]项目[red]"
        assert "2024年[bold]测试[/]项目[red]" in bubbles(app)[1]


async def test_invalid_answer_keeps_what_was_typed(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for text in HEADER[:7]:
            await answer(pilot, text)
        await answer(pilot, "很多钱")
        error = app.query_one("#answer-error")
        assert error.display and "请输入数字金额" in str(error.render())
        assert app.query_one(AnswerInput).value == "很多钱"
        assert screen(app).draft.key == "funding.total"


async def test_escape_goes_back_and_keeps_the_answer(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2024年村干部任职补贴")
        await pilot.press("escape")
        await settle(pilot)
        assert screen(app).draft.key == "project.name"
        assert app.query_one(AnswerInput).placeholder == "回车采用：2024年村干部任职补贴"


async def test_arrows_move_in_the_list_and_enter_takes_the_highlighted_one(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "cgb")
        await settle(pilot)
        items = app.query_one(SuggestionList).items
        assert app.query_one(AnswerInput).has_focus
        await pilot.press("down", "down")
        assert app.query_one(AnswerInput).has_focus  # focus never leaves the input
        await pilot.press("enter")
        await settle(pilot)
        assert screen(app).draft.table.project.name == items[1].text


async def test_tab_takes_the_completion(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "2024年村干部任")
        await settle(pilot)
        await pilot.press("tab")
        value = app.query_one(AnswerInput).value
        assert value.startswith("2024年村干部任") and len(value) > len("2024年村干部任")


async def test_every_answer_is_autosaved_and_offered_back(make_app, engine14, others, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for text in HEADER[:4]:
            await answer(pilot, text)
    state = only_draft(tmp_path)
    assert state["key"] == "project.implementing_unit" and state["table"]["project"]["department_code"] == "049"
    again = make_app()  # reads the draft file, as jixiao does
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        offered = again.screen.query_one("#drafts").get_option_at_index(0).prompt
        assert "2024年村干部任职补贴：已完成4/" in str(offered)
        await pilot.press("enter")  # continue the draft
        await settle(pilot)
        d = screen(again).draft
        assert d.key == "project.implementing_unit" and d.table.project.department_code == "049"


async def test_opening_a_file_starts_at_the_review(make_app, table5, others, tmp_path):
    app = make_app(table5)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen(app).draft.step == REVIEW
        assert "检查结果" in bubbles(app)[0]


async def test_ctrl_q_quits_and_says_where_the_draft_is(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2024年村干部任职补贴")
        await pilot.press("ctrl+q")
        await pilot.pause()
    (path,) = draft_files(tmp_path)
    assert app.return_value == f"草稿已自动保存在 {path}，下次运行 jixiao 时可以继续。"


async def test_f2_toggles_the_preview(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        preview = app.query_one("#preview")
        assert preview.styles.display == "block"
        await pilot.press("f2")
        await pilot.pause()
        assert preview.styles.display == "none"


async def test_palette_jumps_to_any_step_by_pinyin(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for text in HEADER[:4]:
            await answer(pilot, text)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "zgbm")  # 主管部门
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        d = screen(app).draft
        assert d.key in ("project.department", "project.department_code")
        assert app.query_one(AnswerInput).placeholder.startswith("回车采用：")
