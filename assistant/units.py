"""What a 指标值 should look like, inferred from its wording (knowledge/units.toml), and whether a value fits.

"户厕改造数量" wants a count in 户 or 座, "验收合格率" a percentage, "完成时限" a date, "补助标准" an amount
in 元 per something. The suggestion engine offers (and defaults) only values of the expected shape: no
default is better than "60人" for 生活垃圾清运量. Core module: no Textual.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .values import find_deadlines, parse_measure

SHAPES = ("percent", "date", "money", "count", "years", "text")
_MONEY = re.compile(r"\d(?:[\d.,]*)\s*(?:万|千|百)?元")
_AMOUNT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<scale>亿|万|千|百)?(?:元|(?<=亿|万)(?![\u4e00-\u9fff]))")
_SCALE_WAN = {"亿": 10000.0, "万": 1.0, "千": 0.1, "百": 0.01, None: 0.0001}  # the amount in 万元
_TIMES = {"年": 1, "月": 12}  # per a period of the budget year: divide the year's funding by
_NUMBER = re.compile(r"\d")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]\s*$")
_DURATIONS = frozenset({"天", "日", "个工作日", "工作日", "小时", "分钟", "个月", "周"})
# What a money unit may be per, chained ("/人/月", "/3个队"): a value's prose after it is not its unit.
_PER = re.compile(
    r"(?:/(?:\d+\s*个?)?(?:平方米|立方米|平方公里|公里|千米|人次|户次|课时|学时|工作日|季度|"
    r"[人户村亩座个年月日天次所校台套辆场期批件株只头名家处间周队组班米吨份本册]))+"
)
_DATEISH = re.compile(r"20\d\d\s*[年.\-/]|年底|月底|年末|\d+\s*月")


@dataclass(frozen=True)
class Expectation:
    """The value a wording calls for: a shape, and for counts the units that fit."""

    shape: str
    units: tuple[str, ...] = ()  # count units (户, 座); for money, what the standard may be per
    wording: str = ""  # the rule's word that matched, for explanations
    total: bool = False  # money: the project's whole amount (项目金额, 总成本), not a standard per unit
    choices: tuple[str, ...] = ()  # the answers a yes/no wording takes (是否… → 是, 否), offered as they are
    derive: bool = True  # money: whether funding ÷ quantity can stand for it (not for 增收, 产值)

    def fits(self, value: str) -> bool:
        return fits(value, self)


@dataclass(frozen=True)
class Rule:
    ends: tuple[str, ...]
    has: tuple[str, ...]
    shape: str
    units: tuple[str, ...]
    total: bool = False
    choices: tuple[str, ...] = ()
    derive: bool = True

    def match(self, wording: str) -> str | None:
        """The word that made the rule match, or None."""
        found = self.match_at(wording)
        return found[1] if found else None

    def match_at(self, wording: str) -> tuple[int, str] | None:
        """(where the matching word ends in the wording, the word), or None. A rule with `ends` matches at the
        end; a `has` rule where its word last ends (脱贫户供水设施数量: 设施 ends after 脱贫户)."""
        end = next((w for w in self.ends if wording.endswith(w)), None) if self.ends else ""
        if end is None:
            return None
        if not self.has:
            return (len(wording), end) if end else None
        at, has = max(((wording.rfind(w) + len(w), w) for w in self.has if w in wording), default=(-1, ""))
        if not has:
            return None
        return (len(wording), end) if end else (at, has)


@lru_cache(maxsize=4)
def load_rules(path: Path) -> tuple[Rule, ...]:
    """The rules of a units.toml; a missing or broken file gives none (values are then never filtered)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ()
    rules = []
    for raw in data.get("rules", []):
        if not isinstance(raw, dict) or raw.get("shape") not in SHAPES:
            continue
        words = lambda key: tuple(str(w) for w in raw.get(key, []) if str(w))  # noqa: E731
        units = words("units") or words("per")
        rules.append(Rule(words("ends"), words("has"), raw["shape"], units, raw.get("total") is True, words("values"),
                          raw.get("derive") is not False))
    return tuple(rules)


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    from .paths import bundled_knowledge

    return load_rules(bundled_knowledge() / "units.toml")


@lru_cache(maxsize=1)
def _total_words() -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for r in default_rules() if r.total for w in r.ends + r.has))


def whole_amount(wording: str) -> bool:
    """Whether a wording asks for the project's whole amount (项目金额, 控制在预算成本内). A substring test
    first: the engine asks this for every corpus row it shows."""
    if not any(w in wording for w in _total_words()):
        return False
    want = expect(wording)
    return want is not None and want.total


