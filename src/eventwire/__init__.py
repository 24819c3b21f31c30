"""eventwire: political event data from news articles, every record traceable to the text it came from."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import EventwireError
from .ingest import IngestSummary, ingest
from .model import Article, Document, Entity, Failure, Sentence, Source, Span
from .pipeline import Pipeline, PipelineConfig
from .readers import ReadOptions, read
from .store import Store

__all__ = [
    "Article",
    "Document",
    "Entity",
    "EventwireError",
    "Failure",
    "IngestSummary",
    "Pipeline",
    "PipelineConfig",
    "ReadOptions",
    "Sentence",
    "Source",
    "Span",
    "Store",
    "__version__",
    "ingest",
    "read",
]
