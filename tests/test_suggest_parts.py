"""The engine's parts on their own: unit expectations, sectors, goal wording, the typed state."""

from __future__ import annotations

import pytest

from assistant.adapt import project_subject
from assistant.goalwords import goal_wordings, numbers, phrases
from assistant.library import load_library
from assistant.paths import bundled_library
from assistant.sector import SectorMatcher, infer_sectors
from assistant.suggest import EngineState
from assistant.units import expect, fits, same_shape, shape_of


@pytest.mark.parametrize(
    ("wording", "shape", "unit"),
    [
        ("改造户厕数量", "count", "户"),
        ("户厕改造验收合格率", "percent", None),  # the ending decides: a rate, not a count of 户厕
        ("户厕改造补助标准", "money", "户"),
        ("高标准农田建设面积", "count", "亩"),
        ("项目完成时限", "date", None),
        ("受益人数", "count", "人"),
        ("资产入股贫困人口总数(≥**人)", "count", "人"),  # a trailing note is only a hint
        ("工程设计使用年限", "years", None),
        ("项目金额", "money", None),
    ],
)
def test_expected_shape_from_wording(wording, shape, unit):
    want = expect(wording)
    assert want is not None and want.shape == shape
    if unit:
        assert unit in want.units


def test_wording_without_a_known_shape_expects_nothing():
    assert expect("开展送戏进万村") is None
    assert expect("基层村干部工作积极性") is None


@pytest.mark.parametrize(
    ("value", "shape"),
    [("60人", ("count", "人")), ("≥95%", ("percent", "%")), ("2025年12月31日前", ("date", "")),
     ("2556元/人/月", ("money", "元/人/月")), ("12月底到位", ("date", "")), ("≥20年", ("years", "年")),
     ("优良", ("text", ""))],
)  # fmt: skip
def test_shape_of_values(value, shape):
    assert shape_of(value) == shape


def test_fits_checks_units_and_per_units():
    assert fits("300座", expect("改造户厕数量")) and not fits("60人", expect("生活垃圾清运量"))
    assert fits("600元/户", expect("户厕改造补助标准")) and not fits("600元/人/年", expect("户厕改造补助标准"))
    assert same_shape("≥70村", "80村") and not same_shape("70个", "70村") and same_shape("100%", "≥95%")


def test_sectors_from_name_and_goal():
    sectors = [("environment", ("人居环境", "户厕", "垃圾")), ("agriculture", ("农田", "粮食")), ("grassroots", ("村干部",))]
    assert infer_sectors("2025年农村人居环境整治经费", "", sectors) == ("environment",)
    assert infer_sectors("2025年高标准农田建设项目", "年增粮食", sectors) == ("agriculture",)
    assert infer_sectors("2025年办公经费", "", sectors) == ()