@lru_cache(maxsize=16384)
def expect(wording: str, rules: tuple[Rule, ...] | None = None) -> Expectation | None:
    """The expected value shape for a wording, or None when nothing in the vocabulary says."""
    text = _TRAILING_NOTE.sub("", wording.strip()).strip("*＊ ")  # "人数(≥**人)": the note is a hint
    # The match nearest the end of the wording wins: the head noun decides (脱贫户供水设施数量 counts 设施 in
    # 座, not 户); an `ends` rule matches at the end, so it beats any `has` rule; ties go to the file's order.
    best: tuple[int, str, Rule] | None = None
    for rule in default_rules() if rules is None else rules:
        found = rule.match_at(text)
        if found and (best is None or found[0] > best[0]):
            best = (found[0], found[1], rule)
    if best is None:
        return None
    _, word, rule = best
    return Expectation(rule.shape, rule.units, word, rule.total, rule.choices, rule.derive)


@lru_cache(maxsize=65536)
def shape_of(value: str) -> tuple[str, str]:
    """(shape, unit) of a value as written: ("count", "户"), ("percent", "%"), ("date", ""), ("text", "")."""
    text = value.strip()
    if not text:
        return "text", ""
    m = parse_measure(text)
    if m is not None:
        if m.is_percent or m.unit.strip() == "‰":
            return "percent", "%"
        if "元" in m.unit or m.unit in ("万", "亿"):  # "250万" is written for 250万元: the same unit
            return "money", m.unit + "元" if m.unit in ("万", "亿") else m.unit
        if (m.unit.startswith("年") and 1900 <= m.number <= 2100) or m.unit.startswith(("月", "日")):
            return "date", ""  # "2025年", "12月底到位"
        if m.unit.strip() in ("年", "年以上"):
            return "years", "年"
        return "count", m.unit.strip()
    money = _MONEY.search(text)
    if money:  # "人均200元/月", "1840元/月/3个队": the unit from the amount on
        tail = text[money.end() :]
        per = _PER.match(tail)  # "1000元/人给补助对象兑付补助": the unit ends where the prose begins
        return "money", ("元" + (per.group(0) if per else tail)) if tail.startswith("/") else ""
    if _DATEISH.search(text) or find_deadlines(text):
        return "date", ""
    if text.endswith("%") and _NUMBER.search(text):
        return "percent", "%"
    return "text", ""


def fits(value: str, want: Expectation) -> bool:
    """Whether a value has the expected shape (and, for counts and per-unit money, a fitting unit)."""
    if want.choices:
        return value.strip() in want.choices
    shape, unit = shape_of(value)
    if want.shape == "date" and (shape == "years" or (shape == "count" and unit in _DURATIONS)):
        return True  # 修复时限 ≤3天, 管护期限 ≥10年: a time allowed, not a date
    if shape != want.shape:
        return False
    if shape == "count" and want.units:
        return any(unit == u or unit.endswith(u) for u in want.units)
    if shape == "money" and want.total and "/" in unit:
        return False  # a whole amount, not a standard per person or per year
    if shape == "money" and want.units and "/" in unit:
        per = unit.split("/", 1)[1]
        return any(per.startswith(u) for u in want.units)
    return True


def same_shape(a: str, b: str) -> bool:
    """Whether two values have the same shape and unit ("≥70村" and "80村"; "100%" and "≥95%")."""
    (sa, ua), (sb, ub) = shape_of(a), shape_of(b)
    if sa != sb:
        return False
    if sa in ("count", "money"):
        return ua == ub
    return True


def amount_wan(value: str) -> float | None:
    """The amount of money a value states, in 万元 ("250万" -> 250, "2666.67元/户" -> 0.266667), or None."""
    if shape_of(value)[0] != "money":
        return None
    m = _AMOUNT.search(value.replace(",", ""))
    return float(m.group("num")) * _SCALE_WAN[m.group("scale")] if m else None


@dataclass(frozen=True)
class PerUnit:
    """What a cost standard is per, split: the counted unit (人, 户; "" for none) and the periods of the year it
    is per (12 for 月), with the amount's unit as colleagues write it (元 or 万元)."""

    count: str
    months: int
    yuan: str


def per_unit(unit: str) -> PerUnit | None:
    """"元/人/月" -> PerUnit("人", 12, "元"); "万元/年" -> PerUnit("", 1, "万元"); None when the chain is not a
    count and a period of the year ("元/次", "元/月/3个队": nothing the funding can be divided into)."""
    yuan, _, chain = unit.partition("/")
    if yuan not in ("元", "万元") or not chain:
        return None
    count, months = "", 1
    for part in chain.split("/"):
        if part in _TIMES and months == 1:
            months = _TIMES[part]
        elif not count and part and not _NUMBER.search(part) and part not in _DURATIONS and part not in ("次", "天", "日"):
            count = part
        else:
            return None
    return PerUnit(count, months, yuan)
