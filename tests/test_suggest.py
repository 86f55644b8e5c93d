"""The suggestion engine on the real bundled tables (issue 4)."""

from __future__ import annotations

import pytest

from assistant.corpus import load_corpus
from assistant.index import build_from_entries
from assistant.paths import bundled_knowledge
from assistant.suggest import Engine, normalise


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(build_from_entries(load_corpus(bundled_knowledge()).entries))


def texts(results):
    return [s.text for s in results]


def test_drafting_community_cadre_allowance_ranks_the_allowance_wording_first(engine):
    results = engine.suggest("", field="name", level2="成本指标", project="2025年社区干部任职补贴", k=5)
    top = results[0]
    assert top.text == "社区干部任职补贴标准"
    assert top.adapted is True and top.level2 == "成本指标"
    assert top.source.project.endswith("干部任职补贴") and top.source.year == 2024
    assert "村干部任职补贴标准" in texts(results)  # the original stays available, lower


def test_pinyin_initials_find_the_village_committee(engine):
    results = engine.suggest("cwh", field="name", k=5)
    assert "村委会个数" in texts(results)
    assert all(s.match == "pinyin" for s in results)
    assert "村委会个数" in texts(engine.suggest("cunwei", field="name", k=5))
    assert "村委会个数" not in texts(engine.suggest("unwei", field="name", k=5))  # not at a syllable start


def test_polyphone_reading_is_found_both_ways(engine):
    # pypinyin reads 长聘 as zhang pin; staff type c p.
    assert "长聘人员满意度" in texts(engine.suggest("cpry", field="name", k=10))
    assert "长聘人员满意度" in texts(engine.suggest("zpry", field="name", k=10))


def test_typed_prefix_beats_substring(engine):
    results = engine.suggest("村干部", field="name", level2="服务对象满意度指标", project="2024年村干部任职补贴", k=5)
    assert results[0].text == "村干部满意度" and results[0].match == "prefix"


def test_values_come_with_units_most_common_first(engine):
    results = engine.suggest("", field="value", name="保障村干部人数", project="2024年村干部任职补贴", k=3)
    assert results[0].text == "60人" and results[0].count == 4
    satisfaction = engine.suggest("", field="value", name="村干部满意度", k=1)
    assert satisfaction[0].text == "≥95%"


def test_values_move_to_the_drafted_year(engine):
    results = engine.suggest("", field="value", name="村干部任职补贴支出时限", project="2025年村干部任职补贴", k=3)
    assert results[0].text == "2025年12月底" and results[0].adapted is True
    assert all("2024年" not in s.text for s in results)


def test_project_names_move_to_the_drafted_year(engine):
    results = engine.suggest("村干部任职", field="project", year=2025, k=3)
    assert results[0].text == "2025年村干部任职补贴" and results[0].adapted is True


def test_goal_is_adapted_to_subject_and_year(engine):
    top = engine.suggest("", field="goal", project="2025年社区干部任职补贴", k=1)[0]
    assert "社区干部任职补贴" in top.text and "村干部" not in top.text and top.adapted


def test_adaptation_never_touches_a_shorter_word_inside_another(engine):
    # 村 -> 社区 must not turn 乡村治理 into 乡社区治理.
    results = engine.suggest("", field="name", level2="社会效益指标", project="2025年社区干部任职补贴", k=10)
    assert all("乡社区" not in s.text for s in results)


def test_exclude_and_deduplication(engine):
    first = engine.suggest("", field="name", level2="服务对象满意度指标", project="2024年村干部任职补贴", k=10)
    assert len({normalise(s.text) for s in first}) == len(first)
    again = engine.suggest(
        "", field="name", level2="服务对象满意度指标", project="2024年村干部任职补贴", k=10, exclude=[first[0].text]
    )
    assert first[0].text not in texts(again) and again[0].text == first[1].text


def test_empty_query_without_context_gives_popular_wording(engine):
    results = engine.suggest("", field="name", level2="服务对象满意度指标", k=3)
    assert results and results[0].text == "村干部满意度" and results[0].match == "popular"


def test_unknown_level2_gives_nothing(engine):
    assert engine.suggest("", field="name", level2="不存在指标") == []


@pytest.mark.parametrize(
    "query",
    ["😀", "[bold]村[/]", "<script>", "\x00\x1f", "村" * 10_000, "a" * 10_000, "%%%", "   ", "ＣＷＨ", "2024"],
)
@pytest.mark.parametrize("field", ["name", "value", "goal", "project"])
def test_odd_input_never_raises(engine, query, field):
    results = engine.suggest(query, field=field, name=query, project=query, goal=query, k=5)
    assert isinstance(results, list) and len(results) <= 5
    assert all(0 <= s.score <= 100 for s in results)


def test_fullwidth_letters_are_pinyin_too(engine):
    assert "村委会个数" in texts(engine.suggest("ＣＷＨ", field="name", k=5))


def test_json_shape(engine):
    data = engine.suggest("cwh", k=1)[0].to_json()
    assert set(data) >= {"text", "score", "level2", "value", "source"}
    assert set(data["source"]) == {"project", "year", "file"}
    assert isinstance(data["score"], float) and isinstance(data["source"]["year"], int)


def test_empty_corpus(tmp_path):
    engine = Engine.build(build_from_entries([]))
    for field in ("value", "goal", "project"):
        assert engine.suggest("村", field=field, name="村委会个数", project="2024年村委会办公经费") == []
    # Wording: only the drafted project's own words match, said to come from there.
    (only,) = engine.suggest("村", field="name", project="2024年村委会办公经费")
    assert (only.text, only.kind, only.source) == ("村委会办公", "goal", None)
    assert engine.notice("2024年村委会办公经费") == "语料中没有同类项目，以下是通用写法"
