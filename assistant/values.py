"""Reading what people write in a 指标值 cell: numbers with units, percentages, dates, periods, cost standards.

Core module (no I/O, no Textual): `checks`, the dialogue and the suggestion engine share it. Every parser takes
the text as typed and returns a small frozen dataclass, or None when the text is not of that form; none raises.
Matching is done on `normalize(text)`: NFKC (full-width digits, ％ and ＝ folded) and no whitespace, so the
PDF's "2024 年 12 月" reads like "2024年12月".
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from .textnorm import match_key

__all__ = [
    "TIME_UNITS",
    "CostStandard",
    "Deadline",
    "Measure",
    "Per",
    "Period",
    "find_deadlines",
    "find_periods",
    "format_number",
    "format_wan",
    "has_digit",
    "normalize",
    "parse_amount",
    "parse_cost",
    "parse_measure",
    "parse_percent",
    "parse_period",
    "parse_project_period",
    "ProjectPeriod",
    "ascii_operator_form",
    "years_in",
]

# ---------------------------------------------------------------------------------------- basics
# Canonical operators: what a person types (>=, ≧, ＝ …) -> ≥ ≤ ＝ > <.
_OPERATOR_FORMS = {
    ">=": "≥", "=>": "≥", "≧": "≥", "⩾": "≥", "≥": "≥",
    "<=": "≤", "=<": "≤", "≦": "≤", "⩽": "≤", "≤": "≤",
    "=": "＝", "＝": "＝", ">": ">", "<": "<",
}
_OP = r"(?P<op>>=|<=|=>|=<|≥|≤|≧|≦|⩾|⩽|=|＝|>|<)"
# At most 15 significant digits: longer runs are not amounts, and int() of a 5,000-digit string raises.
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3}){1,4}(?!\d)|\d{1,15})(?:\.(?P<frac>\d{1,8}))?"
_HAN = r"\u4e00-\u9fff"


normalize = match_key  # the matching form of a cell (textnorm is its home)


def has_digit(text: str) -> bool:
    """Any Arabic digit (after NFKC, so full-width digits count; 三 does not)."""
    return any("0" <= ch <= "9" for ch in normalize(text))


def _number(match: re.Match[str]) -> float:
    whole = match.group("num").replace(",", "")
    frac = match.group("frac")
    return float(f"{whole}.{frac}" if frac else whole)


def _operator(raw: str | None) -> str | None:
    return _OPERATOR_FORMS.get(raw) if raw else None


def format_number(value: float, max_decimals: int = 4) -> str:
    """12.0 -> "12", 0.6590 -> "0.659", 1e20 -> "100000000000000000000"; never scientific notation."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_wan(value: float, max_decimals: int = 4) -> str:
    """An amount in 万元 as budget tables write it: two decimals at least, four (1 元) at most by default."""
    if not math.isfinite(value):
        return str(value)
    text = format_number(value, max_decimals)
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


# ---------------------------------------------------------------------------------- measures
@dataclass(frozen=True)
class Measure:
    """One number with an optional operator and unit: "≥95%", "60人", "12", "2万元/年"."""

    operator: str | None  # ≥ ≤ ＝ > < (canonical), None when absent
    number: float
    unit: str  # what follows the number ("%", "人", "万元/年"); "" when nothing does

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


_MEASURE = re.compile(rf"{_OP}?{_NUMBER}(?P<unit>[^\d]{{0,20}})")


