"""`slant analyze`, `slant demo` and `slant schema`: one article in, one report out."""

import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from slant.analyzers import AnalysisOptions
from slant.cli.common import user_errors
from slant.model import Report
from slant.pipeline import Analyzer
from slant.report import Format, render

DEMO_PAGE = files("slant") / "examples" / "demo-page.txt"

Only = Annotated[list[str] | None, typer.Option("--only", help="Run only these analyzers (repeatable).")]
Skip = Annotated[list[str] | None, typer.Option("--skip", help="Skip these analyzers (repeatable).")]
MinConfidence = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Hide findings scored below this.")
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
ActorsOption = Annotated[
    Path | None, typer.Option("--actors", help="Your own actor knowledge (TOML), merged over slant's.")
]


def analyze(
    source: Annotated[str, typer.Argument(help="A text or HTML file, '-' for stdin, or a URL (with --url).")],
    fmt: FormatOption = Format.TERMINAL,
    output: OutputOption = None,
    only: Only = None,
    skip: Skip = None,
    min_confidence: MinConfidence = 0.0,
    url: Annotated[bool, typer.Option("--url", help="Allow fetching SOURCE when it is an http(s) URL.")] = False,
    actors: ActorsOption = None,
) -> None:
    """Analyze one article and print or write its report."""
    with user_errors():
        options = AnalysisOptions(min_confidence=min_confidence, actors_file=actors)
        analyzer = Analyzer(only=only, skip=skip, options=options, allow_urls=url)
        report = analyzer.analyze(Path(source) if source != "-" and not _is_url(source) else source)
        _emit(report, fmt, output)


def demo(
    fmt: FormatOption = Format.TERMINAL,
    output: OutputOption = None,
) -> None:
    """Analyze the built-in example page (an invented one-sided war report with reader comments)."""
    with user_errors():
        report = Analyzer().analyze(Path(str(DEMO_PAGE)))
        _emit(report, fmt, output)


def schema() -> None:
    """Print the JSON Schema of the report that `--format json` writes."""
    typer.echo(json.dumps(Report.model_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(analyze)
    app.command()(demo)
    app.command()(schema)


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _emit(report: Report, fmt: Format, output: Path | None) -> None:
    width = None if output is None and fmt is Format.TERMINAL and sys.stdout.isatty() else 100
    text = render(report, fmt, width=width)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
