"""A realistic synthetic corpus: the bundled tables varied by year, town, subject, numbers and wording.

Deterministic (seeded), written as ordinary project files so the whole load path is exercised.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from assistant import tomlio
from assistant.corpus import load_corpus
from assistant.model import Funding, Indicator, Project, Table
from assistant.paths import bundled_knowledge

TOWNS = [
    "头闸镇", "姚伏镇", "崇岗镇", "通伏乡", "高庄乡", "灵沙乡", "渠口乡", "黄渠桥镇", "宝丰镇", "陶乐镇",
    "红崖子乡", "城关镇", "石嘴山镇", "惠农镇", "礼和乡", "燕子墩乡", "庙台乡", "尾闸镇", "园艺镇", "红果子镇",
]  # fmt: skip
SUBJECTS = ["村干部", "社区干部", "组干部", "村级党务工作者", "社区工作者", "网格员", "驻村工作队员", "乡村医生", "护林员", "保洁员"]
QUALIFIERS = ["", "", "", "全面", "按时", "规范", "年度", "季度", "重点", "专项"]
SUFFIXES = ["", "", "", "情况", "水平", "工作", "任务", "质量", "效率", "覆盖面"]


def _vary_text(text: str, rng: random.Random, year: int, subject: str) -> str:
    text = text.replace("2024", str(year))
    for s in ("村干部", "社区干部", "组干部", "村级党务工作者", "社区工作者"):
        if s in text:
            text = text.replace(s, subject)
            break
    return text


def _vary_value(value: str, rng: random.Random, year: int) -> str:
    value = value.replace("2024", str(year))
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits and "年" not in value and "%" not in value and rng.random() < 0.7:
        number = max(1, int(int(digits[:6]) * rng.uniform(0.5, 1.8)))
        value = value.replace(digits[:6], str(number), 1) if digits[:6] in value else value
    return value


def generate(rows: int = 100_000, seed: int = 7) -> list[Table]:
    rng = random.Random(seed)
    base = [e.table for e in load_corpus(bundled_knowledge()).entries if e.path.parent.name == "tables"]  # the seed
    tables: list[Table] = []
    total = 0
    while total < rows:
        src = rng.choice(base)
        year = rng.randint(2018, 2026)
        town = rng.choice(TOWNS)
        subject = rng.choice(SUBJECTS)
        name = _vary_text(src.project.name, rng, year, subject)
        if rng.random() < 0.5:
            name = name.replace(f"{year}年", f"{year}年{town}")
        indicators = []
        for ind in src.indicators:
            wording = _vary_text(ind.name, rng, year, subject)
            if rng.random() < 0.35:  # many distinct wordings
                wording = rng.choice(QUALIFIERS) + wording + rng.choice(SUFFIXES)
            if rng.random() < 0.1:
                wording = town + wording
            indicators.append(replace(ind, name=wording, value=_vary_value(ind.value, rng, year)))
        amount = round(src.funding.total * rng.uniform(0.5, 2.0), 4)
        project = replace(
            src.project,
            name=name,
            year=year,
            department=f"平罗县{town}人民政府",
            implementing_unit=f"平罗县{town}人民政府本级",
            goal=_vary_text(src.project.goal, rng, year, subject),
        )
        tables.append(Table(project, Funding(amount, amount, 0.0), indicators))
        total += len(indicators)
    return tables


def write_corpus(folder: Path, tables: list[Table]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, table in enumerate(tables):
        tomlio.write(folder / f"t{n:05d}.toml", table)


def user_home(tmp: str | Path, user_tables: int = 0) -> tuple[dict[str, str], int]:
    """XDG folders under `tmp` for a fresh process, with `user_tables` synthetic tables in the user's own corpus:
    (the environment to run with, the number of tables written)."""
    env = {"XDG_DATA_HOME": str(Path(tmp) / "data"), "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
    tables = generate(rows=user_tables * 25)[:user_tables] if user_tables else []
    if tables:
        write_corpus(Path(tmp) / "data" / "jixiao" / "knowledge", tables)
    return env, len(tables)


__all__ = ["Indicator", "Project", "generate", "user_home", "write_corpus"]
