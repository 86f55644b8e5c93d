"""The label vocabulary of published forms (knowledge/labels.toml): header labels, indicator-column labels and
the provincial names of 一级/二级, mapped onto the framework's canonical names.

Data, not code: a province's new wording is a line in labels.toml. Everything here matches on `label_key`
(NFKC, no spaces, no colon, no （必填） marker).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..framework import Framework, default_framework
from ..paths import bundled_knowledge
from ..textnorm import label_key

_ENUMERATOR = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))")
_PAREN_TAIL = re.compile(r"[(（][^()（）]*[)）]$")


@dataclass(frozen=True)
class Vocabulary:
    header: dict[str, str]  # label key -> field kind (name, department, …, skip)
    fiscal_parts: frozenset[str]
    other_parts: frozenset[str]
    columns: dict[str, str]  # label key -> indicator column role
    level1: dict[str, str]  # label key -> canonical 一级
    level2: dict[str, str]  # label key -> canonical 二级
    checked: tuple[str, ...]
    unchecked: tuple[str, ...]
    footer_starts: tuple[str, ...]
    footer_contains: tuple[str, ...]
    qualitative: tuple[str, ...] = ()  # graded target values, to split a run-together 三级 from its value

    # -- header ------------------------------------------------------------------------------------
    def header_kind(self, text: str) -> str | None:
        """The field a header label names ("（一）财政拨款小计" -> fiscal), or None."""
        candidates = _candidates(label_key(text))
        for candidate in candidates:
            if candidate in self.header:
                return self.header[candidate]
        bare = candidates[-1] if candidates else ""
        if 4 <= len(bare) <= 12 and bare.endswith(("财政拨款", "财政资金", "财政补助")):
            return "fiscal"  # 本年财政拨款, 市本级财政资金 …: any wording of the fiscal line
        return None

    def is_part(self, text: str) -> bool:
        """A sub-line of a nested funding block (1、一般公共预算 under 财政拨款小计)."""
        key = _ENUMERATOR.sub("", label_key(text))
        return key in self.fiscal_parts or key in self.other_parts

    def column_role(self, text: str) -> str | None:
        key = label_key(text)
        if key in self.columns:
            return self.columns[key]
        if re.search(r"实际(?:实现|完成)?值$|^(?:20\d\d年)?实际", key):
            return "skip"
        if re.match(r"^预期(?:20\d\d年)?(?:实现|目标)?值$|^(?:20\d\d年)?(?:年度)?(?:目标|指标)值", key):
            return "value"
        return None

    # -- levels ------------------------------------------------------------------------------------
    def level1_of(self, text: str, fw: Framework, *, bare: bool = False) -> str | None:
        """The canonical 一级 a label names; with `bare` (the row has room for a 二级 or a name and a value after
        it) also "产出" / "效益" / "满意度" without 指标."""
        found = fw.match_level1(text) or self.level1.get(_strip_marks(text))
        if found is None and bare:
            key = _strip_marks(text)
            if key and not key.endswith("指标"):
                found = fw.match_level1(key + "指标") or self.level1.get(key + "指标")
        return found

    def level2_of(self, text: str, fw: Framework, *, bare: bool = False) -> str | None:
        found = fw.match_level2(text, bare=bare)
        if found is None:
            key = _strip_marks(text)
            found = self.level2.get(key)
            if found is not None and not bare and not key.endswith(("指标", "值")):
                found = None  # "数量" alone names a 二级 only where the row has room for a name and a value
        return found

    def is_footer(self, text: str) -> bool:
        t = text.strip()
        key = label_key(t)
        return t.startswith(self.footer_starts) or key.startswith(self.footer_starts) or any(
            c in t or c in key for c in self.footer_contains
        )


def _strip_marks(text: str) -> str:
    return _ENUMERATOR.sub("", label_key(text))


def _candidates(key: str) -> list[str]:
    """A label key and its variants without 其中, an enumerator ((一), 1、) or a trailing (说明)."""
    out = [key]
    for k in list(out):
        bare = k.removeprefix("其中:").removeprefix("其中")
        bare = _ENUMERATOR.sub("", bare)
        out.append(bare)
        out.append(_PAREN_TAIL.sub("", bare))
    return [k for k in dict.fromkeys(out) if k]


def _index(table: dict[str, list[str]]) -> dict[str, str]:
    return {label_key(label): kind for kind, labels in table.items() for label in labels}


def _parse(data: dict, fw: Framework) -> Vocabulary:
    header = {k: v for k, v in data["header"].items() if k not in ("fiscal_parts", "other_parts")}
    level1 = _index(data.get("level1", {}))
    level2 = _index(data.get("level2", {}))
    for canonical in level1.values():
        if canonical not in fw.level1:
            raise ValueError(f"labels.toml: 未知的一级指标「{canonical}」")
    for canonical in level2.values():
        if canonical not in fw.level2:
            raise ValueError(f"labels.toml: 未知的二级指标「{canonical}」")
    return Vocabulary(
        header=_index(header),
        fiscal_parts=frozenset(label_key(x) for x in data["header"].get("fiscal_parts", ())),
        other_parts=frozenset(label_key(x) for x in data["header"].get("other_parts", ())),
        columns=_index(data["indicator_columns"]),
        level1=level1,
        level2=level2,
        checked=tuple(data["checkbox"]["checked"]),
        unchecked=tuple(data["checkbox"]["unchecked"]),
        footer_starts=tuple(data["footer"]["starts"]),
        footer_contains=tuple(data["footer"]["contains"]),
        qualitative=tuple(data.get("values", {}).get("qualitative", ())),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary, loaded once."""
    with open(bundled_knowledge() / "labels.toml", "rb") as fh:
        return _parse(tomllib.load(fh), default_framework())


def canonical_levels(level1: str, level2: str, fw: Framework | None = None) -> tuple[str, str] | None:
    """A (一级, 二级) pair as any form writes it -> the framework's canonical pair, or None if the 二级 is unknown.

    Aliases of either level map to their canonical name; a 二级 under a 一级 the framework does not allow for it
    (满意度 under 效益指标, as older Hubei/Hunan forms file it) moves to its default 一级.
    """
    fw = fw or default_framework()
    voc = vocabulary()
    l2 = voc.level2_of(level2, fw, bare=True)
    if l2 is None:
        return None
    l1 = voc.level1_of(level1, fw)
    return fw.level1_for(l2, l1), l2
