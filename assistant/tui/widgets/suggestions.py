"""The numbered suggestion list under the answer line. It never takes focus."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..text import plain


@dataclass(frozen=True)
class SuggestionItem:
    text: str  # what goes into the answer
    detail: str = ""  # value, source … shown dim after it
    label: str = ""  # shown instead of `text` (a numbered choice shows its label, not its number)


class SuggestionList(OptionList, can_focus=False):
    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, compact=True, **kwargs)
        self.items: list[SuggestionItem] = []
        self.navigated = False  # only a highlight the user moved to counts (OptionList highlights on its own)

    def show(self, items: list[SuggestionItem]) -> None:
        self.items = items
        self.navigated = False
        self._render_options()
        self.display = bool(items)

    def _render_options(self) -> None:
        # One line per option, cut by display cells (a 汉字 takes two): a long goal must not fill the screen.
        width = max(20, (self.size.width or self.app.size.width) - 2)
        self.clear_options()
        options = []
        for n, item in enumerate(self.items, 1):
            prompt = Content.assemble(f"{n}. " if n < 10 else "   ", plain(item.label or item.text))
            if item.detail:
                prompt = Content.assemble(prompt, ("  " + plain(item.detail), "dim"))
            options.append(Option(prompt.truncate(width, ellipsis=True)))
        self.add_options(options)
        self.highlighted = None

    def on_resize(self) -> None:
        if self.items:
            highlighted, navigated = self.highlighted, self.navigated
            self._render_options()
            self.highlighted, self.navigated = highlighted, navigated

    def move(self, delta: int) -> None:
        if not self.items:
            return
        if self.highlighted is None or not self.navigated:
            self.navigated = True
            self.highlighted = 0 if delta > 0 else len(self.items) - 1
        else:
            self.highlighted = max(0, min(len(self.items) - 1, self.highlighted + delta))

    def chosen(self) -> SuggestionItem | None:
        if not self.navigated or self.highlighted is None or not 0 <= self.highlighted < len(self.items):
            return None
        return self.items[self.highlighted]
