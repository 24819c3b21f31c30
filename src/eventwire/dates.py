"""The dates stage: temporal expressions resolved against the publication date, and each event's date.

Expressions come from the model's DATE entities (and TIME entities that name a day) and from patterns for what a
small model misses. Each resolves to an ISO 8601 value as TimeML writes them (`2023-12-10`, `2023-12`, `2023-W49`,
`2023-Q4`, `1967`, `196` for the 1960s) or to None when it is vague. Common forms are resolved here; the rest go to
dateparser, cached. See docs/dates.md for the policy.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .model import Article, DateMention, EventMention, trimmed

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
NUMBERS = {word: n for n, word in enumerate(_WORDS.split(" "))}
NUMBERS |= {"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
NUMBERS |= {"ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

# --- finding expressions ------------------------------------------------------------------------------------------

# Names are matched capitalised (case-sensitive) so that "may", "march" or "sun" in running text are not dates;
# the words around them are matched in any case.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?!\d)"
_AMOUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|a\s+few|few|several|many|some)"
_EDGE = r"(?i:(?:early|late|mid|earlier|later)[-\s]+)?"
_PART = r"(?:\s+(?i:morning|afternoon|evening|night))?"
_PATTERNS = [
    # "Sunday, December 10, 2023", "Dec. 7", "December 7th"
    rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
    # "7 December 2023", "the 7th of December"
    rf"(?:{_WEEKDAY},?\s+)?(?i:the\s+)?{_DAY}\s+(?i:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
    # "March 1996", "mid-November", "last June", "June last year" (a bare month only where a word dates it)
    rf"{_EDGE}(?:(?i:last|this|next)\s+)?{_MONTH},?\s+{_YEAR}",
    rf"(?i:last|this|next)\s+{_MONTH}|{_MONTH}\s+(?i:last|this|next)\s+(?i:year)",
    rf"(?i:early|late|mid)[-\s]+{_MONTH}",
    # "last Sunday", "on Sunday", "Sunday night", "this coming Monday"
    rf"{_EDGE}(?:(?i:last|this|next|this\s+past|this\s+coming)\s+)?{_WEEKDAY}{_PART}",
    # "yesterday", "late yesterday", "the day before yesterday", "last night"
    rf"{_EDGE}(?i:(?:the\s+day\s+(?:before|after)\s+)?(?:yesterday|today|tomorrow)|tonight|last\s+night){_PART}",
    # "last week", "earlier this month", "next year", "this weekend", "last summer"
    rf"{_EDGE}(?i:(?:last|this|next|this\s+past)\s+(?:week(?:end)?|month|year|quarter|spring|summer|autumn|fall|winter))",
    # "two days ago", "fifty years ago", "nearly four years ago"
    rf"(?i:(?:(?:about|nearly|almost|some|more\s+than|over|just|exactly|roughly)\s+)?{_AMOUNT}\s+(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies))\s+ago)",
    # a year said as one: "in 1967", "since 2014", "mid-1996"
    rf"(?i:in|since|by|until|till|during|before|after|of|from|early|late|mid-?)\s+(?P<year>{_YEAR})(?!\s*(?:%|percent))",
    # "the 1990s", "the late 1970s"
    rf"(?i:the\s+)?{_EDGE}(?:1[5-9]\d0|20\d0)['’]?s\b",
    # "the third quarter", "fourth-quarter"
    r"(?i:(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)[-\s]quarter)",
    # vague: they are dates, but of no day
    r"(?i:recently|lately|currently|nowadays|now|these\s+days|recent\s+(?:days|weeks|months|years))",
    r"(?<=\bin\s)(?i:the\s+(?:near\s+|distant\s+)?future)",
]
# Every pattern holds one of these words; scanning for them first and running the patterns only around them keeps
# the stage a small fraction of parsing time (the patterns tried at every position cost several times more).
_ANCHOR = re.compile(
    rf"{_WEEKDAY}|{_MONTH}|\d\d\d0['’]?s|(?<!\d)(?:1[5-9]|20)\d\d(?!\d)|(?i:\b(?:yesterday|today|tonight|tomorrow|night"
    r"|week|weekend|month|year|quarter|spring|summer|autumn|fall|winter|ago|recently|lately|currently|nowadays|now"
    r"|days|recent|future)\b)"
)
_WINDOW = 48
_FINDER = re.compile("(?<!\\w)(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + ")(?![\\w'’-])")

# Entity texts that are not points in time: durations ("three years", "the past 15 years"), ages ("42 years
# old"), frequencies ("annual", "every week"). TimeML calls these DURATION and SET, not DATE.
_UNITS = (
    r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|hours?|minutes?|seconds?|quarters?|nights?)"
)
_NOT_A_DATE = re.compile(
    r"(?:(?:about|almost|nearly|more\s+than|less\s+than|over|some|at\s+least|up\s+to|only|just|another)\s+)?"
    r"(?:the\s+(?:first\s+|last\s+|past\s+|next\s+|coming\s+|latest\s+|following\s+|previous\s+)?)?"
    rf"(?:(?:[\d.,]+|{_AMOUNT}|a\s+couple\s+of)(?:(?:\s+to\s+|-)[\d\w]+)?(?:[-\s]+|(?=-))(?:\S+\s+)?{_UNITS}"
    r"|days|weeks|months|years|decades|centuries)(?:[-\s]+(?:old|long|ahead|or\s+so))?"
    r"|.*\b(?:annual|annually|daily|weekly|monthly|yearly|quarterly|hourly|nightly|every|each|per)\b.*"
    r"|\d+(?<!1[5-9]\d\d)(?<!20\d\d)",  # a number that cannot be a year
    re.I,
)
# A day named in a TIME entity ("Sunday night", "late yesterday") makes it a date.
_DAY_WORD = re.compile(rf"{_WEEKDAY}|{_MONTH}|(?i:\b(?:yesterday|today|tonight|tomorrow|last\s+night)\b)")
_LEADING = re.compile(r"(?i:(?:on|in|at|since|by|until|till|during|from|of|before|after|about|around)\s+)+")
_TRAILING = re.compile(r"(?:['’]s?|[,.;:])\Z")


Found = tuple[tuple[int, int], list[tuple[int, int]]]


def find(text: str, doc: Doc) -> list[Found]:
    """The character spans of the date expressions of a text (model entities and pattern matches, overlapping
    ones merged), each with the pattern matches inside it."""
    entities: list[tuple[int, int]] = []
    for ent in doc.ents:
        dated = ent.label_ == "DATE" or (ent.label_ == "TIME" and _DAY_WORD.search(ent.text))
        if dated and not _NOT_A_DATE.fullmatch(ent.text.strip()):
            entities.append((ent.start_char, ent.end_char))
    matches = [m.span("year") if m.group("year") else m.span() for m in _matches(text)]
    found: list[Found] = []
    for span in _merged(entities + matches):
        start, end = _trim(text, *span)
        parts = [_trim(text, s, e) for s, e in matches if start <= s and e <= end and (s, e) != span]
        if start < end:
            found.append(((start, end), parts))
    return found


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The pattern matches of a text, looked for only around the words every pattern holds."""
    windows: list[tuple[int, int]] = []
    for hit in _ANCHOR.finditer(text):
        start, end = max(0, hit.start() - _WINDOW), min(len(text), hit.end() + _WINDOW)
        while end < len(text) and not text[end].isspace():
            end += 1  # a window never ends inside a word, where the patterns would see a false end
        windows.append((start, end))
    for start, end in _merged(windows):
        yield from _FINDER.finditer(text, start, end)


