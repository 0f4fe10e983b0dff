"""What the commands share: options from flags, and turning errors into a message and an exit code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from slant.errors import SlantError, UsageError
from slant.options import AnalysisOptions, Limits

stderr = Console(stderr=True)
#: Exit code of an internal error: a defect of slant, never the user's input or request.
INTERNAL_ERROR = 1

Only = Annotated[list[str] | None, typer.Option("--only", help="Run only these analyzers (repeatable).")]
Skip = Annotated[list[str] | None, typer.Option("--skip", help="Skip these analyzers (repeatable).")]
MinConfidence = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Hide findings scored below this.")
]
DEFAULT_TIME_BUDGET_S: float = Limits().time_budget_s
TimeBudget = Annotated[
    float,
    typer.Option("--time-budget", min=0.1, help="Seconds one document's analysis may take; it fails beyond."),
]
ActorsOption = Annotated[
    Path | None, typer.Option("--actors", help="Your own actor knowledge (TOML), merged over slant's.")
]


def check_output(path: Path | None) -> None:
    """Fail now, before any work, when `path` cannot be written: its folder is missing, or it is a folder.

    Raises:
        UsageError: it cannot be written.
    """
    if path is None:
        return
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name to write to")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {path}: the folder {folder} is not writable")


def options_from_flags(only: list[str] | None, skip: list[str] | None, **fields: object) -> AnalysisOptions:
    """The one options object from a command's flags (`fields` are other `AnalysisOptions` fields).

    Raises:
        UsageError: a flag's value is not a valid option.
    """
    try:
        return AnalysisOptions.model_validate({"only": tuple(only or ()), "skip": tuple(skip or ()), **fields})
    except ValidationError as error:
        raise UsageError(f"invalid option: {error}") from None


@contextmanager
def user_errors() -> Iterator[None]:
    """Report `SlantError`s with their exit code (3 bad input, 2 usage) and anything else as an internal
    error (exit 1), each as one message without a traceback."""
    try:
        yield
    except (typer.Exit, click.exceptions.ClickException, click.exceptions.Abort):
        raise
    except SlantError as error:
        stderr.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(error.exit_code) from None
    except Exception as error:  # a defect: say so plainly instead of blaming the input
        stderr.print(
            f"[red]internal error[/red] (a bug in slant, please report it): {escape(type(error).__name__)}: "
            f"{escape(str(error))}",
            highlight=False,
        )
        raise typer.Exit(INTERNAL_ERROR) from None
