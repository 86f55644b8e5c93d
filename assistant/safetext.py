"""Text from files made safe to show: control, C1 and bidi characters become visible escapes.

A table in a shared corpus is untrusted. A project name holding `\\x1b]2;…\\x07` would retitle the
terminal, `\\x1b[?1049l` would leave the alternate screen, and U+202E would show `exe.txt` as `txt.exe`.
Every place where file text reaches a screen (the CLI's streams, the app's widgets) passes it through
`printable`; names that become file names go through `strip_bidi`.
"""

from __future__ import annotations

import os
import re

# Bidi embeddings, overrides and isolates, plus the marks: they reorder what the reader sees.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 except tab and newline, DEL, C1, bidi controls, and lone surrogates (undecodable file bytes).
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}\\ud800-\\udfff]")
_BIDI_RE = re.compile(f"[{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`"a\\x1b[31mb"` -> `"a\\\\x1b[31mb"`: the text with every unsafe character shown as an escape."""
    return _UNSAFE.sub(_escape, text)


def strip_bidi(text: str) -> str:
    """The text without bidi controls (for names that become file names)."""
    return _BIDI_RE.sub("", text)


def path_text(path: str | os.PathLike[str]) -> str:
    """A file name as valid text, to show or to record in a table's [source].

    Names on a Windows share are often GBK bytes, which Python keeps as lone surrogates; they cannot be
    printed or written as UTF-8. Decode such bytes as GB18030 when they are that, else show them as \\xNN.
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not any("\ud800" <= ch <= "\udfff" for ch in name):
        return name
    raw = name.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")
