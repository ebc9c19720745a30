"""`vnfacts serve`: a small web app and HTTP API over the same pipeline (the `serve` extra).

- `POST /extract` `{"text": …, "id"?: …, "date"?: …}` → the records of that text (SPEC §1);
- `POST /extract/batch` `{"documents": [{…}, …]}` → the records of every document;
- `POST /view` → the records and the text with its facts highlighted, for the page;
- `GET /health`; `GET /` the page; `GET /docs` the OpenAPI documentation.

Patterns and the gazetteer are loaded once at start-up. A body over the size limit gets a
413, a malformed one a 422, and no response ever carries a traceback.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .models import OutputRecord, Record
from .patterns import load
from .read import checksum, document_from_text
from .records import records_for
from .report import COLOURS, TYPES, highlight
from .resolve import gazetteer

MAX_BYTES = 2_000_000


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article or page, as plain text.")
    id: str | None = Field(default=None, description="doc_id of the records (default 'text').")
    date: str | None = Field(default=None, description="Publication date, ISO 8601.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[ExtractRequest] = Field(max_length=1000)


class ViewResponse(BaseModel):
    records: list[OutputRecord]
    html: str


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

    @app.middleware("http")
    async def limit_size(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            return _too_large(int(declared), max_bytes)
        if request.method == "POST" and declared is None:  # chunked: count as it comes
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > max_bytes:
                    return _too_large(len(body), max_bytes)

            async def replay() -> dict[str, Any]:
                return {"type": "http.request", "body": body, "more_body": False}

            request = Request(request.scope, replay)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            {
                "detail": "The request body is not valid JSON of the expected shape.",
                "errors": json.loads(json.dumps(problems, default=str)),
            },
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def failed(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": f"The server could not process the request ({type(exc).__name__})."},
            status_code=500,
        )

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "rules": len(load().rules)}

    @app.post("/extract", response_model=list[OutputRecord], response_model_exclude_none=True)
    def extract(request: ExtractRequest) -> list[OutputRecord]:
        return _records(request)

    @app.post("/extract/batch", response_model=list[OutputRecord], response_model_exclude_none=True)
    def extract_batch(request: BatchRequest) -> list[OutputRecord]:
        return [record for document in request.documents for record in _records(document)]

    @app.post("/view", response_model=ViewResponse, response_model_exclude_none=True)
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


def _too_large(size: int, limit: int) -> JSONResponse:
    return JSONResponse(
        {"detail": f"The request body is too large ({size:,} bytes; the limit is {limit:,})."},
        status_code=413,
    )


def main(host: str, port: int, max_bytes: int = MAX_BYTES) -> None:
    import uvicorn

    uvicorn.run(create_app(max_bytes), host=host, port=port, log_level="warning")
