"""The `slant` command line: one module per command group, each thin (parse, call the API, render)."""

import typer

from slant.cli import analyze, batch, ptc, serve

app = typer.Typer(
    name="slant",
    help="Show, with evidence, how a news article tries to persuade its reader.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
analyze.register(app)
batch.register(app)
ptc.register(app)
serve.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
