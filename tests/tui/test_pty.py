"""The real app in a real pseudo-terminal: killed mid-dialogue nothing answered is lost; SIGTERM and SIGHUP
restore the terminal and keep what was typed; two windows on one user folder never touch each other's draft."""

from __future__ import annotations

import json
import signal
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

if sys.platform != "win32":
    import termios

    from benchmarks.terminal import Terminal


def _env(tmp_path) -> dict[str, str]:
    return {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}


def _drafts(tmp_path) -> list[dict]:
    folder = tmp_path / "data" / "jixiao" / "drafts"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _answer_three(term: Terminal, name: str) -> None:
    term.wait_for("项目名称是什么？")
    term.send(f"{name}\r")
    term.wait_for("预算年度是哪一年？")
    term.send("\r")
    term.wait_for("主管部门是哪个单位？")
    term.send("某某县财政局\r")
    term.wait_for("主管部门的代码是多少？")


def test_sigkill_mid_dialogue_then_every_answer_is_offered_back(tmp_path):
    env = _env(tmp_path)
    term = Terminal(env=env)
    try:
        _answer_three(term, "2024年村干部任职补贴")
        term.send("308")  # typed but not answered
    finally:
        term.kill()  # SIGKILL: no chance to save anything on the way out
    (draft,) = _drafts(tmp_path)
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


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_restores_the_terminal_and_keeps_the_typed_answer(tmp_path, sig):
    env = _env(tmp_path)
    term = Terminal(env=env)
    try:
        _answer_three(term, "2024年村干部任职补贴")
        term.send("3081")  # typed, not answered
        term.wait_for("3081")
        status = term.signal(sig)
        out = bytes(term.raw)
        lflag = term.termios_lflag()
    finally:
        term.kill()
    assert status == 128 + sig
    # Left the alternate screen after entering it, mouse tracking off, cooked mode (echo, line editing) back.
    assert out.rfind(b"\x1b[?1049l") > out.rfind(b"\x1b[?1049h") >= 0
    assert out.rfind(b"\x1b[?1000l") > out.rfind(b"\x1b[?1000h") >= 0
    assert lflag & termios.ICANON and lflag & termios.ECHO
    (draft,) = _drafts(tmp_path)
    assert draft["key"] == "project.department_code"
    assert draft["typed"] == {"step": "project.department_code", "text": "3081"}

    again = Terminal(env=env)
    try:
        again.wait_for("2024年村干部任职补贴：已完成3/")
        again.send("\r")
        again.wait_for("主管部门的代码是多少？")
        again.send("\r")  # the typed answer came back into the line: Enter answers it
        again.wait_for("实施单位")
    finally:
        again.kill()
    (draft,) = _drafts(tmp_path)
    assert draft["table"]["project"]["department_code"] == "3081"


def test_two_windows_never_touch_each_others_draft(tmp_path):
    env = _env(tmp_path)
    first = Terminal(env=env)
    second = None
    try:
        _answer_three(first, "2024年村干部任职补贴")
        second = Terminal(env=env)  # the first window's draft is locked: not offered, a new draft starts
        _answer_three(second, "2025年社区干部补贴")
        first.send("308\r")
        first.wait_for("实施单位")
    finally:
        first.kill()
        if second is not None:
            second.kill()
    by_name = {d["table"]["project"]["name"]: d for d in _drafts(tmp_path)}
    assert set(by_name) == {"2024年村干部任职补贴", "2025年社区干部补贴"}
    assert by_name["2024年村干部任职补贴"]["table"]["project"]["department_code"] == "308"
    assert by_name["2025年社区干部补贴"]["key"] == "project.department_code"


def test_alt_digit_sent_as_esc_then_digit_picks_and_is_not_back(tmp_path):
    """Over tmux and SSH, Alt+1 arrives as Esc followed by "1" (one write): Textual reads an Esc followed by a
    key within its ESCDELAY (100 ms) as alt+key, so it picks the first item; it does not go back a step."""
    term = Terminal(env=_env(tmp_path))
    try:
        _answer_three(term, "2024年村干部任职补贴")
        term.send("308\r")
        term.wait_for("1.平罗县头闸镇人民政府本级")  # the list, once the corpus has loaded
        term.send("\x1b1")  # Alt+1 as a terminal without a meta key sends it
        term.wait_for("项目属性")  # the 实施单位 was picked: on to the next question, not back to 代码
    finally:
        term.kill()
