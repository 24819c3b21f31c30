"""The NLP stage: sentences and entities read off the real spaCy parse, with true offsets."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from eventwire.errors import ModelNotFound
from eventwire.model import Article, Source
from eventwire.nlp import load
from eventwire.pipeline import Pipeline


def _article(text: str, body_start: int = 0) -> Article:
    """An unparsed article holding `text`."""
    return Article("id", text, None, None, None, body_start, Source("t", "text"))


def _parse(pipeline: Pipeline, text: str) -> Article:
    """`text` parsed by the real pipeline."""
    (result,) = pipeline.annotate([_article(text)])
    assert isinstance(result, Article)
    return result


def test_paragraph_break_ends_a_sentence(pipeline: Pipeline) -> None:
    """A headline without a full stop, followed by a blank line, is a sentence of its own."""
    article = _parse(pipeline, "Protesters clash with police in Tbilisi\n\nThousands marched on parliament.")
    texts = [s.span.text for s in article.sentences]
    assert texts == ["Protesters clash with police in Tbilisi", "Thousands marched on parliament."]
    assert [s.paragraph for s in article.sentences] == [0, 1]


def test_single_newline_does_not_split(pipeline: Pipeline) -> None:
    """Hard-wrapped lines inside a paragraph are not sentence breaks."""
    text = "The minister said the talks in Geneva\nwould resume on Monday after a pause."
    article = _parse(pipeline, text)
    assert len(article.sentences) == 1
    assert article.sentences[0].span.text == text


def test_possessive_is_trimmed_from_entities(pipeline: Pipeline) -> None:
    """`Tel Aviv's actions` names Tel Aviv: the possessive ending is not part of the entity."""
    article = _parse(pipeline, "Moscow criticised Tel Aviv’s actions and Germany's position on Monday.")
    names = {e.span.text for e in article.entities}
    assert "Tel Aviv" in names
    assert "Germany" in names
    assert not any(name.endswith(("’s", "'s")) for name in names)


def test_plural_possessive_keeps_the_s(pipeline: Pipeline) -> None:
    """A plural possessive (`the Philippines'`) loses only its apostrophe."""
    article = _parse(pipeline, "The Philippines' foreign minister met officials in Manila.")
    assert any(e.span.text == "Philippines" for e in article.entities)


def test_spans_slice_the_text(pipeline: Pipeline) -> None:
    """Every sentence and entity span is exactly the stored text between its offsets."""
    text = "  Israeli Prime Minister Benjamin Netanyahu spoke with Vladimir Putin.\n\nThe Kremlin said so.  "
    article = _parse(pipeline, text)
    for record in [*article.sentences, *article.entities]:
        assert text[record.span.start : record.span.end] == record.span.text
        assert record.span.text == record.span.text.strip()
    assert {"Benjamin Netanyahu", "Vladimir Putin", "Kremlin"} <= {e.span.text for e in article.entities}


def test_entity_sentence_index(pipeline: Pipeline) -> None:
    """An entity records the sentence it lies in."""
    article = _parse(pipeline, "Talks began in Paris on Monday. Officials from Kenya arrived later.")
    by_text = {e.span.text: e.sentence for e in article.entities}
    assert by_text["Paris"] == 0
    assert by_text["Kenya"] == 1


def test_pipeline_version_is_recorded(pipeline: Pipeline) -> None:
    """Each parsed article says which eventwire and which model produced it."""
    article = _parse(pipeline, "Rain fell in Oslo.")
    assert article.pipeline is not None
    assert article.pipeline.startswith("eventwire ")
    assert "3.8.0" in article.pipeline


def test_missing_model_is_a_clear_error() -> None:
    """Naming a pipeline that is not installed raises ModelNotFound, which says how to fix it."""
    with pytest.raises(ModelNotFound, match="not installed"):
        load("en_no_such_pipeline_xx")


def test_pipeline_pickles_without_its_model(pipeline: Pipeline) -> None:
    """A pipeline crosses process boundaries as its config alone and reloads its model lazily."""
    import pickle

    copy = pickle.loads(pickle.dumps(pipeline))
    assert copy.config == pipeline.config
    assert copy._nlp is None
    assert copy.version == pipeline.version


def _record_verbs(article: Article, doc: Doc) -> Article:
    """A stage that reads lemmas, POS and dependencies off the parse: the root verb lemma of each sentence."""
    article.metadata["roots"] = [s.root.lemma_ for s in doc.sents if s.root.pos_ in ("VERB", "AUX")]
    return article


def test_later_stages_get_the_parsed_document(pipeline: Pipeline) -> None:
    """Stages after the NLP stage receive the spaCy parse (lemmas, POS, dependencies) of each article."""
    custom = Pipeline(pipeline.config, stages=(*pipeline.stages, _record_verbs))
    custom._nlp = pipeline.nlp  # share the loaded model
    (article,) = custom.annotate([_article("Russia criticised the sanctions. Ukraine welcomed them.")])
    assert isinstance(article, Article)
    assert article.metadata["roots"] == ["criticise", "welcome"]
    assert len(article.sentences) == 2


def _fail_on_marker_stage(article: Article, doc: Doc) -> Article:
    """A stage that fails on one document."""
    if "MARKER" in article.text:
        raise RuntimeError("cannot code this one")
    return article


def test_a_failing_stage_costs_only_its_document(pipeline: Pipeline) -> None:
    """A stage raising on one article gives that article an error; the others of the batch are annotated."""
    custom = Pipeline(pipeline.config, stages=(*pipeline.stages, _fail_on_marker_stage))
    custom._nlp = pipeline.nlp
    results = custom.annotate(
        [_article("Rain in Oslo."), _article("A MARKER here."), _article("Sun in Rome.")]
    )
    assert [type(r).__name__ for r in results] == ["Article", "NlpError", "Article"]
    assert "cannot code this one" in str(results[1])
