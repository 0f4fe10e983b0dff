"""The web app's contract: each endpoint, each limit, and a JSON `{"error": ...}` for every bad input."""

import threading
import time
from collections.abc import Iterator
from importlib.resources import files

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_fixtures import keyword_analyzer

from slant.ingest import document_from_bytes
from slant.model import Report
from slant.options import AnalysisOptions, Limits, ServerOptions
from slant.web import create_app

DEMO = (files("slant") / "examples" / "demo-page.txt").read_text(encoding="utf-8")
SHORT = "The harbour board said on Monday that the new pier would open in May, two months late."


def served(**server: float) -> FastAPI:
    """The app with these server options, its workers holding `web_fixtures.keyword_analyzer()`."""
    return create_app(AnalysisOptions(server=ServerOptions.model_validate(server)), build=keyword_analyzer)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(served(max_body_bytes=200_000, max_batch=3)) as test_client:
        yield test_client


def test_healthz_lists_loaded_analyzers(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["analyzers"] == ["techniques", "napper"] and body["version"]


def test_schema_is_the_report_json_schema(client: TestClient) -> None:
    assert client.get("/api/schema").json() == Report.model_json_schema()


def test_openapi_docs_describe_the_api(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/analyze", "/api/analyze/batch", "/api/schema", "/healthz"} <= paths.keys()


def test_analyze_text_returns_the_cli_json_report(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": DEMO})
    assert response.status_code == 200
    expected = keyword_analyzer().analyze_documents([document_from_bytes(DEMO.encode(), name="text")])[0]
    assert response.json() == expected.model_dump(mode="json")
    assert {f["label"] for f in response.json()["findings"]} >= {"Name_Calling,Labeling", "Black-and-White_Fallacy"}


def test_analyze_html_page(client: TestClient) -> None:
    page = f"<html><head><title>Pier late</title></head><body><article><p>{SHORT}</p><p>{SHORT}</p></article></html>"
    response = client.post("/api/analyze", json={"html": page})
    assert response.status_code == 200, response.text
    assert "new pier" in response.json()["text"] and "<p>" not in response.json()["text"]


def test_options_select_analyzers_and_confidence(client: TestClient) -> None:
    everything = client.post("/api/analyze", json={"text": DEMO}).json()
    confident = client.post("/api/analyze", json={"text": DEMO, "min_confidence": 0.5}).json()
    kept = confident["findings"]
    assert kept and all(f["score"] >= 0.5 for f in kept) and len(kept) < len(everything["findings"])
    assert confident["summary"] == everything["summary"]  # a display filter never changes the summary
    skipped = client.post("/api/analyze", json={"text": DEMO, "skip": ["techniques"]}).json()
    assert skipped["findings"] == [] and "techniques" not in skipped["versions"]
    only = client.post("/api/analyze", json={"text": DEMO, "only": ["techniques"]}).json()
    assert only["versions"]["techniques"] == "keywords-for-tests"


def test_unknown_analyzer_is_400(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": DEMO, "only": ["astrology"]})
    assert response.status_code == 400 and "astrology" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "exactly one of text, html or url"),
        ({"text": SHORT, "url": "https://example.org/"}, "exactly one"),
        ({"url": "file:///etc/passwd"}, "http:// or https://"),
        ({"text": SHORT, "colour": "red"}, "colour"),
        ({"text": SHORT, "min_confidence": 2}, "min_confidence"),
        ({"text": "   \n"}, "empty"),
        ({"text": "Dit is een Nederlandse tekst over de haven en de nieuwe pier die later opengaat."}, "English"),
        ({"url": "http://127.0.0.1:9/article"}, "127.0.0.1"),
    ],
)
def test_bad_input_is_a_json_error(client: TestClient, body: dict, message: str) -> None:
    response = client.post("/api/analyze", json=body)
    assert 400 <= response.status_code < 500
    assert message in response.json()["error"]


def test_malformed_json_and_unknown_paths_are_json_errors(client: TestClient) -> None:
    bad = client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and "error" in bad.json()
    missing = client.get("/api/nothing")
    assert missing.status_code == 404 and missing.json() == {"error": "Not Found"}


def test_batch_returns_one_report_per_document(client: TestClient) -> None:
    response = client.post("/api/analyze/batch", json={"documents": [{"text": DEMO}, {"text": SHORT}]})
    assert response.status_code == 200
    reports = response.json()
    assert [r["text"] for r in reports] == [DEMO, SHORT]
    assert reports[0]["findings"] and not reports[1]["findings"]


def test_batch_is_bounded_and_names_the_bad_document(client: TestClient) -> None:
    too_many = client.post("/api/analyze/batch", json={"documents": [{"text": SHORT}] * 4})
    assert too_many.status_code == 413 and "at most 3" in too_many.json()["error"]
    bad = client.post("/api/analyze/batch", json={"documents": [{"text": SHORT}, {"text": " "}]})
    assert bad.status_code == 422 and bad.json()["error"].startswith("documents[1]:")


def test_body_over_the_limit_is_413_before_reading_it(client: TestClient) -> None:
    declared = client.post("/api/analyze", json={"text": "word " * 50_000})
    assert declared.status_code == 413 and "larger than 200,000 bytes" in declared.json()["error"]

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(300):
            yield b"word " * 200
        yield b'"}'

    streamed = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_article_over_the_length_limit_is_413() -> None:
    options = AnalysisOptions(limits=Limits(max_text_chars=len(SHORT) - 1))
    with TestClient(create_app(options, build=keyword_analyzer)) as client:
        response = client.post("/api/analyze", json={"text": SHORT})
    assert response.status_code == 413 and f"at most {len(SHORT) - 1}" in response.json()["error"]


def test_full_queue_answers_503_at_once_with_retry_after() -> None:
    with TestClient(served(max_in_flight=1)) as client:
        first: dict = {}
        slow = {"text": SHORT + " NAP 3s"}
        worker = threading.Thread(target=lambda: first.update(r=client.post("/api/analyze", json=slow)))
        worker.start()
        time.sleep(0.5)
        started = time.monotonic()
        busy = client.post("/api/analyze", json={"text": SHORT})
        assert time.monotonic() - started < 0.5
        assert busy.status_code == 503 and "busy" in busy.json()["error"] and int(busy.headers["retry-after"]) >= 1
        assert client.get("/healthz").status_code == 200
        worker.join(30)
        assert first["r"].status_code == 200


def test_slow_analysis_is_504_and_stopped() -> None:
    with TestClient(served(timeout_s=1)) as client:
        started = time.monotonic()
        response = client.post("/api/analyze", json={"text": SHORT + " NAP 60s"})
        assert response.status_code == 504 and "longer than 1 s" in response.json()["error"]
        assert time.monotonic() - started < 10
        after = client.post("/api/analyze", json={"text": SHORT})  # a fresh worker, not one still napping
        assert after.status_code == 200
        assert time.monotonic() - started < 40


def test_slow_fetch_times_out_and_frees_its_slot(monkeypatch) -> None:
    fetched = threading.Event()
    monkeypatch.setattr(
        "slant.web.app.load", lambda url, _: fetched.wait(5) or document_from_bytes(SHORT.encode(), name=url)
    )
    with TestClient(served(timeout_s=0.5, max_in_flight=1)) as client:
        slow = client.post("/api/analyze", json={"url": "https://slow.example/story"})
        assert slow.status_code == 504
        fetched.set()
        assert client.post("/api/analyze", json={"text": SHORT}).status_code == 200


def test_index_page_is_a_form_into_a_sandboxed_frame(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert 'action="/report"' in page and 'target="report"' in page and 'sandbox="allow-scripts"' in page
    assert "<script" not in page
    assert client.get("/static/index.css").status_code == 200


def test_report_page_from_pasted_text(client: TestClient) -> None:
    response = client.post("/report", data={"text": DEMO + "\n<script>window.pwned = 1</script>\n", "url": ""})
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("sandbox allow-scripts")
    assert '<mark class="t' in response.text
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in response.text


def test_report_page_from_uploaded_file(client: TestClient) -> None:
    response = client.post("/report", data={"text": ""}, files={"file": ("page.txt", DEMO.encode(), "text/plain")})
    assert response.status_code == 200 and "Port Dravny" in response.text


def test_report_page_errors_are_escaped_pages(client: TestClient) -> None:
    none_given = client.post("/report", data={"text": " ", "url": ""})
    assert none_given.status_code == 422 and "exactly one" in none_given.text
    private = client.post("/report", data={"url": "http://127.0.0.1/<img src=x onerror=alert(1)>"})
    assert private.status_code == 422 and "<img" not in private.text and "&lt;img" in private.text
