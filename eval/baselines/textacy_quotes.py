"""Baseline for quotes: textacy's `direct_quotations` against eventwire, scored by eventwire's own scorer.

Both systems read the same gold documents (PolNeAR attribution in brat standoff by default) parsed by the same
spaCy model; textacy's (speaker, cue, content) triples become `Quote` records and both are scored with
`eventwire.evaluation.scoring.score_item`, on all gold quotes and on direct quotes only (textacy finds only
direct ones, so that is the fair comparison). textacy is not an eventwire dependency: install it beside it
(`pip install textacy==0.13.0`) to run this script.

    python eval/baselines/textacy_quotes.py [GOLD_DIR] [--model NAME]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from eventwire.evaluation.gold import GoldItem
from eventwire.evaluation.importers import QUOTE_MARKS, read_brat
from eventwire.evaluation.scoring import Scores, score_item
from eventwire.model import Article, Quote, Source, Span
from eventwire.nlp import DEFAULT_MODEL
from eventwire.pipeline import Pipeline, PipelineConfig

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "polnear" / "dev"
SCOPES = ("all", "direct")


def main(argv: list[str] | None = None) -> int:
    """Score eventwire and textacy on the same documents and print both, overall and on direct quotes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD), help="a directory of brat .ann files")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="the spaCy pipeline both systems use")
    args = parser.parse_args(argv)
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        print(
            "textacy is not installed: pip install textacy==0.13.0 (not an eventwire dependency)",
            file=sys.stderr,
        )
        return 2
    gold_dir = Path(args.gold)
    if not gold_dir.is_dir():
        print(
            f"no gold data at {gold_dir}: give the PolNeAR dev directory (brat .ann files)", file=sys.stderr
        )
        return 2
    items = list(read_brat(gold_dir))
    if not items:
        print(f"no brat annotations found under {gold_dir}", file=sys.stderr)
        return 2
    pipeline = Pipeline(PipelineConfig(model=args.model))
    ours = _eventwire(items, pipeline)
    theirs, bailed = _textacy(items, pipeline, direct_quotations)
    print(f"{len(items)} documents from {gold_dir}; spaCy model {args.model}")
    print(f"textacy gave up on {bailed} document(s) (an odd number of quotation marks): no quotes for them\n")
    print("| system | gold quotes | precision | recall | F1 | tp | fp | fn | speaker accuracy |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scope in SCOPES:
        for name, articles in (("eventwire", ours), ("textacy direct_quotations", theirs)):
            print(_row(name, scope, _score(items, articles, scope)))
    return 0


def _eventwire(items: list[GoldItem], pipeline: Pipeline) -> list[Article]:
    """eventwire's articles for the gold texts, through its default pipeline."""
    results = pipeline.annotate([_article(item) for item in items])
    articles = []
    for item, result in zip(items, results, strict=True):
        if not isinstance(result, Article):
            print(f"eventwire failed on {item.id}: {result}", file=sys.stderr)
            result = _article(item)
        articles.append(result)
    return articles


def _textacy(items: list[GoldItem], pipeline: Pipeline, extract: Any) -> tuple[list[Article], int]:
    """Articles holding textacy's direct quotations, and how many documents it refused."""
    articles, bailed = [], 0
    docs = pipeline.nlp.pipe((item.text or "" for item in items), batch_size=pipeline.config.batch_size)
    for item, doc in zip(items, docs, strict=True):
        article = _article(item)
        try:
            triples = list(extract(doc))
        except ValueError:  # textacy refuses a document whose quotation marks do not pair up
            triples, bailed = [], bailed + 1
        article.quotes = [q for q in (_quote(article, i, t) for i, t in enumerate(triples)) if q is not None]
        articles.append(article)
    return articles, bailed


def _quote(article: Article, index: int, triple: Any) -> Quote | None:
    """A textacy triple as a direct `Quote`: content without its marks (as the gold has it), speaker and cue."""
    start, end = triple.content.start_char, triple.content.end_char
    text = article.text
    while start < end and (text[start] in QUOTE_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in QUOTE_MARKS or text[end - 1].isspace()):
        end -= 1
    if start >= end:
        return None
    return Quote(
        index,
        article.span(start, end),
        "direct",
        _span(article, triple.speaker),
        None,
        _span(article, triple.cue),
    )


def _span(article: Article, tokens: list[Any]) -> Span | None:
    """The stretch of text from the first to the last of some tokens."""
    if not tokens:
        return None
    return article.span(tokens[0].idx, tokens[-1].idx + len(tokens[-1]))


def _article(item: GoldItem) -> Article:
    """An unparsed article holding a gold item's text exactly, so that offsets agree."""
    return Article(item.id, item.text or "", None, item.date, "gold", 0, Source(item.id, "gold"))


def _score(items: list[GoldItem], articles: list[Article], scope: str) -> Scores:
    """eventwire's quote scores, on every gold quote or on direct ones only (predictions restricted alike)."""
    scores = Scores()
    for item, article in zip(items, articles, strict=True):
        if scope == "direct":
            item = replace(item, quotes=[q for q in item.quotes or [] if q.kind == "direct"])
            article = replace(article, quotes=[q for q in article.quotes if q.kind == "direct"])
        score_item(item, article, scores)
    return scores


def _row(name: str, scope: str, scores: Scores) -> str:
    """One line of the results table."""
    q, s = scores.quotes, scores.speakers
    return (
        f"| {name} | {scope} | {q.precision:.3f} | {q.recall:.3f} | {q.f1:.3f} | {q.tp} | {q.fp} | {q.fn} "
        f"| {s.value:.3f} ({s.correct}/{s.total}) |"
    )


if __name__ == "__main__":
    sys.exit(main())
