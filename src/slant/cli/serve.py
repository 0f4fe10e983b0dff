"""`slant serve`: the web page and REST API on one local address."""

from typing import Annotated

import typer

from slant.cli.common import ActorsOption, MinConfidence, Only, Skip, options_from_flags, user_errors


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1 unless behind a proxy).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    only: Only = None,
    skip: Skip = None,
    min_confidence: MinConfidence = 0.0,
    actors: ActorsOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Analyses run at once.")] = 1,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds one request may take (504 beyond).")] = 30.0,
    max_in_flight: Annotated[int, typer.Option(min=1, help="Requests admitted at once (503 beyond).")] = 8,
    max_wait: Annotated[
        float, typer.Option(min=0.1, help="Longest expected queue wait in seconds (503 with Retry-After beyond).")
    ] = 2.0,
) -> None:
    """Serve the web page and the REST API; the analyzers' models load once, before the first request."""
    import uvicorn

    from slant.analyzers import select
    from slant.web import create_app

    with user_errors():
        options = options_from_flags(
            only,
            skip,
            min_confidence=min_confidence,
            actors_file=actors,
            server={"workers": workers, "timeout_s": timeout, "max_in_flight": max_in_flight, "max_wait_s": max_wait},
        )
        select(options.only, options.skip)  # an unknown name fails here, not in a worker
    uvicorn.run(create_app(options), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(serve)
