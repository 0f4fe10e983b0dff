"""URL fetching against a local server only: limits, redirects, and refusal of private addresses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from slant.errors import FetchError, InputError, InputTooLargeError
from slant.ingest import load
from slant.ingest.url import check_url, fetch

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
    assert fetch(f"{server}/page.txt", allow_private=True) == PAGE


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    with pytest.raises(FetchError, match="private or reserved"):
        fetch(f"{server}/page.txt")


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://169.254.169.254/latest", "http://[::1]/", "http://0.0.0.0/"]
)
def test_private_link_local_and_reserved_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "http:///nohost"])
def test_other_schemes_and_hostless_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url, allow_private=True)


def test_redirects_are_followed_and_limited(server: str) -> None:
    assert fetch(f"{server}/redirect", allow_private=True) == PAGE
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/loop", allow_private=True)


def test_size_cap_and_http_errors(server: str) -> None:
    with pytest.raises(InputTooLargeError):
        fetch(f"{server}/big", allow_private=True, max_bytes=1000)
    with pytest.raises(FetchError, match="404"):
        fetch(f"{server}/missing", allow_private=True)


def test_load_fetches_only_when_asked(server: str) -> None:
    with pytest.raises(InputError, match="--url"):
        load(f"{server}/page.txt")
    document = load(f"{server}/page.txt", allow_urls=True, allow_private_urls=True)
    assert document.metadata.title == "Quiet Day"
    assert document.metadata.url == f"{server}/page.txt"
