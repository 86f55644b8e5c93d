"""Text matching for the engine: the normal form, match quality, pinyin syllable starts, year shifting."""

from __future__ import annotations

from functools import lru_cache

from ..adapt import Adapter
from ..textnorm import bare_key
from ..years import has_real_year

normalise = lru_cache(maxsize=65536)(bare_key)  # the matching and de-duplication form (textnorm is its home)


@lru_cache(maxsize=65536)
def apply(a: Adapter | None, text: str) -> str:
    return a.apply(text) if a else text


@lru_cache(maxsize=65536)
def shift_year(value: str, source_year: int, year: int) -> str:
    return Adapter((), (source_year, year)).apply(value)


# Whether a value writes a year that moving to another budget year could change (most values do not).
dated = lru_cache(maxsize=65536)(has_real_year)


def position_quality(norm: str, q: str, pos: int) -> float:
    """Exact > prefix > substring (earlier is better); a match covering more of the text ranks higher."""
    if norm == q:
        return 1.0
    coverage = 0.04 * len(q) / max(1, len(norm))
    return (0.9 if pos == 0 else 0.82 - min(pos, 20) * 0.004) + coverage


def quality(text: str, q: str) -> float | None:
    if not q:
        return 1.0
    pos = text.find(q)
    return None if pos < 0 else position_quality(text, q, pos)


@lru_cache(maxsize=65536)
def syllable_starts(spaced: str) -> frozenset[int]:
    """Offsets in the unspaced full pinyin where a syllable starts ("cun wei" -> {0, 3})."""
    starts, offset = set(), 0
    for syllable in spaced.split(" "):
        starts.add(offset)
        offset += len(syllable)
    return frozenset(starts)
