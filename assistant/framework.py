"""The category framework (一级 -> 二级, definitions, hints, requirements), loaded from knowledge/framework.toml.

This is the only place that knows category names; everything else asks a `Framework`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .paths import bundled_knowledge
from .textnorm import label_key


class FrameworkError(Exception):
    """The framework file is missing or inconsistent (a packaging bug, not user input)."""


@dataclass(frozen=True)
class Level1:
    name: str
    definition: str


KINDS = ("quantity", "quality", "timeliness", "cost", "social-cost", "ecological-cost", "benefit", "satisfaction")


@dataclass(frozen=True)
class Level2:
    name: str
    kind: str  # one of KINDS: what sort of value it takes
    level1: tuple[str, ...]  # allowed 一级, the first is the default
    definition: str
    hint: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Requirement:
    label: str
    level2: tuple[str, ...]  # met by a row with any of these 二级 ...
    level1: str | None  # ... or by any row under this 一级
    severity: str


@dataclass(frozen=True)
class Profile:
    """A requirement profile beyond its categories: how strictly a form's header fields and funding are read.

    `fields` maps a header key (implementing_unit, attribute, period) to the severity of leaving it blank;
    `funding_breakdown` is "strict" (the form has 财政拨款 and 其他资金 lines: parts must add up) or "partial"
    (a form may give only the total, or one 其中 line: a shortfall is a warning).
    """

    key: str
    title: str
    fields: tuple[tuple[str, str], ...] = ()
    funding_breakdown: str = "strict"

    def field_severity(self, key: str, default: str = "error") -> str:
        return dict(self.fields).get(key, default)


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    layout: tuple[tuple[str, tuple[str, ...]], ...]  # (一级, (二级, ...)) in table order

    def order(self) -> list[tuple[str, str]]:
        """(一级, 二级) pairs in the order a table lists them."""
        return [(l1, l2) for l1, l2s in self.layout for l2 in l2s]


@dataclass(frozen=True)
class CheckSettings:
    """Word lists and thresholds for `assistant.checks` (the `[checks]` table); defaults if it is absent."""

    satisfaction_min: float = 90.0
    count_name_suffixes: tuple[str, ...] = ()
    name_units: tuple[str, ...] = ()
    vague_words: tuple[str, ...] = ()
    vague_pattern: str = ""
    rate_name_suffixes: tuple[str, ...] = ()
    output_rate_suffixes: tuple[str, ...] = ()
    goal_core_suffixes: tuple[str, ...] = ()
    goal_min_overlap: float = 1 / 3
    cost_tolerance_yuan: float = 100.0
    cost_tolerance_share: float = 0.001
    seed_attribute_pattern: str = ""
    period_name_words: tuple[str, ...] = ()
    timeliness_rate_words: tuple[str, ...] = ()
    placeholder_pattern: str = ""
    cost_rate_names: tuple[str, ...] = ()
    copied_name_min_chars: float = 15.0
    goal_satisfaction_words: tuple[str, ...] = ()
    vague_fix: str = ""


@dataclass(frozen=True)
class Framework:
    level1: dict[str, Level1]
    level2: dict[str, Level2]
    templates: dict[str, Template]
    profiles: dict[str, tuple[Requirement, ...]]
    default_template: str
    default_profile: str
    checks: CheckSettings = field(default_factory=CheckSettings)
    profile_specs: dict[str, Profile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys1 = {label_key(n): n for n in self.level1}
        keys2: dict[str, str] = {}
        for spec in self.level2.values():
            for label in (spec.name, *spec.aliases):
                keys2[label_key(label)] = spec.name
        object.__setattr__(self, "_keys1", keys1)
        object.__setattr__(self, "_keys2", keys2)

    # -- lookups -------------------------------------------------------------------------------
    def match_level1(self, label: str) -> str | None:
        """The 一级 a label names (markers, colons and width ignored), or None."""
        return self._keys1.get(label_key(label))  # type: ignore[attr-defined]

    def match_level2(self, label: str, *, bare: bool = False) -> str | None:
        """The 二级 a label names, markers and width ignored; with `bare`, also "数量" for 数量指标."""
        key = label_key(label)
        found = self._keys2.get(key)  # type: ignore[attr-defined]
        if found is None and bare and key and not key.endswith("指标"):
            found = self._keys2.get(key + "指标")  # type: ignore[attr-defined]
        return found

    def allows(self, level1: str, level2: str) -> bool:
        spec = self.level2.get(level2)
        return spec is not None and level1 in spec.level1

    def level1_for(self, level2: str, given: str | None = None) -> str:
        """The 一级 for a 二级: the source's own where the framework allows it, else the default."""
        spec = self.level2[level2]
        return given if given in spec.level1 else spec.level1[0]

    def template(self, key: str | None = None) -> Template:
        return self.templates[key or self.default_template]

    def requirements(self, profile: str | None = None) -> tuple[Requirement, ...]:
        return self.profiles[profile or self.default_profile]

    def kind(self, level2: str) -> str | None:
        """The value kind of a 二级 ("quantity", "cost", …), None for an unknown 二级."""
        spec = self.level2.get(level2)
        return spec.kind if spec else None

    def of_kind(self, *kinds: str) -> tuple[str, ...]:
        """The 二级 names of the given kinds, in framework order."""
        return tuple(name for name, spec in self.level2.items() if spec.kind in kinds)

    def profile(self, key: str | None = None) -> Profile:
        """The profile's field and funding settings (strict defaults for a profile that sets none)."""
        key = key or self.default_profile
        return self.profile_specs.get(key) or Profile(key, key)

    def is_required(self, level2: str, profile: str | None = None) -> bool:
        return any(level2 in r.level2 for r in self.requirements(profile))


