"""Errors as RFC 9457 problem details (`application/problem+json`), and the limit on request bodies.

Every error the API returns, its own or the framework's (unknown path, wrong method, invalid parameter, missing
token, body too large), is one JSON object with `type`, `title`, `status` and `detail`; a server error says no
more than that it happened (the traceback goes to the log).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..corrections import UnknownEvent
from ..errors import UsageError

LOGGER = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"


class ApiError(Exception):
    """An error the API answers with a status and a detail."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        """An error of an HTTP status, with what went wrong."""
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def problem(
    status: int,
    detail: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem details response of a status."""
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(jsonable_encoder(body), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Answer every error of the app with problem details."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        """The API's own errors."""
        return problem(exc.status, exc.detail, request.url.path, exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        """The framework's errors: unknown paths, wrong methods."""
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            # The framework names the methods of the first route of the path only (GET of /api/articles).
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        return problem(exc.status_code, str(exc.detail), request.url.path, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        """Parameters or bodies that do not validate: 422, with each error's location and message."""
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, detail, request.url.path, errors=errors)

    @app.exception_handler(UsageError)
    async def usage(request: Request, exc: UsageError) -> JSONResponse:
        """Values that are well-formed but make no sense (an unknown sort, a bad cursor)."""
        return problem(422, exc.reason, request.url.path)

    @app.exception_handler(UnknownEvent)
    async def unknown_event(request: Request, exc: UnknownEvent) -> JSONResponse:
        """A correction of an event that does not exist."""
        return problem(404, str(exc), request.url.path)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        """Anything else: logged, and answered without details."""
        LOGGER.exception("error answering %s %s", request.method, request.url.path)
        return problem(500, "the server failed to answer; its log says why", request.url.path)


def allowed_methods(request: Request) -> str:
    """Every method some route of the request's path answers."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods
    return ", ".join(sorted(methods))


class BodyLimit:
    """ASGI middleware that refuses request bodies larger than a limit with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        """Wrap an app with a body limit in bytes."""
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass requests on, refusing those whose body is, or grows, too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            """The next part of the body, counted against the limit."""
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 with problem details."""
        detail = f"the request body is larger than {self.max_bytes:,} bytes"
        await problem(413, detail, scope.get("path"), headers={"Connection": "close"})(scope, receive, send)


class _TooLarge(HTTPException):
    """Raised inside the app when a streamed body passes the limit (an HTTP error, so that the framework does not
    turn it into a 400 while reading the body)."""

    def __init__(self) -> None:
        """A 413."""
        super().__init__(413, "the request body is larger than the server accepts")
