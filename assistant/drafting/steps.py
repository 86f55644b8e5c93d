"""Typed drafting steps, and the one place that knows their serialised form ("ind/数量指标/0/value")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# The serialised form is stored in draft.json ("key", "history", "answered"): keep it readable by old drafts.
_ROW = re.compile(r"^ind/(?P<l2>[^/]+)/(?P<n>\d+)/(?P<part>name|value)$")
_MORE = re.compile(r"^ind/(?P<l2>[^/]+)/more$")


@dataclass(frozen=True)
class FieldStep:
    """A header field or the goal, named by its key path in the table ("project.name", "funding.total")."""

    path: str

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class HeaderStep:
    """The header fields after the name, all at once, when every one has a default from the user's own tables."""

    def __str__(self) -> str:
        return "header"


@dataclass(frozen=True)
class TemplateStep:
    """The offer to start from a similar table."""

    def __str__(self) -> str:
        return "template"


@dataclass(frozen=True)
class RowStep:
    """The n-th row of one 二级: its 三级 name or its value."""

    level2: str
    n: int
    part: Literal["name", "value"]

    def __str__(self) -> str:
        return f"ind/{self.level2}/{self.n}/{self.part}"


@dataclass(frozen=True)
class MoreStep:
    """"Another row in this 二级?"."""

    level2: str

    def __str__(self) -> str:
        return f"ind/{self.level2}/more"


@dataclass(frozen=True)
class ReviewStep:
    def __str__(self) -> str:
        return "review"


@dataclass(frozen=True)
class SaveStep:
    def __str__(self) -> str:
        return "save"


@dataclass(frozen=True)
class DoneStep:
    def __str__(self) -> str:
        return "done"


Step = FieldStep | HeaderStep | TemplateStep | RowStep | MoreStep | ReviewStep | SaveStep | DoneStep
TEMPLATE, REVIEW, SAVE, DONE, HEADER = TemplateStep(), ReviewStep(), SaveStep(), DoneStep(), HeaderStep()
_SINGLE = {str(s): s for s in (TEMPLATE, REVIEW, SAVE, DONE, HEADER)}


def parse(text: str) -> Step | None:
    """A step from its serialised form; None for text no step writes (a damaged or foreign draft)."""
    if text in _SINGLE:
        return _SINGLE[text]
    if m := _ROW.match(text):
        return RowStep(m["l2"], int(m["n"]), m["part"])  # type: ignore[arg-type]
    if m := _MORE.match(text):
        return MoreStep(m["l2"])
    if re.fullmatch(r"(project|funding)\.\w+", text):
        return FieldStep(text)
    return None


def dump(step: Step) -> str:
    return str(step)


def level2_of(step: Step) -> str | None:
    """The 二级 a row or "more" step is about."""
    return step.level2 if isinstance(step, (RowStep, MoreStep)) else None
