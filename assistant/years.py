"""Moving the years written in a table to another budget year: the one rule renew and suggestions share.

Only real years move: a four-digit year near the old budget year followed by 年 or starting a date
("2024年12月底", "2024 年度", "2024-12-31"). Amounts (2024元), document numbers (〔2020〕26号), far years
(2019年文件) and year ranges (2024—2026年) stay as written.
"""

from __future__ import annotations

import re
import unicodedata

DIGITS = "0-9０-９"
YEAR = rf"(?:19|20|１９|２０)[{DIGITS}]{{2}}"
# A year range such as 2024—2026年 or 2024年至2026年: left alone, as a whole.
_RANGE = re.compile(rf"(?<![{DIGITS}.．]){YEAR}\s*年?\s*[-—–―~～至到]\s*{YEAR}\s*年")
# A real year: followed by 年 (2024年, 2024 年度), or the start of a date (2024-12-31, 2024/12/31, 2024.12.31).
_REAL_YEAR = re.compile(
    rf"(?<![{DIGITS}.．])(?P<year>{YEAR})"
    rf"(?=\s*年|(?P<sep>[-/.．])[{DIGITS}]{{1,2}}(?P=sep)[{DIGITS}]{{1,2}}(?![{DIGITS}]))"
)


def has_real_year(text: str) -> bool:
    """Whether the text writes a real year: only then can `shift_years` change it."""
    return _REAL_YEAR.search(text) is not None


def shift_years(text: str, old_year: int, new_year: int) -> str:
    """Move the real years near `old_year` (old_year−1 … old_year+1) by `new_year − old_year`."""
    delta = new_year - old_year
    if not delta or not text:
        return text
    protected = [(m.start(), m.end()) for m in _RANGE.finditer(text)]

    def move(match: re.Match[str]) -> str:
        if any(a <= match.start() < b for a, b in protected):
            return match.group(0)
        written = match.group("year")
        year = int(unicodedata.normalize("NFKC", written))
        if abs(year - old_year) > 1:
            return written
        moved = str(year + delta)
        if written.isascii():
            return moved
        return moved.translate(str.maketrans("0123456789", "０１２３４５６７８９"))  # keep full-width digits

    return _REAL_YEAR.sub(move, text)


# A project name's leading year, after at most a short place name ("岳阳县2022年…", "2024年度…").
_NAME_YEAR = re.compile(rf"^[^{DIGITS}]{{0,12}}?{YEAR}\s*年度?")


def without_year(name: str) -> str:
    """A project name without its leading year (and the place written before it):
    "2024年村干部任职补贴" -> "村干部任职补贴", "岳阳县2022年高标准农田建设项目" -> "高标准农田建设项目"."""
    name = name.strip()
    match = _NAME_YEAR.match(name)
    if match is None or len(name) - match.end() < 2:
        return name
    return name[match.end() :].strip()
