"""Which sector(s) a project belongs to, from its name and goal and the library's sector keywords.

"2025年农村人居环境整治经费" names 人居环境 and 环境整治: environment and sanitation. The name counts
double: it is what the project is; the goal may mention other sectors in passing. Core module: no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_NAME_WEIGHT = 2.0
_KEEP_FRACTION = 0.5  # a second sector is kept when it scores at least half the best


def sector_scores(name: str, goal: str, sectors: Iterable[tuple[str, Sequence[str]]]) -> dict[str, float]:
    """Sector id -> score: keyword hits in the name (double) and the goal; longer keywords weigh more."""
    scores: dict[str, float] = {}
    for sector_id, keywords in sectors:
        score = 0.0
        for word in keywords:
            if not word:
                continue
            weight = min(len(word), 4) / 2  # 户厕 1.0, 人居环境 2.0: a long keyword is less ambiguous
            if word in name:
                score += _NAME_WEIGHT * weight
            if goal and word in goal:
                score += weight
        if score > 0:
            scores[sector_id] = score
    return scores


def infer_sectors(name: str, goal: str, sectors: Iterable[tuple[str, Sequence[str]]], limit: int = 2) -> tuple[str, ...]:
    """The project's sectors, best first (at most `limit`); () when no keyword matches."""
    scores = sector_scores(name, goal, sectors)
    return _ranked(scores, limit)


def _ranked(scores: dict[str, float], limit: int) -> tuple[str, ...]:
    if not scores:
        return ()
    best = max(scores.values())
    ranked = sorted(scores, key=lambda s: (-scores[s], s))
    return tuple(s for s in ranked if scores[s] >= _KEEP_FRACTION * best)[:limit]


class SectorMatcher:
    """`infer_sectors(name, goal, sectors)` for many projects (a cold build infers every corpus table's): each
    distinct name and goal is scanned once, not once per (name, goal) pair. The same answers: a score is a sum
    of keyword weights, multiples of 0.5, which add up exactly in any order."""

    def __init__(self, sectors: Iterable[tuple[str, Sequence[str]]]):
        self.sectors = [(sector_id, [(w, min(len(w), 4) / 2) for w in keywords if w]) for sector_id, keywords in sectors]
        self.hits: dict[str, list[float]] = {}

    def _hits(self, text: str) -> list[float]:
        """Per sector, the weights of its keywords in the text."""
        got = self.hits.get(text)
        if got is None:
            got = self.hits[text] = [sum(weight for word, weight in keywords if word in text) for _, keywords in self.sectors]
        return got

    def __call__(self, name: str, goal: str, limit: int = 2) -> tuple[str, ...]:
        in_name = self._hits(name)
        in_goal = self._hits(goal) if goal else [0.0] * len(self.sectors)
        scores: dict[str, float] = {}
        for (sector_id, _), n, g in zip(self.sectors, in_name, in_goal):
            score = _NAME_WEIGHT * n + g
            if score > 0:
                scores[sector_id] = score
        return _ranked(scores, limit)


def keyword_sectors(text: str, sectors: Iterable[tuple[str, Sequence[str]]]) -> frozenset[str]:
    """The sectors whose keywords a text (a wording) contains: what makes a row specific to a sector."""
    return frozenset(sector_id for sector_id, keywords in sectors if any(w and w in text for w in keywords))
