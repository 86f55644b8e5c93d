"""Command palette provider: jump to any step to change its answer (also by pinyin initials)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..segment import pinyin_keys
from .text import shown


class StepProvider(Provider):
    """ "跳到：项目名称 …", one hit per step of the dialogue, matched on the label or its pinyin initials."""

    def _steps(self):
        screen = self.app.dialogue_screen
        return screen, screen.draft.steps()

    async def discover(self) -> Hits:
        screen, steps = self._steps()
        for step, label in steps:
            yield DiscoveryHit(shown(f"跳到：{label}"), partial(screen.jump, step), help="修改这一步的回答")

    async def search(self, query: str) -> Hits:
        screen, steps = self._steps()
        matcher = self.matcher(query)
        initials = query.lower()
        for step, label in steps:
            text = f"跳到：{label}"
            score = matcher.match(text)
            if not score and initials.isascii() and initials.isalpha() and initials in pinyin_keys(label)[1]:
                score = 0.5
            if score:
                yield Hit(score, shown(text), partial(screen.jump, step), help="修改这一步的回答")
