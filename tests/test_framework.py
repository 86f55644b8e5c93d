"""The category framework is data; these are the facts the rest of jixiao relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.framework import FrameworkError, default_framework, load_framework


@pytest.fixture(scope="module")
def fw():
    return default_framework()


def test_both_templates(fw):
    seed = dict(fw.template("seed").layout)
    g2021 = dict(fw.template("g2021").layout)
    assert seed["产出指标"] == ("数量指标", "质量指标", "时效指标", "成本指标")
    assert "成本指标" not in seed
    assert g2021["成本指标"] == ("经济成本指标", "社会成本指标", "生态环境成本指标")
    assert list(seed) == ["产出指标", "效益指标", "满意度指标"]


def test_every_level2_has_definition_and_hint(fw):
    for spec in fw.level2.values():
        assert spec.definition.endswith("。") and len(spec.definition) > 8, spec.name
        assert spec.hint and "「" in spec.hint, spec.name


@pytest.mark.parametrize(
    "label,expected",
    [
        ("数量指标（必填硬性指标）", "数量指标"),
        ("质量指标(必填)", "质量指标"),
        ("时效指标 （ 必填 ）", "时效指标"),
        ("社会公众或服务对象满意度指标", "服务对象满意度指标"),
        ("村委会个数", None),
    ],
)
def test_match_level2(fw, label, expected):
    assert fw.match_level2(label) == expected


def test_bare_level2_only_when_asked(fw):
    assert fw.match_level2("数量") is None
    assert fw.match_level2("数量", bare=True) == "数量指标"


def test_level1_derivation(fw):
    assert fw.level1_for("成本指标", "效益指标") == "产出指标"  # 表1's misplaced label
    assert fw.level1_for("成本指标", "成本指标") == "成本指标"  # the 2021 layout
    assert fw.level1_for("可持续影响指标", "满意度指标") == "效益指标"
    assert fw.level1_for("经济成本指标") == "成本指标"


def test_requirements(fw):
    national = {r.label: r.severity for r in fw.requirements()}
    assert national == {
        "数量指标": "error",
        "质量指标": "error",
        "时效指标": "error",
        "成本指标": "error",
        "效益指标": "error",
        "服务对象满意度指标": "warning",
    }
    seed = {r.label: r.severity for r in fw.requirements("seed-template")}
    assert seed["可持续影响指标"] == "warning" and seed["社会效益指标"] == "warning"
    assert fw.is_required("数量指标") and not fw.is_required("生态效益指标")


def test_inconsistent_framework_is_rejected(tmp_path: Path, fw):
    from assistant.paths import bundled_knowledge

    text = (bundled_knowledge() / "framework.toml").read_text(encoding="utf-8")
    bad = tmp_path / "framework.toml"
    bad.write_text(text.replace('level1 = "满意度指标", level2 = ["服务对象满意度指标"]', 'level1 = "产出指标", level2 = ["服务对象满意度指标"]', 1), encoding="utf-8")
    with pytest.raises(FrameworkError, match="模板「seed」把「服务对象满意度指标」放在「产出指标」下"):
        load_framework(bad)


def test_no_other_module_hard_codes_category_names():
    import assistant

    root = Path(assistant.__file__).parent
    names = [*default_framework().level2, *default_framework().level1]
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {n}" for n in names if f'"{n}"' in text]
    assert offenders == []


def test_kinds(fw):
    assert fw.kind("成本指标") == fw.kind("经济成本指标") == "cost"
    assert fw.of_kind("benefit") == ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
    assert fw.of_kind("timeliness") == ("时效指标",)
    assert fw.kind("不存在") is None
