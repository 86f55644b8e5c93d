"""The dialogue's words (knowledge/drafting.toml), read once: prompts, help, examples, yes/no words."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..fields import label
from ..paths import bundled_knowledge


@dataclass(frozen=True)
class FieldCopy:
    """One header field (or the goal): what is asked and how a good answer is written."""

    path: str
    prompt: str
    help: str
    kind: str = "text"
    examples: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return label(self.path)


@dataclass(frozen=True)
class Copy:
    header: tuple[FieldCopy, ...]
    goal: FieldCopy
    text: dict  # every other section of drafting.toml, by table name

    def __getitem__(self, section: str) -> dict:
        return self.text[section]

    def field(self, path: str) -> FieldCopy | None:
        return next((f for f in (*self.header, self.goal) if f.path == path), None)

    def say(self, message: str, /, **values: object) -> str:
        """A message of [messages] with its {placeholders} filled."""
        return self.text["messages"][message].format(**values)

    def words(self, name: str) -> frozenset[str]:
        return frozenset(self.text["words"][name])


def _field(data: dict) -> FieldCopy:
    return FieldCopy(data["path"], data["prompt"], data["help"], data.get("kind", "text"), tuple(data.get("examples", ())))


@lru_cache(maxsize=1)
def copy() -> Copy:
    with open(bundled_knowledge() / "drafting.toml", "rb") as f:
        data = tomllib.load(f)
    header = tuple(_field(d) for d in data.pop("fields"))
    goal = _field(data.pop("goal"))
    return Copy(header, goal, data)
