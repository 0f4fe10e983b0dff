"""Bad input through the command line: a clear message and exit code 3, never a traceback."""

from __future__ import annotations

import json
import random
import subprocess
import sys
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
    return result.exit_code, result.stdout, " ".join(result.stderr.split())  # as one line, however rich wraps it


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


def _report(path: Path) -> dict:
    code, stdout, stderr = _analyze(path)
    assert code == 0, stderr
    return json.loads(stdout)


def test_utf8_with_a_few_invalid_bytes_stays_utf8(tmp_path: Path) -> None:
    sentence = "Russia’s army said “no” to the café owners on Monday. ".encode()
    page = tmp_path / "page.txt"
    page.write_bytes(b"\xff".join([sentence] * 7) + sentence * 30)  # six invalid bytes
    report = _report(page)
    assert "Russia’s" in report["text"] and "вЂ" not in report["text"]
    assert report["text"].count("\ufffd") == 6
    assert report["metadata"]["encoding"] == "utf-8" and report["metadata"]["invalid_bytes"] == 6


def test_latin1_decodes_as_western_not_central_european(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(("The naïve Señor said the café would stay closed until the council paid. " * 3).encode("latin-1"))
    report = _report(page)
    assert "naïve" in report["text"] and "Señor" in report["text"]
    assert report["metadata"]["encoding"] == "cp1252" and report["metadata"]["invalid_bytes"] == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_decodes(tmp_path: Path, encoding: str) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(ARTICLE.encode(encoding))
    assert _report(page)["text"] == ARTICLE


def test_nul_and_control_characters_become_spaces_without_moving_offsets(tmp_path: Path) -> None:
    text = ARTICLE * 30
    dirty = text[:4500] + "\x00" + text[4501:5000] + "\x07\x1b" + text[5002:]
    page = tmp_path / "page.txt"
    page.write_bytes(dirty.encode())
    stored = _report(page)["text"]
    assert len(stored) == len(dirty)
    assert stored[4500] == " " and stored[5000:5002] == "  "
    assert stored[:4500] == text[:4500] and stored[5002:] == text[5002:]


def test_plain_text_quoting_tags_is_not_read_as_html(tmp_path: Path) -> None:
    text = (
        "How To Write A Web Page\n\nby Ana Müller\n\n"
        "A page needs <html>-free thinking first. Wrap paragraphs in <p> and </p>, links in <a href='x'> and </a>, "
        "and sections in <div> and </div>; then add <strong> for emphasis. Readers rarely notice the markup, but "
        "search engines and screen readers depend on it, the course teachers said on Monday.\n"
    )
    page = tmp_path / "page.txt"
    page.write_text(text)
    assert _report(page)["text"] == text


def test_an_unreadable_file_exits_3_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "secret.txt"
    page.write_text(ARTICLE)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root may read anything: simulate chmod 000
    code, _, stderr = _analyze(page)
    assert code == 3
    assert "cannot be read: Permission denied" in stderr


def test_a_one_letter_file_is_too_short_to_analyze(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("a")
    code, _, stderr = _analyze(page)
    assert code == 3
    assert "too short to analyze: 1 word of body;" in stderr


def test_a_file_name_with_markup_is_printed_as_is(tmp_path: Path) -> None:
    code, _, stderr = _analyze(tmp_path / "[/red]x")
    assert code == 3
    assert "[/red]x does not exist" in stderr


def test_output_into_a_missing_folder_fails_before_the_analysis(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE)
    started = time.monotonic()
    result = runner.invoke(app, ["analyze", str(page), "--output", str(tmp_path / "missing" / "r.json")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"the folder {tmp_path / 'missing'} does not exist" in " ".join(result.stderr.split())
    assert time.monotonic() - started < 2.0, "no model should load before the output is checked"


def test_export_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.csv"
    result = runner.invoke(app, ["export", "-o", str(target), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "does not exist" in " ".join(result.stderr.split())


def test_an_article_over_the_length_limit_fails_before_models_load(tmp_path: Path) -> None:
    page = tmp_path / "long.txt"
    page.write_text(ARTICLE * (100_000 // len(ARTICLE) + 1))
    started = time.monotonic()
    result = runner.invoke(app, ["analyze", str(page), "--format", "json"])
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "slant analyzes at most 100,000 per document (limits.max_text_chars)" in " ".join(result.stderr.split())
    assert time.monotonic() - started < 2.0


def test_an_analysis_past_the_time_budget_is_stopped(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE)
    script = Path(__file__).with_name("stall_cli.py")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script), "analyze", str(page), "--only", "stall", "--time-budget", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert "took longer than 1 s and was stopped" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 60


def test_bad_input_fails_before_spacy_or_any_model_is_imported(tmp_path: Path) -> None:
    page = tmp_path / "empty.txt"
    page.write_bytes(b"")
    probe = (
        "import sys\nfrom typer.testing import CliRunner\nfrom slant.cli import app\n"
        f"result = CliRunner().invoke(app, ['analyze', {str(page)!r}])\n"
        "print(result.exit_code, sorted(m for m in ('spacy', 'onnxruntime', 'slant.pipeline') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split("\n")[-2] == "3 []"
