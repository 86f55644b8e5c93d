"""Messages that travel up from widgets and workers to the dialogue screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class SuggestionsReady(Message):
    """Suggestions computed off the UI thread for `query` at step `key` (dropped if either moved on)."""

    key: str
    query: str
    items: list  # of SuggestionItem


@dataclass
class EngineReady(Message):
    engine: object
    warnings: list[str]


@dataclass
class EngineFailed(Message):
    error: str


@dataclass
class PickSuggestion(Message):
    """A quick key (1-9) chose the n-th suggestion."""

    number: int


@dataclass
class MoveHighlight(Message):
    delta: int


class AcceptHighlight(Message):
    """Tab: take the highlighted suggestion (or the inline completion) into the input."""


class GoBack(Message):
    """Esc in the input."""
