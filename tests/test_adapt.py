"""Adapting wording to another subject and year."""

from __future__ import annotations

from assistant.adapt import adapter, core_name, subject_pairs

GROUPS = (("村干部", "社区干部", "组干部"), ("村委会", "社区"))


def test_core_name():
    assert core_name("2024年村干部任职补贴") == "村干部任职补贴"
    assert core_name("村干部任职补贴") == "村干部任职补贴"


def test_analogy_extends_a_single_character_head_to_a_word():
    pairs = subject_pairs("村干部民族团结奖", "社区干部民族团结奖", (), lambda tail: tail[:2])
    assert pairs == (("村干部", "社区干部"),)


def test_analogy_needs_a_real_shared_tail():
    # "补贴" alone is not enough to pair 村干部任职年限 with 社区干部任职.
    assert subject_pairs("村干部任职年限补贴", "社区干部任职补贴", (), None) == ()


def test_groups_give_pairs_where_names_share_no_tail():
    assert subject_pairs("村干部报酬自治区补助资金", "社区干部任职补贴", GROUPS, None) == (("村干部", "社区干部"),)


def test_adapter_applies_subject_and_year():
    a = adapter("2024年村干部任职补贴", 2024, "2025年社区干部任职补贴", 2025, GROUPS, lambda t: t[:2])
    assert a.apply("村干部任职补贴标准") == "社区干部任职补贴标准"
    assert a.apply("2024年12月底") == "2025年12月底"
    assert a.apply("完善乡村治理体系") == "完善乡村治理体系"
    assert a.apply("12024年") == "12024年"  # not a year
    assert a.misfits("保障村干部人数") and not a.misfits("群众满意度")


def test_no_adapter_for_the_same_project_and_year():
    assert not adapter("2024年村干部任职补贴", 2024, "2024年村干部任职补贴", 2024, GROUPS, None)


def test_names_differing_inside_pair_as_wholes():
    # 任职年限补贴 → 任职补贴: the whole name where a wording writes it out, never a part of it.
    pairs = subject_pairs("村干部任职年限补贴", "村干部任职补贴", (), None)
    assert pairs == (("村干部任职年限补贴", "村干部任职补贴"),)
    a = adapter("2024年村干部任职年限补贴", 2024, "2024年村干部任职补贴", 2024, (), None)
    assert a.apply("村干部任职年限补贴标准") == "村干部任职补贴标准"
    assert a.apply("村干部任职收入") == "村干部任职收入"
    assert subject_pairs("政府长聘人员经费", "农村人居环境整治经费", (), None) == ()
