"""`slant ptc spans|classify|score` on a folder of invented PTC-style articles."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant import ptc
from slant.cli import app
from slant.techniques import TECHNIQUES

runner = CliRunner()

ARTICLES = {
    "901": "Cowards in Parliament betray the nation\n\n"
    "The spineless cowards in parliament have betrayed every patriot in this great land.\n"
    "They are traitors, and history will never forgive them.\n",
    "902": "Harbour repairs finish early\n\nRepairs to the Lindqvist harbour wall finished two weeks early.\n"
    "The council said the work cost less than planned.\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for article_id, text in ARTICLES.items():
        (folder / f"article{article_id}.txt").write_text(text, encoding="utf-8")
    return folder


def test_spans_writes_valid_rows(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "pred.tsv"
    result = runner.invoke(app, ["ptc", "spans", str(corpus), "-o", str(output)])
    assert result.exit_code == 0, result.output
    rows = ptc.read_labels(output)
    for row in rows:
        assert row.article_id in ARTICLES and row.technique in TECHNIQUES
        assert 0 <= row.start < row.end <= len(ARTICLES[row.article_id])


def test_classify_fills_the_template(corpus: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.tsv"
    template.write_text("901\t?\t45\t62\n901\t?\t134\t142\n902\t?\t0\t28\n901\t?\t45\t62\n", encoding="utf-8")
    output = tmp_path / "tc.tsv"
    result = runner.invoke(app, ["ptc", "classify", str(corpus), str(template), "-o", str(output)])
    assert result.exit_code == 0, result.output
    rows = ptc.read_labels(output)
    bounds = [("901", 45, 62), ("901", 134, 142), ("902", 0, 28), ("901", 45, 62)]
    assert [(r.article_id, r.start, r.end) for r in rows] == bounds
    assert all(r.technique in TECHNIQUES for r in rows)
    assert rows[0].technique != rows[3].technique  # a span listed twice gets its two likeliest techniques


def test_classify_rejects_unknown_articles(corpus: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.tsv"
    template.write_text("777\t?\t0\t5\n", encoding="utf-8")
    result = runner.invoke(app, ["ptc", "classify", str(corpus), str(template), "-o", str(tmp_path / "o.tsv")])
    assert result.exit_code == 2
    assert "777" in result.stderr


def test_score_prints_precision_recall_f1(tmp_path: Path) -> None:
    gold, predicted = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("901\tDoubt\t0\t10\n901\tSlogans\t20\t30\n", encoding="utf-8")
    predicted.write_text("901\tDoubt\t0\t10\n901\tDoubt\t20\t30\n", encoding="utf-8")
    si = runner.invoke(app, ["ptc", "score", "si", str(predicted), str(gold)])
    assert si.exit_code == 0 and "F1=1.0000" in si.stdout
    tc = runner.invoke(app, ["ptc", "score", "tc", str(predicted), str(gold)])
    assert tc.exit_code == 0 and "tc\tP=0.5000\tR=0.5000\tF1=0.5000" in tc.stdout
    assert "Slogans\tF1=0.0000" in tc.stdout
    full = runner.invoke(app, ["ptc", "score", "full", str(predicted), str(gold)])
    assert full.exit_code == 0 and "F1=0.5000" in full.stdout


def test_score_of_malformed_file_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("not a label row\n", encoding="utf-8")
    result = runner.invoke(app, ["ptc", "score", "si", str(bad), str(bad)])
    assert result.exit_code == 3
