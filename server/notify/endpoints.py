"""Which push endpoints the server may POST to, and an HTTP session that keeps to them.

A subscription's endpoint is a URL chosen by whoever sends the subscription JSON, and the
server later POSTs to it from inside its network: without care that is a request forgery
(SSRF) into the intranet, and the push service's 404/410 (which deletes the row) turns it
into a port probe. So an endpoint must be https, on port 443, with no user info, and its
host a name on the allow-list of known push services (Settings.push_hosts; `*.` matches
any sub-domain). An IP address is never a push host, in any of the notations a resolver
accepts (`127.1`, `2130706433`, `0x7f000001`, `[::1]`). When sending, the host must
resolve to public addresses only, the address actually connected to is checked again
(no DNS rebinding), proxies from the environment are ignored and redirects never
followed.

`allow_private_addresses` exists for the tests' local push service (plain http on a
loopback port): it is never read from the environment.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import parse_url

from server.config import DEFAULT_PUSH_HOSTS, Settings
from server.errors import InvalidInput

MAX_ENDPOINT_CHARS = 1000
# A host name the way push services spell theirs: lower-case labels of letters, digits and
# hyphens, no empty label (so no trailing dot), no percent-escapes, no IDNA surprises.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


@dataclass(frozen=True)
class EndpointPolicy:
    hosts: tuple[str, ...] = DEFAULT_PUSH_HOSTS
    allow_private_addresses: bool = False  # tests only: the local push service

    @classmethod
    def from_settings(cls, settings: Settings) -> EndpointPolicy:
        return cls(
            hosts=tuple(settings.push_hosts),
            allow_private_addresses=settings.push_allow_private_addresses,
        )

    def allows_host(self, host: str, port: int) -> bool:
        for entry in self.hosts:
            pattern, _, allowed_port = entry.lower().partition(":")
            if port != int(allowed_port or 443):
                continue
            if pattern.startswith("*.") and host.endswith(pattern[1:]):
                return True
            if host == pattern:
                return True
        return False


def current_policy() -> EndpointPolicy:
    """The running app's policy (for jobs and views)."""
    from flask import current_app  # infrastructure glue, like server.notify.vapid

    return EndpointPolicy.from_settings(current_app.config["SETTINGS"])


def check_endpoint(endpoint: object, policy: EndpointPolicy) -> str:
    """Return the endpoint if the server may POST to it; raise InvalidInput otherwise."""
    if not isinstance(endpoint, str) or not _is_url(endpoint, policy):
        raise InvalidInput("The subscription needs an https endpoint.", field="endpoint")
    parts = urlsplit(endpoint)
    host, port = parts.hostname or "", parts.port or _default_port(parts.scheme)
    if is_ip_literal(host) and not policy.allow_private_addresses:
        raise InvalidInput(
            "The endpoint must name a push service, not an address.", field="endpoint"
        )
    if not policy.allows_host(host, port) and not policy.allow_private_addresses:
        raise InvalidInput(
            "The endpoint is not a push service this server knows.", field="endpoint"
        )
    return endpoint


def _is_url(endpoint: str, policy: EndpointPolicy) -> bool:
    if len(endpoint) > MAX_ENDPOINT_CHARS or not endpoint.isascii():
        return False
    if any(ch.isspace() or ch == "\\" or not ch.isprintable() for ch in endpoint):
        return False
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        urllib3_host = parse_url(endpoint).host
    except ValueError:
        return False
    schemes = ("https", "http") if policy.allow_private_addresses else ("https",)
    host = parts.hostname or ""
    if parts.scheme not in schemes or "@" in parts.netloc or not host:
        return False
    # requests (urllib3) must read the same host as this check did.
    if (urllib3_host or "").strip("[]").lower() != host:
        return False
    return is_ip_literal(host) or bool(_HOST_NAME.fullmatch(host))


def _default_port(scheme: str) -> int:
    return 80 if scheme == "http" else 443


def is_ip_literal(host: str) -> bool:
    """Any spelling the C resolver reads as an address: dotted, short, decimal, hex,
    octal IPv4, and IPv6."""
    if ":" in host:
        return True
    try:
        socket.inet_aton(host)
    except OSError:
        return bool(host) and host.rsplit(".", 1)[-1].isdigit()  # a TLD is never numeric
    return True


def is_public_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and any(
        embedded is not None for embedded in (ip.ipv4_mapped, ip.sixtofour, ip.teredo)
    ):
        return False  # an IPv4 address in disguise: never a push service's
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


class PrivateAddressRefused(Exception):
    """The push host resolved to, or connected to, a non-public address.

    Not an OSError on purpose: urllib3 and requests pass it through untouched instead of
    retrying it or dressing it up as a network error."""


def _refuse_private_resolution(host: str, port: int) -> None:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return  # the real connect reports the name error
    private = [str(info[4][0]) for info in found if not is_public_address(str(info[4][0]))]
    if private:
        raise PrivateAddressRefused(f"{host} resolves to a non-public address")


class _PublicPeerOnly:
    """Mixed into urllib3's connections: resolve and refuse first, then check the peer."""

    # Provided by the urllib3 connection class this is mixed into.
    _dns_host: str
    host: str
    port: int

    def _new_conn(self) -> socket.socket:
        _refuse_private_resolution(self._dns_host, self.port)
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]  # a mixin: see above
        peer = sock.getpeername()[0]
        if not is_public_address(peer):
            sock.close()
            raise PrivateAddressRefused(f"{self.host} connected to a non-public address")
        return sock


class _PublicHTTPConnection(_PublicPeerOnly, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicPeerOnly, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicAddressAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PublicHTTPPool,
            "https": _PublicHTTPSPool,
        }


class PushHTTP(requests.Session):
    """The only HTTP session push delivery uses."""

    def __init__(self, policy: EndpointPolicy) -> None:
        super().__init__()
        self.trust_env = False  # an environment proxy would connect for us, unchecked
        if not policy.allow_private_addresses:
            self.mount("https://", PublicAddressAdapter())
            self.mount("http://", PublicAddressAdapter())

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False  # a redirect could point anywhere
        return super().request(method, url, *args, **kwargs)
