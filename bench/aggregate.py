"""From mentions to events at scale: clustering 1M synthetic mentions, and the cost of keeping a store's events up to
date as new articles arrive, against the cost of extracting those articles.

Two measurements, in one run:
- `cluster`: N synthetic mentions (default 1,000,000) grouped into events by `eventwire.clustering.cluster`, the
  pure-Python matcher; mentions/s and peak RSS.
- `store`: a DuckDB store filled with a base corpus of synthetic articles through `Store.write` (copies linked,
  mentions grouped, as ingest does); then 1,000 new articles (about 10 mentions each, published after the base)
  written the way ingest writes them (batches of 64), timed whole and by part (inserts, `grouping.link_copies`,
  `grouping.update_events`). The same is done for new articles some of whose mentions refer back to earlier
  dates ("on March 3"), which widens the window of stored events to consider. Their cost is compared with the
  extraction time (`Pipeline().annotate`) of real newswire articles (TempEval-3 silver, AFP/Xinhua) measured in
  the same run and scaled to 1,000: the target is under 5%.

Synthetic data follows news: about 200 actor codes over 60 countries and a few IGOs (a few countries dominate),
CAMEO codes weighted by root as in news event data (verbal events dominate), dates over a year, places for a third
of events, 300 outlets, events reported by one to dozens of mentions, repeated within articles, and near copies
of articles (syndicated wire copy) carrying the same mentions.

The real articles are third-party research data, read from `../shared/datasets/te3-silver-news` beside the project
(or `--data DIR`); without them the extraction side is skipped with a message and no ratio is given.

    python bench/aggregate.py                       # 1M mentions, base of 20,000 articles, 100 real articles
    python bench/aggregate.py --mentions 200000 --base-articles 5000 --real-articles 50
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import resource
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire import grouping, ontology
from eventwire.clustering import Mention, Place, cluster
from eventwire.model import Article, Document, EventMention, Sentence, Source
from eventwire.model import Place as ArticlePlace
from eventwire.store import Batch, Store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "te3-silver-news"
YEAR_START = dt.date(2024, 1, 1)
DAYS = 366
INGEST_BATCH = 64
TARGET = 0.05

# Sixty countries, the most reported first.
COUNTRIES = [
    "USA",
    "CHN",
    "RUS",
    "GBR",
    "ISR",
    "UKR",
    "FRA",
    "IRN",
    "DEU",
    "PSE",
    "IND",
    "SYR",
    "TUR",
    "IRQ",
    "PAK",
    "JPN",
    "SAU",
    "EGY",
    "AFG",
    "KOR",
    "PRK",
    "LBN",
    "YEM",
    "LBY",
    "SDN",
    "BRA",
    "NGA",
    "ITA",
    "CAN",
    "AUS",
    "MEX",
    "VEN",
    "ESP",
    "POL",
    "ZAF",
    "KEN",
    "ETH",
    "SOM",
    "JOR",
    "QAT",
    "ARE",
    "IDN",
    "PHL",
    "MMR",
    "TWN",
    "BLR",
    "GEO",
    "ARM",
    "AZE",
    "COL",
    "ARG",
    "CUB",
    "MLI",
    "NER",
    "COD",
    "THA",
    "VNM",
    "HTI",
    "BFA",
    "SSD",
]
SECTORS = ("GOV", "MIL", "OPP", "REB", "COP", "BUS", "MED", "LEG", "JUD", "CVL", "EDU")
IGOS = ("IGOUNO", "IGOEUR", "IGONAT", "IGOAFR", "IGOARL", "IGOWTO", "NGOHRW", "NGOMSF", "IGOIAE", "IGOOPC")
# Share of CAMEO roots in news event data: statements, consultations and appeals dominate; force is rarer.
ROOT_WEIGHTS = {
    "01": 17,
    "02": 7,
    "03": 5,
    "04": 22,
    "05": 9,
    "06": 2,
    "07": 3,
    "08": 3,
    "09": 1,
    "10": 2,
    "11": 6,
    "12": 2,
    "13": 3,
    "14": 2,
    "15": 1,
    "16": 1,
    "17": 5,
    "18": 4,
    "19": 5,
    "20": 0.2,
}
WORDS = [
    "the",
    "minister",
    "said",
    "government",
    "forces",
    "talks",
    "border",
    "security",
    "council",
    "president",
    "officials",
    "attack",
    "aid",
    "ceasefire",
    "capital",
    "troops",
    "agreement",
    "sanctions",
    "protest",
    "police",
    "election",
    "meeting",
    "spokesman",
    "statement",
    "army",
    "rebels",
    "talks",
    "crisis",
    "report",
    "city",
    "region",
    "week",
    "visit",
    "foreign",
    "defence",
    "people",
    "killed",
    "wounded",
    "leaders",
    "plan",
    "negotiations",
    "support",
    "oil",
    "trade",
    "economy",
    "court",
    "opposition",
    "party",
    "vote",
    "parliament",
    "reform",
    "calls",
    "urged",
]


@dataclass(slots=True)
class World:
    """The synthetic world: actor codes with their countries' weights, CAMEO codes by weight, places, outlets."""

    rng: random.Random
    actors: list[str] = field(default_factory=list)
    actor_cum: list[float] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    code_cum: list[float] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    outlet_cum: list[float] = field(default_factory=list)

    def actor(self) -> str:
        """An actor code, the popular ones more often."""
        return self.actors[bisect.bisect(self.actor_cum, self.rng.random() * self.actor_cum[-1])]

    def code(self) -> str:
        """A CAMEO code weighted as in news."""
        return self.codes[bisect.bisect(self.code_cum, self.rng.random() * self.code_cum[-1])]

    def outlet(self) -> str:
        """An outlet, the big agencies more often."""
        return self.outlets[bisect.bisect(self.outlet_cum, self.rng.random() * self.outlet_cum[-1])]


