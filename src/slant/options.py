"""The one options object: used alike by the library, the CLI (`analyze`, `batch`, `serve`), the web app
and the batch runners.

Example:
    >>> options = AnalysisOptions(skip=("framing",), min_confidence=0.3)
    >>> options.limits.max_input_bytes
    10485760
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class _Options(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Limits(_Options):
    """Bounds on one document's size and analysis time, shared by every entry point."""

    max_input_bytes: int = Field(default=10 * 1024 * 1024, ge=1, description="Largest file, page or body read.")
    max_text_chars: int = Field(default=100_000, ge=1, description="Longest decoded text analyzed.")
    time_budget_s: float = Field(default=120.0, gt=0, description="Seconds one document's analysis may take.")


class UrlPolicy(_Options):
    """Whether and where slant may fetch a URL source."""

    allow: bool = Field(default=False, description="Fetch http(s) sources at all (never unless asked).")
    allow_private: bool = Field(default=False, description="Also fetch loopback, private and reserved addresses.")
    timeout_s: float = Field(default=30.0, gt=0, description="Total seconds one fetch may take.")


class ServerOptions(_Options):
    """How `slant serve` admits and runs requests."""

    workers: int = Field(default=1, ge=1, description="Analyses run at once.")
    max_in_flight: int = Field(default=8, ge=1, description="Most requests admitted at once, running or queued.")
    max_wait_s: float = Field(
        default=2.0, gt=0, description="Longest expected wait in the queue; beyond, 503 with Retry-After."
    )
    timeout_s: float = Field(default=30.0, gt=0, description="Seconds one request may take (504 beyond).")
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1, description="Largest request body (413 beyond).")
    max_batch: int = Field(default=16, ge=1, description="Most documents in one batch request.")


class AnalysisOptions(_Options):
    """Everything that shapes an analysis: which analyzers, what to show, limits, URL policy, resources.

    `min_confidence` is a display filter: views and API responses hide findings scored below it, while
    every summary and the verdict are computed from all findings.
    """

    only: tuple[str, ...] = Field(default=(), description="Run only these analyzers (all when empty).")
    skip: tuple[str, ...] = Field(default=(), description="Skip these analyzers.")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0, description="Hide findings scored below this.")
    actors_file: Path | None = Field(default=None, description="TOML actor knowledge merged over slant's own.")
    batch_size: int = Field(default=16, ge=1, description="Documents analyzed together.")
    threads: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, description="CPU threads per model.")
    limits: Limits = Field(default_factory=Limits)
    urls: UrlPolicy = Field(default_factory=UrlPolicy)
    server: ServerOptions = Field(default_factory=ServerOptions)