# Operators written in words, before or after the number ("不低于95%", "95%以上。"). Longest first.
_WORD_BEFORE = (
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("小于等于", "≤"), ("小于或等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("不大于", "≤"), ("最多", "≤"),
)
_WORD_AFTER = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"), ("左右", None))
_END_PUNCTUATION = "。.；;，,！!"


def _words_to_operator(norm: str) -> tuple[str, str | None]:
    """"95%以上。" -> ("95%", "≥"); "不低于95%" -> ("95%", "≥"); anything else unchanged with None."""
    norm = norm.rstrip(_END_PUNCTUATION)
    for word, op in _WORD_BEFORE:
        if norm.startswith(word) and norm[len(word) : len(word) + 1].isdigit():
            return norm[len(word) :], op
    for word, op in _WORD_AFTER:
        if norm.endswith(word) and len(norm) > len(word):
            return norm[: -len(word)], op or ""
    return norm, None


def parse_measure(text: str) -> Measure | None:
    """The whole cell as operator + number + unit (the unit has no digits), else None.

    Operators in words count ("不低于95%", "95%以上", "≥95%。"): staff write them, reviewers read them so.
    """
    norm, word_op = _words_to_operator(normalize(text))
    match = _MEASURE.fullmatch(norm)
    if not match:
        return None
    number = _number(match)
    if not math.isfinite(number):
        return None
    operator = _operator(match.group("op"))
    if operator is None and word_op:
        operator = word_op
    elif operator is not None and word_op:
        return None  # "≥95%以下": contradictory, not a measure
    return Measure(operator, number, match.group("unit"))


# ASCII operators as typed (">=90%", "=<5次"): accepted everywhere, written ≥ ≤ in the official form.
_ASCII_OPERATOR = re.compile(r">=|=>|<=|=<")
_ASCII_TO_SIGN = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤"}


def ascii_operator_form(text: str) -> str | None:
    """The text with ASCII operators written as ≥/≤ (">=90%" -> "≥90%"), None if it has none."""
    if not _ASCII_OPERATOR.search(text or ""):
        return None
    return _ASCII_OPERATOR.sub(lambda m: _ASCII_TO_SIGN[m.group(0)], text)


def parse_percent(text: str) -> Measure | None:
    """"≥95%" -> Measure("≥", 95.0, "%"); anything that is not a single percentage -> None."""
    found = parse_measure(text)
    return found if found is not None and found.is_percent else None


# ------------------------------------------------------------------------------------- dates
@dataclass(frozen=True)
class Deadline:
    """A date mention: "2024年12月底" -> year 2024, month 12, end True; "年底前" -> end True."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end: bool = False  # 底/末: the end of the month (or of the year)

    @property
    def bare_year(self) -> bool:
        """Only a year ("2024年"): too coarse for a deadline."""
        return self.year is not None and self.month is None and self.day is None and not self.end


_DATE_CN = re.compile(
    r"(?:(?<!\d)(?P<y>\d{4})年度?)?"
    r"(?:(?<!\d)(?P<m>\d{1,2})月份?)?"
    r"(?:(?<!\d)(?P<d>\d{1,2})[日号])?"
    r"(?:(?<=\d年)年(?=[底末]))?"  # "2025年年底前": the end of the year 2025
    r"(?P<end>底|末)?"
)
_DATE_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})[-./](?P<m>\d{1,2})(?:[-./](?P<d>\d{1,2}))?(?!\d)")
_END_ONLY = re.compile(r"(?<![\d年月])[年月](?P<end>底|末)")


def find_deadlines(text: str) -> list[Deadline]:
    """Every date mention in a cell, in order. Impossible months or days (13月, 32日) are not dates."""
    norm = normalize(text)
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    for match in _DATE_ISO.finditer(norm):
        deadline = _deadline(match, norm)
        if deadline:
            found.append((match.start(), deadline))
            taken.append(match.span())
    for match in _DATE_CN.finditer(norm):
        if not (match.group("y") or match.group("m") or match.group("d")):
            continue
        if any(a <= match.start() < b for a, b in taken):
            continue
        # "12个月" has no date in it; "12月" alone is a month.
        deadline = _deadline(match, norm)
        if deadline:
            found.append((match.start(), deadline))
    for match in _END_ONLY.finditer(norm):
        found.append((match.start(), Deadline(match.group(0), end=True)))
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]


def _deadline(match: re.Match[str], norm: str) -> Deadline | None:
    year = int(match.group("y")) if match.group("y") else None
    month = int(match.group("m")) if match.group("m") else None
    day = int(match.group("d")) if match.group("d") else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is not None and not 1900 <= year <= 2100:
        return None
    end = bool(match.groupdict().get("end"))
    return Deadline(match.group(0), year, month, day, end)


def years_in(text: str) -> list[int]:
    """The years a text names as "20xx年" (also 19xx), in order, each once."""
    out: list[int] = []
    for match in re.finditer(r"(?<!\d)((?:19|20)\d\d)年", normalize(text)):
        year = int(match.group(1))
        if year not in out:
            out.append(year)
    return out


# ----------------------------------------------------------------------------------- periods
@dataclass(frozen=True)
class Period:
    """A length of time: "12个月" -> (None, 12, "月"); "≤30天" -> ("≤", 30, "日"); "1年" -> (None, 1, "年")."""

    operator: str | None
    number: float
    unit: str  # canonical: 年 季度 月 周 日 工作日 小时

    @property
    def months(self) -> float | None:
        """The period in months where that is exact (年, 季度, 月), else None."""
        factor = {"年": 12, "季度": 3, "月": 1}.get(self.unit)
        return self.number * factor if factor else None


_PERIOD_UNITS = {
    "个月": "月", "月": "月", "个季度": "季度", "季度": "季度", "个工作日": "工作日", "工作日": "工作日",
    "天": "日", "日": "日", "周": "周", "个星期": "周", "星期": "周", "年": "年", "小时": "小时", "个小时": "小时",
}
# A whole cell "12月" is December and "30日" a day of the month, so cells need 个月/天 as well.
_PERIOD_UNIT = "|".join(sorted((re.escape(u) for u in _PERIOD_UNITS if u not in ("月", "日")), key=len, reverse=True))
# In running text a period needs an unambiguous unit: "12月" is a month, "31日" a day, "2024年" a year.
_PERIOD_IN_TEXT = re.compile(
    rf"(?<![\d年月.,]){_OP}?(?P<n>\d{{1,4}}(?:\.\d{{1,2}})?)(?P<unit>个月|个季度|季度|个工作日|工作日|天|周|个星期|个小时|小时|年(?!度|底|末))"
)
_CN_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "半": 0.5}
_PERIOD_CELL = re.compile(
    rf"{_OP}?(?P<n>\d{{1,4}}(?:\.\d{{1,2}})?|[{''.join(_CN_NUMBERS)}])(?P<unit>{_PERIOD_UNIT})(?:内|以内|之内)?"
)


def _period(match: re.Match[str]) -> Period | None:
    raw = match.group("n")
    number = float(_CN_NUMBERS[raw]) if raw in _CN_NUMBERS else float(raw)
    unit = _PERIOD_UNITS[match.group("unit")]
    if unit == "年" and number >= 100:  # "2024年" is a date, not 2,024 years
        return None
    return Period(_operator(match.group("op")), number, unit)


def parse_period(text: str) -> Period | None:
    """The whole cell as a period: "1年", "一年", "≤12个月", "30天内". Used for 项目期 and 时效 values."""
    match = _PERIOD_CELL.fullmatch(normalize(text))
    return _period(match) if match else None


def find_periods(text: str) -> list[Period]:
    """Periods inside running text ("12个月内完成"); bare "12月"/"31日" are dates and not found here."""
    out = []
    for match in _PERIOD_IN_TEXT.finditer(normalize(text)):
        period = _period(match)
        if period is not None:
            out.append(period)
    return out


# ------------------------------------------------------------------------------ project periods
@dataclass(frozen=True)
class ProjectPeriod:
    """A 项目期 as forms write it: a length ("1年", "6个月") or a span of years or months."""

    text: str
    length: Period | None = None  # "1年" -> Period(None, 1, "年")
    start: tuple[int, int | None] | None = None  # (year, month) of a span
    end: tuple[int, int | None] | None = None


_RANGE = r"(?:-|—|–|－|~|～|至|到)+"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
_MONTH = r"(?P<{0}>\d{{1,2}})"
# "2024年", "2024年度", "2024-2026", "2024—2026年", "2024年-2026年", "2024至2026年度"
_YEAR_SPAN = re.compile(rf"{_YEAR.format('y1')}(?:年度?)?(?:{_RANGE}{_YEAR.format('y2')}(?:年度?)?)?")
# "2023.07-2024.01", "2024年1月-2024年12月", "2024年1月至12月", "2024年1-12月", "2024.1-12"
_DAY = r"(?:[.\-/]?\d{1,2}[日号]?)?"  # a day is allowed and not checked: "2024年1月1日-2024年12月31日"
_MONTH_SPAN = re.compile(
    rf"{_YEAR.format('y1')}(?:年|[.\-/]){_MONTH.format('m1')}月?份?{_DAY}{_RANGE}"
    rf"(?:{_YEAR.format('y2')}(?:年|[.\-/]))?{_MONTH.format('m2')}月?份?{_DAY}"
)


def parse_project_period(text: str) -> ProjectPeriod | None:
    """A 项目期 a reviewer can read: "1年", "一年", "3年期", "6个月", "2024年", "2024-2026", "2023.07-2024.01".

    None for anything else, including impossible spans ("20246-202516", "2026-2024", "2024.13-2025.01").
    """
    norm = normalize(text).rstrip(_END_PUNCTUATION)
    if not norm:
        return None
    length = parse_period(norm[:-1] if norm.endswith("年期") else norm)
    if length is not None and length.unit in ("年", "月") and 0 < length.number <= 50 * (12 if length.unit == "月" else 1):
        return ProjectPeriod(norm, length=length)
    match = _YEAR_SPAN.fullmatch(norm)
    if match:
        y1 = int(match.group("y1"))
        y2 = int(match.group("y2") or y1)
        return ProjectPeriod(norm, start=(y1, None), end=(y2, None)) if y1 <= y2 else None
    match = _MONTH_SPAN.fullmatch(norm)
    if match:
        y1, m1, m2 = int(match.group("y1")), int(match.group("m1")), int(match.group("m2"))
        y2 = int(match.group("y2") or y1)
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12) or (y2, m2) < (y1, m1):
            return None
        return ProjectPeriod(norm, start=(y1, m1), end=(y2, m2))
    return None


# ------------------------------------------------------------------------------ cost standards
TIME_UNITS = ("年", "季度", "月", "周", "日")
_TIME_FORMS = {"年": "年", "季度": "季度", "季": "季度", "月": "月", "周": "周", "天": "日", "日": "日"}
_MONEY = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}


@dataclass(frozen=True)
class Per:
    """One denominator of a cost standard: "/人" -> Per("人"); "/3个队" -> Per("队", 3); "/月" -> Per("月")."""

    unit: str
    count: float = 1.0

    @property
    def is_time(self) -> bool:
        return self.unit in TIME_UNITS


@dataclass(frozen=True)
class CostStandard:
    """A cost value: amount in 元 per denominators. "人均200元/月" -> 200 元 per 人 per 月."""

    text: str  # the normalised cell, for messages
    operator: str | None  # "≤" makes it a ceiling
    amount: float  # 元
    per: tuple[Per, ...] = ()

    @property
    def counts(self) -> tuple[Per, ...]:
        return tuple(p for p in self.per if not p.is_time)

    @property
    def times(self) -> tuple[Per, ...]:
        return tuple(p for p in self.per if p.is_time)


_PREFIX_UNITS = {"人均": "人", "户均": "户", "村均": "村"}
_COST = re.compile(
    rf"{_OP}?(?P<pre>(?:人均|户均|村均|每[{_HAN}]){{0,3}}){_NUMBER}(?P<money>亿元|万元|千元|元)"
    rf"(?P<rest>(?:/(?:\d{{1,6}}(?:\.\d{{1,2}})?)?个?[{_HAN}]{{1,3}}){{0,4}})(?:左右)?[。.]?"
)
_DENOMINATOR = re.compile(rf"/(?P<n>\d{{1,6}}(?:\.\d{{1,2}})?)?个?(?P<unit>[{_HAN}]{{1,3}})")


def parse_cost(text: str) -> CostStandard | None:
    """"2556元/人/月", "3万元/村/年", "350元/次", "人均200元/月", "1840元/月/3个队", "≤36万元" -> CostStandard."""
    norm = normalize(text)
    match = _COST.fullmatch(norm.replace("·", "/").replace("•", "/"))
    if not match:
        return None
    amount = _number(match) * _MONEY[match.group("money")]
    if not math.isfinite(amount):
        return None
    per: list[Per] = []
    for pre in re.findall(rf"人均|户均|村均|每[{_HAN}]", match.group("pre")):
        unit = _PREFIX_UNITS.get(pre) or pre[1:]
        per.append(Per(_TIME_FORMS.get(unit, unit)))
    for part in _DENOMINATOR.finditer(match.group("rest")):
        unit = _TIME_FORMS.get(part.group("unit"), part.group("unit"))
        count = float(part.group("n")) if part.group("n") else 1.0
        if count <= 0:
            return None
        per.append(Per(unit, count))
    return CostStandard(norm, _operator(match.group("op")), amount, tuple(per))


# ---------------------------------------------------------------------------------------- amounts
_AMOUNT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(亿元|万元|千元|万|元)?")
_TO_WAN = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "万": 1.0, "亿元": 1e4}


def parse_amount(text: str, unit: str = "万元") -> float | None:
    """A funding amount in 万元: "36.00", "3,309,840.00" (in `unit`), "250万", "1840320元"; None if none.

    Division keeps the correctly rounded value: "1840320元" gives exactly 184.032.
    """
    t = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "").replace("，", "")
    m = _AMOUNT.match(t)
    if not m:
        return None
    number = float(m.group(1))
    factor = _TO_WAN.get(m.group(2) or unit, 1.0)
    return number / 10000 if factor == 1e-4 else number / 10 if factor == 0.1 else number * factor
