"""Fetching what feeds point at from a hostile web: a feed's items are written by whoever runs
that site, not by the admin who added the feed, so every request made for content is guarded.

- **Destination:** only http(s); the host is resolved and the connection made to an address
  checked at connect time (so DNS rebinding cannot slip past a check made earlier): loopback,
  private, link-local, multicast, reserved and unspecified addresses — IPv4 and IPv6, IPv4-mapped
  forms included — are refused, on every redirect hop too. ``allow_private`` lifts this (tests,
  intranet feeds); ``allow_hosts`` lets named hosts or addresses through.
- **Bounds:** every response is streamed and cut at ``max_bytes``; each request (with all its
  redirects, however slowly the server trickles) has one overall ``deadline``; at most
  ``max_redirects`` hops.

A refusal or a cut is a ``FetchRefused`` with a reason for the feed's record; ``permanent`` says
whether asking again later could help."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

USER_AGENT = "CoopBot/0.1 (+https://github.com/coopbot; interregional cooperation news)"


class FetchRefused(Exception):
    """A request the guard refused or cut; ``permanent``: the same request would fail again."""

    def __init__(self, reason: str, permanent: bool = True) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5_000_000
    deadline: float = 30.0
    max_redirects: int = 5


def refused_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is no place to fetch from, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return None


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the guard allows: the name is
    resolved here and the checked address is the one connected to."""

    def __init__(self, allow_private: bool, allow_hosts: frozenset[str]) -> None:
        self._inner = httpcore.AnyIOBackend()
        self.allow_private, self.allow_hosts = allow_private, allow_hosts

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend signature
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if self.allow_private or host in self.allow_hosts:
            return await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            if address not in self.allow_hosts and (reason := refused_address(ipaddress.ip_address(address))):
                raise httpcore.ConnectError(f"refused: {host} is a {reason}")
        return await self._inner.connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over the guarded backend."""

    def __init__(self, allow_private: bool = False, allow_hosts: frozenset[str] = frozenset()) -> None:
        super().__init__()
        # the pool is rebuilt with the guard as its network backend (httpx does not expose it)
        self._pool = httpcore.AsyncConnectionPool(network_backend=_GuardedBackend(allow_private, allow_hosts))


async def _http_only(request: httpx.Request) -> None:
    """Every request, redirect hops included, goes to an http(s) address."""
    if request.url.scheme not in ("http", "https"):
        raise FetchRefused(f"refused: not an http(s) address: {str(request.url)[:100]}")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response read within the bounds."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    encoding: str

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")


class Fetcher:
    """One guarded HTTP client for a poll: feeds and the pages their items point at."""

    def __init__(self, allow_private: bool = False, allow_hosts: frozenset[str] = frozenset()) -> None:
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(allow_private, allow_hosts),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
            event_hooks={"request": [_http_only]},
            timeout=httpx.Timeout(20.0),
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, limits: Limits, headers: dict[str, str] | None = None) -> Fetched:
        """The response with its body read — at most ``limits.max_bytes`` of it, within
        ``limits.deadline`` seconds for everything — or FetchRefused saying why not. HTTP errors
        (404, 500) come back as responses; network failures as httpx errors."""
        scheme = urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise FetchRefused(f"refused: not an http(s) address: {url[:100]}")
        self._client.max_redirects = limits.max_redirects
        try:
            async with asyncio.timeout(limits.deadline):
                async with self._client.stream("GET", url, headers=headers) as response:
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > limits.max_bytes:
                        raise FetchRefused(f"cut: {declared} bytes declared, the limit is {limits.max_bytes}")
                    body = bytearray()
                    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb is cut too
                        body += chunk
                        if len(body) > limits.max_bytes:
                            raise FetchRefused(f"cut: more than {limits.max_bytes} bytes")
                    return Fetched(response.status_code, response.headers, bytes(body), response.encoding or "utf-8")
        except TimeoutError:
            raise FetchRefused(f"cut: no complete answer within {limits.deadline:g} s", permanent=False) from None
        except httpx.TooManyRedirects:
            raise FetchRefused(f"refused: more than {limits.max_redirects} redirects") from None
        except httpx.ConnectError as exc:
            if str(exc).startswith("refused:"):
                raise FetchRefused(str(exc)) from None
            raise
