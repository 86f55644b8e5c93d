"""Adapting corpus wording to the table being drafted: another subject, another year.

"村干部任职补贴标准" from 2024年村干部任职补贴 becomes "社区干部任职补贴标准" for 2025年社区干部任职补贴,
and "2024年12月底" becomes "2025年12月底". Subjects are found two ways:
- by analogy between the two project names: "村干部民族团结奖" vs "社区干部民族团结奖" share the tail
  "干部民族团结奖", so 村干部 -> 社区干部 (the differing heads, extended to a whole word where one is a
  single character, so 乡村治理 is never touched);
- from the subject groups in knowledge/framework.toml ([adaptation]), for names that share no tail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .years import shift_years, without_year

_YEAR_PREFIX = re.compile(r"^(20\d\d)\s*年度?")
_MAX_HEAD = 8


def core_name(name: str) -> str:
    """A project name without its leading year: "2024年村干部任职补贴" -> "村干部任职补贴"."""
    return _YEAR_PREFIX.sub("", name).strip()


# What project names end with that says how the project is paid for, not what it is about.
_FUNDING_TAILS = ("补助资金", "专项资金", "补助经费", "经费", "资金", "专项", "补助", "配套", "项目", "自治区", "中央", "省级", "市级", "县级")


def project_subject(name: str) -> str:
    """What a project is about, for wording slots: "岳阳县2022年高标准农田建设项目" -> "高标准农田建设",
    "2025年农村人居环境整治经费" -> "农村人居环境整治"."""
    core = without_year(name)
    changed = True
    while changed:
        changed = False
        for tail in _FUNDING_TAILS:
            if core.endswith(tail) and len(core) - len(tail) >= 2:
                core, changed = core[: -len(tail)], True
    return core.strip()


def name_year(name: str) -> int | None:
    m = _YEAR_PREFIX.match(name)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Adapter:
    """Replacements taking a source table's wording to the drafted table's."""

    pairs: tuple[tuple[str, str], ...]  # (source term, drafted term), longest first
    years: tuple[int, int] | None  # (source year, drafted year) when they differ

    def __bool__(self) -> bool:
        return bool(self.pairs or self.years)

    def apply(self, text: str) -> str:
        if self.pairs:
            lookup = dict(self.pairs)
            pattern = "|".join(re.escape(src) for src, _ in self.pairs)
            text = re.sub(pattern, lambda m: lookup[m.group(0)], text)
        if self.years:
            src, dst = self.years
            text = shift_years(text, src, dst)
        return text

    def misfits(self, text: str) -> bool:
        """Whether the wording names the source's subject (so it fits the drafted table less well)."""
        return any(src in text for src, _ in self.pairs)


@lru_cache(maxsize=65536)
def subject_pairs(
    source: str,
    drafted: str,
    groups: tuple[tuple[str, ...], ...] = (),
    first_word: Callable[[str], str] | None = None,
) -> tuple[tuple[str, str], ...]:
    """Subject replacements from one project name to another (both without year). Cached: pure."""
    pairs: dict[str, str] = {}
    if source and drafted and source != drafted:
        n = 0
        while n < min(len(source), len(drafted)) and source[-1 - n] == drafted[-1 - n]:
            n += 1
        head_s, head_d = source[: len(source) - n], drafted[: len(drafted) - n]
        tail = source[len(source) - n :]
        # A real analogy shares a good part of the name ("干部民族团结奖"), not just "补贴".
        shared_enough = n >= 2 and n >= 0.4 * min(len(source), len(drafted))
        if shared_enough and head_s and head_d and len(head_s) <= _MAX_HEAD and len(head_d) <= _MAX_HEAD:
            if min(len(head_s), len(head_d)) >= 2:
                pairs[head_s] = head_d
            else:
                word = first_word(tail) if first_word else tail[:2]
                pairs[head_s + word] = head_d + word
        elif not pairs:
            whole = _inner_change(source, drafted)
            if whole:
                pairs[source] = drafted
    for group, dst in _named_in(drafted, groups):
        in_source = [t for t in group if t in source]
        if in_source:
            src = max(in_source, key=len)
            if src != dst and src not in drafted and not any(src in k or k in src for k in pairs):
                pairs[src] = dst
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1024)
def _named_in(drafted: str, groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The subject groups the drafted name names, each with its longest term there (once per drafted name: the
    names of a thousand source tables are each checked against it)."""
    out = []
    for group in groups:
        in_drafted = [t for t in group if t in drafted]
        if in_drafted:
            out.append((group, max(in_drafted, key=len)))
    return tuple(out)


def _inner_change(source: str, drafted: str) -> bool:
    """Whether two names differ only inside ("村干部任职年限补贴" / "村干部任职补贴": the same head and tail,
    a part added or changed between them), so the whole source name stands for the drafted one wherever it
    is written out: unambiguous, unlike any of its parts."""
    short = min(len(source), len(drafted))
    head = 0
    while head < short and source[head] == drafted[head]:
        head += 1
    tail = 0
    while tail < short - head and source[-1 - tail] == drafted[-1 - tail]:
        tail += 1
    return head >= 2 and tail >= 1 and head + tail >= 0.7 * short and head + tail < max(len(source), len(drafted))


def adapter(
    source_name: str,
    source_year: int,
    drafted_name: str,
    drafted_year: int | None,
    groups: tuple[tuple[str, ...], ...] = (),
    first_word: Callable[[str], str] | None = None,
) -> Adapter:
    pairs = subject_pairs(core_name(source_name), core_name(drafted_name), groups, first_word) if drafted_name else ()
    years = (source_year, drafted_year) if drafted_year and drafted_year != source_year else None
    return Adapter(pairs, years)


@lru_cache(maxsize=8)
def load_subject_groups(path) -> tuple[tuple[str, ...], ...]:
    """The subject groups of a subjects.toml (missing or broken file: none); read once per path."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        return tuple(tuple(str(t) for t in group) for group in data.get("groups", []))
    except (OSError, tomllib.TOMLDecodeError, TypeError):
        return ()


def subject_groups() -> tuple[tuple[str, ...], ...]:
    """The bundled knowledge/subjects.toml groups."""
    from .paths import bundled_knowledge

    return load_subject_groups(bundled_knowledge() / "subjects.toml")
