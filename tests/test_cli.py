"""The CLI's contract: commands, formats and exit codes."""

import json

from typer.testing import CliRunner

from slant.cli import app

runner = CliRunner()


def test_demo_json_is_a_report_with_segments() -> None:
    result = runner.invoke(app, ["demo", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"text", "metadata", "segments", "findings", "summary", "versions"} <= report.keys()
    assert report["versions"]["slant"]
    for segment in report["segments"]:
        assert 0 <= segment["start"] <= segment["end"] <= len(report["text"])


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Report"
    assert "findings" in schema["properties"]


def test_missing_file_exits_3_with_message(tmp_path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt")])
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_directory_exits_3(tmp_path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 3
    assert "directory" in result.stderr


def test_unknown_analyzer_is_usage_error(tmp_path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("The minister said the plan would work.\n")
    result = runner.invoke(app, ["analyze", str(page), "--only", "nonexistent"])
    assert result.exit_code == 2
    assert "unknown analyzer" in result.stderr