def _merged(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Overlapping spans joined into one ("Sunday" from the model and "last Sunday" from a pattern)."""
    start, end = -1, -1
    for s, e in sorted(spans):
        if s < end:
            end = max(end, e)
            continue
        if start >= 0:
            yield start, end
        start, end = s, e
    if start >= 0:
        yield start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the preposition before it or a possessive or punctuation after it, as TimeML marks them."""
    start, end = trimmed(text, start, end)
    lead = _LEADING.match(text, start, end)
    if lead and lead.end() < end:
        start = lead.end()
    tail = _TRAILING.search(text, start, end)
    if tail and tail.start() > start:
        end = tail.start()
    return trimmed(text, start, end)


# --- resolving expressions ----------------------------------------------------------------------------------------

Resolved = str | None
# A rule reads a normalised expression relative to the publication date, in the tense of its clause.
_Rule = Callable[[re.Match[str], dt.date, int], Resolved]
PAST, FUTURE = -1, 1
_SHIFTS = {"last": -1, "this": 0, "next": 1}
# A clause's tense picks the year of a day or month named without one when that lands within this reach; farther
# than that, the nearest reading wins ("the offer expired Nov. 10" in early November is this November's).
_TENSE_REACH = dt.timedelta(days=270)
# Words that narrow a period without changing it: "early December" is in December, "the end of 1990" in 1990.
_EDGES = re.compile(
    r"^(?:the )?(?:(?:early|late|mid|earlier|later|around|about|nearly|almost|just|exactly|roughly|some|sometime"
    r"|more than|over|as early as|as late as|(?:the )?(?:end|beginning|start|middle|turn|first half|second half|month)"
    r" of)[-\s]+)+"
)
_PARTS = re.compile(r"\s+(?:morning|afternoon|evening|night)$")
_VAGUE = re.compile(
    r"recently|lately|currently|nowadays|now|right now|previously|soon|these days|(?:the )?(?:near |distant )?(?:past|future)"
    r"|(?:the )?(?:recent|past|last|coming|next|few|several|many|some) .*(?:days|weeks|months|years|decades)"
    r"|(?:the |that |this )(?:day|week|month|year|quarter|period|time|moment)|.* (?:earlier|later|before|after)"
)
_DECADES = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7}
_DECADES |= {"eighties": 8, "nineties": 9}
_M = "(?P<m>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_W = "(?P<w>" + "|".join(WEEKDAYS) + ")"
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<y>\d{4})"
_SEASON = "(?P<s>" + "|".join(SEASONS) + ")"


