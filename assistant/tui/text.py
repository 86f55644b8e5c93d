"""The one door from data to the screen: text from files, the corpus or a draft becomes screen text here.

A table in a shared corpus is untrusted: its wording may hold terminal escapes (`\\x1b]2;…\\x07` retitles the
terminal, `\\x1b[?1049l` leaves the alternate screen), C1 controls or bidi overrides. Textual passes such
characters through to the terminal, so every widget that shows text from data builds it with `shown` (a
Content, never markup) or `plain` (a str for an Input, a notification or a table cell).
"""

from __future__ import annotations

from textual.content import Content

from ..safetext import printable


def plain(text: str) -> str:
    """The text with every control, C1, bidi and lone-surrogate character shown as a visible escape."""
    return printable(text)


def shown(text: str, style: str = "") -> Content:
    """Screen text: made printable, never read as markup."""
    return Content.styled(printable(text), style) if style else Content(printable(text))
