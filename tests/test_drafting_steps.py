"""Typed steps and the draft.json format: a draft written by the old Dialogue (before issue 12) still resumes.

tests/data/draft_v1_golden_from_dialogue.json is a golden regression file: the state the pre-issue-12
`Dialogue.to_state()` wrote after drafting 2025年村干部任职补贴 from the first similar table, two rows in.
"""

from __future__ import annotations

import json

import pytest

from assistant.drafting import DONE, REVIEW, SAVE, TEMPLATE, Draft, FieldStep, MoreStep, RowStep, parse

from .conftest import DATA

OLD = json.loads((DATA / "draft_v1_golden_from_dialogue.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "step, text",
    [
        (FieldStep("project.name"), "project.name"),
        (FieldStep("funding.other"), "funding.other"),
        (TEMPLATE, "template"),
        (RowStep("数量指标", 0, "name"), "ind/数量指标/0/name"),
        (RowStep("社会效益指标", 12, "value"), "ind/社会效益指标/12/value"),
        (MoreStep("满意度指标"), "ind/满意度指标/more"),
        (REVIEW, "review"),
        (SAVE, "save"),
        (DONE, "done"),
    ],
)
def test_steps_round_trip_through_their_serialised_form(step, text):
    assert str(step) == text and parse(text) == step


@pytest.mark.parametrize("text", ["", "ind/数量指标/x/name", "ind//0/name", "project", "ind/数量指标/0/other", "项目"])
def test_text_no_step_writes_is_not_a_step(text):
    assert parse(text) is None


def test_every_key_of_an_old_draft_parses():
    keys = [OLD["key"], *OLD["history"], *OLD["answered"]]
    assert all(parse(k) is not None for k in keys), [k for k in keys if parse(k) is None]


def test_an_old_draft_resumes_where_it_was_and_saves_back_unchanged(tmp_path):
    d = Draft.from_state(OLD, cwd=tmp_path)
    assert d.step == RowStep("质量指标", 0, "name")
    assert d.to_state() == OLD
    assert d.back() and d.step == MoreStep("数量指标")
    assert [i.name for i in d.table.indicators] == ["保障村干部人数", "受益村干部人数"]
    assert d.question().kind == "confirm" and d.session.prior is not None  # the adapted reference table came back too
