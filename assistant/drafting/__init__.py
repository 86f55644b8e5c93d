"""Drafting a table step by step: typed steps, a pure session, questions and answers over an immutable workspace."""

from .draft import Draft
from .outcome import Outcome, SaveRequest
from .questions import Question
from .session import Session
from .steps import DONE, HEADER, REVIEW, SAVE, TEMPLATE, FieldStep, MoreStep, ReviewStep, RowStep, SaveStep, Step, parse
from .workspace import Workspace

__all__ = [
    "DONE", "HEADER", "REVIEW", "SAVE", "TEMPLATE", "Draft", "FieldStep", "MoreStep", "Outcome", "Question",
    "ReviewStep", "RowStep", "SaveRequest", "SaveStep", "Session", "Step", "Workspace", "parse",
]  # fmt: skip
