"""Schemathesis hooks for `tests/test_api_schema.py` (loaded by `st run`; this module runs no test itself).

A cursor is opaque: one the server did not make is refused with 422, and a box's longitudes and latitudes must lie
in range, the latitudes in order; no schema can state either. A generated query whose cursor or box is valid by
the schema but not one the server can take is left out (test_api.py walks real cursors and checks boxes);
values the schema forbids are still sent, and must be refused.
"""

from __future__ import annotations

import re

import schemathesis
from schemathesis.hooks import HookContext

from eventwire.api.app import BBOX_PATTERN, MAX_CURSOR
from eventwire.api.queries import BBox
from eventwire.errors import UsageError


def _box_out_of_range(value: object) -> bool:
    """Whether a value is a box by the schema that the server refuses."""
    if not isinstance(value, str) or len(value) > 100 or not re.fullmatch(BBOX_PATTERN, value):
        return False
    try:
        BBox.parse(value)
    except UsageError:
        return True
    return False


def _made_up_cursor(value: object) -> bool:
    """Whether a value is a cursor by the schema (the server made none in a generated request)."""
    return isinstance(value, str) and len(value) <= MAX_CURSOR


def sendable(query: dict[str, object] | None) -> bool:
    """Whether a generated query has neither a made-up cursor nor a box out of range."""
    query = query or {}
    return not _made_up_cursor(query.get("cursor")) and not _box_out_of_range(query.get("bbox"))


@schemathesis.hook
def filter_case(context: HookContext, case: schemathesis.Case) -> bool:
    """Leave out the requests the server cannot take for reasons no schema can state (every phase)."""
    return sendable(case.query)
