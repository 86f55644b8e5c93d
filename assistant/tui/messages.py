"""Messages that travel up from widgets and workers to the dialogue screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..drafting import Step, Workspace


@dataclass
class SuggestionsReady(Message):
    """Suggestions computed off the UI thread for `query` at `step` (dropped if either moved on)."""

    step: Step
    query: str
    items: list  # of SuggestionItem


@dataclass
class WorkspaceReady(Message):
    """The engine and corpus have loaded: the one hand-over of the workspace to the live draft."""

    workspace: Workspace


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
