"""Even-handedness: does swapping the sides of an article (keeping its wording) change what slant says?

    python bench/evenhanded.py [--source ptc|invented] [--data ../shared/data] [--skip ANALYZER ...] [--show]

For each real held-out PTC article (`--source ptc`, the default: `slant.ptc.HELDOUT`, actors of
`bench/data/evenhanded/ptc_swaps.tsv`: leaders, parties, countries and peoples, some invented, religions,
media) or each invented article in `bench/data/evenhanded/` (`--source invented`, actors of `swaps.tsv`),
the actors are exchanged both ways (Trump <-> Obama, Russia <-> Kestrania, ...: whole words, case kept), both versions
are analyzed together by the full pipeline, and the run prints, per article and overall, the absolute
change of the verdict score and the share of technique spans whose presence or label changes (spans
are matched by mapping offsets through the substitution; a span is still present when a span of the
same label shares half their union, and the share with exact boundaries is printed too). Targets:
mean |delta verdict| <= 0.02 and <= 3% of spans changed. Per-section deltas (sourcing, claims,
framing) point at where a difference comes from.
"""

from __future__ import annotations

import argparse
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from slant import ptc
from slant.ingest import document_from_text
from slant.model import Report
from slant.pipeline import Analyzer

DATA = Path(__file__).parent / "data" / "evenhanded"
TARGET_VERDICT, TARGET_SPANS = 0.02, 0.03
MIN_OVERLAP = 0.5  # a span is the same span in the other version when they share half their union


