"""Issue 14: Enter — the key pressed most — never overwrites another table, never saves a table `check` rejects
into the corpus; keys behave the same at every step; the review, resume and layout cases. Pilot drives the app
as `jixiao` builds it (build_app)."""

from __future__ import annotations

from dataclasses import replace

from textual import events

from assistant import tomlio
from assistant.drafting import REVIEW, SAVE, RowStep
from assistant.paths import user_knowledge_dir
from assistant.tui.app import build_app
from assistant.tui.screens.choice import ChoiceScreen
from assistant.tui.widgets.answer_input import AnswerInput, GoalEditor
from assistant.tui.widgets.suggestions import SuggestionList
from assistant.tui.widgets.transcript import Transcript
from assistant.tui.wrap import NO_START, wrap

from .conftest import settle, type_text


def draft_of(app):
    return app.dialogue_screen.draft


async def enter(pilot, times: int = 1) -> None:
    for _ in range(times):
        await pilot.press("enter")
        await settle(pilot)


async def answer(pilot, text: str) -> None:
    await type_text(pilot, text)
    await enter(pilot)


TO_FIRST_ROW = ["2024年村干部任职补贴", "", "平罗县头闸镇人民政府", "049", "", "", "", "184.032", "0", "保障村干部任职补贴发放。"]


async def to_first_row(pilot, answers=TO_FIRST_ROW) -> None:
    """Header, funding, no reference table, a goal: to the first 数量 row."""
    for text in answers:
        await answer(pilot, text) if text else await enter(pilot)


def opened_app(tmp_path, workspace14, table, path):
    return build_app(
        None, table, draft_path=tmp_path / "draft.json", cwd=tmp_path, load_workspace=lambda: workspace14, opened=path
    )


