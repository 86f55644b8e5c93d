"""Text from files shown safely: terminal controls and bidi overrides become visible escapes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.filenames import slug
from assistant.safetext import printable, strip_bidi


def test_osc_csi_c1_and_bidi_become_escapes():
    assert printable("a\x1b]2;pwned\x07b") == "a\\x1b]2;pwned\\x07b"
    assert printable("\x1b[?1049l") == "\\x1b[?1049l"
    assert printable("x\x9b31my") == "x\\x9b31my"  # C1 CSI
    assert printable("报告\u202etxt.exe") == "报告\\u202etxt.exe"
    assert printable("第一行\n\t第二行") == "第一行\n\t第二行"  # layout characters stay
    assert printable("坏\udcff字节") == "坏\\udcff字节"


@given(st.text())
def test_printable_output_has_no_control_characters(text):
    shown = printable(text)
    assert all(ch in "\n\t" or (ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F) for ch in shown)
    assert "\u202e" not in shown and "\x1b" not in shown


def test_bidi_never_reaches_a_file_name():
    assert strip_bidi("a\u202eb\u2066c") == "abc"
    assert slug("2024年\u202e费经公办") == "2024年费经公办"
