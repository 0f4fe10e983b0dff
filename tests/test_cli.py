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


def test_actors_file_extends_knowledge(tmp_path) -> None:
    page = tmp_path / "a.txt"
    page.write_text(
        "Talks Stall in Merovia\n\n"
        "The Merovian Lantern, a newspaper, reported that the talks had stalled after two days.\n\n"
        "According to the Merovian Lantern, neither delegation would comment on the draft.\n"
    )
    actors = tmp_path / "actors.toml"
    actors.write_text('[actors."Merovian Lantern"]\nkind = "state_media"\naffiliation = "Merovia"\n')
    result = runner.invoke(app, ["analyze", str(page), "--only", "sourcing", "-f", "json", "--actors", str(actors)])
    assert result.exit_code == 0, result.output
    kinds = {(f["attributes"]["canonical"], f["attributes"]["kind"]) for f in json.loads(result.stdout)["findings"]}
    assert ("Merovian Lantern", "state_media") in kinds


def test_unreadable_actors_file_exits_3(tmp_path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("The minister said the plan would work, according to the ministry.\n")
    bad = tmp_path / "actors.toml"
    bad.write_text("this is [not toml")
    result = runner.invoke(app, ["analyze", str(page), "--only", "sourcing", "--actors", str(bad)])
    assert result.exit_code == 3
    assert "actors file" in result.stderr