def _parse(data: dict, origin: str) -> Framework:
    try:
        level1 = {d["name"]: Level1(d["name"], d["definition"]) for d in data["level1"]}
        level2 = {
            d["name"]: Level2(
                d["name"], d["kind"], tuple(d["level1"]), d["definition"], d["hint"], tuple(d.get("aliases", ()))
            )
            for d in data["level2"]
        }
        templates = {
            key: Template(key, t["title"], tuple((row["level1"], tuple(row["level2"])) for row in t["layout"]))
            for key, t in data["templates"].items()
        }
        profiles = {
            key: tuple(
                Requirement(r["label"], tuple(r.get("level2", ())), r.get("level1"), r["severity"])
                for r in p["require"]
            )
            for key, p in data["profiles"].items()
        }
        specs = {
            key: Profile(
                key,
                p.get("title", key),
                tuple((str(k), str(v)) for k, v in p.get("fields", {}).items()),
                p.get("funding_breakdown", "strict"),
            )
            for key, p in data["profiles"].items()
        }
        fw = Framework(
            level1, level2, templates, profiles, data["default_template"], data["default_profile"],
            _parse_checks(data.get("checks", {})), specs,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FrameworkError(f"{origin}: 分类框架文件缺少或写错了键 {exc}") from exc
    for spec in level2.values():
        if spec.kind not in KINDS:
            raise FrameworkError(f"{origin}: 二级指标「{spec.name}」的 kind「{spec.kind}」无效（可用：{'、'.join(KINDS)}）")
        unknown = [n for n in spec.level1 if n not in level1]
        if unknown:
            raise FrameworkError(f"{origin}: 二级指标「{spec.name}」引用了未定义的一级指标 {unknown}")
    for t in templates.values():
        for l1, l2 in t.order():
            if not fw.allows(l1, l2):
                raise FrameworkError(f"{origin}: 模板「{t.key}」把「{l2}」放在「{l1}」下，与二级定义不符")
    for spec in specs.values():
        bad = [v for _, v in spec.fields if v not in ("error", "warning", "info")]
        if bad or spec.funding_breakdown not in ("strict", "partial"):
            raise FrameworkError(f"{origin}: 要求配置「{spec.key}」的 fields 或 funding_breakdown 无效")
    if fw.default_template not in templates or fw.default_profile not in profiles:
        raise FrameworkError(f"{origin}: 默认模板或默认要求未定义")
    return fw


def _parse_checks(data: dict) -> CheckSettings:
    """The `[checks]` table: lists become tuples, numbers floats; unknown keys are a packaging bug."""
    known = CheckSettings.__dataclass_fields__
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise KeyError(f"checks.{unknown[0]}")
    values = {}
    for key, value in data.items():
        default = getattr(CheckSettings, key, None)
        if isinstance(value, list):
            values[key] = tuple(str(v) for v in value)
        elif isinstance(default, float):
            values[key] = float(value)
        else:
            values[key] = value
    # Patterns are compiled by the rules; a bad one is a packaging bug to report here, not mid-check.
    patterns = ("vague_pattern", "seed_attribute_pattern", "placeholder_pattern")
    for pattern in (*(values.get(k, "") for k in patterns), *values.get("goal_core_suffixes", ())):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"checks: 正则表达式「{pattern}」无效（{exc}）") from None
    return CheckSettings(**values)


def load_framework(path: Path) -> Framework:
    with open(path, "rb") as fh:
        return _parse(tomllib.load(fh), str(path))


@lru_cache(maxsize=1)
def default_framework() -> Framework:
    """The bundled framework, loaded once."""
    return load_framework(bundled_knowledge() / "framework.toml")
