"""What the commands share: turning slant's errors into a message and an exit code."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from slant.errors import SlantError

stderr = Console(stderr=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Report `SlantError`s (exit 3 for bad input) and usage `ValueError`s (exit 2) without a traceback."""
    try:
        yield
    except SlantError as error:
        stderr.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
        raise typer.Exit(error.exit_code) from None
    except ValueError as error:
        stderr.print(f"[red]usage error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
