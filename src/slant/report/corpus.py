"""The corpus dashboard: one self-contained HTML page (inline SVG and CSS, no scripts) over a results store.

It reads the store in one streaming pass, aggregates per outlet (technique mix, verdicts, sourcing balance,
loaded terms, monthly trends) and renders `templates/corpus.html.j2` with autoescaping: every string in it
comes from untrusted articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader

from slant.store import Store

#: Outlets drawn in the charts (the largest by document count); the tables list them all.
MAX_OUTLETS = 20
UNKNOWN_OUTLET = "(unknown outlet)"
LEVELS = ("low", "moderate", "high", "none")
LEVEL_COLOURS = {"low": "#4caf50", "moderate": "#ffb300", "high": "#e53935", "none": "#bdbdbd"}
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#8ca252", "#7b4173",
)  # fmt: skip


@dataclass
class Mean:
    """A running mean that ignores missing values."""

    total: float = 0.0
    n: int = 0

    def add(self, value: float | None) -> None:
        """Count `value` unless it is missing."""
        if value is not None:
            self.total += float(value)
            self.n += 1

    @property
    def value(self) -> float | None:
        """The mean, or None when nothing was counted."""
        return self.total / self.n if self.n else None


@dataclass
class OutletStats:
    """What the dashboard shows about one outlet."""

    name: str
    documents: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    verdict: Mean = field(default_factory=Mean)
    per_100_words: Mean = field(default_factory=Mean)
    n_sources: Mean = field(default_factory=Mean)
    dominant_share: Mean = field(default_factory=Mean)
    one_sided: Mean = field(default_factory=Mean)
    techniques: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    months: dict[str, Mean] = field(default_factory=lambda: defaultdict(Mean))


@dataclass(frozen=True)
class Bar:
    """One segment of a stacked bar, as a share of its row."""

    label: str
    value: float
    share: float
    offset: float
    colour: str


def corpus_stats(store: Store) -> dict[str, OutletStats]:
    """Aggregate the newest analysis of each stored document per outlet, streaming the rows once."""
    outlets: dict[str, OutletStats] = {}
    for row in store.rows(latest=True):
        name = row["outlet"] or UNKNOWN_OUTLET
        stats = outlets.setdefault(name, OutletStats(name))
        stats.documents += 1
        stats.levels[row["verdict_level"] or "none"] += 1
        stats.verdict.add(row["verdict_score"])
        stats.per_100_words.add(row["techniques_per_100_words"])
        stats.n_sources.add(row["n_sources"])
        stats.dominant_share.add(row["dominant_share"])
        stats.one_sided.add(None if row["one_sided"] is None else float(row["one_sided"]))
        stats.terms.update(row["loaded_terms"] or {})
        if row["published_date"] is not None:
            stats.months[row["published_date"].strftime("%Y-%m")].add(row["verdict_score"])
    for row in store.technique_counts():
        counted = outlets.get(row["outlet"] or UNKNOWN_OUTLET)
        if counted is not None:
            counted.techniques[row["technique"]] += int(row["count"])
    return outlets


def render_corpus_report(store: Store, *, title: str = "slant corpus report") -> str:
    """The dashboard of everything in `store`, as one HTML page."""
    outlets = sorted(corpus_stats(store).values(), key=lambda s: (-s.documents, s.name))
    shown = outlets[:MAX_OUTLETS]
    techniques = sorted(
        {t for s in outlets for t in s.techniques}, key=lambda t: -sum(s.techniques[t] for s in outlets)
    )
    technique_colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(techniques)}
    all_terms: Counter[str] = Counter()
    for stats in outlets:
        all_terms.update(stats.terms)
    n_documents, n_failures = store.counts()
    environment = Environment(loader=PackageLoader("slant.report", "templates"), autoescape=True)
    return environment.get_template("corpus.html.j2").render(
        title=title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        n_documents=n_documents,
        n_failures=n_failures,
        outlets=outlets,
        shown=shown,
        technique_mix=[(s.name, stacked(s.techniques, technique_colours)) for s in shown],
        technique_colours=technique_colours,
        verdicts=[(s.name, stacked(s.levels, LEVEL_COLOURS)) for s in shown],
        level_colours=LEVEL_COLOURS,
        terms=all_terms.most_common(25),
        trend=trend_chart(shown),
    )


def stacked(counts: Counter[str], colours: dict[str, str]) -> list[Bar]:
    """The segments of a 100% stacked bar, in the order of `colours`."""
    total = sum(counts[label] for label in colours)
    bars, offset = [], 0.0
    for label, colour in colours.items():
        if counts[label] and total:
            share = counts[label] / total
            bars.append(Bar(label, counts[label], share, offset, colour))
            offset += share
    return bars


def trend_chart(outlets: list[OutletStats], width: int = 640, height: int = 220) -> dict[str, Any] | None:
    """Mean verdict score per month and outlet as SVG polylines, or None when fewer than two months are dated."""
    months = sorted({m for s in outlets for m, mean in s.months.items() if mean.value is not None})
    if len(months) < 2:
        return None
    pad = 30
    x = {m: pad + i * (width - 2 * pad) / (len(months) - 1) for i, m in enumerate(months)}
    lines = []
    for i, stats in enumerate(outlets):
        points = [
            (x[m], height - pad - mean.value * (height - 2 * pad))
            for m, mean in sorted(stats.months.items())
            if mean.value is not None
        ]
        if points:
            lines.append({
                "outlet": stats.name,
                "colour": PALETTE[i % len(PALETTE)],
                "points": " ".join(f"{px:.1f},{py:.1f}" for px, py in points),
            })  # fmt: skip
    ticks = [{"x": x[m], "label": m} for m in months[:: max(1, len(months) // 8)]]
    return {"width": width, "height": height, "pad": pad, "lines": lines, "ticks": ticks}
