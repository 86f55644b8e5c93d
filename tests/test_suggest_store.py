"""The stored state's per-table columns (suggest/store.py): read back as written, and a damaged blob reads as blank
rows and marks the database for a rebuild, never a crash."""

from __future__ import annotations

import pytest

from assistant.suggest.store import _CodedColumn, _coded_column, _Column, _list_column, _ListColumn, _text_column


class _Reader:
    def __init__(self, blob: bytes | None):
        self.blob, self.forged = blob, 0

    def array(self, key: str) -> bytes | None:
        return self.blob

    def _forged(self) -> None:
        self.forged += 1


NAMES = ["2024年村干部任职补贴", "", "a\x1fb", "\udcff路径"]  # empty, a separator, a lone surrogate (a file name)
LISTS = [["村干部", "补贴"], [], ["补贴", "社区"], ["x"]]


def test_columns_read_back_as_written():
    names = _Column(_Reader(_text_column(NAMES)), "col:names", 4)
    assert [names[t] for t in range(4)] == NAMES and list(names) == NAMES
    assert names[-1] == "" and names[99] == ""  # a forged table number reads as a blank table
    words = _ListColumn(_Reader(_list_column(LISTS)), "col:words", 4)
    assert [words[t] for t in range(4)] == LISTS and words[99] == []
    coded = _CodedColumn(_Reader(_coded_column(NAMES + NAMES[:2])), "col:names", 6)
    assert [coded[t] for t in range(6)] == NAMES + NAMES[:2] and coded[99] == ""
    assert list(coded.codes()) == [0, 1, 2, 3, 0, 1]  # equal names, equal numbers


@pytest.mark.parametrize("cut", [lambda b: b"", lambda b: b[:-3], lambda b: b[:8], lambda b: b"\xff\xff\xff\xff" + b, lambda b: b[4:]])
def test_a_damaged_column_reads_blank_and_is_reported(cut):
    for column, blob, blank in ((_Column, _text_column(NAMES), ""), (_ListColumn, _list_column(LISTS), []),
                                (_CodedColumn, _coded_column(NAMES), "")):
        reader = _Reader(cut(blob))
        got = column(reader, "col", 4)
        assert [got[t] for t in range(4)] == [blank] * 4
        assert reader.forged == 1


def test_a_column_of_another_length_is_damaged():
    reader = _Reader(_text_column(NAMES))
    column = _Column(reader, "col", 3)
    assert [column[t] for t in range(3)] == [""] * 3 and reader.forged == 1


def test_values_by_table_read_back_per_level2():
    from assistant.suggest.store import _ValuesByTable

    level2s = [["数量指标", "数量指标", "时效指标"], [], ["质量指标"]]
    values = [["60人", "12个", "2024年12月底"], [], ["100%"]]
    by_table = _ValuesByTable(_ListColumn(_Reader(_list_column(level2s)), "a", 3), _ListColumn(_Reader(_list_column(values)), "b", 3))
    assert by_table.get(0) == {"数量指标": ["60人", "12个"], "时效指标": ["2024年12月底"]}
    assert by_table.get(1) is None and by_table.get(1, {}) == {}  # a table without values
    assert by_table.get(2) == {"质量指标": ["100%"]} and by_table.get(3) is None and by_table.get(-1) is None
    short = _ValuesByTable(_ListColumn(_Reader(_list_column([["数量指标"], [], []])), "a", 3), _ListColumn(_Reader(_list_column(values)), "b", 3))
    assert short.get(0) is None  # columns that disagree (only a damaged database): read as none