@dataclass(frozen=True)
class Edit:
    """One replaced term: `[old_start, old_end)` in the original became `[new_start, new_end)`."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class Swapped:
    """A text with its sides exchanged, and the edits that map offsets from the original."""

    text: str
    edits: tuple[Edit, ...]

    def offset(self, old: int, *, end: bool = False) -> int:
        """Where an original offset lands in the swapped text (inside a term: its new start or end)."""
        i = bisect_right([e.old_start for e in self.edits], old) - 1
        if i < 0:
            return old
        edit = self.edits[i]
        if old >= edit.old_end:
            return edit.new_end + old - edit.old_end
        return edit.new_end if end and old > edit.old_start else edit.new_start


def read_pairs(path: Path = DATA / "swaps.tsv") -> dict[str, str]:
    """Term (lower case) -> its counterpart, in both directions."""
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b = line.split("\t")
            pairs[a.lower()], pairs[b.lower()] = b, a
    return pairs


def swap(text: str, pairs: dict[str, str]) -> Swapped:
    """Exchange every whole-word occurrence of a paired term for its counterpart, keeping its case."""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(pairs, key=len, reverse=True))) + r")\b", re.I)
    pieces, edits, shift, last = [], [], 0, 0
    for match in pattern.finditer(text):
        new = _cased(match.group(), pairs[match.group().lower()])
        pieces += [text[last : match.start()], new]
        edits.append(Edit(match.start(), match.end(), match.start() + shift, match.start() + shift + len(new)))
        shift += len(new) - len(match.group())
        last = match.end()
    return Swapped("".join([*pieces, text[last:]]), tuple(edits))


def _cased(found: str, replacement: str) -> str:
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement if replacement[0].isupper() else replacement.lower()


Labeled = tuple[int, int, str]


def technique_spans(original: Report, swapped_report: Report, swapped: Swapped) -> tuple[list[Labeled], list[Labeled]]:
    """The technique spans of both versions, the original's mapped into the swapped text's offsets."""
    before = [
        (swapped.offset(f.start), swapped.offset(f.end, end=True), f.label) for f in original.findings_of("techniques")
    ]
    after = [(f.start, f.end, f.label) for f in swapped_report.findings_of("techniques")]
    return before, after


def unmatched(spans: list[Labeled], others: list[Labeled], min_overlap: float) -> list[Labeled]:
    """The spans with no span of the same label in `others` overlapping it by `min_overlap` (of the union)."""

    def overlap(a: Labeled, b: Labeled) -> float:
        inter = min(a[1], b[1]) - max(a[0], b[0])
        return inter / (max(a[1], b[1]) - min(a[0], b[0])) if inter > 0 else 0.0

    return [s for s in spans if not any(o[2] == s[2] and overlap(s, o) >= min_overlap for o in others)]


def technique_changes(
    original: Report, swapped_report: Report, swapped: Swapped, min_overlap: float = MIN_OVERLAP
) -> tuple[int, int]:
    """(spans present in one version only or with another label, all spans of both versions).

    A span counts as present in the other version when a span of the same label covers at least
    `min_overlap` of their union there (1.0: the same boundaries exactly).
    """
    before, after = technique_spans(original, swapped_report, swapped)
    changed = len(unmatched(before, after, min_overlap)) + len(unmatched(after, before, min_overlap))
    return changed, len(before) + len(after)


def section_deltas(original: Report, swapped_report: Report) -> dict[str, object]:
    """The summary figures that differ between the two versions (where a verdict change comes from)."""
    figures = {
        "techniques.total": ("techniques", "total"),
        "sourcing.one_sided": ("sourcing", "one_sided"),
        "sourcing.dominant_share": ("sourcing", "dominant_share"),
        "sourcing.n_affiliations": ("sourcing", "n_affiliations"),
        "claims.unattributed": ("claims", "unattributed"),
    }
    deltas: dict[str, object] = {}
    for name, (section, key) in figures.items():
        a = getattr(getattr(original.summary, section), key, None)
        b = getattr(getattr(swapped_report.summary, section), key, None)
        if a != b:
            deltas[name] = f"{a} -> {b}"
    loaded = [
        len([f for f in r.findings_of("framing") if f.label == "loaded_term"]) for r in (original, swapped_report)
    ]
    if loaded[0] != loaded[1]:
        deltas["framing.loaded_terms"] = f"{loaded[0]} -> {loaded[1]}"
    return deltas


def main() -> None:
    """Analyze every article and its swapped version; print the deltas and whether targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["ptc", "invented"], default="ptc")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data (for ptc)")
    parser.add_argument("--skip", nargs="*", default=[], help="analyzers to leave out")
    parser.add_argument("--show", action="store_true", help="print the technique spans that changed")
    args = parser.parse_args()
    if args.source == "ptc":
        folder = args.data / "ptc-semeval2020" / "train" / "train-articles"
        articles = [a for a in ptc.read_articles(folder) if ptc.split_of(a.id) == "heldout"]
        names, texts = [f"article{a.id}" for a in articles], [a.text for a in articles]
        pairs = read_pairs(DATA / "ptc_swaps.tsv")
    else:
        paths = sorted(DATA.glob("*.txt"))
        names, texts = [p.stem for p in paths], [p.read_text(encoding="utf-8") for p in paths]
        pairs = read_pairs(DATA / "swaps.tsv")
    swaps = [swap(t, pairs) for t in texts]
    analyzer = Analyzer(skip=args.skip)
    reports = analyzer.analyze_documents([document_from_text(t) for t in [*texts, *(s.text for s in swaps)]])
    originals, swapped_reports = reports[: len(texts)], reports[len(texts) :]
    verdict_deltas, changed, total, exact_changed = [], 0, 0, 0
    print(f"{'article':28} {'swaps':>5} {'verdict':>15} {'|delta|':>7} {'spans changed':>13}  other deltas")
    for name, sw, a, b in zip(names, swaps, originals, swapped_reports, strict=True):
        va, vb = (r.summary.verdict.score if r.summary.verdict else 0.0 for r in (a, b))
        n_changed, n_spans = technique_changes(a, b, sw)
        verdict_deltas.append(abs(va - vb))
        changed, total = changed + n_changed, total + n_spans
        exact_changed += technique_changes(a, b, sw, min_overlap=1.0)[0]
        print(
            f"{name:28} {len(sw.edits):5} {va:6.3f} -> {vb:5.3f} {abs(va - vb):7.3f} {n_changed:6}/{n_spans:<6}"
            f"  {section_deltas(a, b) or ''}"
        )
        if args.show:
            show_changes(a, b, sw)
    share = changed / total if total else 0.0
    verdict_ok, spans_ok = mean(verdict_deltas) <= TARGET_VERDICT, share <= TARGET_SPANS
    print(f"\narticles {len(texts)}, analyzers {[p.name for p in analyzer.plugins]}")
    print(
        f"mean |delta verdict| {mean(verdict_deltas):.4f} "
        f"(target <= {TARGET_VERDICT}: {'met' if verdict_ok else 'MISSED'})"
    )
    print(f"max  |delta verdict| {max(verdict_deltas):.4f}")
    print(
        f"technique spans changed {changed}/{total} = {share:.1%} (target <= {TARGET_SPANS:.0%}: "
        f"{'met' if spans_ok else 'MISSED'}; same label, half their union shared)"
    )
    print(f"technique spans changed, exact boundaries {exact_changed}/{total} = {exact_changed / max(total, 1):.1%}")


def show_changes(original: Report, swapped_report: Report, swapped: Swapped) -> None:
    """Print each technique span present (with that label) in only one version."""
    before, after = technique_spans(original, swapped_report, swapped)
    for start, end, label in unmatched(before, after, MIN_OVERLAP):
        print(f"    only original: {label} {swapped_report.text[start:end]!r} (as swapped)")
    for start, end, label in unmatched(after, before, MIN_OVERLAP):
        print(f"    only swapped:  {label} {swapped_report.text[start:end]!r}")


if __name__ == "__main__":
    main()
