"""The pipeline: stages put together from a config, run on one article or a batch.

The same `Pipeline` object runs in-process and in worker processes: it pickles as its config alone and loads its
spaCy model on first use, once per process.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from . import __version__, casing, cleaning, nlp
from .actors import ActorStage
from .dates import DateStage
from .errors import EventwireError, NlpError
from .events import EventStage
from .model import Article, Document
from .places import PlaceStage
from .quotes import QuoteStage

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

Result = Article | EventwireError


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """What a pipeline is made of: which spaCy model, how many texts it parses at a time, which user dictionaries
    and event lexicons, and whether the event classifier gives its second opinion."""

    model: str = nlp.DEFAULT_MODEL
    batch_size: int = 32
    dictionaries: tuple[str, ...] = ()
    lexicons: tuple[str, ...] = ()
    classifier: bool = True


# A stage reads the parsed spaCy document (tokens, lemmas, POS, dependencies, entities) and fills the article's
# records; stages are top-level functions or small picklable objects, and run in order on every parsed article.
Stage = Callable[[Article, "Doc"], Article]


def default_stages(config: PipelineConfig) -> tuple[Stage, ...]:
    """Sentences and entities, actors coded with the shipped and configured dictionaries, events, then their dates,
    places and quotes."""
    return (
        nlp.annotate,
        ActorStage(config.dictionaries),
        EventStage(config.lexicons, config.classifier),
        DateStage(),
        PlaceStage(),
        QuoteStage(),
    )


class Pipeline:
    """Cleaning, parsing, then the stages over each parsed document (sentences and entities; actors, events… next)."""

    def __init__(self, config: PipelineConfig | None = None, stages: Sequence[Stage] | None = None) -> None:
        """A pipeline from its config and stages (by default those the config implies); the model loads on first use."""
        self.config = config or PipelineConfig()
        self.stages = tuple(stages) if stages is not None else default_stages(self.config)
        self._nlp: Language | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Only the config and stages cross process boundaries; each worker loads its own model."""
        return {"config": self.config, "stages": self.stages}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild from the config and stages, the model loading lazily."""
        self.config = state["config"]
        self.stages = state["stages"]
        self._nlp = None

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = nlp.load(self.config.model)
        return self._nlp

    @property
    def version(self) -> str:
        """What produced an article's annotations: eventwire's and the model's versions."""
        return f"eventwire {__version__}; {nlp.describe(self.nlp)}"

    def prepare(self, doc: Document) -> Article:
        """A read document cleaned and identified, ready to be parsed."""
        return cleaning.clean(doc)

    def annotate(self, articles: list[Article]) -> list[Result]:
        """The articles parsed and annotated; a document the model fails on becomes an error, not a lost batch."""
        version = self.version
        try:
            texts = (casing.for_parsing(a.text, self.nlp) for a in articles)
            docs = list(self.nlp.pipe(texts, batch_size=self.config.batch_size))
        except Exception:
            LOGGER.warning(
                "the NLP pipeline failed on a batch; retrying its %d documents one by one", len(articles)
            )
            return [self._annotate_one(a, version) for a in articles]
        return [self._staged(a, casing.mark(d, a.text), version) for a, d in zip(articles, docs, strict=True)]

    def _annotate_one(self, article: Article, version: str) -> Result:
        """One article parsed on its own, or the error it raised."""
        try:
            doc = casing.mark(self.nlp(casing.for_parsing(article.text, self.nlp)), article.text)
        except Exception as exc:  # any model failure is reported as this document's error
            return NlpError(
                f"spaCy failed: {type(exc).__name__}: {exc}",
                source=article.source.uri,
                line=article.source.line,
            )
        return self._staged(article, doc, version)

    def _staged(self, article: Article, doc: Doc, version: str) -> Result:
        """The article through every stage, or the error a stage raised (the batch goes on)."""
        try:
            return _annotated(article, doc, version, self.stages)
        except Exception as exc:  # a stage failing on one document must not stop the others
            return NlpError(
                f"a pipeline stage failed: {type(exc).__name__}: {exc}",
                source=article.source.uri,
                line=article.source.line,
            )

    def run(self, items: Iterable[Document | EventwireError]) -> Iterator[Result]:
        """Read documents (or read errors) in, annotated articles (or errors) out, in input order."""
        iterator = iter(items)
        while batch := list(islice(iterator, self.config.batch_size)):
            prepared: list[Result] = [self._prepare_one(item) for item in batch]
            articles = [r for r in prepared if isinstance(r, Article)]
            done = iter(self.annotate(articles))
            yield from (next(done) if isinstance(r, Article) else r for r in prepared)

    def _prepare_one(self, item: Document | EventwireError) -> Result:
        """A document prepared, or the error it was or raised."""
        if isinstance(item, EventwireError):
            return item
        try:
            return self.prepare(item)
        except EventwireError as exc:
            return exc


def _annotated(article: Article, doc: Doc, version: str, stages: Sequence[Stage]) -> Article:
    """The article annotated by every stage from its parsed document, and stamped with the pipeline version."""
    for stage in stages:
        article = stage(article, doc)
    article.pipeline = version
    return article


class _Settled:
    """Whether this process has frozen what it loaded (`freeze_loaded`)."""

    lock = threading.Lock()
    done = False


def freeze_loaded() -> None:
    """Leave everything alive now out of the cyclic garbage collector's scans, once per process: call it when the
    model and every stage's data are loaded (after a first batch), in a process that goes on to parse many more.

    The model, dictionaries, lexicon and gazetteer are a few hundred thousand objects that live as long as the
    process; left to the collector, every full collection walks them all again (about 150 ms each, several per
    thousand articles). A collection first frees what is already garbage, so that nothing unreachable is kept.
    """
    with _Settled.lock:
        if _Settled.done:
            return
        _Settled.done = True
    gc.collect()
    gc.freeze()
    LOGGER.debug("froze %d loaded objects out of the garbage collector's scans", gc.get_freeze_count())