# ------------------------------------------------------------------------------------------------ saving
async def test_enter_saves_an_opened_file_back_to_itself_not_over_a_namesake(tmp_path, workspace14, table5):
    """`jixiao other/a.toml`, Enter ×3: a.toml is updated; ./<project name>.toml, another table, is untouched."""
    source = tmp_path / "other" / "a.toml"
    source.parent.mkdir()
    edited = replace(table5, indicators=[replace(i) for i in table5.indicators])
    edited.indicators[0].value = "61人"
    tomlio.write(source, edited)
    namesake = tmp_path / "2024年村干部任职补贴.toml"
    namesake.write_text("另一张已经检查过的表", encoding="utf-8")
    app = opened_app(tmp_path, workspace14, tomlio.load(source), source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await enter(pilot, 3)
        assert draft_of(app).saved_to == str(source)
    assert namesake.read_text(encoding="utf-8") == "另一张已经检查过的表"
    assert tomlio.load(source).indicators[0].value == "61人"


async def test_holding_enter_never_overwrites_another_file(make_app, tmp_path, table5):
    other = tmp_path / "2024年村干部任职补贴.toml"
    other.write_text("别人的表", encoding="utf-8")
    app = make_app(table5)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await enter(pilot, 8)  # review -> save -> "exists": a dialog, whose Enter is 另存为, then Enter saves there
        assert other.read_text(encoding="utf-8") == "别人的表"
        saved = draft_of(app).saved_to
        assert saved and saved != str(other) and tomlio.load(saved).project == table5.project


async def test_the_overwrite_dialog_replaces_only_when_chosen(make_app, tmp_path, table5):
    other = tmp_path / "2024年村干部任职补贴.toml"
    other.write_text("别人的表", encoding="utf-8")
    app = make_app(table5)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await enter(pilot)  # the review's Enter saves to the path it shows: another file, so a dialog
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # 取消: then the file name is asked
        await settle(pilot)
        assert draft_of(app).step == SAVE and other.read_text(encoding="utf-8") == "别人的表"
        await enter(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.query_one("#overwrite").press()  # 覆盖, chosen deliberately
        await settle(pilot)
        assert tomlio.load(other).project == table5.project and draft_of(app).saved_to == str(other)


async def test_a_table_with_errors_needs_still_save_and_never_enters_the_corpus(make_app, tmp_path, table5):
    app = make_app(replace(table5, indicators=table5.indicators[:2]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        q = draft_of(app).question()
        assert q.default == "1"  # Enter at the review goes to the first error, never to saving
        await pilot.press("ctrl+s")
        await settle(pilot)
        await enter(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await enter(pilot)  # the dialog's Enter is 返回修改
        assert draft_of(app).step == REVIEW and not list(tmp_path.glob("*.toml"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await enter(pilot)
        app.screen.query_one("#anyway").press()  # 仍然保存
        await settle(pilot)
        assert (tmp_path / "2024年村干部任职补贴.toml").is_file()
    assert not user_knowledge_dir().exists() or not list(user_knowledge_dir().glob("*.toml"))


async def test_a_saved_table_is_not_offered_back_as_a_draft(make_app, tmp_path, table5):
    app = make_app(table5)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await enter(pilot, 2)
        assert draft_of(app).saved_to
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.screen is again.dialogue_screen  # no "resume this draft?" dialog


# -------------------------------------------------------------------------------------------------- keys
async def test_template_numbers_on_screen_are_the_keys(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot, ["2025年村干部任职补贴", *TO_FIRST_ROW[1:8]])
        shown = [f"{SuggestionList.key_of(app.query_one(SuggestionList), n, i)}. {i.label}" for n, i in enumerate(app.query_one(SuggestionList).items, 1)]
        assert shown[0] == "0. 不参照，从空白开始"
        assert shown[0] in app.query_one(Transcript).children[-1].text  # the transcript shows the same numbers
        await pilot.press("0")
        await settle(pilot)
        assert draft_of(app).key == "project.goal" and draft_of(app).session.prior is None


async def test_after_a_warning_typing_replaces_the_answer_and_enter_confirms(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot)
        await answer(pilot, "保障村干部人数")
        await answer(pilot, "很多")
        assert draft_of(app).key == "ind/数量指标/0/value" and "无法衡量" in str(app.query_one("#answer-error").render())
        await type_text(pilot, "60人")  # typed after the warning: replaces "很多", never "很多60人"
        assert app.query_one(AnswerInput).value == "60人"
        await enter(pilot)
        assert draft_of(app).table.indicators[0].value == "60人"
        await answer(pilot, "培训人数")
        await answer(pilot, "很多")
        await enter(pilot)  # Enter on the unchanged text confirms the warning
        assert draft_of(app).table.indicators[1].value == "很多" and draft_of(app).key == "ind/数量指标/2/name"


async def test_after_an_edit_jump_enter_returns_to_the_review(make_app, table5):
    table = replace(table5, indicators=[replace(i) for i in table5.indicators])
    table.indicators[0].value = "很多"
    app = make_app(table)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        q = draft_of(app).question()
        hit = next(n for n, label in q.choices if "保障村干部人数" in label)
        await pilot.press(hit)  # the number shown picks
        await settle(pilot)
        assert draft_of(app).key == "ind/数量指标/0/value"
        await answer(pilot, "60人")
        assert draft_of(app).step == REVIEW
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "zgbm")  # 主管部门, from the palette
        await pilot.pause(0.5)
        await enter(pilot)
        assert draft_of(app).key.startswith("project.department")
        await enter(pilot)
        assert draft_of(app).step == REVIEW  # not walking through every later step


async def test_delete_has_undo_and_f7_on_a_new_row_goes_to_the_last_row(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot)
        await answer(pilot, "保障村干部人数 60人")
        await answer(pilot, "培训人数 30人")
        assert draft_of(app).step == RowStep("数量指标", 2, "name")
        await pilot.press("f7")
        await settle(pilot)
        assert draft_of(app).step == RowStep("数量指标", 1, "name")  # the last row, where F7/F8 move it
        await pilot.press("f6")
        await settle(pilot)
        assert [i.name for i in draft_of(app).table.indicators] == ["保障村干部人数"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [i.name for i in draft_of(app).table.indicators] == ["保障村干部人数", "培训人数"]


async def test_every_key_is_in_the_footer_or_on_f1(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        help_text = draft_of(app).help()
        keys = {b.key for b in app.dialogue_screen.BINDINGS} | {b.key for b in app.BINDINGS}
        names = {"f1": "F1", "f2": "F2", "f3": "F3", "f4": "F4", "f6": "F6", "f7": "F7", "f8": "F8",
                 "ctrl+z": "Ctrl+Z", "ctrl+s": "Ctrl+S", "ctrl+p": "Ctrl+P", "ctrl+q": "Ctrl+Q"}  # fmt: skip
        for key in keys:
            if key in names:
                assert names[key] in help_text, key


# ---------------------------------------------------------------------------------------- fewer questions
async def test_a_wording_suggestion_brings_its_value_and_empty_enter_ends_the_category(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot)
        item = next(i for i in app.query_one(SuggestionList).items if i.value)
        n = app.query_one(SuggestionList).items.index(item) + 1
        await pilot.press(str(n))
        await settle(pilot)
        ind = draft_of(app).table.indicators[0]
        assert (ind.name, ind.value) == (item.text, item.value)  # one key, no value question
        assert draft_of(app).step == RowStep("数量指标", 1, "name")
        await enter(pilot)
        assert draft_of(app).step == RowStep("质量指标", 0, "name")  # no "another?" question


async def test_funding_is_one_step_that_keeps_the_sum(make_app, table5):
    from assistant.renew import renew

    app = make_app(renew(replace(table5, funding=replace(table5.funding, total=200.0, fiscal=180.0, other=20.0)), 2025))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        q = draft_of(app).question()
        hit = next(n for n, label in q.choices if "项目资金" in label)
        await pilot.press(*hit, *(["enter"] if len(q.choices) > 9 else []))  # ten or more: typed, then Enter
        await settle(pilot)
        assert draft_of(app).key == "funding.total"
        await answer(pilot, "210")  # a new total: 其他资金 kept, 财政拨款 the rest, the mark cleared
        money = draft_of(app).table.funding
        assert (money.total, money.fiscal, money.other, money.review) == (210.0, 190.0, 20.0, "")
        assert draft_of(app).step == REVIEW


# ------------------------------------------------------------------------------------- review and resume
async def test_review_numbers_are_the_same_in_transcript_and_list(make_app, table5):
    table = replace(table5, indicators=[replace(i) for i in table5.indicators])
    table.indicators[0].value = "很多"
    table.indicators[-1].value = "≥80%"
    app = make_app(table)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = app.query_one(Transcript).children[-1].text
        items = app.query_one(SuggestionList).items
        for item in items:
            assert f"{item.key}. {item.label}" in shown
        assert [item.key for item in items] == [str(n) for n in range(1, len(items) + 1)]
        second = draft_of(app).step_for(draft_of(app).findings()[1].where)
        await pilot.press("2")
        await settle(pilot)
        assert draft_of(app).step == second  # "2" goes where the second listed finding is answered


async def test_a_resumed_draft_shows_what_was_answered(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2024年村干部任职补贴")
        await enter(pilot, 2)
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await enter(pilot)  # continue the draft
        shown = [b.text for b in again.query_one(Transcript).children]
        assert any("2024年村干部任职补贴" in text and "预算年度" in text for text in shown), shown


# ------------------------------------------------------------------------------------------------ layout
def test_line_breaks_keep_punctuation_off_line_starts_and_numbers_whole():
    text = "年度资金总额184.032万元，保障全镇60名村干部任职补贴按时足额发放，满意度达到95%以上。"
    for width in range(14, 60):
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert not any(line[:1] in NO_START for line in lines[1:]), (width, lines)
        assert any("184.032" in line for line in lines), (width, lines)


async def test_the_preview_takes_half_a_wide_screen(make_app, table5):
    app = make_app(table5)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        preview = app.query_one("#preview")
        assert preview.size.width >= 90


async def test_palette_is_chinese_and_finds_commands_by_pinyin(make_app, table5):
    app = make_app(table5)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one("CommandInput").placeholder.startswith("输入命令")
        await type_text(pilot, "bc")  # 保存
        for _ in range(50):  # the palette searches in the background: wait for the hit, not a fixed time
            await pilot.pause(0.1)
            options = app.screen.query("CommandList").first().options if app.screen.query("CommandList") else []
            if any("保存" in str(o.prompt) for o in options):
                break
        await enter(pilot)
        assert draft_of(app).step == SAVE


async def test_a_plain_paste_of_a_multiline_goal_is_not_submitted_at_its_first_line(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot, TO_FIRST_ROW[:-1])
        editor = app.query_one(GoalEditor)
        # A terminal without bracketed paste: the text arrives as keys, its line break as Enter, all at once.
        for key in [*"发放村干部任职补贴", "enter", *"第二段"]:
            editor.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.2)
        assert draft_of(app).key == "project.goal" and editor.text == "发放村干部任职补贴\n第二段"
        await pilot.pause(0.2)
        await enter(pilot)
        assert draft_of(app).table.project.goal == "发放村干部任职补贴\n第二段"


# ------------------------------------------------------------------------------------ issue 13 in the app
async def test_a_project_the_corpus_does_not_know_gets_no_cadre_pay_row_first(make_app):
    """2025年农村人居环境整治经费 over the seed township's cadre-pay and office tables."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2025年农村人居环境整治经费")
        await enter(pilot)
        q = draft_of(app).question()
        assert q.default == ""  # a new user: no other unit's name (the corpus's township) as the default
        await answer(pilot, "某某县某某镇人民政府")
        assert draft_of(app).question().default == ""  # nor its code
        await answer(pilot, "308")
        await enter(pilot, 3)
        await answer(pilot, "80")
        q = draft_of(app).question()
        assert q.default == "0"  # no table of this kind: 从空白开始 is what Enter takes
        await enter(pilot)
        await answer(pilot, "开展农村人居环境整治，改造农村户厕300户。")
        items = app.query_one(SuggestionList).items
        notice = app.query_one("#suggest-notice")
        assert notice.display and "语料中没有同类项目" in str(notice.render())
        assert items and "村干部" not in items[0].text
        assert all(any(k in i.detail for k in ("本单位往年", "其他单位", "指标库", "通用", "来自总体目标")) for i in items)
        assert "改造农村户厕" in items[0].text and items[0].value == "300户"  # the goal's own figure, in its unit
        await pilot.press("1")
        await settle(pilot)
        assert draft_of(app).table.indicators[0].review == ""  # the user's own figure: nothing to mark


async def test_alt_digit_as_a_mac_terminal_over_tmux_sends_it_picks_at_every_step(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot)
        await answer(pilot, "保障村干部人数")
        assert draft_of(app).key == "ind/数量指标/0/value"  # a step where digits are typed (60人)
        items = app.query_one(SuggestionList).items
        assert len(items) >= 2 and not app.query_one(AnswerInput).quick_pick
        await pilot.press("1")
        assert app.query_one(AnswerInput).value == "1"  # a plain digit types here, as the unnumbered list says
        await pilot.press("backspace")
        app.query_one(AnswerInput).post_message(events.Key("™", "™"))  # ⌥2 as tmux passed it on
        await settle(pilot)
        assert draft_of(app).table.indicators[0].value == items[1].text


# ------------------------------------------------------------------------- adopting a reference table
async def test_adopting_a_template_marks_its_figures_and_saves_only_rows_shown_in_the_review(make_app, tmp_path):
    """「同去年，新数字」: the reference table's rows come in whole (adapted, figures marked 请核实); the table cannot
    be saved before the review has been answered, and the review lists every row it would save."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_first_row(pilot, TO_FIRST_ROW[:8])
        assert draft_of(app).question().default == "0"  # another project's table is never what Enter takes
        await pilot.press("1")  # 沿用 2024年村干部任职年限补贴
        await settle(pilot)
        d = draft_of(app)
        rows = d.table.indicators
        assert d.key == "project.goal" and len(rows) == 10
        assert [i.name for i in rows][:4] == ["保障村干部人数", "村干部任职补贴发放", "村干部任职补贴支出时限", "村干部任职补贴标准"]
        assert [bool(i.review) for i in rows] == [True, True, False, True, False, True, False, False, False, True]
        await answer(pilot, "及时保障和落实村干部任职补贴。")
        assert d.step == REVIEW  # the goal, then straight to the review: the rows are checked there
        await pilot.press("ctrl+s")  # save before the review was answered: the review comes first
        await settle(pilot)
        await enter(pilot)
        assert d.step == REVIEW and not list(tmp_path.glob("*.toml"))
        assert "保存前请先在检查页看一遍沿用的指标" in "\n".join(b.text for b in app.query_one(Transcript).children)
        listed = "\n".join(i.label for i in app.query_one(SuggestionList).items)
        assert all(i.name in listed for i in d.table.indicators)  # every row it would save is on the list
        assert "[沿用]" in listed  # a row no finding names is listed as taken over
        marked = sum(bool(i.review) for i in d.table.indicators)
        for left in range(marked, 0, -1):  # Enter confirms one carried figure at a time, named on screen
            assert d.question().default.startswith("✓") and "数值无误" in app.query_one(AnswerInput).placeholder
            await enter(pilot)
            assert d.step == REVIEW and sum(bool(i.review) for i in d.table.indicators) == left - 1
        shown = [(i.name, i.value) for i in d.table.indicators]
        await enter(pilot)  # now the review's Enter saves
        saved = tomlio.load(tmp_path / "2024年村干部任职补贴.toml")
        assert [(i.name, i.value) for i in saved.indicators] == shown and not any(i.review for i in saved.indicators)


async def test_a_review_number_picks_once_it_is_whole(make_app, table5):
    """With ten or more findings, "2" opens the second at once and "1" waits for "10" (or Enter)."""
    table = replace(table5, indicators=[replace(i, value="很多", review="沿用上年数值，请核实") for i in table5.indicators])
    app = make_app(table)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        d = draft_of(app)
        findings = d.findings()
        assert len(d.question().choices) >= 10
        await pilot.press("1")
        await settle(pilot)
        assert d.step == REVIEW and app.query_one(AnswerInput).value == "1"  # waiting: 1, or 10, 11 …
        await pilot.press("0")
        await settle(pilot)
        assert d.step == d.step_for(findings[9].where) and d.step != REVIEW
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert d.step == d.step_for(findings[1].where)


async def test_header_defaults_from_own_tables_are_one_step(tmp_path, workspace14, table5):
    """Every header default comes from the user's own saved tables: one overview, Enter takes them all."""
    from types import MappingProxyType

    from assistant.drafting import HEADER

    own = replace(table5, project=replace(table5.project, department="某某县农业农村局", department_code="308", implementing_unit="某某县农业农村局本级"))
    ws = replace(workspace14, by_path=MappingProxyType({**workspace14.by_path, str(user_knowledge_dir() / "mine.toml"): own}))
    app = build_app(None, draft_path=tmp_path / "draft.json", cwd=tmp_path, load_workspace=lambda: ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2025年村干部任职补贴")
        d = draft_of(app)
        assert d.step == HEADER
        assert "主管部门代码：308" in app.query_one(Transcript).children[-1].text
        await pilot.press("3")  # a number changes one field
        await settle(pilot)
        assert d.key == "project.department_code"
        await answer(pilot, "309")
        assert d.step == HEADER  # back to the overview
        await enter(pilot)
        p = d.table.project
        assert (p.department, p.department_code, p.implementing_unit, d.key) == ("某某县农业农村局", "309", "某某县农业农村局本级", "funding.total")


async def test_a_new_users_code_step_lists_the_corpus_codes_with_their_source(make_app):
    """No own tables: 代码 has no default; the corpus's codes are listed as text with 其他单位, not as bare labels."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await answer(pilot, "2025年村干部任职补贴")
        await enter(pilot)  # 预算年度
        await answer(pilot, "平罗县头闸镇人民政府")
        d = draft_of(app)
        assert d.key == "project.department_code" and not d.question().default
        items = app.query_one(SuggestionList).items
        assert "049" in [i.text for i in items]
        shown = [str(o.prompt) for o in app.query_one(SuggestionList)._options]
        assert any("049" in line and "其他单位" in line for line in shown), shown
