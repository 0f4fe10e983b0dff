"""`slant batch`, `slant corpus-report` and `slant export`: a whole corpus into a results store, and views of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
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
    stderr,
    user_errors,
)
from slant.ingest.corpus import Columns, CorpusFormat, detect_format, folder_files, read_corpus
from slant.store import DEFAULT_DB, Store
from slant.store.export import ExportFormat, export

Db = Annotated[str, typer.Option("--db", help="Results database URL: sqlite:///FILE or postgresql+psycopg://...")]


class Engine(StrEnum):
    """Where the analysis runs."""

    LOCAL = "local"
    RAY = "ray"


@contextmanager
def _missing_extra() -> Iterator[None]:
    """An optional dependency (Ray, pyarrow) that is not installed: say which extra to install, exit 1."""
    try:
        yield
    except ImportError as error:
        stderr.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None


def _column(field: str) -> object:
    return typer.Option(f"--{field}-column", help=f"The column holding the {field} (CSV/JSONL).")


def batch(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="A folder of .txt/.html files, a CSV or a JSONL.")
    ],
    db: Db = DEFAULT_DB,
    fmt: Annotated[CorpusFormat, typer.Option("--format", help="How to read INPUT.")] = CorpusFormat.AUTO,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes (or Ray actors).")] = 1,
    engine: Annotated[Engine, typer.Option("--engine", help="Run locally or on Ray.")] = Engine.LOCAL,
    address: Annotated[str | None, typer.Option("--address", help="Ray cluster, e.g. ray://head:10001.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents analyzed together.")] = 16,
    only: Only = None,
    skip: Skip = None,
    min_confidence: MinConfidence = 0.0,
    time_budget: TimeBudget = DEFAULT_TIME_BUDGET_S,
    actors: ActorsOption = None,
    text_column: Annotated[str | None, _column("text")] = None,
    title_column: Annotated[str | None, _column("title")] = None,
    author_column: Annotated[str | None, _column("author")] = None,
    date_column: Annotated[str | None, _column("date")] = None,
    url_column: Annotated[str | None, _column("url")] = None,
    site_column: Annotated[str | None, _column("site")] = None,
    id_column: Annotated[str | None, _column("id")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Analyze every article of a corpus into a results database; rerun to resume or retry failures."""
    with user_errors(), _missing_extra():
        named = {
            "text": text_column,
            "title": title_column,
            "author": author_column,
            "published": date_column,
            "url": url_column,
            "site": site_column,
            "doc_id": id_column,
        }
        columns = Columns(**{name: (column,) for name, column in named.items() if column})
        fmt = detect_format(input_path) if fmt is CorpusFormat.AUTO else fmt
        total = sum(1 for _ in folder_files(input_path)) if fmt is CorpusFormat.FOLDER else None
        entries = read_corpus(input_path, fmt, columns)
        store = Store(db)
        options = options_from_flags(
            only,
            skip,
            min_confidence=min_confidence,
            batch_size=batch_size,
            actors_file=actors,
            limits={"time_budget_s": time_budget},
        )
        if engine is Engine.RAY:
            from slant.batch.ray import run_ray

            result = run_ray(
                entries, store, options, workers=workers, address=address, total=total, show_progress=progress
            )
        else:
            from slant.batch.local import run_local

            result = run_local(entries, store, options, workers=workers, total=total, show_progress=progress)
        n_documents, n_failures = store.counts()
        stderr.print(
            f"analyzed {result.analyzed}, skipped {result.skipped} already stored, failed {result.failed}; "
            f"{db} holds {n_documents} documents and {n_failures} failures",
            highlight=False,
        )


def corpus_report(
    db: Db = DEFAULT_DB,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "corpus-report.html"
    ),
    title: Annotated[str, typer.Option("--title", help="The page title.")] = "slant corpus report",
) -> None:
    """Write a self-contained HTML dashboard of a results database: outlets, techniques, verdicts, trends."""
    from slant.report.corpus import render_corpus_report

    with user_errors():
        check_output(output)
        output.write_text(render_corpus_report(Store(db), title=title), encoding="utf-8")


def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    db: Db = DEFAULT_DB,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.CSV,
    with_report: Annotated[bool, typer.Option("--with-report", help="Include each full report (JSON).")] = False,
) -> None:
    """Export a results database's documents, one row each, as CSV, JSONL or Parquet."""
    with user_errors(), _missing_extra():
        check_output(output)
        count = export(Store(db), output, fmt, with_report=with_report)
        stderr.print(f"wrote {count} documents to {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(batch)
    app.command("corpus-report")(corpus_report)
    app.command("export")(export_command)
