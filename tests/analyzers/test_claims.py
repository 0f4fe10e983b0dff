"""The claims analyzer on invented articles: claim types, numbers, attribution, hedging, comments."""

from importlib.resources import files

import numpy as np
import pytest
from tests.factories import source

from slant.analyzers import run_alone
from slant.analyzers.claims import CUES, RETRAIN, ClaimsAnalyzer, claims_model, dense_features
from slant.encoder import HIDDEN, fingerprint
from slant.errors import ModelMismatchError
from slant.ingest import document_from_text
from slant.model import ClaimsSummary, Document, Finding, Report, Segment, SegmentKind
from slant.options import AnalysisOptions
from slant.parse import sentence_case
from slant.pipeline import Analyzer
from slant.techniques.model import TechniqueModel
from slant.train.claims import encoder_states

TITLE = "Shelling Hits Market in Velmora"
BODY = (
    "At least 14 people were killed when shells hit the central market on Tuesday, "
    "according to the Velmora health ministry.\n"
    "Over 3,000 buildings\nhave been destroyed since the siege began.\n\n"
    "The rebels reportedly lost 200 fighters in the battle.\n"
    "Prices rose sharply because the bridge was closed.\n"
    "It is the deadliest attack on the city since 2019.\n"
    "I think this war is a disgrace and we must speak up.\n"
    "Officials said the army captured 5 villages."
)
COMMENT = "My cousin says 40 trucks of flour reached the hospital yesterday."


def report_of(title: str, body: str, comment: str | None = None, findings: tuple[Finding, ...] = ()) -> Report:
    """A report with title, body and (optionally) one reader comment segment."""
    text = f"{title}\n\n{body}\n"
    segments = [
        Segment(kind=SegmentKind.TITLE, start=0, end=len(title)),
        Segment(kind=SegmentKind.BODY, start=len(title) + 2, end=len(title) + 2 + len(body)),
    ]
    if comment is not None:
        segments.append(Segment(kind=SegmentKind.COMMENT, start=len(text) + 1, end=len(text) + 1 + len(comment)))
        text = f"{text}\n{comment}\n"
    return Report(**dict(Document(text=text, segments=tuple(segments))), findings=findings)


@pytest.fixture(scope="module")
def analyzer() -> ClaimsAnalyzer:
    return ClaimsAnalyzer(AnalysisOptions())


@pytest.fixture(scope="module")
def analyzed(analyzer: ClaimsAnalyzer) -> Report:
    return run_alone(analyzer, [report_of(TITLE, BODY, COMMENT)])[0]


def claim_containing(report: Report, words: str) -> Finding:
    matches = [f for f in report.findings_of("claims") if words in report.text[f.start : f.end]]
    assert len(matches) == 1, f"expected one claim containing {words!r}, got {len(matches)}"
    return matches[0]


def test_casualty_claim_is_attributed_to_its_source(analyzed: Report) -> None:
    claim = claim_containing(analyzed, "14 people")
    assert claim.label == "claim"
    assert claim.attributes.type == "casualties"
    assert "At least 14 people" in claim.attributes.numbers
    assert claim.attributes.attributed is True
    assert claim.attributes.hedged is False
    assert claim.score >= 0.7


def test_wrapped_quantity_claim_is_one_unattributed_sentence(analyzed: Report) -> None:
    claim = claim_containing(analyzed, "3,000")
    assert analyzed.text[claim.start : claim.end] == "Over 3,000 buildings\nhave been destroyed since the siege began."
    assert claim.attributes.numbers == ["Over 3,000 buildings"]
    assert claim.attributes.attributed is False
    assert claim.attributes.source is None


def test_hedged_and_asserted(analyzed: Report) -> None:
    assert claim_containing(analyzed, "reportedly lost").attributes.hedged is True
    assert claim_containing(analyzed, "Officials said").attributes.hedged is False


def test_causal_and_comparison_types(analyzed: Report) -> None:
    assert claim_containing(analyzed, "because the bridge").attributes.type == "causal"
    assert claim_containing(analyzed, "deadliest").attributes.type == "comparison"


def test_opinion_is_not_a_claim(analyzed: Report) -> None:
    assert not [f for f in analyzed.findings_of("claims") if "disgrace" in analyzed.text[f.start : f.end]]


def test_comment_claims_are_found_but_summary_counts_the_article(analyzed: Report) -> None:
    comment_claim = claim_containing(analyzed, "40 trucks")
    assert comment_claim.attributes.segment == "comment"
    article = [f for f in analyzed.findings_of("claims") if f.attributes.segment != "comment"]
    summary = analyzed.summary.claims
    assert summary.total == len(article)
    assert summary.attributed + summary.unattributed == summary.total
    assert summary.hedged == sum(f.attributes.hedged for f in article)


def test_source_comes_from_the_overlapping_sourcing_finding(analyzer: ClaimsAnalyzer) -> None:
    body = "The Norland Army destroyed 12 tanks near the border on Friday. Nothing else happened."
    title = "Border Fighting"
    mention = body.index("The Norland Army") + len(title) + 2
    sourcing = source(
        mention, mention + len("The Norland Army"), "Norland Army", affiliation="Norland", kind="military"
    )
    report = run_alone(analyzer, [report_of(title, body, findings=(sourcing,))])[0]
    claim = claim_containing(report, "12 tanks")
    assert claim.attributes.attributed is True
    assert claim.attributes.source == "Norland Army"


def test_check_worthiness_is_zero_without_a_claim_type(analyzer: ClaimsAnalyzer) -> None:
    report = run_alone(analyzer, [report_of("Opinion", "What a shameful day for everyone.")])[0]
    assert report.findings_of("claims") == []
    assert report.summary.claims == ClaimsSummary(total=0, attributed=0, unattributed=0, hedged=0)


