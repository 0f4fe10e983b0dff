"""PTC reader, writer and the SemEval-2020 Task 11 scorers on hand-made spans."""

from collections import Counter
from pathlib import Path

import pytest

from slant import ptc
from slant.errors import InputError
from slant.ptc import LabeledSpan


def span(start: int, end: int, technique: str | None = None, article: str = "1") -> LabeledSpan:
    return LabeledSpan(article, technique, start, end)


def test_read_articles_sorted_by_id_and_exact_text(tmp_path: Path) -> None:
    (tmp_path / "article20.txt").write_bytes("Title\r\n\nBody – with a dash.\n".encode())
    (tmp_path / "article3.txt").write_text("Another.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    articles = ptc.read_articles(tmp_path)
    assert [a.id for a in articles] == ["20", "3"]
    assert articles[0].text == "Title\r\n\nBody – with a dash.\n"


def test_read_articles_of_missing_or_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        ptc.read_articles(tmp_path / "absent")
    with pytest.raises(InputError, match="no article"):
        ptc.read_articles(tmp_path)


def test_labels_round_trip_and_split_on_tabs_only(tmp_path: Path) -> None:
    rows = [span(3, 9, "Name_Calling,Labeling"), span(0, 4, "Whataboutism,Straw_Men,Red_Herring", "2")]
    path = tmp_path / "tc.tsv"
    ptc.write_labels(rows, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "1\tName_Calling,Labeling\t3\t9"
    assert ptc.read_labels(path) == rows
    si = [span(3, 9)]
    ptc.write_labels(si, path)
    assert path.read_text(encoding="utf-8") == "1\t3\t9\n"
    assert ptc.read_labels(path) == si


def test_malformed_label_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("1\t0\t4\n1\tDoubt\tx\t5\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.tsv:2"):
        ptc.read_labels(path)


def test_legacy_labels_map_onto_the_14_classes(tmp_path: Path) -> None:
    (tmp_path / "article1.labels").write_text(
        "1\tBandwagon\t0\t5\n1\tStraw_Men\t6\t9\n1\tObfuscation,Intentional_Vagueness,Confusion\t1\t2\n1\tDoubt\t3\t4\n",
        encoding="utf-8",
    )
    labels = ptc.read_legacy_labels(tmp_path, "*.labels")
    assert [s.technique for s in labels] == [
        "Bandwagon,Reductio_ad_hitlerum",
        "Whataboutism,Straw_Men,Red_Herring",
        "Doubt",
    ]


def test_si_partial_overlap_credits_both_ways() -> None:
    # predicted [0, 10) meets gold [5, 25): 5 chars shared -> P = 5/10, R = 5/20
    result = ptc.score_si([span(0, 10)], [span(5, 25)])
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(0.25)
    assert result.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_si_merges_overlapping_spans_and_keeps_articles_apart() -> None:
    predicted = [span(0, 10), span(5, 15), span(0, 15, article="2")]
    gold = [span(0, 15), span(20, 30, article="2")]
    result = ptc.score_si(predicted, gold)
    assert result.precision == pytest.approx(1 / 2)  # article 1 exact; article 2 misses
    assert result.recall == pytest.approx(1 / 2)


def test_si_of_nothing_is_zero() -> None:
    assert ptc.score_si([], [span(0, 3)]).f1 == 0.0


def test_full_score_needs_the_same_technique() -> None:
    gold = [span(0, 10, "Doubt"), span(20, 30, "Slogans")]
    assert ptc.score_full([span(0, 10, "Doubt"), span(20, 30, "Doubt")], gold) == pytest.approx((0.5, 0.5, 0.5))
    assert ptc.score_full(gold, gold).f1 == pytest.approx(1.0)


def test_tc_micro_and_per_technique() -> None:
    gold = [span(0, 4, "Doubt"), span(5, 9, "Slogans"), span(5, 9, "Doubt"), span(10, 12, "Repetition")]
    predicted = [span(0, 4, "Doubt"), span(5, 9, "Doubt"), span(5, 9, "Doubt"), span(10, 12, "Slogans")]
    micro, per_technique = ptc.score_tc(predicted, gold)
    assert micro.f1 == pytest.approx(2 / 4)  # the second Doubt at 5-9 has no gold left to match
    assert per_technique["Doubt"].precision == pytest.approx(2 / 3)
    assert per_technique["Doubt"].recall == pytest.approx(1.0)
    assert per_technique["Repetition"].f1 == 0.0


def test_split_is_fixed_by_id_and_about_12_percent_calibration() -> None:
    parts = Counter(ptc.split_of(str(111111111 + i)) for i in range(2000))
    assert ptc.split_of("111111111") == ptc.split_of("111111111")
    assert ptc.split_of("723793978") == "train"  # a near-duplicate of training article 111111136
    assert {a for a in ptc.HELDOUT if ptc.split_of(a) == "heldout"} == ptc.HELDOUT and len(ptc.HELDOUT) == 41
    assert parts["heldout"] == 1  # 111111115
    assert 0.09 < parts["calibration"] / 2000 < 0.15
