"""The real app in a real pseudo-terminal: killed with SIGKILL mid-dialogue, nothing answered is lost."""

from __future__ import annotations

import json
import sys

import pytest

from benchmarks.terminal import Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def test_sigkill_mid_dialogue_then_every_answer_is_offered_back(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    term = Terminal(env=env)
    try:
        term.wait_for("项目名称是什么？")
        term.send("2024年村干部任职补贴\r")
        term.wait_for("预算年度是哪一年？")
        term.send("\r")
        term.wait_for("主管部门是哪个单位？")
        term.send("某某县财政局\r")
        term.wait_for("主管部门的代码是多少？")
        term.send("308")  # typed but not answered
    finally:
        term.kill()  # SIGKILL: no chance to save anything on the way out
    draft = json.loads((tmp_path / "data" / "jixiao" / "draft.json").read_text(encoding="utf-8"))
    assert draft["table"]["project"]["name"] == "2024年村干部任职补贴"
    assert draft["table"]["project"]["year"] == 2024
    assert draft["table"]["project"]["department"] == "某某县财政局"
    assert draft["key"] == "project.department_code"

    again = Terminal(env=env)
    try:
        again.wait_for("发现上次未完成的草稿")
        again.wait_for("2024年村干部任职补贴：已完成3/")
        again.send("\r")  # continue the draft
        again.wait_for("主管部门的代码是多少？")
        again.send("\x11")  # Ctrl+Q
        again.wait_for("草稿已自动保存在")
    finally:
        again.kill()
