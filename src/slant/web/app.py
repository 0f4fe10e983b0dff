"""The web app: a page to paste, upload or link an article, and a REST API returning the JSON report.

Analyses run in a fixed pool of worker processes (`slant.workers`), each holding one `Analyzer` loaded once,
at start-up. Requests are bounded: the body size and the article's length (413); admission to a short queue
in front of the pool (`slant.web.admission`: 503 at once with a `Retry-After` that reflects the queue); and
the time an analysis may take (504: its worker is stopped and replaced, so the work does not run on).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from functools import partial
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

from slant.errors import AnalysisTimeoutError, InputError, InputTooLargeError, UsageError, WorkerCrashedError
from slant.ingest import check_article, check_limits, document_from_bytes, load
from slant.model import Document, Report
from slant.options import AnalysisOptions
from slant.pipeline import SLANT_VERSION, Analyzer
from slant.report.html import render_html
from slant.web.admission import Admission, ServerBusyError
from slant.workers import WorkerPool

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
    """The worker pool behind the admission queue, with a time budget per request."""

    def __init__(self, build: Callable[[], Analyzer], options: AnalysisOptions) -> None:
        self.options = options
        self.limits = options.server
        self.pool = WorkerPool(build, self.limits.workers)
        self.admission = Admission(self.limits.workers, self.limits.max_wait_s, self.limits.max_in_flight)
        #: The analyzers the workers hold, asked of one of them (so its models are loaded before the first request).
        self.analyzers: list[str] = self.pool.submit(_plugin_names, None).result()

    async def analyze(self, loaders: Sequence[Callable[[], Document]], options: Options) -> list[Report]:
        """Load the documents (in a thread: a URL fetch must not hold an analysis worker), then analyze
        them in the pool.

        Raises:
            ServerBusyError: the queue is full.
            AnalysisTimeoutError: loading or analysis ran past `limits.timeout_s`; a running analysis is
                stopped with its worker.
        """
        with self.admission.slot(self.pool.mean_job_s):
            try:
                async with asyncio.timeout(self.limits.timeout_s):
                    documents = await asyncio.to_thread(self._load, loaders)
            except TimeoutError:
                raise AnalysisTimeoutError(
                    f"loading the article took longer than {self.limits.timeout_s:g} s"
                ) from None
            job = (documents, tuple(options.only), tuple(options.skip))
            reports = await asyncio.wrap_future(self.pool.submit(_analyze, job, timeout=self.limits.timeout_s))
        shown = self.options.min_confidence if options.min_confidence is None else options.min_confidence
        return [report.shown(shown) for report in reports]

    def _load(self, loaders: Sequence[Callable[[], Document]]) -> list[Document]:
        documents = []
        for i, loader in enumerate(loaders):
            try:
                documents.append(check_limits(loader(), self.options.limits))
            except InputError as error:
                raise (type(error)(f"documents[{i}]: {error}") if len(loaders) > 1 else error) from None
        return documents

    def close(self) -> None:
        """Stop the workers now, cancelling queued work."""
        self.pool.terminate()


def _plugin_names(analyzer: Analyzer, _: None) -> list[str]:
    return [plugin.name for plugin in analyzer.plugins]


def _analyze(analyzer: Analyzer, job: tuple[list[Document], tuple[str, ...], tuple[str, ...]]) -> list[Report]:
    documents, only, skip = job
    return analyzer.analyze_documents(documents, only=only, skip=skip)


def create_app(options: AnalysisOptions | None = None, build: Callable[[], Analyzer] | None = None) -> FastAPI:
    """The web app, analyzing with `options` (the defaults when None); its limits are `options.server`.

    `build` loads each worker's analyzer (a picklable callable; `Analyzer(options)` when None); the workers
    start, and load their models, when the app starts.
    """
    options = options or AnalysisOptions()
    limits = options.server
    build = build or partial(Analyzer, options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = await asyncio.to_thread(Service, build, options)
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
        data, html = content.encode("utf-8"), source.html is not None
        return lambda: check_article(document_from_bytes(data, name=name, max_bytes=limits.max_body_bytes, html=html))

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
        return {"status": "ok", "version": SLANT_VERSION, "analyzers": service(request).analyzers}


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
        (AnalysisTimeoutError, 504),
        (InputError, 422),
        (ServerBusyError, 503),
        (WorkerCrashedError, 503),
        (UsageError, 400),
    ]
    return next((status for kind, status in statuses if isinstance(error, kind)), 500)


def _add_error_handlers(app: FastAPI) -> None:
    async def user_error(_: Request, error: Exception) -> JSONResponse:
        retry = {"Retry-After": str(error.retry_after)} if isinstance(error, ServerBusyError) else None
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

    for kind in (InputError, UsageError, ServerBusyError, WorkerCrashedError):
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
