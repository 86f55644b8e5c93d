"""The app wired exactly as `jixiao` starts it (build_app), with the production workspace loader."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

from assistant import suggest
from assistant.drafting import REVIEW, Draft
from assistant.paths import bundled_knowledge
from assistant.tui.app import build_app
from assistant.tui.screens.dialogue import DialogueScreen
from assistant.tui.widgets.transcript import Transcript

from .conftest import settle


def _gate_engine_load(monkeypatch) -> threading.Event:
    """Hold the production engine load until the test releases it (the loader itself is unchanged)."""
    release = threading.Event()
    real = suggest.load_engine

    def gated(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest, "load_engine", gated)
    return release


async def test_resuming_before_the_engine_is_ready_keeps_the_corpus_rules(monkeypatch, table5, others, tmp_path):
    # A draft whose goal is word for word another project's: only the corpus rule "goal copied" sees it.
    other = next(t for t in others if len(t.project.goal) > 20 and t.project.name != table5.project.name)
    draft = Draft.from_table(replace(table5, project=replace(table5.project, goal=other.project.goal)))
    # A draft.json of earlier versions: taken in as a draft of the drafts/ folder and offered back.
    (tmp_path / "draft.json").write_text(json.dumps(draft.to_state(), ensure_ascii=False), encoding="utf-8")
    release = _gate_engine_load(monkeypatch)

    app = build_app(str(bundled_knowledge()), draft_path=tmp_path / "draft.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # resume the draft while the corpus is still loading
        await pilot.pause()
        release.set()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DialogueScreen)
        await pilot.press("f3")  # the review
        await settle(pilot)
        d = screen.draft
        assert d.step == REVIEW
        labels = [label for _, label in d.question().choices]
        assert any("年度总体目标与「" in label and other.project.name in label for label in labels), labels


async def test_a_file_opened_before_the_engine_is_ready_gets_the_corpus_rules_in_its_review(monkeypatch, table5, others):
    other = next(t for t in others if len(t.project.goal) > 20 and t.project.name != table5.project.name)
    table = replace(table5, project=replace(table5.project, goal=other.project.goal))
    release = _gate_engine_load(monkeypatch)

    app = build_app(str(bundled_knowledge()), table)  # `jixiao FILE.toml`: the review first
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = app.query_one(Transcript).children[-1].text
        assert "检查结果" in shown and "年度总体目标与「" not in shown  # the corpus has not loaded yet
        release.set()
        await settle(pilot)
        shown = app.query_one(Transcript).children[-1].text
        assert "年度总体目标与「" in shown and other.project.name in shown  # restated once it has
        assert len(app.query_one(Transcript).children) == 1


async def test_a_failed_engine_load_is_shown(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(suggest, "load_engine", broken)
    app = build_app(str(bundled_knowledge()), draft_path=tmp_path / "draft.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any("语料" in text and "No space left on device" not in text for text in shown), shown
        assert app.dialogue_screen.draft.question().prompt  # drafting still works without suggestions


async def test_a_failed_engine_load_names_no_english_exception(monkeypatch, tmp_path):
    """Our own errors carry a Chinese message, which is shown; anything else is an internal error, not its text."""
    from assistant.framework import FrameworkError

    for error, wanted, unwanted in (
        (FrameworkError("framework.toml 第3行：缺少一级指标"), "framework.toml 第3行", "FrameworkError"),
        (KeyError("ranking"), "程序内部错误", "ranking"),
    ):
        def broken(*args, error=error, **kwargs):
            raise error

        monkeypatch.setattr(suggest, "load_engine", broken)
        app = build_app(str(bundled_knowledge()), draft_path=tmp_path / "draft.json")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "语料库加载失败" in shown and wanted in shown and unwanted not in shown, shown
