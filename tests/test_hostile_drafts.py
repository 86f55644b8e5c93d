"""Issue 16, cases 3 and 4: a damaged draft never stops the app, and a second window never loses a draft.

Every damaged draft of the campaign is set aside (moved, never deleted) with a Chinese message; the draft.json
of earlier versions (the golden file written by the old Dialogue) is taken in and still resumes; drafts are one
file each, under a lock that another window respects; a fuzz test changes valid drafts at random and every
result either is refused by the schema or resumes and asks its question.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import drafts
from assistant.drafting import Draft

from .conftest import DATA

GOLDEN = DATA / "draft_v1_golden_from_dialogue.json"


def _golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def _with(change) -> bytes:
    state = _golden()
    change(state)
    return json.dumps(state, ensure_ascii=False).encode("utf-8")


BAD = {
    "table-empty": b'{"table": {}}',
    "table-null": b'{"table": null}',
    "newer-top-level-key": _with(lambda s: s.__setitem__("undo", [])),
    "newer-project-key": _with(lambda s: s["table"]["project"].__setitem__("contact", "张三")),
    "answered-number": _with(lambda s: s.__setitem__("answered", 5)),
    "total-text": _with(lambda s: s["table"]["funding"].__setitem__("total", "36")),
    "deep-nesting": b"[" * 100_000,
    "deep-nesting-in-a-field": b'{"version": 1, "table": ' + b"[" * 100_000,
    "not-utf8": b'{"version": 1, "table": "\xb9\xfa"}',
    "not-json": b"{not json",
    "version-2": _with(lambda s: s.__setitem__("version", 2)),
    "huge-number": _with(lambda s: s["table"]["funding"].__setitem__("total", 1e400)),
    "year-text": _with(lambda s: s["table"]["project"].__setitem__("year", "2025")),
    "indicator-null": _with(lambda s: s["table"]["indicators"].append(None)),
    "bool-for-int": _with(lambda s: s["table"].__setitem__("schema", True)),
    "list": b"[]",
}


@pytest.mark.parametrize("where", ["legacy", "folder"])
@pytest.mark.parametrize("name", sorted(BAD))
def test_a_damaged_draft_is_set_aside_with_a_chinese_message(tmp_path, name, where):
    folder = tmp_path / "drafts"
    legacy = tmp_path / "draft.json"
    if where == "legacy":
        legacy.write_bytes(BAD[name])
    else:
        folder.mkdir()
        (folder / "20250101-000000-abcdef.json").write_bytes(BAD[name])
    listed, messages = drafts.Store(folder, legacy=legacy).unfinished()
    assert listed == []
    (message,) = messages
    assert "无法使用" in message and "原样保留" in message
    kept = list((folder / "damaged").glob("*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == BAD[name]  # moved, never changed or deleted
    assert not legacy.exists() and list(folder.glob("*.json")) == []
    assert drafts.Store(folder, legacy=legacy).unfinished() == ([], [])  # the next start is quiet


def test_the_golden_draft_of_the_old_dialogue_is_taken_in_and_resumes(tmp_path):
    legacy = tmp_path / "draft.json"
    shutil.copy(GOLDEN, legacy)
    (listed,), messages = drafts.Store(tmp_path / "drafts", legacy=legacy).unfinished()
    assert messages == [] and not legacy.exists()
    assert listed.state == _golden()
    d = Draft.from_state(listed.state, cwd=tmp_path)
    assert d.table.project.name == "2025年村干部任职补贴" and d.summary().startswith("2025年村干部任职补贴：已完成")


def test_a_second_window_never_sees_or_writes_the_first_ones_draft(tmp_path):
    folder = tmp_path / "drafts"
    first = drafts.Store(folder).new()
    first.save(_golden())
    second_store = drafts.Store(folder)
    listed, messages = second_store.unfinished()
    assert listed == [] and messages == ["另有 1 份草稿正在其他窗口中编辑，本窗口不会改动它们。"]
    assert second_store.open(first.id) is None  # the lock holds even when asked by id
    second = second_store.new()
    state = _golden()
    state["table"]["project"]["name"] = "第二个窗口"
    second.save(state)
    assert json.loads(first.path.read_text(encoding="utf-8")) == _golden()
    second.close()
    (listed,), _ = drafts.Store(folder).unfinished()  # the first window still has its own open
    assert listed.id == second.id
    first.close()
    listed, _ = drafts.Store(folder).unfinished()
    assert {d.id for d in listed} == {first.id, second.id}


def test_a_window_that_dies_releases_its_lock(tmp_path):
    """The lock is the OS's: a killed window's draft is offered again at once (no stale lock file to clear)."""
    folder = tmp_path / "drafts"
    window = (
        "import json, os, sys; from pathlib import Path; from assistant import drafts; "
        "d = drafts.Store(Path(sys.argv[1])).new(); d.save(json.loads(Path(sys.argv[2]).read_text(encoding='utf-8'))); "
        "os._exit(0)"  # dies without closing anything
    )
    subprocess.run([sys.executable, "-c", window, str(folder), str(GOLDEN)], check=True, timeout=60)
    assert len(list(folder.glob("*.lock"))) == 1  # left behind, but nobody holds it
    (listed,), messages = drafts.Store(folder).unfinished()
    assert messages == [] and listed.state == _golden()


def test_archive_takes_a_saved_tables_draft_off_the_list(tmp_path):
    store = drafts.Store(tmp_path / "drafts")
    mine = store.new()
    mine.save(_golden())
    kept = mine.archive()
    mine.close()
    assert store.unfinished() == ([], [])
    assert json.loads(kept.read_text(encoding="utf-8")) == _golden() and kept.parent.name == "saved"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_a_symlink_in_place_of_a_draft_is_never_written_through(tmp_path):
    store = drafts.Store(tmp_path / "drafts")
    mine = store.new()
    precious = tmp_path / "precious.txt"
    precious.write_text("别动", encoding="utf-8")
    mine.path.symlink_to(precious)
    mine.save(_golden())
    assert precious.read_text(encoding="utf-8") == "别动" and not mine.path.is_symlink()


# ----------------------------------------------------------------------------------------- fuzz
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _paths(v, (*prefix, n))


_ALL_PATHS = list(_paths(_golden()))[1:]


def _put(state, path, value):
    target = state
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_ALL_PATHS), _JSON | st.sampled_from(["", "review", "done", "ind/数量指标/0/name"])), min_size=1, max_size=3))
def test_fuzz_any_changed_draft_is_refused_or_resumes(changes):
    state = copy.deepcopy(_golden())
    for path, value in changes:
        try:
            _put(state, path, value)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change replaced the container
    try:
        checked = drafts.parse(json.dumps(state, ensure_ascii=False).encode("utf-8"))
    except drafts.DraftError as exc:
        assert str(exc) and not str(exc).isascii()  # said in Chinese
        return
    d = Draft.from_state(checked)
    q = d.question()
    assert q.prompt and d.summary()


def test_lock_files_of_killed_new_drafts_are_cleared_but_held_ones_kept(tmp_path):
    folder = tmp_path / "drafts"
    held = drafts.Store(folder).new()  # a window that has not answered anything yet
    folder.joinpath("20200101-000000-dead00.lock").write_bytes(b"")  # left by a killed window
    assert drafts.Store(folder).unfinished() == ([], [])
    assert sorted(p.name for p in folder.glob("*.lock")) == [f"{held.id}.lock"]
    held.save(_golden())
    assert drafts.Store(folder).unfinished()[0] == []  # still held


def test_a_draft_whose_table_lacks_a_part_is_refused():
    with pytest.raises(drafts.DraftError, match="table.project：缺少这一项"):
        drafts.validate({"version": 1, "table": {}})
