"""Readable, stable file names for tables: the project name itself, made safe for every file system."""

from __future__ import annotations

import re
import unicodedata

from .safetext import strip_bidi

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_CHARS = 80  # well under 255 bytes even when every character is a 3-byte 汉字


def slug(name: str, fallback: str = "未命名项目") -> str:
    """"2024年村委会办公经费" -> "2024年村委会办公经费"; "a/b: c" -> "a-b-c". Never empty, never hidden."""
    text = strip_bidi(unicodedata.normalize("NFC", name))
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = re.sub(r"-{2,}", "-", text).strip("-. ")
    text = text[:_MAX_CHARS].rstrip("-. ")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return text
