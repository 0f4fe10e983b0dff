"""Bad input through the command line: a clear message and exit code 3, never a traceback."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant.analyzers import REGISTRY
from slant.cli import app

runner = CliRunner()
ARTICLE = (
    "Café Owners Protest New Rules\n\nby Ana Müller\n\n"
    "The owners of the cafés on the market square said on Monday that the new rules on outdoor seating "
    "would cost them a third of their summer trade, and they asked the council to delay them by a year.\n"
)
SPANISH = (
    "El ayuntamiento aprueba el parque\n\nEl pleno del ayuntamiento aprobó el martes la construcción de un parque "
    "de cuatro hectáreas en la orilla norte del río, en los terrenos de la antigua fábrica.\n"
)


def _analyze(path: Path) -> tuple[int, str, str]:
    """Run `slant analyze PATH --format json` without analyzers (ingest and checks only)."""
    skips = [arg for name in REGISTRY for arg in ("--skip", name)]
    result = runner.invoke(app, ["analyze", str(path), "--format", "json", *skips])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        (random.Random(7).randbytes(4096), "binary"),
        (b"<!doctype html><html><body><nav><a href='/'>Home</a></nav></body></html>", "without an article"),
        (SPANISH.encode("utf-8"), "English"),
    ],
    ids=["empty", "whitespace", "png", "random-bytes", "html-without-article", "spanish"],
)
def test_bad_input_exits_3_with_a_message(tmp_path: Path, content: bytes, message: str) -> None:
    page = tmp_path / "input"
    page.write_bytes(content)
    code, _, stderr = _analyze(page)
    assert code == 3
    assert message in stderr


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    page = tmp_path / "huge.txt"
    with page.open("wb") as handle:  # sparse: no 50 MB written to disk
        handle.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    code, _, stderr = _analyze(page)
    assert code == 3 and "MB" in stderr
    assert time.monotonic() - started < 2.0


def test_a_directory_is_refused(tmp_path: Path) -> None:
    code, _, stderr = _analyze(tmp_path)
    assert code == 3 and "directory" in stderr


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_legacy_and_bom_encodings_decode(tmp_path: Path, encoding: str) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(ARTICLE.encode(encoding))
    code, stdout, stderr = _analyze(page)
    assert code == 0, stderr
    report = json.loads(stdout)
    assert report["text"] == ARTICLE
    assert report["metadata"]["title"] == "Café Owners Protest New Rules"
    assert report["metadata"]["author"] == "Ana Müller"
