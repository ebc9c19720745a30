"""`vnfacts serve`: a small web app and HTTP API over the same pipeline (the `serve` extra).

- `POST /extract` `{"text": …, "id"?: …, "date"?: …}` → the records of that text (SPEC §1);
- `POST /extract/batch` `{"documents": [{…}, …]}` → the records of every document;
- `POST /view` → the records and the text with its facts highlighted, for the page;
- `GET /health`; `GET /` the page; `GET /docs` the OpenAPI documentation.

Patterns and the gazetteer are loaded once at start-up. A body over the size limit gets a
413 (decided on its Content-Length before it is read, or as a chunked body comes in), a
malformed one a 422 that names the field — text that no output can encode (a lone
surrogate) and a date that is not ISO 8601 included —, and no response ever carries a
traceback: the API never answers 5xx by design, and a fuzz test holds it to that.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .models import OutputRecord, Record
from .patterns import load
from .read import ISO_DATE_PATTERN, checksum, document_from_text, iso_date, lone_surrogate
from .records import records_for
from .report import COLOURS, TYPES, highlight
from .resolve import gazetteer

MAX_BYTES = 2_000_000


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article or page, as plain text.")
    id: str | None = Field(default=None, description="doc_id of the records (default 'text').")
    date: str | None = Field(
        default=None,
        description="Publication date, ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a date and time.",
        json_schema_extra={"pattern": ISO_DATE_PATTERN},
    )

    @field_validator("text", "id")
    @classmethod
    def _encodable(cls, value: str | None) -> str | None:
        where = lone_surrogate(value) if value is not None else None
        if where:
            raise ValueError(f"a lone surrogate at {where} is not a character")
        return value

    @field_validator("date")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        return iso_date(value) if value is not None else None


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[ExtractRequest] = Field(max_length=1000)


class ViewResponse(BaseModel):
    records: list[OutputRecord]
    html: str


class Problem(BaseModel):
    where: str = Field(description="The field, as a dotted path: 'body.date'.")
    problem: str


class InvalidRequest(BaseModel):
    detail: str
    errors: list[Problem]


class Failure(BaseModel):
    detail: str


# What the API answers besides 200, as its OpenAPI schema says (and the fuzz test checks).
_ANSWERS: dict[int | str, dict[str, Any]] = {
    413: {"model": Failure, "description": "The body is over the size limit."},
    422: {"model": InvalidRequest, "description": "The body is not valid JSON of this shape."},
}


def _records(request: ExtractRequest) -> list[OutputRecord]:
    item = document_from_text(request.id or "text", request.text, date=request.date)
    return records_for(replace(item, checksum=checksum(request.text)), load())


def create_app(max_bytes: int = MAX_BYTES) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        load()
        gazetteer.load()
        yield

    app = FastAPI(
        title="vnfacts",
        version=__version__,
        description="Facts from Vietnamese news (money, counts, officials, places) as JSON.",
        lifespan=lifespan,
    )
    app.add_middleware(SizeLimit, max_bytes=max_bytes)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _invalid(json.loads(json.dumps(problems, default=str)))

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's answer to a body that is not UTF-8 JSON
            return _invalid([{"where": "body", "problem": str(exc.detail)}])
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def failed(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": f"The server could not process the request ({type(exc).__name__})."},
            status_code=500,
        )

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "rules": len(load().rules)}

    @app.post(
        "/extract",
        response_model=list[OutputRecord],
        response_model_exclude_none=True,
        responses=_ANSWERS,
    )
    def extract(request: ExtractRequest) -> list[OutputRecord]:
        return _records(request)

    @app.post(
        "/extract/batch",
        response_model=list[OutputRecord],
        response_model_exclude_none=True,
        responses=_ANSWERS,
    )
    def extract_batch(request: BatchRequest) -> list[OutputRecord]:
        return [record for document in request.documents for record in _records(document)]

    @app.post(
        "/view", response_model=ViewResponse, response_model_exclude_none=True, responses=_ANSWERS
    )
    def view(request: ExtractRequest) -> ViewResponse:
        records = _records(request)
        parts = []
        for record in records:
            if isinstance(record, Record):
                facts = [f.model_dump(exclude_none=True) for f in record.facts]
                text = request.text[record.start : record.end]
                parts.append(f'<div class="article">{highlight(text, record.start, facts)}</div>')
        return ViewResponse(records=records, html="".join(parts))

    environment = Environment(
        loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape()
    )
    page = environment.get_template("serve.html").render(types=TYPES, colours=COLOURS)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return page

    return app


def _invalid(problems: list[dict[str, str]]) -> JSONResponse:
    detail = "The request body is not valid JSON of the expected shape."
    return JSONResponse({"detail": detail, "errors": problems}, status_code=422)


class SizeLimit:
    """A 413 for a body over `max_bytes`, decided on its Content-Length before the body is
    read, or as a chunked body comes in; memory never holds more than `max_bytes` of it.

    A client that sends its whole body before it reads the answer (most do) would find the
    connection reset if the server answered and closed while it was still sending, so the
    rest of a refused body is read and thrown away first (up to `_DRAIN` bytes; a client
    that asked "Expect: 100-continue" has sent nothing yet and is answered at once).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.max_bytes:
            if headers.get(b"expect", b"").lower() != b"100-continue":
                await _drain(receive)
            await _too_large(send, int(declared), self.max_bytes)
            return
        if scope["method"] != "POST" or declared.isdigit():
            await self.app(scope, receive, send)
            return
        body = b""  # chunked: count as it comes
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                if message.get("more_body"):
                    await _drain(receive)
                await _too_large(send, len(body), self.max_bytes)
                return
            if not message.get("more_body"):
                break
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


_DRAIN = 256_000_000


async def _too_large(send: Send, size: int, limit: int) -> None:
    detail = f"The request body is too large ({size:,} bytes; the limit is {limit:,})."
    payload = json.dumps({"detail": detail}).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode("ascii")),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _drain(receive: Receive) -> None:
    """Read what is left of a refused body, keeping none of it."""
    drained = 0
    while drained < _DRAIN:
        message = await receive()
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        if not message.get("more_body"):
            return


def main(host: str, port: int, max_bytes: int = MAX_BYTES) -> None:
    import uvicorn

    uvicorn.run(create_app(max_bytes), host=host, port=port, log_level="warning")
