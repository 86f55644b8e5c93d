"""Text normalisation shared by ingest, the framework and (later) suggestions and checks.

Two different jobs:
- `tidy` turns extracted or typed text into what a person would have typed: it drops the spaces a PDF
  puts between digits and 汉字 ("2024 年 12 月" -> "2024年12月") and folds full-width digits and letters,
  but keeps Chinese punctuation as written (，stays ，).
- `label_key` is for *matching* labels only (NFKC, no whitespace, no （必填…） marker, no trailing colon).
- `match_key` is the matching form of a cell (NFKC, no whitespace): values and the checks compare on it.
- `bare_key` also drops case and punctuation: suggestions de-duplicate on it, the corpus rules compare goals.
"""

from __future__ import annotations

import re
import unicodedata

# 汉字, CJK symbols and punctuation, full-width forms: a space next to any of these is extraction noise.
_CJK = "\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ ]+|[ ]+(?=[{_CJK}])")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but newline
_OPERATOR_SPACE = re.compile(r"(?<=[≥≤＝=<>＞＜])[ ]+(?=[\d.])")
_PERCENT_SPACE = re.compile(r"(?<=\d)[ ]+(?=%)")
# Full-width ASCII that a person would type half-width: digits, letters, % / . and the like.
# Chinese punctuation (，：；（）！？) is deliberately not folded.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FOLD.update({0xFF05: ord("%"), 0xFF0F: ord("/"), 0xFF0E: ord("."), 0xFF0B: ord("+")})
_FOLD.update({0x3000: ord(" "), 0x00A0: ord(" "), 0xFEFF: None, 0x200B: None})

_MARKER = re.compile(r"[(\[](?:[^()\[\]]*(?:必填|选填|硬性|核心|可选)[^()\[\]]*)[)\]]")
_LABEL_STRIP = re.compile(r"^[:：\s]+|[:：\s]+$")


def fold_width(text: str) -> str:
    """Full-width digits, letters and a few ASCII symbols to half-width; invisible spaces removed."""
    return text.translate(_FOLD)


def tidy(text: str) -> str:
    """Text as a person would type it: folded width, no PDF spaces around 汉字, single spaces elsewhere.

    Newlines are kept (a goal may be several paragraphs); each line is tidied on its own.
    """
    text = fold_width(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        line = _SPACE_NEAR_CJK.sub("", line)
        line = _OPERATOR_SPACE.sub("", line)
        line = _PERCENT_SPACE.sub("", line)
        lines.append(line)
    return "\n".join(lines).strip("\n")


def label_key(text: str) -> str:
    """The matching form of a label: NFKC, no whitespace, no （必填…） marker, no surrounding colons."""
    key = unicodedata.normalize("NFKC", text)
    key = "".join(key.split())
    key = _MARKER.sub("", key)
    return _LABEL_STRIP.sub("", key)


_WHITESPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


def match_key(text: str) -> str:
    """The matching form of a cell: NFKC, no whitespace at all."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def bare_key(text: str) -> str:
    """The de-duplication form: NFKC, lower case, no spaces or punctuation ("６０ 人。" -> "60人")."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
