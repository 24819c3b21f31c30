"""eventwire: political event data from news articles, every record traceable to the text it came from."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
