"""ascii-operator (info): an operator typed in ASCII (">=90%"), which the official form writes ≥ / ≤.

DOMAIN §1 (other shapes): values are stored as typed, and every parser reads ">=" as "≥"; this hint only says
what the printed table should show, so copied values end up written one way.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..values import ascii_operator_form
from .base import Context, Finding, clip


def check_ascii_operators(ctx: Context) -> Iterator[Finding]:
    for row in ctx.rows:
        better = ascii_operator_form(row.value)
        if better is not None:
            yield Finding(
                "info", "ascii-operator", f"指标值「{clip(row.value)}」用了半角符号，正式表格写作「{clip(better)}」。",
                row.where("value"), f"改为「{clip(better)}」（≥ 读作「大于等于」，≤ 读作「小于等于」）。",
            )
