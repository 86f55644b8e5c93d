"""What the engine hands out: suggestions with their provenance, similar tables, and their labels."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("own", "corpus", "library", "goal")  # SPEC §3: where a suggestion comes from
NOTHING_SIMILAR = "语料中没有同类项目，以下是通用写法"


@dataclass(frozen=True)
class Provenance:
    project: str
    year: int
    file: str


@dataclass
class Suggestion:
    text: str
    score: float  # 0–100
    level2: str | None = None
    value: str | None = None  # the usual 指标值 (for wording), or None
    source: Provenance | None = None  # the corpus table it comes from; None for library and goal rows
    adapted: bool = False  # subject or year replaced for the drafted table
    count: int = 0  # corpus tables that use it
    match: str = ""  # how it matched: context, popular, exact, prefix, substring, pinyin, fuzzy, value, derived
    kind: str = "corpus"  # own | corpus | library | goal
    origin: str = ""  # library: the cited document or 通用写法; goal: 年度总体目标 / 项目名称 / how it was derived
    generic: bool = False  # a sector-independent library row (shown as 通用)
    derived: bool = False  # computed from the draft (funding ÷ quantity), not found anywhere

    @property
    def label(self) -> str:
        """The kind of source as the user reads it."""
        if self.derived:  # worked out from this table's own funding and rows, not the goal's words
            return "按本表推算"
        if self.kind == "library":
            return "通用" if self.generic else "指标库"
        return {"own": "本单位往年", "corpus": "其他单位", "goal": "来自总体目标"}.get(self.kind, "")

    def to_json(self) -> dict:
        src = self.source
        return {
            "text": self.text,
            "score": round(self.score, 2),
            "level2": self.level2,
            "value": self.value,
            "source": {"project": src.project, "year": src.year, "file": src.file} if src else None,
            "adapted": self.adapted,
            "count": self.count,
            "match": self.match,
            "kind": self.kind,
            "origin": self.origin,
            "derived": self.derived,
        }


@dataclass(frozen=True)
class SimilarTable:
    """A corpus table like the drafted one, for the template offer: its index, file and similarity in [0, 1]."""

    table: int
    file: str
    project: str
    year: int
    score: float
