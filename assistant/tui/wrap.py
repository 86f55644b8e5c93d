"""Line breaking for Chinese text: closing punctuation never starts a line, numbers and words stay whole.

Textual wraps at spaces and folds anything longer by cells, which puts "，" at a line start and splits
"184.032" across two lines. Bubbles break their text here instead, at the width they are given.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# Never at the start of a line (kinsoku): closing punctuation and the like.
NO_START = frozenset("，。、；：！？）》」』】〕〉…—,.;:!?)]}%％·")
# Never at the end of a line: opening brackets.
NO_END = frozenset("（《「『【〔〈([{")
# A number or a Latin word with what belongs to it (184.032, 2,556, 95%, ≥95%, 0101-一 keeps "0101-").
_TOKEN = re.compile(r"[≥≤<>=+\-./~]?[0-9A-Za-z][0-9A-Za-z.,%％/:_\-]*[\u4e00-\u9fff]?|\s+|.", re.S)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells (a 汉字 takes two); explicit newlines are kept."""
    width = max(width, 4)
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_wrap_line(paragraph, width))
    return out


def _wrap_line(line: str, width: int) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for token in _TOKEN.findall(line):
        size = cell_len(token)
        if used + size <= width:
            current.append(token)
            used += size
            continue
        if token.isspace():  # a break at a space: the space goes
            lines.append("".join(current))
            current, used = [], 0
            continue
        carry: list[str] = []
        if token[0] in NO_START:  # take units along until the new line starts with one that may start it
            while current and (not carry or carry[0][0] in NO_START):
                carry.insert(0, current.pop())
        while current and current[-1] and current[-1][-1] in NO_END:
            carry.insert(0, current.pop())
        if carry and (not current or sum(cell_len(t) for t in carry) + size > width):
            current, carry = current + carry, []  # too narrow to move them: a plain break is the lesser evil
        if current:
            lines.append("".join(current).rstrip())
        current = carry
        used = sum(cell_len(t) for t in current)
        while used + size > width and size > width:  # a token longer than a line: fold it by cells
            room = width - used
            head, rest = _split_cells(token, room)
            if not head:
                lines.append("".join(current))
                current, used = [], 0
                continue
            current.append(head)
            lines.append("".join(current))
            current, used = [], 0
            token, size = rest, cell_len(rest)
        current.append(token)
        used += size
    lines.append("".join(current).rstrip())
    return lines


def _split_cells(token: str, cells: int) -> tuple[str, str]:
    total = 0
    for i, ch in enumerate(token):
        total += cell_len(ch)
        if total > cells:
            return token[:i], token[i:]
    return token, ""