def test_sentence_case_keeps_offsets_and_names() -> None:
    title = "Brave Forces Free Port Dravny From Russian Thugs"
    cased = sentence_case(title, {"Dravny", "russian"})
    assert len(cased) == len(title)
    assert cased == "Brave forces free port Dravny from Russian thugs"
    assert sentence_case("An ordinary sentence. With Two Capitals.") == "An ordinary sentence. With Two Capitals."


def test_demo_page_claims_link_to_the_sourcing_analyzer() -> None:
    """On the built-in demo page, after sourcing, the ministry's figures are attributed to a source."""
    text = files("slant").joinpath("examples/demo-page.txt").read_text(encoding="utf-8")
    report = Analyzer(only=["sourcing", "claims"]).analyze_documents([document_from_text(text)])[0]
    homes = claim_containing(report, "2,000 homes")
    assert homes.attributes.attributed is True
    assert homes.attributes.source
    red_cross = claim_containing(report, "400 civilians")
    assert red_cross.attributes.segment == "comment"


def test_dense_features_are_the_states_then_the_sentence_cues() -> None:
    states = np.ones((2, HIDDEN))
    features = dense_features(["We will cut taxes by 5 percent in 2025?", "Thank you."], states)
    assert features.shape == (2, HIDDEN + len(CUES) + 2)
    assert (features[:, :HIDDEN] == 1).all()
    # digit, number+unit, money, year, comparison, first-person intent, pronoun, question, opening, policy word,
    # assertion verb, absolute; then log(1 + words) and "fragment"
    assert features[0, HIDDEN:].tolist() == [1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, pytest.approx(np.log1p(9)), 0]
    assert features[1, HIDDEN:].tolist() == [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, pytest.approx(np.log1p(2)), 1]


@pytest.mark.parametrize(
    ("sentence", "logit", "checkworthy"),
    [
        ("The new budget cuts school funding by 12 percent next year.", 2.906, True),
        ("Unemployment in the state has doubled since the governor took office.", 6.845, True),
        ("Big oil companies paid nothing in federal taxes last year.", 4.638, True),  # no number
        ("Thank you all for coming tonight.", -5.114, False),
        ("We are going to make this country great.", -6.088, False),
        ("Less than a week ago.", -1.718, False),  # a time phrase that asserts nothing
    ],
)
def test_shipped_model_fixed_answers(sentence: str, logit: float, checkworthy: bool) -> None:
    model = claims_model()
    logits = model.decision([sentence], dense_features([sentence], encoder_states([sentence])))
    assert logits[0, 0] == pytest.approx(logit, abs=1e-3)
    assert (logit >= model.params["threshold"]) is checkworthy


def test_shipped_model_was_trained_over_the_shipped_technique_model() -> None:
    """The claims model reads the technique model's states: replacing that model requires retraining this one."""
    assert claims_model().params["encoder_sha256"] == fingerprint(), f"the technique model changed; run {RETRAIN}"


def test_a_claims_model_over_another_encoder_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("slant.encoder.fingerprint", lambda: "0" * 64)
    with pytest.raises(ModelMismatchError, match="retrain"):
        ClaimsAnalyzer(AnalysisOptions())


def test_techniques_and_claims_share_one_encoder_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    tag = TechniqueModel.tag
    monkeypatch.setattr(
        TechniqueModel, "tag", lambda self, texts, streams=None: calls.append(len(texts)) or tag(self, texts, streams)
    )
    page = report_of(TITLE, BODY, COMMENT)
    report = Analyzer(only=["techniques", "claims"]).analyze_documents(
        [Document(text=page.text, segments=page.segments)]
    )[0]
    assert len(calls) == 1  # the lines of title, body and comment, in one call
    assert report.findings_of("claims") and report.summary.techniques is not None


def test_numpy_runtime_reproduces_scikit_learn(tmp_path) -> None:
    """The exported JSON gives scikit-learn's decision values (the runtime never imports scikit-learn)."""
    pytest.importorskip("sklearn")
    import json

    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from slant.text_classifier import LinearTextModel, export, vectorizer

    texts = [
        "Taxes rose 4% in 2020.",
        "Thank you so much.",
        "The plant employs 300 people.",
        "Good night, everyone!",
        "Crime fell by half since 2015.",
        "I love this town.",
    ]
    dense = np.arange(12, dtype=np.float64).reshape(6, 2) % 5
    center, scale = dense.mean(0), dense.std(0) * 3
    union = vectorizer(1)
    labels = [True, False, True, False, True, False]
    plain = LogisticRegression(C=10.0).fit(union.fit_transform(texts), labels)
    mixed = LogisticRegression(C=10.0).fit(sparse.hstack([union.transform(texts), (dense - center) / scale]), labels)
    probe, probe_dense = ["Rents rose 7% since 2019, thank you.", "Nothing to see here"], np.array([[1, 4], [3, 0]])
    (tmp_path / "plain.json").write_text(json.dumps(export(union, plain, {})))
    (tmp_path / "mixed.json").write_text(json.dumps(export(union, mixed, {}, (center, scale))))
    expected = plain.decision_function(union.transform(probe))
    assert LinearTextModel.load(tmp_path / "plain.json").decision(probe)[:, 0] == pytest.approx(expected, abs=1e-5)
    expected = mixed.decision_function(sparse.hstack([union.transform(probe), (probe_dense - center) / scale]))
    got = LinearTextModel.load(tmp_path / "mixed.json").decision(probe, probe_dense)
    assert got[:, 0] == pytest.approx(expected, abs=1e-5)
