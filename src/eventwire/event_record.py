"""The event as the event stage builds it, shared by the extractor and its parts before it becomes a record."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import ActorMention


@dataclass(slots=True)
class Event:
    """An event as the extractor builds it, before it becomes a record."""

    trigger: list[int]
    code: str
    sources: list[ActorMention]
    targets: list[ActorMention]
    rule: str
    head: int
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    attributed_to: str | None = None
    decided_by: str = "lexicon"
    score: float = 1.0
    alternatives: list[str] = field(default_factory=list)
    # The code of the act an intent announces ("agreed to free" → 0841), which a refusal to do it keeps.
    act: str | None = None
    # Declining comment told by a negation ("would not comment"): the "not" and the "would" are the refusal.
    declined: bool = False
