"""The web UI: one HTML shell for every page and its static assets, served next to the JSON API."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import Scope

STATIC_DIR = Path(__file__).with_name("static")
STATIC_URL = "/static"

# The pages are rendered in the browser from the JSON API; the server only hands out the shell. Scripts come from
# this origin alone, so text from articles can never run as code even if it reached the DOM unescaped.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # The chart library positions its tooltips with inline style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
# Every path the browser-side router knows; each serves the same shell.
PAGE_PATHS = (
    "/",
    "/events/{event_id}",
    "/articles",
    "/articles/{article_id}",
    "/timelines",
    "/network",
    "/map",
)


class _Assets(StaticFiles):
    """Static files that browsers revalidate and never sniff into another type."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file, with headers that keep its declared type and a fresh copy after an upgrade."""
        response = await super().get_response(path, scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Cache-Control", "no-cache")
        return response


@cache
def _shell() -> str:
    """The HTML page every route serves (read once)."""
    return (STATIC_DIR / "index.html").read_text(encoding="utf-8")


async def page() -> HTMLResponse:
    """The UI's HTML shell; the script in it renders the page the path names."""
    return HTMLResponse(_shell(), headers=PAGE_HEADERS)


def mount(app: FastAPI) -> None:
    """Serve the web UI's pages and static assets from an API application."""
    assets = _Assets(directory=STATIC_DIR, follow_symlink=False)
    # The chart library is a megabyte of JavaScript, a quarter of that compressed.
    app.mount(STATIC_URL, GZipMiddleware(assets, minimum_size=1024), name="webui-static")
    for path in PAGE_PATHS:
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)
