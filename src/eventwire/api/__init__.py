"""The HTTP API of `eventwire serve` and analysts' corrections of the machine coding.

This package's `__init__` imports nothing, so that the exports can use `corrections` without loading the web
framework; the app lives in `eventwire.api.app`.
"""
