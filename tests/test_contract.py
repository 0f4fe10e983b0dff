"""The typed contract: the published JSON Schema, display filters that never change a summary, analyzer
ordering, API types, and user errors told apart from internal ones."""

import json
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from tests.conftest import keyword_analyzer_with
from typer.testing import CliRunner

from slant import analyzers
from slant.analyzers import REGISTRY, Layers
from slant.cli import app
from slant.errors import NoArticleError, UsageError
from slant.model import Report
from slant.pipeline import Analyzer
from slant.report import Format, render
from slant.web import create_app

DEMO = Path(str(files("slant") / "examples" / "demo-page.txt"))
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_report() -> Report:
    return Analyzer().analyze(DEMO)


def test_schema_describes_every_summary_section_and_attribute_field() -> None:
    schema = Report.model_json_schema()
    defs = schema["$defs"]
    assert set(defs["Summary"]["properties"]) == {"techniques", "sourcing", "claims", "framing", "comments", "verdict"}
    finding_kinds = {ref["$ref"].rsplit("/", 1)[1] for ref in schema["properties"]["findings"]["items"]["oneOf"]}
    assert finding_kinds == {
        "TechniqueFinding",
        "SourceFinding",
        "ClaimFinding",
        "LoadedTermFinding",
        "ActorSentimentFinding",
    }
    assert {"cue", "source", "canonical", "speaker", "kind", "affiliation", "direct", "chain"} <= set(
        defs["SourceAttributes"]["properties"]
    )
    assert set(defs["Verdict"]["properties"]) == {"score", "level", "reasons"}
    assert defs["Verdict"]["properties"]["level"]["enum"] == ["low", "moderate", "high"]
    assert "Any" not in json.dumps(schema) and schema["properties"]["schema_version"]["default"] == "2.0"


def test_json_round_trip_keeps_every_typed_finding(demo_report: Report) -> None:
    again = Report.model_validate_json(demo_report.model_dump_json())
    assert again == demo_report
    assert {type(f).__name__ for f in again.findings} >= {"TechniqueFinding", "SourceFinding", "ClaimFinding"}


@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
def test_summary_and_verdict_are_identical_at_every_threshold(demo_report: Report, threshold: float) -> None:
    shown = json.loads(render(demo_report.shown(threshold), Format.JSON))
    everything = json.loads(render(demo_report, Format.JSON))
    assert shown["summary"] == everything["summary"]
    assert all(f["score"] >= threshold for f in shown["findings"])
    assert len(shown["findings"]) == sum(f.score >= threshold for f in demo_report.findings)


def test_cli_min_confidence_hides_findings_but_not_the_summary() -> None:
    everything = json.loads(runner.invoke(app, ["demo", "--format", "json"]).stdout)
    confident = runner.invoke(app, ["analyze", str(DEMO), "--format", "json", "--min-confidence", "0.6"])
    assert confident.exit_code == 0, confident.output
    shown = json.loads(confident.stdout)
    assert shown["summary"] == everything["summary"]
    assert len(shown["findings"]) < len(everything["findings"])


class _Reads:
    """A stand-in plugin that reads what it is told to."""

    version = "0"

    def __init__(self, name: str, reads: frozenset[str]) -> None:
        self.name = name
        self.reads = reads

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        return list(reports)


def test_plugins_run_after_what_they_read() -> None:
    claims, sourcing = _Reads("claims", frozenset({"parse", "sourcing"})), _Reads("sourcing", frozenset())
    assert [p.name for p in analyzers.ordered([claims, sourcing])] == ["sourcing", "claims"]
    assert [p.name for p in analyzers.ordered([claims])] == ["claims"]  # an unselected read is not required


def test_unknown_reads_and_cycles_are_defects_not_usage_errors() -> None:
    with pytest.raises(TypeError, match="unknown layers"):
        analyzers.ordered([_Reads("claims", frozenset({"astrology"}))])
    with pytest.raises(TypeError, match="cycle"):
        analyzers.ordered([_Reads("claims", frozenset({"sourcing"})), _Reads("sourcing", frozenset({"claims"}))])


def test_unknown_analyzer_and_bad_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown analyzer"):
        Analyzer(only=("astrology",))
    with pytest.raises(UsageError, match="min_confidence"):
        Analyzer(min_confidence=2.0)


def test_analyze_takes_text_paths_and_documents_only(keyword_analyzer: Analyzer, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("The council said on Monday that the new bridge would open in the spring.\n")
    assert keyword_analyzer.analyze(page).text == page.read_text()
    with pytest.raises(NoArticleError):  # a str is the article's text, never a path to read
        keyword_analyzer.analyze(str(page))
    for wrong in (None, 123, b"bytes"):
        with pytest.raises(TypeError, match="str .* pathlib.Path or a Document"):
            keyword_analyzer.analyze(wrong)  # type: ignore[arg-type]


class _Broken:
    name: ClassVar[str] = "techniques"
    reads: ClassVar[frozenset[str]] = frozenset()
    version = "broken"

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        raise ValueError("a defect inside an analyzer")


def broken_analyzer() -> Analyzer:
    """An analyzer with a defect (module-level: the web app's worker processes build it)."""
    broken = Analyzer(skip=tuple(REGISTRY))
    broken.plugins = [_Broken()]
    return broken


def test_internal_errors_are_not_blamed_on_the_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(
        "slant.cli.analyze.analyze_in_worker", lambda documents, _: broken_analyzer().analyze_documents(documents)
    )
    page = tmp_path / "page.txt"
    page.write_text("The council said on Monday that the new bridge would open in the spring.\n")
    result = runner.invoke(app, ["analyze", str(page)])
    assert result.exit_code == 1 and "internal error" in result.stderr and "defect" in result.stderr
    with TestClient(create_app(build=broken_analyzer), raise_server_exceptions=False) as client:
        response = client.post("/api/analyze", json={"text": page.read_text()})
    assert response.status_code == 500 and "internal error" in response.json()["error"]


def test_actors_option_reaches_batch_and_serve() -> None:
    for command in ("batch", "serve"):
        assert "--actors" in runner.invoke(app, [command, "--help"]).stdout
    assert keyword_analyzer_with(actors_file=None).options.actors_file is None
