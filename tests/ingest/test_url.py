"""URL fetching against a local server only: limits, redirects, and refusal of private addresses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from slant.errors import FetchError, InputError, InputTooLargeError
from slant.ingest import load
from slant.ingest.url import fetch, pin
from slant.options import AnalysisOptions, UrlPolicy

LOCAL = UrlPolicy(allow=True, allow_private=True)
PUBLIC = UrlPolicy(allow=True)

PAGE = b"Quiet Day\n\nNothing happened in the town of Orrin today, the mayor said.\n"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        routes = {
            "/page.txt": (200, {}, PAGE),
            "/big": (200, {}, b"x" * 5000),
            "/redirect": (302, {"Location": "/page.txt"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/missing": (404, {}, b"no"),
        }
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetches_a_local_page_when_private_addresses_are_allowed(server: str) -> None:
    assert fetch(f"{server}/page.txt", LOCAL) == PAGE


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    with pytest.raises(FetchError, match="private or reserved"):
        fetch(f"{server}/page.txt", PUBLIC)


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://169.254.169.254/latest", "http://[::1]/", "http://0.0.0.0/"]
)
def test_private_link_local_and_reserved_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        pin(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "http:///nohost"])
def test_other_schemes_and_hostless_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        pin(url, allow_private=True)


def test_redirects_are_followed_and_limited(server: str) -> None:
    assert fetch(f"{server}/redirect", LOCAL) == PAGE
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/loop", LOCAL)


def test_size_cap_and_http_errors(server: str) -> None:
    with pytest.raises(InputTooLargeError):
        fetch(f"{server}/big", LOCAL, max_bytes=1000)
    with pytest.raises(FetchError, match="404"):
        fetch(f"{server}/missing", LOCAL)


def test_load_fetches_only_when_asked(server: str) -> None:
    with pytest.raises(InputError, match="--url"):
        load(f"{server}/page.txt")
    document = load(f"{server}/page.txt", AnalysisOptions(urls=LOCAL))
    assert document.metadata.title == "Quiet Day"
    assert document.metadata.url == f"{server}/page.txt"


class Resolver:
    """A stand-in DNS: each name answers its list of addresses in turn (the last one repeats)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str, port: int, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        self.asked.append(host)
        queue = self.answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(2, 1, 6, "", (address, port))]


def test_connection_goes_to_the_checked_address_even_if_the_name_rebinds(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = Resolver({"news.example": ["93.184.216.34", "127.0.0.1"]})
    monkeypatch.setattr("socket.getaddrinfo", resolver)
    seen: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=PAGE)

    assert fetch("https://news.example/story?id=1", PUBLIC, transport=httpx.MockTransport(network)) == PAGE
    assert resolver.asked == ["news.example"]  # resolved once, then pinned
    assert seen[0].url.host == "93.184.216.34" and seen[0].headers["host"] == "news.example"
    assert seen[0].url.path == "/story" and seen[0].url.query == b"id=1"
    assert seen[0].extensions["sni_hostname"] == "news.example"


def test_redirect_from_a_public_to_a_private_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "socket.getaddrinfo", Resolver({"news.example": ["93.184.216.34"], "inside.example": ["10.1.2.3"]})
    )

    def network(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://inside.example/admin"})

    with pytest.raises(FetchError, match="private or reserved"):
        fetch("http://news.example/", PUBLIC, transport=httpx.MockTransport(network))
