"""Fetch one page over http(s), only when the user asks, without reaching private networks.

Every hop (the URL and each redirect) is checked: http or https only, and each address the host
resolves to must be public unless the policy allows private ones. The connection then goes to the very
address that was checked (the resolution is pinned: the URL's host is replaced by that address, with the
name kept in the Host header and for TLS), so a name that answers differently a moment later cannot
reach a private address. Time is bounded per connect/read and in total, the body is streamed and cut off
at `max_bytes`, and redirects are followed by hand up to a limit.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from slant.errors import FetchError, InputTooLargeError
from slant.options import UrlPolicy

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "slant/0 (reads one article at a user's request)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class PinnedRequest(NamedTuple):
    """Where to connect for one URL: the checked address in the URL, the name in Host and for TLS."""

    url: str
    host_header: str
    sni_hostname: str | None


def fetch(
    url: str,
    policy: UrlPolicy,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    transport: httpx.BaseTransport | None = None,
) -> bytes:
    """The body of `url`, following up to `MAX_REDIRECTS` redirects, each one checked and pinned again.

    `transport` replaces the network (tests pass an `httpx.MockTransport`).

    Raises:
        FetchError: a bad scheme, a private or unresolvable host, a timeout, an HTTP error, or too many
            redirects.
        InputTooLargeError: the body is larger than `max_bytes`.
    """
    deadline = time.monotonic() + policy.timeout_s
    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers, transport=transport) as client:
        for _ in range(MAX_REDIRECTS + 1):
            pinned = pin(url, allow_private=policy.allow_private)
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: the total time limit of {policy.timeout_s:.0f} s ran out while redirecting")
            extensions = {"sni_hostname": pinned.sni_hostname} if pinned.sni_hostname else None
            request = client.build_request(
                "GET", pinned.url, headers={"Host": pinned.host_header}, extensions=extensions
            )
            try:
                response = client.send(request, stream=True)
                try:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{url} answered HTTP {response.status_code} {response.reason_phrase}")
                    return _read_capped(response, url, max_bytes, deadline)
                finally:
                    response.close()
            except httpx.TimeoutException as error:
                raise FetchError(f"{url} did not answer in time ({type(error).__name__})") from None
            except httpx.HTTPError as error:
                raise FetchError(f"{url} could not be fetched: {error}") from None
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def pin(url: str, *, allow_private: bool = False) -> PinnedRequest:
    """Check `url` and resolve its host once: the request to send, addressed to the checked IP.

    Raises:
        FetchError: the URL is not http(s), has no host, does not resolve, or (unless `allow_private`)
            resolves to a private, loopback, link-local, multicast or reserved address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host")
    address = _checked_address(
        url, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), allow_private
    )
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    host_header = parts.netloc.rpartition("@")[2]
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return PinnedRequest(pinned, host_header, parts.hostname if parts.scheme == "https" else None)


def _checked_address(url: str, hostname: str, port: int, allow_private: bool) -> IPAddress:
    """The first address `hostname` resolves to, once every address it resolves to has passed the check."""
    try:
        infos = socket.getaddrinfo(hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url}: the host {hostname} cannot be resolved ({error})") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"{url}: the host {hostname} resolves to no address")
    for address in addresses:
        if not allow_private and (not address.is_global or address.is_multicast):
            raise FetchError(
                f"{url}: {hostname} is a private or reserved address ({address}); "
                "slant fetches such addresses only when private URLs are allowed (UrlPolicy.allow_private)"
            )
    return addresses[0]


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
