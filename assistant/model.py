"""The project definition: one 部门项目支出预算绩效目标表 as plain dataclasses.

No I/O here; `tomlio` reads and writes these, `ingest` builds them from text.
Field names follow the TOML keys of SPEC section 1. `review` (in project, funding and each indicator) is the
optional "please verify" note that `renew` leaves on values carried over from last year; `check` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA = 1


@dataclass
class Project:
    """The header block of the table (项目名称 … 年度总体目标)."""

    name: str = ""  # 项目名称
    year: int | None = None  # budget year
    department: str = ""  # 主管部门
    department_code: str = ""  # 代码, a string: leading zeros matter
    implementing_unit: str = ""  # 实施单位
    attribute: str = ""  # 项目属性
    period: str = ""  # 项目期
    goal: str = ""  # 年度总体目标
    review: str = ""  # optional note to check the goal ("沿用上年数值，请核实", set by renew); "" = none


@dataclass
class Funding:
    """项目资金 in 万元: total = fiscal + other (checked elsewhere, not enforced)."""

    total: float = 0.0  # 年度资金总额
    fiscal: float = 0.0  # 其中：财政拨款
    other: float = 0.0  # 其他资金
    review: str = ""  # optional note to check the amounts (set by renew); "" = none


@dataclass
class Indicator:
    """One 三级 row with its categories and target value."""

    level1: str  # 一级指标
    level2: str  # 二级指标, without the （必填…） marker
    name: str  # 三级指标
    value: str = ""  # 指标值 as written; "" where the source has none
    review: str = ""  # optional note to check this row's numbers (set by renew); "" = none


@dataclass
class Source:
    """Where a corpus table came from."""

    document: str
    table: int


@dataclass
class Table:
    """One table = one project file."""

    project: Project = field(default_factory=Project)
    funding: Funding = field(default_factory=Funding)
    indicators: list[Indicator] = field(default_factory=list)
    source: Source | None = None
    schema: int = SCHEMA
