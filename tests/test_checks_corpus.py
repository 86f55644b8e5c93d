"""Rules against the goal and the corpus: goal-indicator-mismatch (a)/(b), unchanged-from-prior; order independence."""

from __future__ import annotations

import copy
import random

from assistant.checks import run_checks

from .seed_tables import brief, change, seed, seed_corpus


def test_goal_not_mentioning_the_project():
    added, _ = change(5, lambda t: setattr(t.project, "goal", seed(2).project.goal))
    assert added == [("warning", "goal-indicator-mismatch", "project.goal", "年度总体目标未体现「村干部任职补贴」，请核对是否照搬其他项目。")]


def test_goal_core_drops_year_and_fund_words():
    # 表1's goal talks of 村级组织, never of 村委会办公 (DOMAIN §4.2).
    assert ("warning", "goal-indicator-mismatch", "project.goal", "年度总体目标未体现「村委会办公」，请核对是否照搬其他项目。") in brief(
        run_checks(seed(1))
    )


def test_goal_copied_from_another_project():
    found = [f for f in brief(run_checks(seed(14), corpus_tables=seed_corpus())) if f[1] == "goal-indicator-mismatch"]
    assert found == [
        ("info", "goal-indicator-mismatch", "project.goal", "年度总体目标与「2024年村干部任职补贴」的年度总体目标相同，请核对是否照搬其他项目。")
    ]
    assert [f for f in run_checks(seed(14)) if f.code == "goal-indicator-mismatch"] == []  # no corpus, no comparison


def test_goal_copy_ignores_punctuation_width_but_not_the_same_project():
    # 表1 "，" and 表15 "," have the same words.
    found = [f[3] for f in brief(run_checks(seed(1), corpus_tables=seed_corpus())) if f[1] == "goal-indicator-mismatch"]
    assert "年度总体目标与「2024年村级组织办公经费自治区补助资金」的年度总体目标相同，请核对是否照搬其他项目。" in found
    # The same project in another year is not "another project".
    prior = seed(5)
    prior.project.name, prior.project.year = "2023年村干部任职补贴", 2023
    assert [f for f in run_checks(seed(5), corpus_tables=[prior]) if f.code == "goal-indicator-mismatch"] == []


def _next_year(table):
    table.project.name = table.project.name.replace("2024", "2025")
    table.project.year = 2025
    table.project.goal = "2025年" + table.project.goal
    for ind in table.indicators:
        ind.value = ind.value.replace("2024", "2025")
    return table


def test_unchanged_from_prior():
    renewed = _next_year(seed(7))
    found = [f for f in brief(run_checks(renewed, corpus_tables=seed_corpus())) if f[1] == "unchanged-from-prior"]
    assert found == [("info", "unchanged-from-prior", "indicators", "全部绩效指标与2024年度相同，请根据本年度任务更新。")]


def test_updated_indicators_are_not_unchanged():
    renewed = _next_year(seed(7))
    renewed.indicators[0].value = "4人"
    assert [f for f in run_checks(renewed, corpus_tables=seed_corpus()) if f.code == "unchanged-from-prior"] == []


def test_a_later_table_is_not_prior():
    later = _next_year(seed(7))
    table = seed(7)
    later.indicators = copy.deepcopy(table.indicators)
    assert [f for f in run_checks(table, corpus_tables=[later]) if f.code == "unchanged-from-prior"] == []


def test_findings_do_not_depend_on_corpus_order():
    corpus = seed_corpus()
    renewed = _next_year(seed(5))
    targets = [seed(n) for n in (1, 5, 14, 15)] + [renewed]
    expected = [run_checks(t, corpus_tables=corpus) for t in targets]
    rng = random.Random(5)
    for _ in range(5):
        shuffled = corpus[:]
        rng.shuffle(shuffled)
        assert [run_checks(t, corpus_tables=shuffled) for t in targets] == expected


def test_findings_do_not_depend_on_which_duplicate_goal_comes_first():
    # 表1's goal equals 表15's; add a third copy: the message names all others, sorted.
    third = seed(15)
    third.project.name = "2024年另一个项目"
    a = run_checks(seed(1), corpus_tables=[seed(15), third])
    b = run_checks(seed(1), corpus_tables=[third, seed(15)])
    assert a == b
    assert "与「2024年另一个项目」「2024年村级组织办公经费自治区补助资金」的年度总体目标相同" in next(
        f.message for f in a if "相同" in f.message
    )