def build_world(seed: int) -> World:
    """Actor codes (about 200), codes, places and outlets, with news-like weights."""
    world = World(random.Random(seed))
    weights: list[float] = []
    for rank, country in enumerate(COUNTRIES, start=1):
        share = 1 / rank**0.9
        # The most reported countries have many coded sectors; the others a government and a military at most.
        sectors = SECTORS[: 9 if rank <= 10 else 3 if rank <= 30 else 1]
        for i, code in enumerate([country, *(country + s for s in sectors)]):
            world.actors.append(code)
            weights.append(share / (1 + i))
    for i, code in enumerate(IGOS):
        world.actors.append(code)
        weights.append(0.08 / (1 + i))
    world.actor_cum = list(itertools.accumulate(weights))
    entries = [e for e in ontology.cameo_codes().values() if len(e.code) >= 3]
    code_weights = []
    for entry in entries:
        siblings = sum(1 for e in entries if e.root == entry.root)
        # The root's own general code (040, 190) is the most used of its family.
        general = 3.0 if len(entry.code) == 3 and entry.code.endswith("0") else 1.0
        code_weights.append(ROOT_WEIGHTS[entry.root] * general / siblings)
        world.codes.append(entry.code)
    world.code_cum = list(itertools.accumulate(code_weights))
    rng = world.rng
    for i in range(300):
        country = COUNTRIES[min(int(rng.expovariate(1 / 12)), len(COUNTRIES) - 1)]
        broad = i % 3 == 0
        world.places.append(
            Place(10_000 + i, country, rng.uniform(-40, 60), rng.uniform(-100, 140), broad, f"place{i}")
        )
    world.outlets = [f"outlet{i}.example" for i in range(300)]
    world.outlet_cum = list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(300)))
    return world


@dataclass(frozen=True, slots=True)
class TrueEvent:
    """A real-world event of the synthetic world, which articles then report."""

    code: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    day: int
    place: Place | None


