"""Fetch one page over http(s), only when the user asks, without reaching private networks.

Every hop (the URL and each redirect) is checked: http or https only, and each address the host
resolves to must be public unless `allow_private`. Time is bounded per connect/read and in total, the
body is streamed and cut off at `max_bytes`, and redirects are followed by hand up to a limit.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import httpx

from slant.errors import FetchError, InputTooLargeError

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
TOTAL_TIMEOUT_S = 30.0
MAX_REDIRECTS = 5
USER_AGENT = "slant/0 (reads one article at a user's request)"


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = 10 * 1024 * 1024,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
) -> bytes:
    """The body of `url`, following up to `MAX_REDIRECTS` redirects, each one checked again.

    Raises:
        FetchError: a bad scheme, a private or unresolvable host, a timeout, an HTTP error, or too many
            redirects.
        InputTooLargeError: the body is larger than `max_bytes`.
    """
    deadline = time.monotonic() + total_timeout_s
    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, allow_private=allow_private)
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: the total time limit of {total_timeout_s:.0f} s ran out while redirecting")
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{url} answered HTTP {response.status_code} {response.reason_phrase}")
                    return _read_capped(response, url, max_bytes, deadline)
            except httpx.TimeoutException as error:
                raise FetchError(f"{url} did not answer in time ({type(error).__name__})") from None
            except httpx.HTTPError as error:
                raise FetchError(f"{url} could not be fetched: {error}") from None
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse anything but http(s) URLs whose host resolves only to public addresses (unless allowed).

    Raises:
        FetchError: the URL is not http(s), has no host, does not resolve, or points at a private,
            loopback, link-local, multicast or reserved address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url}: the host {parts.hostname} cannot be resolved ({error})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"{url}: {parts.hostname} is a private or reserved address ({address}); "
                "slant fetches such addresses only when private URLs are allowed (allow_private_urls=True)"
            )


def _read_capped(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputTooLargeError(f"{url} is {int(declared) / 1e6:.1f} MB; slant reads at most {max_bytes / 1e6:.1f} MB")
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise InputTooLargeError(f"{url} is larger than {max_bytes / 1e6:.1f} MB, the most slant reads")
        if time.monotonic() > deadline:
            raise FetchError(f"{url} took longer than the total time limit to download")
    return bytes(body)
