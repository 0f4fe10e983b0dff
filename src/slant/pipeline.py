"""The pipeline: ingest -> segment -> analyzers -> summary, over one document or many in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path

from slant import analyzers
from slant.analyzers import AnalysisOptions, AnalyzerPlugin
from slant.errors import UnsupportedLanguageError
from slant.ingest import document_from_text, load
from slant.ingest.language import looks_english
from slant.model import Document, Report, SegmentKind
from slant.summarize import summarize

try:
    SLANT_VERSION = version("slant")
except PackageNotFoundError:  # running from a source tree
    SLANT_VERSION = "0+unknown"

Source = str | Path | Document


class Analyzer:
    """Loads the selected analyzers once and analyzes documents in batches.

    Example:
        >>> analyzer = Analyzer(only=["techniques"])
        >>> report = analyzer.analyze("article.txt")  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        only: Iterable[str] | None = None,
        skip: Iterable[str] | None = None,
        options: AnalysisOptions | None = None,
        allow_urls: bool = False,
    ) -> None:
        self.options = options or AnalysisOptions()
        self.allow_urls = allow_urls
        self.plugins: list[AnalyzerPlugin] = [analyzers.load(n, self.options) for n in analyzers.select(only, skip)]

    @property
    def versions(self) -> dict[str, str]:
        """slant's version and the version of each loaded analyzer (and its model)."""
        return _versions(self.plugins)

    def document(self, source: Source) -> Document:
        """Read and segment one source: a Document, a path, '-', a URL (if allowed), or the text itself."""
        if isinstance(source, Document):
            return source
        if isinstance(source, Path) or source == "-" or source.startswith(("http://", "https://")):
            return load(source, allow_urls=self.allow_urls)
        if "\n" not in source and len(source) < 4096 and Path(source).exists():
            return load(source)
        return document_from_text(source)

    def analyze(self, source: Source) -> Report:
        """Analyze one article.

        Raises:
            InputError: the source cannot be read, or is not an English article.
        """
        return self.analyze_documents([self.document(source)])[0]

    def analyze_documents(
        self,
        documents: Sequence[Document],
        *,
        only: Iterable[str] | None = None,
        skip: Iterable[str] | None = None,
        min_confidence: float | None = None,
    ) -> list[Report]:
        """Analyze a batch of already loaded documents together.

        `only`/`skip` run a subset of the loaded analyzers and `min_confidence` overrides the options'
        threshold, so one loaded `Analyzer` can serve requests asking for different analyses.

        Raises:
            ValueError: `only` or `skip` names an analyzer that is not loaded.
        """
        plugins = self._selected(only, skip)
        for document in documents:
            _check_language(document)
        reports = [Report(**dict(document), versions=_versions(plugins)) for document in documents]
        for plugin in plugins:
            reports = plugin.analyze(reports)
        threshold = self.options.min_confidence if min_confidence is None else min_confidence
        return [summarize(_filtered(report, threshold)) for report in reports]

    def _selected(self, only: Iterable[str] | None, skip: Iterable[str] | None) -> list[AnalyzerPlugin]:
        """The loaded plugins that `only` (all when empty) and `skip` select, in pipeline order."""
        only_set, skip_set = set(only or ()), set(skip or ())
        loaded = [p.name for p in self.plugins]
        unknown = (only_set | skip_set) - set(loaded)
        if unknown:
            raise ValueError(f"analyzer(s) {sorted(unknown)} not loaded; loaded: {loaded}")
        return [p for p in self.plugins if (not only_set or p.name in only_set) and p.name not in skip_set]

    def analyze_many(self, documents: Iterable[Document]) -> Iterator[Report]:
        """Analyze a stream of documents in batches of `options.batch_size`, yielding reports in order."""
        iterator = iter(documents)
        while batch := list(islice(iterator, self.options.batch_size)):
            yield from self.analyze_documents(batch)


def analyze(source: Source, **kwargs: object) -> Report:
    """Analyze one article with a fresh `Analyzer` (see its arguments); reuse an `Analyzer` for many."""
    return Analyzer(**kwargs).analyze(source)  # type: ignore[arg-type]


def _versions(plugins: Sequence[AnalyzerPlugin]) -> dict[str, str]:
    return {"slant": SLANT_VERSION, **{p.name: p.version for p in plugins}}


def _check_language(document: Document) -> None:
    prose = " ".join(document.segment_text(s) for s in document.segments_of(SegmentKind.TITLE, SegmentKind.BODY))
    if not looks_english(prose or document.text):
        where = document.metadata.source or "the input"
        raise UnsupportedLanguageError(f"{where} does not look like English; slant's models analyze English news only")


def _filtered(report: Report, min_confidence: float) -> Report:
    if min_confidence <= 0:
        return report
    return report.model_copy(update={"findings": tuple(f for f in report.findings if f.score >= min_confidence)})
