"""The web app: a page to paste, upload or link an article, and a REST API returning the JSON report.

One `Analyzer` (models loaded once, at start-up) serves every request. Requests are bounded: the body
size (413), the number admitted at once (503 at once when full, never an unbounded queue), and the time
each may take (504). Analyses run in a small thread pool so the event loop stays responsive.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slant.errors import InputError, InputTooLargeError, UsageError
from slant.ingest import check_article, document_from_bytes, load
from slant.model import Document, Report
from slant.options import AnalysisOptions
from slant.pipeline import SLANT_VERSION, Analyzer
from slant.report.html import render_html

STATIC = files("slant.web") / "static"
T = TypeVar("T")

#: Headers of slant's own pages: no framing by others, no sniffing, no referrer leaks.
_PAGE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_INDEX_CSP = (
    "default-src 'none'; style-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
#: The report carries its own strict policy; the header adds what a meta tag cannot say.
_REPORT_CSP = "sandbox allow-scripts; frame-ancestors 'self'"


class ServerBusyError(Exception):
    """Every admission slot is taken (503)."""


class AnalysisTimeoutError(Exception):
    """An analysis ran past the time limit (504)."""


class Options(BaseModel):
    """Per request: which of the loaded analyzers to run, and which findings to return."""

    model_config = ConfigDict(extra="forbid")

    only: list[str] = Field(default_factory=list, description="Run only these analyzers.")
    skip: list[str] = Field(default_factory=list, description="Skip these analyzers.")
    min_confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Return only findings scored at least this (summaries use all)."
    )


class Source(BaseModel):
    """One article: exactly one of its text, its HTML page, or an http(s) URL to fetch."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    html: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Source:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return self


class AnalyzeRequest(Source, Options):
    """`POST /api/analyze`: one article and the options."""


class BatchRequest(Options):
    """`POST /api/analyze/batch`: several articles analyzed together with the same options."""

    documents: list[Source] = Field(min_length=1)


