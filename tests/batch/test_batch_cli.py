"""`slant batch`, then `slant corpus-report` and `slant export` on what it stored."""

import json

from batch_fixtures import article
from typer.testing import CliRunner

from slant.analyzers import REGISTRY
from slant.cli import app

runner = CliRunner()
SKIP_ALL = [f"--skip={name}" for name in REGISTRY]


def test_batch_jsonl_then_report_and_export(tmp_path) -> None:
    corpus = tmp_path / "feed.jsonl"
    rows = [
        {"headline": f"Story {i}", "body": article(i), "outlet": "Coast <Post>", "date": f"2024-0{i + 1}-02"}
        for i in range(3)
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    args = ["batch", str(corpus), "--db", db, "--no-progress", "--text-column", "body", *SKIP_ALL]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "analyzed 3" in result.output and "failed 1" in result.output
    result = runner.invoke(app, args)
    assert "analyzed 0, skipped 3" in result.output

    report = tmp_path / "report.html"
    assert runner.invoke(app, ["corpus-report", "--db", db, "-o", str(report)]).exit_code == 0
    html = report.read_text()
    assert "Coast &lt;Post&gt;" in html and "<Post>" not in html and "1 failed" in html

    out = tmp_path / "docs.jsonl"
    assert runner.invoke(app, ["export", "--db", db, "-f", "jsonl", "-o", str(out)]).exit_code == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["title"] for r in exported) == ["Story 0", "Story 1", "Story 2"]
    assert {r["published_date"] for r in exported} == {"2024-01-02", "2024-02-02", "2024-03-02"}


def test_batch_missing_input_exits_3(tmp_path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path / "nope"), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 3
