"""Issue 16, case 7: OS errors are said in Chinese and never cost more than the one thing that failed.

An unwritable data folder is made by putting a plain file where a folder should be (permissions do not stop
root, which the tests may run as): drafting goes on with suggestions from the bundled corpus and the user is
told once, in Chinese, that drafts are not kept; saving a table whose corpus copy cannot be written says the
file WAS saved; jieba prints nothing over the screen when its cache cannot be written.
"""

from __future__ import annotations

import os
import subprocess
import sys

from assistant import tomlio
from assistant.drafting import Draft
from assistant.drafting.files import perform
from assistant.tui.app import build_app

from .tui.conftest import settle


def _block_data_folder(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))


def test_saving_with_an_unwritable_corpus_says_the_file_was_saved(workspace14, table5, tmp_path, monkeypatch):
    _block_data_folder(tmp_path, monkeypatch)
    d = Draft.from_table(table5, workspace14, cwd=tmp_path)
    outcome = d.answer("")  # the review's Enter saves to the path it shows
    outcome = d.finish(perform(outcome.request))
    assert outcome.ok and d.saved_to
    assert outcome.message.startswith(f"已保存到 {tmp_path / '2024年村干部任职补贴.toml'}。但未能在语料库中保存副本（")
    assert tomlio.load(tmp_path / "2024年村干部任职补贴.toml").project == table5.project


async def test_an_unwritable_data_folder_still_drafts_with_suggestions_and_says_so_once(workspace14, tmp_path, monkeypatch):
    _block_data_folder(tmp_path, monkeypatch)
    app = build_app(None, cwd=tmp_path, load_workspace=lambda: workspace14)  # the production draft folder
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for text in ("2024年村干部任职补贴", "", "某某县财政局"):
            await pilot.press(*text, "enter") if text else await pilot.press("enter")
            await settle(pilot)
        assert app.draft.key == "project.department_code"
        await pilot.press("0")
        await settle(pilot)
        assert app.query_one("#suggestions").items  # the bundled corpus still suggests
        toasts = [str(n.message) for n in app._notifications]
        assert len([t for t in toasts if t.startswith("无法自动保存草稿")]) == 1, toasts
        assert all(not t.isascii() for t in toasts)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == ""  # nothing claims a draft was kept


def test_jieba_prints_nothing_when_its_cache_cannot_be_written(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker / "cache")}
    code = "from assistant import segment; segment.warm_up(); print(len(segment.tokens('村干部任职补贴')))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() != "0"
    assert done.stderr == ""


def test_every_os_error_is_said_in_chinese():
    import errno

    from assistant.safefile import os_reason

    for code in [*errno.errorcode, 0, 99999]:
        reason = os_reason(OSError(code, "Some English text"))
        assert reason and not reason.isascii(), (code, reason)
    assert os_reason(OSError("no errno at all")) == "操作系统报告错误"