def test_the_matcher_infers_what_infer_sectors_does(entries):
    """SectorMatcher scans each name and goal once (a cold build): the same sectors for every pair, ties too."""
    library = load_library(bundled_library())
    sectors = [(s.id, s.keywords) for s in library.sectors]
    sectors.append(("twin", next(s.keywords for s in library.sectors if s.keywords)))  # ties with another
    matcher = SectorMatcher(sectors)
    names = [e.table.project.name for e in entries] + ["2025年农村人居环境整治经费", "2025年办公经费", ""]
    goals = [e.table.project.goal for e in entries] + ["改造农村户厕300户，清运生活垃圾1200吨", ""]
    pairs = [(n, g) for n in names for g in goals[:: max(1, len(goals) // 20)]]
    assert any(len(infer_sectors(n, g, sectors)) == 2 for n, g in pairs)
    for name, goal in pairs:
        for limit in (1, 2, 3):
            assert matcher(name, goal, limit) == infer_sectors(name, goal, sectors, limit), (name, goal)


def test_goal_numbers_and_wording():
    stated = numbers("改造户厕300户，完成农村生活垃圾清运1200吨；服务周期2023.07-2024.01")
    assert [(n.phrase, n.value) for n in stated] == [("改造户厕", "300户"), ("农村生活垃圾清运", "1200吨")]
    found = {(w.level2, w.text): w.value for w in goal_wordings("主体班培训280人次;开设课程数量220门;高质量完成干部教育培训工作。")}
    assert found[("数量指标", "主体班培训人次")] == "280人次"
    assert found[("数量指标", "开设课程数量")] == "220门"
    assert not any("高质量" in text for _, text in found)  # an aim, not a thing to count
    assert "送戏进万村" in phrases("文化惠民工程,主要用于送戏进万村,按照明年的任务70个行政村")


def test_project_subject():
    assert project_subject("岳阳县2022年高标准农田建设项目") == "高标准农田建设"
    assert project_subject("2025年农村人居环境整治经费") == "农村人居环境整治"
    assert project_subject("2024年村干部任职补贴") == "村干部任职补贴"


def test_engine_state_round_trips_and_rejects_other_shapes(engine14):
    plain = engine14.state.to_plain()
    again = EngineState.from_plain(plain)
    assert again.to_plain() == plain
    for broken in (None, [], {**plain, "format": -1}, {k: v for k, v in plain.items() if k != "pools"},
                   {**plain, "library": {"sector": []}}):  # fmt: skip
        with pytest.raises(ValueError):
            EngineState.from_plain(broken)


def test_counted_things_give_completion_rows_only_when_something_is_done():
    found = {(w.level2, w.text): w.value for w in goal_wordings("主体班培训280人次;10个合作社为入股贫困户返本分红")}
    assert found[("质量指标", "主体班培训完成率")] == ""  # what is done and counted is also completed
    assert found[("数量指标", "合作社个数")] == "10个"  # the counted thing follows the number
    assert ("质量指标", "合作社完成率") not in found  # a bare thing is not "completed"
    assert [(n.phrase, n.value) for n in numbers("完成300户户厕改造")] == [("户厕改造", "300户")]


def test_goal_phrases_leave_dates_out():
    assert "服务周期" in phrases("通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良")


def test_yes_no_wording_and_money_written_without_yuan():
    want = expect("项目实施是否产生经济价值")
    assert want is not None and want.choices == ("是", "否")
    assert fits("否", want) and not fits("长期", want)
    assert shape_of("250万") == shape_of("250万元") == ("money", "万元")
    assert fits("10个", expect("入股合作社个数")) and not fits("12次", expect("入股合作社个数"))


def test_typed_text_matches_the_start_of_later_words_of_a_goal_phrase():
    found = phrases("10个合作社为入股贫困户返本分红,第一年按投资额20%反本")
    assert "入股贫困户返本分红" in found and "贫困户返本分红" in found
    assert "为入股贫困户返本分红" not in found  # a tail starts at a content word, not at 为


def test_a_span_of_time_the_goal_states_is_its_own_timeliness_row():
    rows = [(w.level2, w.text, w.value) for w in goal_wordings("改造户厕300户，建设工期2025年3月至10月")]
    assert ("时效指标", "建设工期", "2025年3月至10月") in rows
    assert not any("工期" in text for level2, text, _ in rows if level2 != "时效指标")  # no 建设工期数量


def test_grades_for_quality_wording_and_money_units_before_prose():
    assert expect("服务周期内空气质量").choices == ("合格", "优良", "达标")
    assert expect("工程质量验收合格率").shape == "percent"  # the ending 率 decides
    assert shape_of("严格按照预算标准1000元/人给补助对象兑付补助") == ("money", "元/人")
    assert shape_of("1840元/月/3个队") == ("money", "元/月/3个队")


def test_typed_action_verbs_complete_with_the_goals_own_actions(engine14):
    goal = "文化惠民工程,主要用于送戏进万村,按照明年的任务70个行政村"
    got = [s.text for s in engine14.suggest("开展", level2="数量指标", project="农村文化建设配套补助经费", goal=goal, k=10)]
    assert "开展送戏进万村" in got


def test_goal_phrase_joining_two_verb_phrases_is_split_at_the_later_verb():
    rows = {(w.level2, w.text): w.value for w in goal_wordings("开展农村人居环境整治改造农村户厕300户")}
    assert rows[("数量指标", "改造农村户厕数量")] == "300户"
    assert ("质量指标", "农村户厕改造验收合格率") in rows
    assert not any(text.startswith(("开展", "农村人居环境整治改造")) for _, text in rows)
    found = phrases("实施高标准农田建设新建灌排渠道")
    assert "新建灌排渠道" in found and "高标准农田建设" in found
    assert ("数量指标", "新建灌排渠道数量") in {(w.level2, w.text) for w in goal_wordings("实施高标准农田建设新建灌排渠道")}
    # One verb phrase stays whole: a generic verb before a specific one goes, an opening word is no verb phrase.
    assert ("数量指标", "送戏进万村数量") in {(w.level2, w.text) for w in goal_wordings("开展送戏进万村")}
    assert "干部教育培训工作" in phrases("高质量完成干部教育培训工作")
    assert "情景教学或外训" in phrases("情景教学或外训批次6批次")


def test_a_bare_counted_thing_gives_a_cost_standard_per_thing():
    rows = {(w.level2, w.text) for w in goal_wordings("10个合作社为入股贫困户返本分红")}
    assert ("成本指标", "合作社补助标准") in rows
    # People and events are no thing a standard is paid per.
    assert not any("补助标准" in w.text for w in goal_wordings("开展健康教育讲座12场，资助学生500人"))


def test_typed_text_is_completed_with_the_level2s_head_words(engine14):
    farmland = {"project": "岳阳县2022年高标准农田建设项目", "goal": "完成项目主体工程70%"}
    got = engine14.suggest("工程", level2="可持续影响指标", **farmland, k=9)
    hit = next(s for s in got if s.text == "工程设计使用年限")
    assert hit.kind == "library" and hit.label == "通用" and "补全" in hit.origin
    assert all(s.score >= hit.score for s in got[: got.index(hit)])  # after anything written that matches
    # Typed text inside a head word is that head said of the project.
    got = [s.text for s in engine14.suggest("合格", level2="质量指标", **farmland, k=9)]
    assert "高标准农田建设验收合格率" in got
    # A verb takes only a count of those who did it; no nonsense for an aim or for what is no word.
    got = [s.text for s in engine14.suggest("改造", level2="数量指标", **farmland, k=9)]
    assert "改造户数" in got and "改造数量" not in got
    assert not [s for s in engine14.suggest("解决", level2="社会效益指标", **farmland, k=9) if s.match == "completion"]
    assert not [s for s in engine14.suggest("按政", level2="质量指标", **farmland, k=9) if s.match == "completion"]
    # The goal's own bare count row, qualified by what is typed.
    goal = "10个合作社为入股贫困户返本分红"
    got = [s.text for s in engine14.suggest("入股", level2="数量指标", project="2018年南岳镇资产收益扶贫项目", goal=goal, k=9)]
    assert "入股合作社个数" in got


@pytest.mark.parametrize(
    ("wording", "shape", "fits_unit", "not_unit"),
    [
        ("脱贫户供水设施数量", "count", "座", "户"),  # the head noun (设施) decides, not 脱贫户 before it
        ("农户种植面积", "count", "亩", "户"),
        ("学校厕所改造数量", "count", "座", "所"),
        ("垃圾清运车辆数量", "count", "辆", "吨"),
        ("贫困户人数", "count", "人", "户"),
        ("脱贫户供水设施验收合格率", "percent", None, None),  # an ending beats every word inside
        ("人均补助标准", "money", "人", "户"),  # per 人: 元/户 does not fit
    ],
)
def test_the_match_nearest_the_end_of_the_wording_decides_the_unit(wording, shape, fits_unit, not_unit):
    want = expect(wording)
    assert want is not None and want.shape == shape
    if fits_unit:
        assert fits_unit in want.units and not_unit not in want.units