class Service:
    """The loaded analyzer behind admission slots, a worker pool and a per-request time limit."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.limits = analyzer.options.server
        self._slots = threading.BoundedSemaphore(self.limits.max_in_flight)
        self._pool = ThreadPoolExecutor(max_workers=self.limits.workers, thread_name_prefix="slant-analyze")

    async def analyze(self, loaders: Sequence[Callable[[], Document]], options: Options) -> list[Report]:
        """Load the documents (in a thread: a URL fetch must not hold an analysis worker), then analyze
        them in the pool, all within the time limit.

        Raises:
            ServerBusyError: no admission slot is free.
            AnalysisTimeoutError: the work ran past `limits.timeout_s`. A running analysis is abandoned,
                not killed, and keeps its slot until it ends, so abandoned work still counts against the
                bound; a queued one is dropped.
        """
        if not self._slots.acquire(blocking=False):
            raise ServerBusyError(f"the server is busy ({self.limits.max_in_flight} requests in progress); retry later")
        analysis: Future[list[Report]] | None = None
        try:
            async with asyncio.timeout(self.limits.timeout_s):
                documents = await asyncio.to_thread(self._load, loaders)
                analysis = self._pool.submit(
                    self.analyzer.analyze_documents, documents, only=options.only, skip=options.skip
                )
                analysis.add_done_callback(lambda _: self._slots.release())
                reports = await asyncio.wrap_future(analysis)
        except TimeoutError:
            raise AnalysisTimeoutError(f"the analysis took longer than {self.limits.timeout_s:g} s") from None
        finally:
            if analysis is None:
                self._slots.release()
        shown = self.analyzer.options.min_confidence if options.min_confidence is None else options.min_confidence
        return [report.shown(shown) for report in reports]

    def _load(self, loaders: Sequence[Callable[[], Document]]) -> list[Document]:
        documents = []
        for i, loader in enumerate(loaders):
            try:
                documents.append(self._bounded(loader()))
            except InputError as error:
                raise (type(error)(f"documents[{i}]: {error}") if len(loaders) > 1 else error) from None
        return documents

    def _bounded(self, document: Document) -> Document:
        if len(document.text) > self.limits.max_text_chars:
            raise InputTooLargeError(
                f"the article has {len(document.text):,} characters; this server analyzes at most "
                f"{self.limits.max_text_chars:,}"
            )
        return document

    def close(self) -> None:
        """Stop the pool, dropping queued work."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def create_app(analyzer: Analyzer | None = None, options: AnalysisOptions | None = None) -> FastAPI:
    """The web app. Without `analyzer`, one is loaded at start-up with `options` (the defaults when None);
    the server's limits are `options.server` (the analyzer's own options when it is given)."""
    options = analyzer.options if analyzer is not None else options or AnalysisOptions()
    limits = options.server

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = Service(analyzer or Analyzer(options))
        yield
        app.state.service.close()

    app = FastAPI(
        title="slant",
        version=SLANT_VERSION,
        description="Shows, with evidence, how a news article tries to persuade its reader.",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _add_error_handlers(app)
    _add_routes(app, options)
    return app


def _add_routes(app: FastAPI, options: AnalysisOptions) -> None:
    limits = options.server

    def service(request: Request) -> Service:
        running: Service = request.app.state.service
        return running

    def loader(source: Source) -> Callable[[], Document]:
        if source.url is not None:
            url = source.url
            fetching = options.model_copy(
                update={
                    "urls": options.urls.model_copy(update={"allow": True}),
                    "limits": options.limits.model_copy(update={"max_input_bytes": limits.max_body_bytes}),
                }
            )
            return lambda: load(url, fetching)
        name, content = ("text", source.text) if source.text is not None else ("html", source.html or "")
        return lambda: check_article(
            document_from_bytes(content.encode("utf-8"), name=name, max_bytes=limits.max_body_bytes)
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        return HTMLResponse(page, headers={**_PAGE_HEADERS, "Content-Security-Policy": _INDEX_CSP})

    @app.post("/report", response_class=HTMLResponse, include_in_schema=False)
    async def report_page(request: Request) -> HTMLResponse:
        """The form's target: the HTML report of the pasted text, uploaded file or URL."""
        try:
            async with request.form(max_files=1, max_fields=8, max_part_size=limits.max_body_bytes) as form:
                load_document = await _form_loader(form, loader, limits.max_body_bytes)
            reports = await service(request).analyze([load_document], Options())
        except Exception as error:
            status = _status_of(error)
            if status == 500:
                raise
            return HTMLResponse(_error_page(str(error)), status_code=status, headers=_error_page_headers())
        headers = {**_PAGE_HEADERS, "Content-Security-Policy": _REPORT_CSP}
        return HTMLResponse(render_html(reports[0]), headers=headers)

    @app.post("/api/analyze", summary="Analyze one article")
    async def analyze(request: Request, body: AnalyzeRequest) -> JSONResponse:
        """The report, as `slant analyze --format json` writes it."""
        reports = await service(request).analyze([loader(body)], body)
        return JSONResponse(reports[0].model_dump(mode="json"))

    @app.post("/api/analyze/batch", summary="Analyze several articles together")
    async def analyze_batch(request: Request, body: BatchRequest) -> JSONResponse:
        """One report per document, in order. Any bad document fails the batch, naming its index."""
        if len(body.documents) > limits.max_batch:
            raise InputTooLargeError(f"a batch holds at most {limits.max_batch} documents, not {len(body.documents)}")
        reports = await service(request).analyze([loader(d) for d in body.documents], body)
        return JSONResponse([r.model_dump(mode="json") for r in reports])

    @app.get("/api/schema", summary="JSON Schema of the report")
    async def schema() -> dict[str, Any]:
        """The JSON Schema that `/api/analyze` responses follow."""
        return Report.model_json_schema()

    @app.get("/healthz", summary="Liveness and the loaded analyzers")
    async def healthz(request: Request) -> dict[str, Any]:
        """`ok`, slant's version and the analyzers loaded."""
        analyzers = [p.name for p in service(request).analyzer.plugins]
        return {"status": "ok", "version": SLANT_VERSION, "analyzers": analyzers}


async def _form_loader(
    form: Any, loader: Callable[[Source], Callable[[], Document]], max_bytes: int
) -> Callable[[], Document]:
    """The one source the form gives: pasted text, an uploaded file, or a URL."""
    text, url, upload = form.get("text"), form.get("url"), form.get("file")
    given = {
        "text": isinstance(text, str) and text.strip() != "",
        "url": isinstance(url, str) and url.strip() != "",
        "file": isinstance(upload, UploadFile) and bool(upload.filename),
    }
    if sum(given.values()) != 1:
        raise InputError("paste a text, choose a file, or give a URL (exactly one of them)")
    if given["file"]:
        data, name = await upload.read(), upload.filename
        return lambda: check_article(document_from_bytes(data, name=name, max_bytes=max_bytes))
    if given["url"]:
        return loader(Source(url=url.strip()))
    return loader(Source(text=text))


def _status_of(error: Exception) -> int:
    """The HTTP status of an error a user can act on (500 for anything else)."""
    statuses: list[tuple[type[Exception], int]] = [
        (InputTooLargeError, 413),
        (InputError, 422),
        (ServerBusyError, 503),
        (AnalysisTimeoutError, 504),
        (UsageError, 400),
    ]
    return next((status for kind, status in statuses if isinstance(error, kind)), 500)


def _add_error_handlers(app: FastAPI) -> None:
    async def user_error(_: Request, error: Exception) -> JSONResponse:
        retry = {"Retry-After": "1"} if isinstance(error, ServerBusyError) else None
        return JSONResponse({"error": str(error)}, status_code=_status_of(error), headers=retry)

    async def invalid_request(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        messages = [
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg', 'invalid')}"
            for e in error.errors()
        ]
        return JSONResponse({"error": "; ".join(messages)}, status_code=422)

    async def http_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code, headers=error.headers)

    async def internal_error(_: Request, error: Exception) -> JSONResponse:
        message = f"internal error (a bug in slant): {type(error).__name__}: {error}"
        return JSONResponse({"error": message}, status_code=500)

    for kind in (InputError, UsageError, ServerBusyError, AnalysisTimeoutError):
        app.add_exception_handler(kind, user_error)
    app.add_exception_handler(Exception, internal_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)


def _error_page(message: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>slant: cannot analyze</title></head>'
        f'<body><h1>Cannot analyze this input</h1><p role="alert">{escape(message)}</p></body></html>'
    )


def _error_page_headers() -> dict[str, str]:
    return {**_PAGE_HEADERS, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'"}


class BodyLimit:
    """ASGI middleware: refuse request bodies over `max_bytes` with 413, reading at most that much.

    A declared Content-Length is checked before reading anything; a chunked body is read until it
    passes the limit, then refused.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than {self.max_bytes:,} bytes"
        await JSONResponse({"error": message}, status_code=413)(scope, receive, send)
