"""`slant ptc ...`: the technique detector on Propaganda Techniques Corpus files (SemEval-2020 Task 11).

`spans` writes SI/full predictions, `classify` fills a TC template, `score` scores either against gold.
The model reads actor-blind text, as in `slant analyze`; offsets are those of the given articles.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from slant import ptc
from slant.cli.common import user_errors
from slant.errors import UsageError

app = typer.Typer(help="Run and score the technique detector on PTC (SemEval-2020 Task 11) files", no_args_is_help=True)

ArticlesDir = Annotated[Path, typer.Argument(help="Folder of article<ID>.txt files.")]
Output = Annotated[Path, typer.Option("--output", "-o", help="Where to write the predictions (TSV).")]


class Task(StrEnum):
    """What to score: span identification, technique classification, or spans with techniques."""

    SI = "si"
    TC = "tc"
    FULL = "full"


@app.command()
def spans(articles: ArticlesDir, output: Output) -> None:
    """Find technique spans in every article: article_id, technique, start, end per line."""
    from slant.techniques.model import TechniqueModel

    with user_errors():
        corpus = ptc.read_articles(articles)
        found = TechniqueModel().find([a.text for a in corpus])
        rows = [
            ptc.LabeledSpan(a.id, s.technique, s.start, s.end)
            for a, article_spans in zip(corpus, found, strict=True)
            for s in article_spans
        ]
        ptc.write_labels(rows, output)
        typer.echo(f"{len(rows)} spans in {len(corpus)} articles -> {output}", err=True)


@app.command()
def classify(
    articles: ArticlesDir,
    template: Annotated[Path, typer.Argument(help="TC template: article_id, ?, start, end per line.")],
    output: Output,
) -> None:
    """Name the technique of every span of a TC template (fills its `?` column).

    A span listed k times (it carries k techniques) gets its k likeliest techniques.
    """
    from slant.techniques.model import TechniqueModel

    with user_errors():
        texts = {a.id: a.text for a in ptc.read_articles(articles)}
        rows = ptc.read_labels(template)
        missing = sorted({r.article_id for r in rows} - texts.keys())
        if missing:
            raise UsageError(f"template names articles not in {articles}: {', '.join(missing[:5])}")
        model = TechniqueModel()
        by_article: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            by_article.setdefault(row.article_id, []).append(index)
        filled = list(rows)
        for article_id, indexes in by_article.items():
            labels = model.classify(texts[article_id], [(rows[i].start, rows[i].end) for i in indexes])
            for i, label in zip(indexes, labels, strict=True):
                filled[i] = rows[i]._replace(technique=label)
        ptc.write_labels(filled, output)
        typer.echo(f"{len(filled)} spans classified -> {output}", err=True)


@app.command()
def score(
    task: Annotated[Task, typer.Argument(help="si, tc or full (spans with techniques).")],
    predicted: Annotated[Path, typer.Argument(help="Predictions (TSV).")],
    gold: Annotated[Path, typer.Argument(help="Gold labels (TSV).")],
) -> None:
    """Score predictions against gold with the SemEval-2020 Task 11 measures."""
    with user_errors():
        predictions, truth = ptc.read_labels(predicted), ptc.read_labels(gold)
        if task is Task.TC:
            micro, per_technique = ptc.score_tc(predictions, truth)
            for technique, result in per_technique.items():
                typer.echo(f"{technique}\tF1={result.f1:.4f}")
            result = micro
        else:
            result = (ptc.score_si if task is Task.SI else ptc.score_full)(predictions, truth)
        typer.echo(f"{task.value}\tP={result.precision:.4f}\tR={result.recall:.4f}\tF1={result.f1:.4f}")


def register(root: typer.Typer) -> None:
    """Add the `ptc` command group to the app."""
    root.add_typer(app, name="ptc")
