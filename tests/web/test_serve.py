"""`slant serve` refuses a bad analyzer selection before starting anything."""

from typer.testing import CliRunner

from slant.cli import app


def test_serve_with_unknown_analyzer_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["serve", "--only", "astrology", "--port", "1"])
    assert result.exit_code == 2
    assert "unknown analyzer" in result.stderr
