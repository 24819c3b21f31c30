"""Cleaning: scraping boilerplate out of the text that is coded, kept as metadata; the article's id and text.

Boilerplate is removed line by line and only from short lines, so a real paragraph that happens to begin with
"Read more" or "Photo" is never cut. Photo credits are kept in `metadata["credits"]`, every removed line in
`metadata["boilerplate"]`. The stored text is what remains; every offset eventwire records points into it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .errors import CleanError
from .model import Article, Document

# Boilerplate lines are short; a longer line is body text even when it starts like a prompt.
MAX_BOILERPLATE_CHARS = 160
MAX_CREDIT_WORDS = 8
# Lowercase words that occur in credits: name particles and the words around agency names.
CREDIT_LOWERCASE = frozenset(
    [
        "of",
        "the",
        "for",
        "via",
        "and",
        "by",
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "al",
        "el",
        "bin",
        "ibn",
        "la",
        "le",
        "du",
        "file",
        "handout",
        "photo",
        "photos",
        "image",
        "images",
        "archive",
        "courtesy",
        "pool",
    ]
)
ID_HEX_CHARS = 16


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of boilerplate line: its name, its pattern, and whether it carries a credit to keep."""

    name: str
    pattern: re.Pattern[str]
    credit: bool = False


def _rule(name: str, pattern: str, credit: bool = False) -> Rule:
    """A rule whose pattern must match a whole line, case-insensitively."""
    return Rule(name, re.compile(rf"\A\s*(?:{pattern})\s*\Z", re.IGNORECASE), credit)


_PLATFORMS = r"(?:facebook|twitter|x|instagram|telegram|youtube|google news|tiktok|linkedin|whatsapp|threads)"
_MEDIA = r"(?:photo(?:graph)?|image|picture|pic|video|graphic|illustration|cover photo|main photo)s?"
RULES: tuple[Rule, ...] = (
    _rule("credit", rf"{_MEDIA}(?:\s+credits?)?(?:\s*[:：|]|\s+[—–-])\s*(?P<credit>\S.*?)", credit=True),
    _rule("credit", rf"\(?{_MEDIA}\s+(?:by|courtesy(?:\s+of)?)\s*:?\s*(?P<credit>\S.*?)\)?", credit=True),
    _rule("credit", r"\((?:photo|image|picture)s?\s*:\s*(?P<credit>[^)]+)\)", credit=True),
    _rule(
        "credit",
        r"(?:image\s+)?(?:source|credit)\s*:\s*(?P<credit>(?:getty|afp|reuters|ap|epa|anadolu)\b.*)",
        credit=True,
    ),
    _rule(
        "related",
        r"related(?:\s+(?:materials?|articles?|stories|news|content|coverage|links?|reading))?\s*:?",
    ),
    _rule(
        "read-more", r"(?:read|see|also read|read also|watch|listen)(?:\s+(?:more|also|next))?\s*[:>»…]+.*"
    ),
    _rule(
        "read-more", r"(?:read|see|find out|learn)\s+more(?:\s+(?:here|about\b.*|on\b.*|at\b.*))?\s*[.:>»…]*"
    ),
    _rule(
        "read-more", r"(?:continue|keep)\s+reading.*|story\s+continues\s+below.*|more\s+on\s+this\s+story.*"
    ),
    _rule(
        "share", r"share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page))?(?:\s+(?:on|via)\s+\w+)?\s*:?"
    ),
    _rule(
        "share",
        r"(?:share|tweet|email|print|copy\s+link|whatsapp|facebook|twitter|telegram)"
        r"(?:\s*[|·•,]\s*(?:share|tweet|email|print|copy\s+link|whatsapp|facebook|twitter|telegram|x))+",
    ),
    _rule(
        "follow",
        rf"(?:follow|like)\s+(?:us|\w+(?:\s+\w+)?)\s+on\s+{_PLATFORMS}(?:\s*(?:,|and|or|&)\s*{_PLATFORMS})*"
        r"(?:\s+(?:for|to\s+get)\s+(?:the\s+)?(?:latest|more|all|breaking|live)\b.*)?"
        r"\s*[.!:]?\s*(?:@\w+|https?://\S+)?",
    ),
    _rule(
        "subscribe",
        r"(?:subscribe|sign\s+up)\s+(?:to|for)\s+(?:our|the)\s+\w*\s*(?:newsletter|channel|alerts?)"
        r".*",
    ),
    _rule("advert", r"(?:advertisement|advertising|sponsored(?:\s+content)?|skip\s+advertisement|ad)"),
    _rule("click", r"click\s+here\b.*"),
    _rule("rights", r"(?:©|\(c\)\s*\d{4}|copyright\s+(?:©|\(c\)|\d{4}))\s*.{0,100}"),
    _rule("rights", r"all\s+rights\s+reserved\.?"),
)


