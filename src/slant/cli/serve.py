"""`slant serve`: the web page and REST API on one local address."""

from typing import Annotated

import typer

from slant.cli.analyze import Only, Skip
from slant.cli.common import user_errors


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1 unless behind a proxy).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    only: Only = None,
    skip: Skip = None,
    workers: Annotated[int, typer.Option(min=1, help="Analyses run at once.")] = 1,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds one request may take (504 beyond).")] = 30.0,
    max_in_flight: Annotated[int, typer.Option(min=1, help="Requests admitted at once (503 beyond).")] = 8,
) -> None:
    """Serve the web page and the REST API; the analyzers' models load once, before the first request."""
    import uvicorn

    from slant.pipeline import Analyzer
    from slant.web import Limits, create_app

    with user_errors():
        analyzer = Analyzer(only=only, skip=skip)
    limits = Limits(timeout_s=timeout, workers=workers, max_in_flight=max_in_flight)
    uvicorn.run(create_app(analyzer, limits), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(serve)