def _day(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """A month and a day: of the year given, else the nearest such day (within nine months, the last one for a
    past clause, the next one for a future clause)."""
    month, day = MONTHS[match["m"]], int(match["d"])
    try:
        if match["y"] or match["rel"]:
            year = int(match["y"]) if match["y"] else pub.year + _SHIFTS[match["rel"]]
            return dt.date(year, month, day).isoformat()
        candidates = [dt.date(pub.year + k, month, day) for k in (-1, 0, 1)]
    except ValueError:
        return None
    told = [c for c in candidates if abs(c - pub) <= _TENSE_REACH and (c - pub).days * tense >= 0]
    return min(told or candidates, key=lambda c: abs(c - pub)).isoformat()


def _month(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """A month: of the year given or that "last/this/next year" says; "last June" the last one before this month;
    else the nearest (within nine months, the last one for a past clause, the next one for a future one)."""
    month = MONTHS[match["m"]]
    if match["y"]:
        return f"{match['y']}-{month:02d}"
    if match["rel"]:
        return f"{pub.year + _SHIFTS[match['rel']]}-{month:02d}"
    mod = match["mod"] or ""
    if mod == "this":
        return f"{pub.year}-{month:02d}"
    back = f"{pub.year - (month >= pub.month if mod == 'last' else month > pub.month)}-{month:02d}"
    ahead = f"{pub.year + (month <= pub.month if mod == 'next' else month < pub.month)}-{month:02d}"
    if mod == "last":
        return back
    if mod == "next":
        return ahead
    months_ahead = (month - pub.month) % 12
    if tense == PAST and 12 - months_ahead <= _TENSE_REACH.days // 30:
        return back
    if tense == FUTURE and months_ahead <= _TENSE_REACH.days // 30:
        return ahead
    return ahead if 0 < months_ahead < 6 else back


def _weekday(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """A weekday: the most recent on or before the publication date, as news uses them (the publication day
    itself when it is that day); "last" the one before; "next", "this coming" or a future clause the next one."""
    target, mod = WEEKDAYS.index(match["w"]), match["mod"] or ""
    back = (pub.weekday() - target) % 7
    if mod == "last":
        return (pub - dt.timedelta(days=back or 7)).isoformat()
    if mod in ("next", "this coming") or (tense == FUTURE and mod != "this past"):
        ahead = (target - pub.weekday()) % 7 or (7 if mod == "next" else 0)
        return (pub + dt.timedelta(days=ahead)).isoformat()
    return (pub - dt.timedelta(days=back)).isoformat()


_DAY_OFFSETS = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "last night": -1,
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "the day after tomorrow": 2,
}


def _relative_day(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """Yesterday, today, tomorrow and their neighbours."""
    return (pub + dt.timedelta(days=_DAY_OFFSETS[match[0]])).isoformat()


def _relative_period(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """Last, this or next week, weekend, month, quarter or year."""
    shift = {"last": -1, "this past": -1, "this": 0, "current": 0, "next": 1, "this coming": 1}[match["mod"]]
    unit = match["unit"]
    if unit == "week":
        return _week(pub + dt.timedelta(weeks=shift))
    if unit == "weekend":
        return _weekend(pub, shift)
    if unit == "month":
        year, month = divmod(pub.year * 12 + pub.month - 1 + shift, 12)
        return f"{year}-{month + 1:02d}"
    if unit == "quarter":
        year, quarter = divmod(pub.year * 4 + (pub.month - 1) // 3 + shift, 4)
        return f"{year}-Q{quarter + 1}"
    return str(pub.year + shift)


def _season(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """A season: of the year given; "last summer" the last one over; "next summer" the next to begin; else this
    year's."""
    code, mod = SEASONS[match["s"]], match["mod"] or ""
    if match["y"]:
        return f"{match['y']}-{code}"
    first, last = _SEASON_MONTHS[code]
    if mod in ("last", "this past"):
        return f"{pub.year - (last >= pub.month)}-{code}"
    if mod in ("next", "this coming"):
        return f"{pub.year + (first <= pub.month)}-{code}"
    return f"{pub.year}-{code}"


def _ago(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """ "Two days ago", "fifty years ago": counted back from the publication date, as fine as the unit."""
    amount = match["n"]
    n = int(amount) if amount.isdigit() else NUMBERS.get(amount)
    if n is None:
        return None  # "several years ago": no number, no date
    unit = match["unit"].rstrip("s")
    if unit == "day":
        return (pub - dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return _week(pub - dt.timedelta(weeks=n))
    if unit == "month":
        year, month = divmod(pub.year * 12 + pub.month - 1 - n, 12)
        return f"{year}-{month + 1:02d}"
    years = {"year": 1, "decade": 10, "century": 100, "centurie": 100}[unit] * n
    return str(pub.year - years)


def _decade(match: re.Match[str], pub: dt.date, tense: int) -> Resolved:
    """A decade as TimeML writes it ("the 1990s" 199); a decade without its century is the latest one past."""
    if match["dec"]:
        return match["dec"]
    tens = int(match["tens"]) // 10 if match["tens"] else _DECADES[match["word"]]
    century = pub.year // 100 - (tens * 10 > pub.year % 100)
    return f"{century}{tens}"


def _weekend(pub: dt.date, shift: int) -> str:
    """The weekend of this week (the last one when the article is dated on a weekday), or one before or after."""
    current = pub if pub.weekday() >= 5 else pub - dt.timedelta(days=pub.weekday() + 1)
    return _week(current + dt.timedelta(weeks=shift)) + "-WE"


def _week(day: dt.date) -> str:
    """The ISO week of a day, as TimeML writes it."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


_RULES: list[tuple[re.Pattern[str], _Rule]] = [
    (re.compile(rf"(?:{_W},? )?{_M} {_D}(?:,? {_Y}| (?P<rel>last|this|next) year)?"), _day),
    (re.compile(rf"(?:{_W},? )?(?:the )?{_D} (?:of )?{_M}(?:,? {_Y}| (?P<rel>last|this|next) year)?"), _day),
    (
        re.compile(rf"(?:(?P<mod>last|this|next) )?{_M}(?:,? {_Y}|(?: of)? (?P<rel>last|this|next) year)?"),
        _month,
    ),
    (re.compile(rf"(?:(?P<mod>last|this|next|this past|this coming) )?{_W}"), _weekday),
    (re.compile("|".join(_DAY_OFFSETS)), _relative_day),
    (
        re.compile(
            r"(?:the )?(?P<mod>last|this|next|this past|this coming|current) (?P<unit>week|weekend|month|quarter|year)"
        ),
        _relative_period,
    ),
    (
        re.compile(
            rf"(?:the )?(?:(?P<mod>last|this|next|this past|this coming) )?{_SEASON}(?: (?:of )?{_Y})?"
        ),
        _season,
    ),
    (
        re.compile(
            r"(?P<n>\d+|[a-z]+(?: (?:hundred|few))?) (?P<unit>days?|weeks?|months?|years?|decades?|centur(?:y|ies)) ago"
        ),
        _ago,
    ),
    (re.compile(r"(?:fiscal )?(?P<y>\d{4})"), lambda m, pub, tense: m["y"]),
    (
        re.compile(r"(?:(?P<dec>\d{3})0|'(?P<tens>\d0)|(?:the )?(?P<word>" + "|".join(_DECADES) + "))'?s?"),
        _decade,
    ),
    (
        re.compile(r"(?:the )?(?:fiscal )?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter"),
        lambda m, pub, tense: f"{pub.year}-Q{ORDINALS[m['q']]}",
    ),
    (re.compile(r"(?:the )?weekend"), lambda m, pub, tense: _weekend(pub, 0)),
]


def normalised(expression: str) -> str:
    """An expression lower-cased, its spaces single, without a possessive ending or the words that narrow it
    ("early", "the end of", "yesterday morning")."""
    text = " ".join(expression.lower().replace("’", "'").split())
    text = re.sub(r"(?<=\w)'s?$", "", text)
    text = _EDGES.sub("", text)
    text = _PARTS.sub("", text)
    return text.removeprefix("the ") if text.startswith("the ") and text[4:5].isdigit() else text


_RANGE = re.compile(r"\d\s*[-–]\s*\d|\bbetween\b|\bto\b|\band\b|\bor\b|[a-z]-[a-z]")
_YEARISH = re.compile(r"(?<![\d.,])(?:1[5-9]|20)\d\d(?![\d.,])")


@lru_cache(maxsize=4096)
def resolve(expression: str, published: dt.date, tense: int = 0) -> Resolved:
    """The ISO 8601 value of a date expression relative to a publication date (None when vague or unknown), read
    in the tense of its clause (`FUTURE`, `PAST` or 0)."""
    text = normalised(expression)
    for pattern, rule in _RULES:
        match = pattern.fullmatch(text)
        if match:
            return rule(match, published, tense)
    if _VAGUE.fullmatch(text) or not _worth_parsing(text):
        return None
    return _parsed(text, published, tense)


def _worth_parsing(text: str) -> bool:
    """Whether an expression our rules missed names a month, a weekday or a year, and no range (a range is no
    date; "between 1991 and 1996"), so that dateparser may read it."""
    if _RANGE.search(text):
        return False
    words = set(re.findall(r"[a-z]+", text))
    return bool(_YEARISH.search(text) or words & set(MONTHS) or words & set(WEEKDAYS))


def _parsed(text: str, published: dt.date, tense: int) -> Resolved:
    """dateparser's reading of an expression, as fine as the period it found (the slow path)."""
    data = _parser(published, tense == FUTURE).get_date_data(text)
    if data.date_obj is None:
        return None
    day: dt.date = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return str(day.year)
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "week":
        return _week(day)
    return day.isoformat()


@lru_cache(maxsize=64)
def _parser(published: dt.date, ahead: bool) -> Any:
    """A dateparser parser relative to a publication date (imported on first use: it is slow to load)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
        "PREFER_DATES_FROM": "future" if ahead else "past",
        "RETURN_TIME_AS_PERIOD": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


# --- what the values mean -----------------------------------------------------------------------------------------

_QUARTERS = {"1": (1, 3), "2": (4, 6), "3": (7, 9), "4": (10, 12)}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TimeML value covers (None for values that are not periods of the calendar)."""
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
            year, week = int(m[1]), int(m[2])
            return dt.date.fromisocalendar(year, week, 6 if m[3] else 1), dt.date.fromisocalendar(
                year, week, 7
            )
        if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            return _months(int(m[1]), int(m[2]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            return _months(int(m[1]), *_QUARTERS[m[2]])
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            return _months(int(m[1]), *_SEASON_MONTHS[m[2]])
        if re.fullmatch(r"\d{2,4}", value):
            span = 10 ** (4 - len(value))  # "1967" a year, "196" a decade, "19" a century
            first = int(value) * span
            return dt.date(max(first, 1), 1, 1), dt.date(first + span - 1, 12, 31)
    except ValueError:
        return None
    return None


def _months(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    """The days from the first of one month to the end of another (months past 12 run into the next year)."""
    end_year, end_month = divmod(year * 12 + last, 12)
    return dt.date(year, first, 1), dt.date(end_year, end_month + 1, 1) - dt.timedelta(days=1)


# --- the stage ----------------------------------------------------------------------------------------------------

# How far back a date makes an event history rather than news.
HISTORY = dt.timedelta(days=365)
# Dependencies through which a clause governs another: control ("agreed to provide"), coordination ("met and
# signed"), reported speech ("said on Sunday that …") and adverbial clauses. A relative clause describes a noun.
_GOVERNING = frozenset({"xcomp", "conj", "ccomp", "advcl", "parataxis"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_PAST_AUX = frozenset({"did", "was", "were", "has", "have", "had"})
# "is expected to meet", "plans to visit", "is set to sign", "is going to"
_FUTURE_GOVERNORS = frozenset({"expect", "plan", "schedule", "set", "go", "intend"})


class DateStage:
    """Fills the article's date expressions and dates its events."""

    def __call__(self, article: Article, doc: Doc) -> Article:
        """The article with its date expressions and its events' dates."""
        starts = [s.span.start for s in article.sentences]
        roots: dict[int, int] = {}
        article.dates = []
        for whole, parts in find(article.text, doc):
            mentions = [_mention(article, doc, starts, *whole)]
            if mentions[0][0].value is None and parts:
                # "the quarter ended Sept. 30": when the model's span says no more, the day inside it does
                inside = [_mention(article, doc, starts, *part) for part in parts]
                mentions = [m for m in inside if m[0].value is not None] or mentions
            for mention, root in mentions:
                roots[root] = len(article.dates)
                article.dates.append(replace(mention, index=len(article.dates)))
        triggers = {self._trigger(doc, e).i for e in article.events}
        anchors = _anchors(doc, roots, triggers)
        for event in article.events:
            self._date_event(article, event, self._trigger(doc, event), anchors)
        return article

    @staticmethod
    def _trigger(doc: Doc, event: EventMention) -> Token:
        """The token that heads an event's trigger."""
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        return span.root if span is not None else doc[0]

    @staticmethod
    def _date_event(
        article: Article, event: EventMention, trigger: Token, anchors: dict[int, list[int]]
    ) -> None:
        """An event's date: the first dated clause from the trigger up through the clauses that govern it."""
        event.date, event.date_text = article.date, None
        for token in _clause_chain(trigger):
            mentions = [article.dates[i] for i in anchors.get(token.i, [])]
            if not mentions:
                continue
            dated = [(m, p) for m in mentions if m.value and (p := period(m.value))]
            if dated and article.date:
                mention, (first, last) = dated[0]
                event.date_text = mention.span.text
                # A period that contains the publication date ("this week") says nothing more precise than it.
                event.date = article.date if first <= article.date <= last else first
                event.historical = event.historical or last < article.date - HISTORY
            return  # a vague expression ("in recent days") dates the clause to no day: it keeps the default


def _mention(article: Article, doc: Doc, starts: list[int], start: int, end: int) -> tuple[DateMention, int]:
    """A date expression resolved in its clause's tense (index to be set), and the token that heads it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    root = span.root if span is not None else doc[0]
    value = resolve(article.text[start:end], article.date, _tense(root)) if article.date else None
    sentence = max(0, bisect.bisect_right(starts, start) - 1)
    return DateMention(-1, sentence, article.span(start, end), value), root.i


def _tense(token: Token) -> int:
    """The tense of a date expression's clause: 1 future ("will meet on Tuesday", "is expected to meet"), -1 past
    ("met on Tuesday", "has met"), 0 when the verb does not say (the present, or no verb)."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return 0
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & _FUTURE_AUX or (verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_GOVERNORS):
        return 1
    if verb.tag_ == "VBD" or aux & _PAST_AUX:
        return -1
    return 0


def _anchors(doc: Doc, roots: dict[int, int], triggers: set[int]) -> dict[int, list[int]]:
    """For each token a date expression is attached to, the expressions: the nearest verb above the expression's
    head, or a nominal event trigger on the way ("the attack on Sunday")."""
    anchors: dict[int, list[int]] = {}
    for root, index in roots.items():
        token = doc[root]
        while token.head.i != token.i:
            token = token.head
            # a date inside the subject ("the attack on Tuesday was condemned") dates that noun, not the verb
            if token.i in triggers or token.pos_ in ("VERB", "AUX") or token.dep_ in _SUBJECTS:
                break
        anchors.setdefault(token.i, []).append(index)
    return anchors


def _clause_chain(trigger: Token) -> Iterator[Token]:
    """The trigger, the tokens up to its clause's verb when it is a noun, then the clauses that govern it."""
    token = trigger
    yield token
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        if token.dep_ in ("relcl", "acl"):
            return
        token = token.head
        yield token
    while token.dep_ in _GOVERNING and token.head.i != token.i:
        token = token.head
        yield token