@dataclass(frozen=True, slots=True)
class Removed:
    """A boilerplate line taken out of a document, and the rule that matched it."""

    rule: str
    text: str
    credit: str | None = None


def find_boilerplate(line: str) -> Removed | None:
    """The boilerplate a line is, or None when it is text to keep."""
    if not line.strip() or len(line) > MAX_BOILERPLATE_CHARS:
        return None
    for rule in RULES:
        match = rule.pattern.match(line)
        if not match:
            continue
        credit = match.group("credit").strip() if rule.credit else None
        if credit is not None and not looks_like_credit(credit):
            continue
        return Removed(rule.name, line.strip(), credit)
    return None


def looks_like_credit(credit: str) -> bool:
    """Whether text after "Photo:" names a photographer or an agency rather than starting a sentence.

    Credits are a few capitalised names ("Ahmed Zakot/Reuters", "Getty Images", "courtesy of the Ministry of
    Defence"); "activists showed tanks on the streets" is a sentence about photos, which is text to keep.
    """
    words = credit.split()
    if not words or len(words) > MAX_CREDIT_WORDS:
        return False
    return all(not w[0].islower() or w.strip(".,;()").lower() in CREDIT_LOWERCASE for w in words)


def strip_boilerplate(body: str) -> tuple[str, list[Removed]]:
    """The body without its boilerplate lines, and the lines removed."""
    kept: list[str] = []
    removed: list[Removed] = []
    for line in body.split("\n"):
        found = find_boilerplate(line)
        if found is None:
            kept.append(line.rstrip())
        else:
            removed.append(found)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text, removed


def drop_repeated_title(body: str, title: str | None) -> str:
    """The body without a first paragraph that only repeats the title (scraped pages often start with the h1)."""
    if not title:
        return body
    first, _, rest = body.partition("\n\n")
    if " ".join(first.split()).casefold() == title.casefold() and rest.strip():
        return rest.strip()
    return body


def normalise(text: str) -> str:
    """Text in Unicode NFC with newline conventions unified, as it is stored."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def article_id(body: str) -> str:
    """The article's id: a hash of its body with case kept but Unicode form and whitespace normalised."""
    canonical = " ".join(unicodedata.normalize("NFC", body).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:ID_HEX_CHARS]


def clean(doc: Document) -> Article:
    """A read document turned into an article: boilerplate out, text normalised, id computed."""
    title = " ".join(normalise(doc.title).split()) if doc.title else None
    body, removed = strip_boilerplate(normalise(doc.body))
    body = drop_repeated_title(body, title)
    if not body:
        raise CleanError(
            "no text left once boilerplate was removed", source=doc.source.uri, line=doc.source.line
        )
    text = f"{title}\n\n{body}" if title else body
    metadata = dict(doc.metadata)
    credits = [r.credit for r in removed if r.credit]
    if credits:
        metadata["credits"] = credits
    if removed:
        metadata["boilerplate"] = [{"rule": r.rule, "text": r.text} for r in removed]
    return Article(
        id=article_id(body),
        text=text,
        title=title,
        date=doc.date,
        date_source=doc.date_source,
        body_start=len(text) - len(body),
        source=doc.source,
        metadata=metadata,
        warnings=list(doc.warnings),
    )
