"""A rich progress bar for batch runs: documents done, documents/s, ETA when the total is known, failures."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from slant.batch.work import BatchResult


class _RateColumn(ProgressColumn):
    """Documents analyzed per second (skipped ones, already stored, do not count)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.fields.get("analyzed", 0) / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:.1f} docs/s", style="progress.data.speed")


class BatchProgress:
    """Shows a `BatchResult` as it grows; call `refresh()` after each change. Silent when not `enabled`."""

    def __init__(self, result: BatchResult, *, total: int | None, enabled: bool = True) -> None:
        self.result = result
        columns: list[ProgressColumn] = [
            TextColumn("[bold]slant batch"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
        ]
        if total is not None:
            columns.append(TimeRemainingColumn())
        columns.append(TextColumn("[yellow]{task.fields[failed]} failed, {task.fields[skipped]} already stored"))
        self._progress = Progress(*columns, console=Console(stderr=True), disable=not enabled)
        self._task = self._progress.add_task("batch", total=total, analyzed=0, failed=0, skipped=0)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.refresh()
        self._progress.stop()

    def refresh(self) -> None:
        """Show the current counts."""
        r = self.result
        self._progress.update(
            self._task,
            completed=r.analyzed + r.skipped + r.failed,
            analyzed=r.analyzed,
            failed=r.failed,
            skipped=r.skipped,
        )
