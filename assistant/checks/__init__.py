"""The reviewer's rules (DOMAIN.md §4): `run_checks(table)` -> sorted `Finding`s; `run_review` adds the ✓ lines.

Each rule is a small function over the model in a module by theme; categories, word lists and thresholds
come from the framework (knowledge/framework.toml), corpus tables are passed in, and no rule reads a file.
The requirement profile follows the table's form (checks/profile.py) unless one is named.
Cheap and total: the dialogue calls this after every answer on a half-filled table.
Rules yield `Finding`s (problems) and `Confirmation`s (what was verified right, e.g. the cost arithmetic):
confirmations never count as findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..framework import Framework, default_framework
from ..model import Table
from .base import SEVERITIES, Confirmation, Context, Finding, describe_where, finding_order, where_order
from .benefit import check_benefit_repeats_output, check_name_copies_goal
from .budget import check_cost_restates_budget
from .categories import check_category_mismatch, check_level_mismatch, check_required_categories
from .corpus import check_goal_copied, check_unchanged_from_prior
from .cost import check_cost_product
from .duplicates import check_duplicates
from .fields import check_period_malformed, check_required_fields, check_year_mismatch
from .figures import check_goal_figures
from .funding import check_funding_sum, check_funding_value
from .goal import check_goal_mentions_project
from .operators import check_ascii_operators
from .placeholder import check_placeholders
from .profile import detect_profile
from .review import check_review_marks
from .rows import check_missing_name, check_missing_value
from .satisfaction import check_satisfaction
from .timeliness import check_deadline_not_date, check_deadline_outside_year
from .wording import check_missing_unit, check_vague_benefit, check_vague_quantity, check_value_in_name

__all__ = [
    "RULES",
    "SEVERITIES",
    "Confirmation",
    "Context",
    "Finding",
    "Review",
    "describe_where",
    "detect_profile",
    "run_checks",
    "run_review",
    "where_order",
]

Rule = Callable[[Context], Iterable[Finding | Confirmation]]

# In the order of the rule book; the output is sorted, so this order only documents.
RULES: tuple[Rule, ...] = (
    check_required_fields,  # required-field
    check_year_mismatch,  # year-mismatch
    check_period_malformed,  # period-malformed
    check_funding_sum,  # funding-sum
    check_funding_value,  # funding-value
    check_required_categories,  # required-category
    check_level_mismatch,  # level-mismatch
    check_missing_value,  # missing-value
    check_missing_name,  # missing-name
    check_placeholders,  # placeholder
    check_vague_quantity,  # vague-quantity
    check_missing_unit,  # missing-unit
    check_vague_benefit,  # vague-benefit
    check_value_in_name,  # value-in-name
    check_ascii_operators,  # ascii-operator
    check_deadline_not_date,  # deadline-not-date
    check_deadline_outside_year,  # deadline-outside-year
    check_satisfaction,  # satisfaction-threshold, satisfaction-format
    check_duplicates,  # duplicate-indicator
    check_goal_mentions_project,  # goal-indicator-mismatch (a)
    check_goal_copied,  # goal-indicator-mismatch (b), corpus
    check_goal_figures,  # goal-figure-mismatch
    check_cost_restates_budget,  # cost-restates-budget
    check_cost_product,  # cost-product (its matches are confirmations)
    check_benefit_repeats_output,  # benefit-repeats-output
    check_name_copies_goal,  # name-copies-goal
    check_unchanged_from_prior,  # unchanged-from-prior, corpus
    check_category_mismatch,  # category-mismatch
    check_review_marks,  # review-mark: values renew carried over, not yet confirmed
)


@dataclass(frozen=True)
class Review:
    """One run: the findings (problems, sorted) and the confirmations (✓ lines, in file order)."""

    findings: list[Finding]
    confirmations: list[Confirmation]
    profile: str  # the requirement profile used (named, or detected from the table's form)


def run_review(
    table: Table,
    *,
    framework: Framework | None = None,
    corpus_tables: Sequence[Table] | Iterable[Table] = (),
    profile: str | None = None,
    satisfaction_min: float | None = None,
) -> Review:
    """Every rule over one table: findings sorted by severity, then where in the file, then code and message.

    `profile` names a requirement profile of the framework; None detects it from the table's form
    (`detect_profile`). `satisfaction_min` defaults to the framework's `[checks] satisfaction_min` (90).
    Raises ValueError only for an unknown profile; never for anything in the table.
    """
    fw = framework or default_framework()
    if profile is not None and profile not in fw.profiles:
        raise ValueError(f"未知的要求配置「{profile}」（可用：{'、'.join(fw.profiles)}）")
    ctx = Context(
        table=table,
        framework=fw,
        profile=profile or detect_profile(table, fw),
        satisfaction_min=fw.checks.satisfaction_min if satisfaction_min is None else float(satisfaction_min),
        corpus_tables=tuple(corpus_tables),
    )
    findings: set[Finding] = set()
    confirmations: list[Confirmation] = []
    for rule in RULES:
        for item in rule(ctx):
            if isinstance(item, Confirmation):
                if item not in confirmations:
                    confirmations.append(item)
            else:
                findings.add(item)
    confirmations.sort(key=lambda c: where_order(c.where))
    return Review(sorted(findings, key=finding_order), confirmations, ctx.profile or fw.default_profile)


def run_checks(
    table: Table,
    *,
    framework: Framework | None = None,
    corpus_tables: Sequence[Table] | Iterable[Table] = (),
    profile: str | None = None,
    satisfaction_min: float | None = None,
) -> list[Finding]:
    """The findings of `run_review` (problems only: confirmations are not findings)."""
    return run_review(
        table, framework=framework, corpus_tables=corpus_tables, profile=profile, satisfaction_min=satisfaction_min
    ).findings
