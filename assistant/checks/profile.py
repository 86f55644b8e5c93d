"""Which requirement profile a table's form calls for (DOMAIN §4 required-field, required-category).

Published forms differ (DOMAIN §1): the Ningxia seed template has 实施单位, a coded 项目属性 ("0101-一年期项目")
and 项目期; the national 2021 form has 项目属性 in words; older Hunan, Hubei, Sichuan (and Anhui, with 项目来源 instead)
forms have no 项目属性 line, and most no 项目期. The profile is read from what the table has, so a table
ingested from an older form is not called 退回 for lines its form never had; `jixiao check --profile`
overrides the guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..framework import Framework
from ..model import Table
from .base import text

SEED = "seed-template"
OLDER = "older"


@lru_cache(maxsize=8)
def _regex(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def detect_profile(table: Table, framework: Framework) -> str:
    """seed-template for the seed's coded 项目属性 ("0101-一年期项目"); older when the table has no 项目属性;
    else the framework's default (national). Profiles the framework does not define fall back to the default."""
    project = table.project
    attribute = text(getattr(project, "attribute", ""))
    seed = _regex(framework.checks.seed_attribute_pattern)
    if attribute and seed is not None and seed.search(attribute) and SEED in framework.profiles:
        return SEED
    if not attribute and OLDER in framework.profiles:
        return OLDER
    return framework.default_profile
