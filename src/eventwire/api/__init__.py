"""The HTTP API of `eventwire serve`, over the store and analysts' corrections (`eventwire.corrections`).

This package's `__init__` imports nothing, so that the command line can load the `serve` and `corrections`
commands without loading the web framework; the app lives in `eventwire.api.app`.
"""
