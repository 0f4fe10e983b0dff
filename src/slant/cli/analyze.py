"""`slant analyze`, `slant demo` and `slant schema`: one article in, one report out."""

import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from slant.cli.common import (
    DEFAULT_TIME_BUDGET_S,
    ActorsOption,
    MinConfidence,
    Only,
    Skip,
    TimeBudget,
    check_output,
    options_from_flags,
    user_errors,
)
from slant.ingest import load
from slant.model import Report
from slant.options import AnalysisOptions
from slant.report import Format, render
from slant.workers import analyze_in_worker

DEMO_PAGE = files("slant") / "examples" / "demo-page.txt"

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]


def analyze(
    source: Annotated[str, typer.Argument(help="A text or HTML file, '-' for stdin, or a URL (with --url).")],
    fmt: FormatOption = Format.TERMINAL,
    output: OutputOption = None,
    only: Only = None,
    skip: Skip = None,
    min_confidence: MinConfidence = 0.0,
    time_budget: TimeBudget = DEFAULT_TIME_BUDGET_S,
    url: Annotated[bool, typer.Option("--url", help="Allow fetching SOURCE when it is an http(s) URL.")] = False,
    actors: ActorsOption = None,
) -> None:
    """Analyze one article and print or write its report."""
    with user_errors():
        options = options_from_flags(
            only,
            skip,
            min_confidence=min_confidence,
            actors_file=actors,
            urls={"allow": url},
            limits={"time_budget_s": time_budget},
        )
        check_output(output)
        document = load(source if source == "-" or _is_url(source) else Path(source), options)
        _emit(analyze_in_worker([document], options)[0], fmt, output, options)


def demo(
    fmt: FormatOption = Format.TERMINAL,
    output: OutputOption = None,
) -> None:
    """Analyze the built-in example page (an invented one-sided war report with reader comments)."""
    with user_errors():
        options = AnalysisOptions()
        check_output(output)
        _emit(analyze_in_worker([load(Path(str(DEMO_PAGE)), options)], options)[0], fmt, output, options)


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


def _emit(report: Report, fmt: Format, output: Path | None, options: AnalysisOptions) -> None:
    width = None if output is None and fmt is Format.TERMINAL and sys.stdout.isatty() else 100
    text = render(report.shown(options.min_confidence), fmt, width=width)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