def true_event(world: World, first_day: int, days: int) -> TrueEvent:
    """A random event: a code, one or two actors a side (a target sometimes missing), a day, a place or none."""
    rng = world.rng
    source = (world.actor(),) if rng.random() > 0.1 else (world.actor(), world.actor())
    target: tuple[str, ...] = () if rng.random() < 0.15 else (world.actor(),)
    place = world.places[rng.randrange(len(world.places))] if rng.random() < 0.35 else None
    return TrueEvent(world.code(), source, target, first_day + rng.randrange(days), place)


def reports(world: World, event: TrueEvent) -> int:
    """How many mentions an event gets: most one to three, big stories dozens."""
    rng = world.rng
    if rng.random() < 0.01:
        return rng.randint(20, 60)
    return 1 + min(int(rng.expovariate(0.5)), 15)


@dataclass(frozen=True, slots=True)
class SyntheticMention:
    """One mention before it belongs to an article: how an article words a true event."""

    code: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    day: int
    place: Place | None
    confidence: float


def word(world: World, event: TrueEvent, back_days: int = 0) -> SyntheticMention:
    """One report of an event, with the variation of real coding: a sibling code, a side left out or less
    specific, the sides of a symmetric act swapped, a date a day off (or, with `back_days`, referring back)."""
    rng = world.rng
    code = event.code
    if rng.random() < 0.2:
        siblings = [c for c in world.codes[:: max(1, len(world.codes) // 80)] if c[:2] == code[:2]]
        code = rng.choice(siblings) if siblings else code
    source, target = event.source, event.target
    if rng.random() < 0.1:
        target = ()
    if rng.random() < 0.1:
        source = tuple(a[:3] for a in source)
    if code in ontology.SYMMETRIC_CODES and rng.random() < 0.5:
        source, target = target, source
    day = event.day + (rng.choice((-1, 1)) if rng.random() < 0.2 else 0)
    if back_days and rng.random() < 0.05:
        day -= rng.randint(2, back_days)
    place = event.place if rng.random() < 0.6 else None
    return SyntheticMention(code, source, target, day, place, round(rng.uniform(0.5, 1.0), 3))


@dataclass(slots=True)
class SyntheticArticle:
    """A synthetic article: its id, publication day, outlet, mentions and the article it is a near copy of."""

    id: str
    day: int
    outlet: str
    mentions: list[SyntheticMention]
    copy_of: str | None = None


def articles(
    world: World, n_mentions: int, first_day: int, days: int, prefix: str, back_days: int = 0
) -> Iterator[SyntheticArticle]:
    """Articles carrying about `n_mentions` mentions, day by day: each day's reports of true events packed into
    articles of about 10 mentions, an event repeated within an article a third of the time, and one article in
    ten followed by a near copy from another outlet (the same mentions, one perhaps left out)."""
    rng = world.rng
    per_day = n_mentions / days
    made = 0
    serial = itertools.count()
    for day in range(first_day, first_day + days):
        quota = int(per_day * (day - first_day + 1)) - made
        pending: list[list[SyntheticMention]] = []
        count = 0
        while count < quota:
            event = true_event(world, day, 1)
            remaining = reports(world, event)
            while remaining > 0:
                size = min(remaining, 1 + (rng.random() < 0.33) + (rng.random() < 0.1))
                pending.append([word(world, event, back_days) for _ in range(size)])
                remaining -= size
                count += size
        rng.shuffle(pending)
        current: list[SyntheticMention] = []
        goal = rng.randint(4, 16)
        for group in pending:
            current.extend(group)
            if len(current) >= goal:
                made += len(current)
                yield from _with_copy(world, f"{prefix}{next(serial):08d}", day, current, serial, prefix)
                current, goal = [], rng.randint(4, 16)
        if current:
            made += len(current)
            yield from _with_copy(world, f"{prefix}{next(serial):08d}", day, current, serial, prefix)


def _with_copy(
    world: World,
    article_id: str,
    day: int,
    mentions: list[SyntheticMention],
    serial: Iterator[int],
    prefix: str,
) -> Iterator[SyntheticArticle]:
    """An article, and one time in ten its near copy from another outlet (the mentions counted in the total are
    the original's: copies come on top, as syndication does)."""
    original = SyntheticArticle(article_id, day, world.outlet(), mentions)
    yield original
    if world.rng.random() < 0.1:
        kept = mentions[:-1] if len(mentions) > 2 and world.rng.random() < 0.5 else mentions
        yield SyntheticArticle(f"{prefix}{next(serial):08d}", day, world.outlet(), list(kept), article_id)


def day_date(day: int) -> dt.date:
    """The date of a day number of the synthetic year."""
    return YEAR_START + dt.timedelta(days=day)


def as_mentions(article: SyntheticArticle) -> list[Mention]:
    """An article's mentions as clustering sees them."""
    seen = day_date(article.day)
    return [
        Mention(
            article.id,
            i,
            m.code,
            m.source,
            m.target,
            day_date(m.day),
            m.confidence,
            m.place,
            article.outlet,
            article.copy_of or article.id,
            seen,
        )
        for i, m in enumerate(article.mentions)
    ]


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_cluster(n: int, seed: int) -> dict[str, Any]:
    """Generate `n` mentions and time `cluster` over them; rates, events made and peak RSS."""
    world = build_world(seed)
    start = time.perf_counter()
    mentions = [m for a in articles(world, n, 0, DAYS, "c") for m in as_mentions(a)]
    generated = time.perf_counter() - start
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    events = cluster(mentions)
    seconds = time.perf_counter() - start
    sizes = sorted(len(e.mentions) for e in events)
    return {
        "mentions": len(mentions),
        "events": len(events),
        "mentions_per_event": round(len(mentions) / len(events), 2),
        "largest_event": sizes[-1],
        "generate_s": round(generated, 1),
        "cluster_s": round(seconds, 1),
        "mentions_per_s": round(len(mentions) / seconds),
        "peak_rss_mb_before": round(rss_before),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def to_article(synthetic: SyntheticArticle, rng: random.Random, texts: dict[str, str]) -> Article:
    """A synthetic article as the pipeline would hand it to the store: text (a near copy's text is its
    original's with a few words changed), sentences, places and event mentions; no NLP."""
    if synthetic.copy_of and synthetic.copy_of in texts:
        words = texts[synthetic.copy_of].split(" ")
        for _ in range(5):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        body = " ".join(words)
    else:
        body = " ".join(rng.choices(WORDS, k=250))
    texts[synthetic.id] = body
    title = f"Report {synthetic.id}"
    text = f"{title}\n\n{body}"
    start = len(title) + 2
    article = Article(
        synthetic.id,
        text,
        title,
        day_date(synthetic.day),
        "header",
        start,
        Source(
            f"{synthetic.outlet}/{synthetic.id}", "jsonl", url=f"https://{synthetic.outlet}/{synthetic.id}"
        ),
        metadata={"outlet": synthetic.outlet},
    )
    # One sentence of 10 words per mention: offsets into the body, as a parse would give.
    places: dict[int, int] = {}
    for i, m in enumerate(synthetic.mentions):
        s_start = start + i * 50
        sentence = article.span(s_start, s_start + 40)
        article.sentences.append(Sentence(i, i + 1, sentence))
        trigger = article.span(s_start, s_start + 5)
        place_idx = None
        if m.place is not None:
            key = m.place.geonameid or 0
            if key not in places:
                places[key] = len(article.places)
                article.places.append(
                    ArticlePlace(
                        len(article.places),
                        i,
                        article.span(s_start + 30, s_start + 36),
                        "event",
                        m.place.name,
                        m.place.geonameid,
                        m.place.country,
                        m.place.lat,
                        m.place.lon,
                        "PCLI" if m.place.broad else "PPLA",
                    )
                )
            place_idx = places[key]
        article.events.append(
            EventMention(
                i,
                i,
                trigger,
                m.code,
                list(m.source),
                list(m.target),
                date=day_date(m.day),
                location=m.place.name if m.place else None,
                confidence=m.confidence,
                place=place_idx,
            )
        )
    return article


class Timers:
    """Seconds spent in the grouping functions `Store.write` calls, measured by wrapping them in place."""

    def __init__(self) -> None:
        """Wrap `grouping.link_copies` and `grouping.update_events`; `restore` unwraps them."""
        self.seconds: dict[str, float] = {"link_copies": 0.0, "update_events": 0.0}
        self._original: dict[str, Callable[..., None]] = {}
        for name in self.seconds:
            self._original[name] = getattr(grouping, name)
            setattr(grouping, name, self._timed(name, self._original[name]))

    def _timed(self, name: str, fn: Callable[..., None]) -> Callable[..., None]:
        """A function that adds its running time to `seconds[name]`."""

        def run(*args: Any, **kwargs: Any) -> None:
            start = time.perf_counter()
            fn(*args, **kwargs)
            self.seconds[name] += time.perf_counter() - start

        return run

    def reset(self) -> None:
        """Start counting from zero."""
        for name in self.seconds:
            self.seconds[name] = 0.0

    def restore(self) -> None:
        """Put the original functions back."""
        for name, fn in self._original.items():
            setattr(grouping, name, fn)


def write_all(store: Store, items: Sequence[Article], batch: int) -> float:
    """Write articles in batches as ingest does; the seconds taken."""
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        chunk = list(items[i : i + batch])
        store.write(Batch(chunk, [(a.id, a.source) for a in chunk], []))
    return time.perf_counter() - start


def bench_store(args: argparse.Namespace, workdir: Path, timers: Timers) -> dict[str, Any]:
    """Fill a store with a base corpus, then time writing 1,000 new articles, fresh and with back-references."""
    world = build_world(args.seed + 1)
    rng = random.Random(args.seed + 2)
    texts: dict[str, str] = {}
    base_days = DAYS - 10
    per_article = 10
    synthetic = list(
        itertools.islice(
            articles(world, args.base_articles * per_article, 0, base_days, "b"), args.base_articles
        )
    )
    base = [to_article(a, rng, texts) for a in synthetic]
    store = Store(workdir / "bench.duckdb")
    start = time.perf_counter()
    write_all(store, base, 500)
    base_seconds = time.perf_counter() - start
    counts = _counts(store)
    result: dict[str, Any] = {
        "base_articles": len(base),
        "base_mentions": counts["mentions"],
        "base_events": counts["events"],
        "base_write_s": round(base_seconds, 1),
    }
    # New articles as they arrive: the next days' news, then news that also refers back up to a month.
    for name, first_day, back in (("fresh", base_days, 0), ("back_refs", base_days + 5, 30)):
        news = itertools.islice(
            articles(world, args.new_articles * per_article * 2, first_day, 5, f"n{name[0]}", back),
            args.new_articles,
        )
        new = [to_article(a, rng, texts) for a in news]
        timers.reset()
        seconds = write_all(store, new, INGEST_BATCH)
        result[name] = {
            "articles": len(new),
            "mentions": sum(len(a.events) for a in new),
            "write_s": round(seconds, 3),
            "link_copies_s": round(timers.seconds["link_copies"], 3),
            "update_events_s": round(timers.seconds["update_events"], 3),
            "per_article_ms": round(1000 * seconds / len(new), 2),
        }
    result["events_after"] = _counts(store)["events"]
    result["store"] = store
    return result


def _counts(store: Store) -> dict[str, int]:
    """Mentions and events stored."""
    rows = store.con.execute(
        "SELECT (SELECT count(*) FROM event_mentions), (SELECT count(*) FROM events)"
    ).fetchall()
    return {"mentions": int(rows[0][0]), "events": int(rows[0][1])}


def bench_extraction(data: Path, n: int) -> tuple[float, list[Article]] | None:
    """Seconds per article of `Pipeline().annotate` on `n` real articles (model loaded first), and the annotated
    articles; None when the corpus is absent."""
    if not data.is_dir():
        return None
    from eventwire.pipeline import Pipeline
    from ingest import parse_tml

    pipeline = Pipeline()
    docs: list[Article] = []
    for path in sorted(data.rglob("*.tml")):
        record = parse_tml(path)
        if record is None:
            continue
        date = dt.date.fromisoformat(record["date"]) if record["date"] else None
        doc = Document(Source(str(path.name), "timeml"), record["text"], record["title"], date)
        docs.append(pipeline.prepare(doc))
        if len(docs) == n:
            break
    # The model and every stage's data load on a first, untimed article.
    pipeline.annotate(docs[:1])
    start = time.perf_counter()
    annotated = [a for a in pipeline.annotate(docs) if isinstance(a, Article)]
    seconds = time.perf_counter() - start
    return seconds / len(docs), annotated


def main() -> None:
    """Parse arguments, run both measurements, print a summary and JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentions", type=int, default=1_000_000, help="Mentions to cluster (0: skip).")
    parser.add_argument(
        "--base-articles", type=int, default=20_000, help="Articles stored before the update."
    )
    parser.add_argument("--new-articles", type=int, default=1_000)
    parser.add_argument(
        "--real-articles", type=int, default=100, help="Real articles whose extraction is timed."
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-store", action="store_true", help="Only the clustering measurement.")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    if args.mentions:
        report["cluster"] = bench_cluster(args.mentions, args.seed)
        c = report["cluster"]
        print(
            f"cluster: {c['mentions']:,} mentions → {c['events']:,} events in {c['cluster_s']} s "
            f"({c['mentions_per_s']:,} mentions/s), peak RSS {c['peak_rss_mb']} MB "
            f"({c['peak_rss_mb_before']} MB after generating the mentions)",
            flush=True,
        )
    if args.skip_store:
        print(json.dumps(report))
        return
    extraction = bench_extraction(args.data, args.real_articles)
    timers = Timers()
    try:
        with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
            stored = bench_store(args, Path(tmp), timers)
            store: Store = stored.pop("store")
            if extraction is not None:
                real = extraction[1]
                timers.reset()
                stored["real"] = {
                    "articles": len(real),
                    "mentions": sum(len(a.events) for a in real),
                    "write_s": round(write_all(store, real, INGEST_BATCH), 3),
                    "update_events_s": round(timers.seconds["update_events"], 3),
                    "link_copies_s": round(timers.seconds["link_copies"], 3),
                }
            store.close()
    finally:
        timers.restore()
    report["store"] = stored
    print(
        f"store: base {stored['base_articles']:,} articles, {stored['base_mentions']:,} mentions → "
        f"{stored['base_events']:,} events (written in {stored['base_write_s']} s)"
    )
    if extraction is None:
        print(f"extraction: skipped, the TempEval-3 silver corpus is not at {args.data} (give --data DIR)")
    else:
        per_article = extraction[0]
        report["extraction_s_per_article"] = round(per_article, 4)
        print(
            f"extraction: {per_article * 1000:.0f} ms per real article (Pipeline().annotate on "
            f"{len(extraction[1])}), {per_article * args.new_articles:.1f} s for {args.new_articles:,}"
        )
    for name in ("fresh", "back_refs"):
        row = stored[name]
        line = (
            f"update {name}: {row['articles']:,} articles, {row['mentions']:,} mentions in {row['write_s']} s "
            f"(link_copies {row['link_copies_s']} s, update_events {row['update_events_s']} s)"
        )
        if extraction is not None:
            ratio = row["write_s"] / (extraction[0] * row["articles"])
            row["ratio"] = round(ratio, 4)
            line += f" = {ratio:.1%} of extraction (target < {TARGET:.0%}: {'met' if ratio < TARGET else 'NOT met'})"
        print(line)
    if "real" in stored:
        row = stored["real"]
        print(
            f"real annotated articles written to the same store: {row['articles']} articles, {row['mentions']} "
            f"mentions in {row['write_s']} s ({1000 * row['write_s'] / max(row['articles'], 1):.1f} ms/article)"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
