"""The pipeline: ingest -> segment -> shared parse -> analyzers -> summary, over one document or many."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from slant import analyzers
from slant.analyzers import AnalyzerPlugin
from slant.errors import UsageError
from slant.ingest import check_article, check_limits, document_from_text, load
from slant.lexicons import actor_aliases
from slant.model import Document, Report
from slant.nlp import model_version
from slant.options import AnalysisOptions
from slant.summarize import summarize

try:
    SLANT_VERSION = version("slant")
except PackageNotFoundError:  # running from a source tree
    SLANT_VERSION = "0+unknown"

Source = str | Path | Document


class Analyzer:
    """Loads the selected analyzers once and analyzes documents in batches.

    Takes one `AnalysisOptions`, or its fields as keywords.

    Example:
        >>> analyzer = Analyzer(only=("techniques",))  # doctest: +SKIP
        >>> report = analyzer.analyze(Path("article.txt"))  # doctest: +SKIP
    """

    def __init__(self, options: AnalysisOptions | None = None, /, **fields: Any) -> None:
        if options is not None and fields:
            raise UsageError("give an AnalysisOptions or its fields as keywords, not both")
        try:
            self.options = options or AnalysisOptions(**fields)
        except ValidationError as error:
            raise UsageError(f"invalid options: {error}") from None
        loaded = [analyzers.load(n, self.options) for n in analyzers.select(self.options.only, self.options.skip)]
        self.plugins: list[AnalyzerPlugin] = analyzers.ordered(loaded)
        self._names = actor_aliases(self.options.actors_file)

    @property
    def versions(self) -> dict[str, str]:
        """slant's version and the version of each loaded analyzer (and its model)."""
        return _versions(self.plugins)

    def document(self, source: Source) -> Document:
        """One source as a segmented document: a Document as is, a Path read from disk (or a URL, when the
        options allow fetching), a str taken as the article's text.

        Raises:
            TypeError: the source is none of these types.
            InputError: the source cannot be read, or is not an English article.
        """
        if isinstance(source, Document):
            return source
        if isinstance(source, Path):
            return load(source, self.options)
        if isinstance(source, str):
            return check_article(document_from_text(source))
        raise TypeError(f"analyze() takes a str (the text), a pathlib.Path or a Document, not {type(source).__name__}")

    def analyze(self, source: Source) -> Report:
        """Analyze one article (see `document` for what `source` may be)."""
        return self.analyze_documents([self.document(source)])[0]

    def analyze_documents(
        self, documents: Sequence[Document], *, only: Iterable[str] = (), skip: Iterable[str] = ()
    ) -> list[Report]:
        """Analyze a batch of already loaded documents together.

        `only`/`skip` run a subset of the loaded analyzers, so one loaded `Analyzer` can serve requests
        asking for different analyses. Reports hold every finding at any confidence: apply
        `Report.shown(options.min_confidence)` when displaying them.

        Raises:
            UsageError: `only` or `skip` names an analyzer that is not loaded.
            InputTooLargeError: a document is longer than `options.limits.max_text_chars`.
        """
        plugins = self._selected(only, skip)
        documents = [check_limits(document, self.options.limits) for document in documents]
        reports = [Report(**dict(document), versions=_versions(plugins)) for document in documents]
        layers = analyzers.layers_for(plugins, reports, self._names, self.options.threads)
        for plugin in plugins:
            reports = plugin.analyze(reports, layers)
        return [summarize(report) for report in reports]

    def analyze_many(self, documents: Iterable[Document]) -> Iterator[Report]:
        """Analyze a stream of documents in batches of `options.batch_size`, yielding reports in order."""
        iterator = iter(documents)
        while batch := list(islice(iterator, self.options.batch_size)):
            yield from self.analyze_documents(batch)

    def _selected(self, only: Iterable[str], skip: Iterable[str]) -> list[AnalyzerPlugin]:
        """The loaded plugins that `only` (all when empty) and `skip` select, in pipeline order."""
        only_set, skip_set = set(only), set(skip)
        loaded = [p.name for p in self.plugins]
        unknown = (only_set | skip_set) - set(loaded)
        if unknown:
            raise UsageError(f"analyzer(s) {sorted(unknown)} not loaded; loaded: {loaded}")
        return [p for p in self.plugins if (not only_set or p.name in only_set) and p.name not in skip_set]


def analyze(source: Source, options: AnalysisOptions | None = None, /, **fields: Any) -> Report:
    """Analyze one article with a fresh `Analyzer` (see its arguments); reuse an `Analyzer` for many."""
    return Analyzer(options, **fields).analyze(source)


def _versions(plugins: Sequence[AnalyzerPlugin]) -> dict[str, str]:
    """slant's version, the shared parse's spaCy model when a plugin reads it, and each plugin's version."""
    parse = {analyzers.PARSE: model_version()} if any(analyzers.PARSE in p.reads for p in plugins) else {}
    return {"slant": SLANT_VERSION, **parse, **{p.name: p.version for p in plugins}}
