"""What every rule shares: the `Finding`, the per-run `Context` with its pre-read rows, and key paths.

Rules are plain functions `rule(ctx) -> Iterable[Finding]`. They never read files and never raise on odd
input: the dialogue runs them after every answer on a half-filled table.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property

from ..fields import FUNDING_FIELDS, INDICATOR_FIELDS, PROJECT_FIELDS  # noqa: F401  (re-exported to the rules)
from ..framework import CheckSettings, Framework, Profile
from ..model import Indicator, Table
from ..values import normalize

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem: severity error|warning|info, a rule code, a Chinese message, a key path, and the fix."""

    severity: str
    code: str
    message: str
    where: str  # SPEC §2 key path: "project.name", "funding.total", "indicators[3].value", "indicators", ""
    # What to do about it, in Chinese ("" where nothing is to be done). Advice, not identity: two findings
    # are equal when severity, code, message and where are (SPEC §2's four keys).
    fix: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Confirmation:
    """Something a rule verified and found right ("与年度资金总额相符"): a ✓ line for the review, never a finding.

    Kept out of the findings (and of `check --json`'s "findings") so a clean table shows no noise and
    counts stay the count of problems.
    """

    code: str
    message: str
    where: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def text(value: object) -> str:
    """A model field as display text; tolerant of None and non-strings from half-built tables."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def amount(value: object) -> float | None:
    """A funding amount as a finite float, None if it is not a usable number (NaN, inf, text, bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Row:
    """One indicator as the rules see it: display text, matching keys, its 二级's kind."""

    index: int  # 0-based, file order
    level1: str
    level2: str  # as written
    canonical2: str | None  # the framework's 二级 it names (markers and width ignored), None if unknown
    kind: str | None
    name: str  # display text (stripped)
    value: str
    name_key: str  # normalize(name): for comparing
    value_key: str

    @property
    def number(self) -> int:
        """1-based position, as staff count rows."""
        return self.index + 1

    def where(self, field_name: str) -> str:
        return f"indicators[{self.index}].{field_name}"


@dataclass
class Context:
    """Everything a rule may look at; built once per `run_checks` call."""

    table: Table
    framework: Framework
    profile: str | None = None  # the resolved profile key (run_checks detects it when not given)
    satisfaction_min: float = 90.0
    corpus_tables: tuple[Table, ...] = field(default_factory=tuple)

    @property
    def profile_spec(self) -> Profile:
        return self.framework.profile(self.profile)

    @property
    def settings(self) -> CheckSettings:
        return self.framework.checks

    @property
    def year(self) -> int | None:
        year = getattr(self.table.project, "year", None)
        return year if isinstance(year, int) and not isinstance(year, bool) else None

    @cached_property
    def rows(self) -> list[Row]:
        out = []
        for i, ind in enumerate(self.table.indicators or []):
            out.append(self._row(i, ind))
        return out

    def _row(self, i: int, ind: Indicator) -> Row:
        level2 = text(getattr(ind, "level2", ""))
        canonical = self.framework.match_level2(level2) if level2 else None
        name, value = text(getattr(ind, "name", "")), text(getattr(ind, "value", ""))
        return Row(
            index=i,
            level1=text(getattr(ind, "level1", "")),
            level2=level2,
            canonical2=canonical,
            kind=self.framework.kind(canonical) if canonical else None,
            name=name,
            value=value,
            name_key=normalize(name),
            value_key=normalize(value),
        )

    def of_kind(self, *kinds: str) -> list[Row]:
        return [row for row in self.rows if row.kind in kinds]

    def first_level2(self, kind: str) -> str:
        """The framework's first 二级 of a kind, for messages ("看起来属于质量指标")."""
        names = self.framework.of_kind(kind)
        return names[0] if names else kind

    def hint(self, level2: str | None) -> str:
        spec = self.framework.level2.get(level2 or "")
        return spec.hint if spec else ""


# ------------------------------------------------------------------------------------ ordering
_INDICATOR_PATH = re.compile(r"indicators\[(\d+)\](?:\.(\w+))?$")


def where_order(where: str) -> tuple:
    """Sort key for key paths in the order the file lists them: project, funding, indicators, rows."""
    if where == "":
        return (0,)
    head, _, tail = where.partition(".")
    if head == "project":
        return (1, list(PROJECT_FIELDS).index(tail) if tail in PROJECT_FIELDS else 99, tail)
    if head == "funding":
        return (2, list(FUNDING_FIELDS).index(tail) if tail in FUNDING_FIELDS else 99, tail)
    if where == "indicators":
        return (3,)
    match = _INDICATOR_PATH.match(where)
    if match:
        sub = match.group(2) or ""
        return (4, int(match.group(1)), list(INDICATOR_FIELDS).index(sub) if sub in INDICATOR_FIELDS else -1)
    return (9, where)


def finding_order(finding: Finding) -> tuple:
    severity = SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES)
    return (severity, where_order(finding.where), finding.code, finding.message)


def describe_where(table: Table, where: str) -> str:
    """A key path as staff would say it: "indicators[3].value" -> "第4条指标「群众满意度」的指标值"."""
    if where == "":
        return "整张表"
    head, _, tail = where.partition(".")
    if head == "project" and tail in PROJECT_FIELDS:
        return PROJECT_FIELDS[tail]
    if head == "funding" and tail in FUNDING_FIELDS:
        return FUNDING_FIELDS[tail]
    if where == "indicators":
        return "绩效指标"
    match = _INDICATOR_PATH.match(where)
    if match:
        i = int(match.group(1))
        label = f"第{i + 1}条指标"
        rows = table.indicators or []
        if i < len(rows):
            name = text(getattr(rows[i], "name", ""))
            level2 = text(getattr(rows[i], "level2", ""))
            label += f"「{_short(name)}」" if name else (f"（{level2}）" if level2 else "")
        sub = match.group(2)
        return f"{label}的{INDICATOR_FIELDS[sub]}" if sub in INDICATOR_FIELDS else label
    return where


def _short(name: str, limit: int = 30) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def clip(value: str, limit: int = 80) -> str:
    """Cell text quoted in a message; real cells are far shorter, a pasted page is cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"
