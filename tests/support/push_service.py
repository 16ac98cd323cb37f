"""A local push service and a fake browser, for a real Web Push round trip in tests.

`PushServiceReceiver` is an HTTP server on 127.0.0.1 that behaves like a push service
(FCM, Mozilla autopush): it checks the VAPID JWT of every request (ES256 signature with
the key in the header, `aud` = this service's origin, `exp` in the future, `sub` present)
and decrypts the aes128gcm body with the subscription's private key (http_ece), exactly
as the browser would. It can be told to answer 404, 410 or 429 + Retry-After for the next
N requests. `FakeBrowser` is a subscription: a P-256 key pair and a 16-byte auth secret.

The receiver speaks plain http on 127.0.0.1, which the server refuses by default (only
https push services on the allow-list, public addresses): tests reach it through the
test-only policy LOCAL_PUSH (Settings.push_allow_private_addresses).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from server.notify.endpoints import EndpointPolicy

LOCAL_PUSH = EndpointPolicy(allow_private_addresses=True)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class FakeBrowser:
    """One browser's push subscription: what PushManager.subscribe() would return."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def as_json(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass
class Received:
    """A message the push service accepted, decrypted and checked."""

    endpoint: str
    payload: dict
    claims: dict
    ttl: str | None
    urgency: str | None
    at: float


@dataclass
class Request:
    endpoint: str
    status: int
    at: float


class PushServiceReceiver:
    def __init__(self) -> None:
        self.browsers: dict[str, FakeBrowser] = {}
        self.received: list[Received] = []
        self.requests: list[Request] = []
        self.errors: list[str] = []  # VAPID or decryption failures: a test expects none
        self._script: list[tuple[int, dict]] = []
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def new_browser(self) -> FakeBrowser:
        browser = FakeBrowser(endpoint=f"{self.origin}/push/{secrets.token_urlsafe(16)}")
        self.browsers[browser.endpoint] = browser
        return browser

    def answer_next(
        self,
        status: int,
        times: int = 1,
        retry_after: str | None = None,
        location: str | None = None,
    ) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        if location is not None:
            headers["Location"] = location
        with self._cond:
            self._script.extend([(status, headers)] * times)

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until `count` messages were delivered (not the requests refused)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what the HTTP handler calls ---------------------------------------------------

    def handle(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        endpoint = self.origin + path
        browser = self.browsers.get(endpoint)
        with self._cond:
            status, extra = self._script.pop(0) if self._script else (201, {})
        if browser is None:
            status, extra = 404, {}
        elif 200 <= status < 300:
            try:
                claims = verify_vapid(headers.get("Authorization", ""), self.origin)
                payload = decrypt(browser, headers, body)
            except ValueError as err:
                status, extra = 400, {}
                with self._cond:
                    self.errors.append(str(err))
            else:
                with self._cond:
                    self.received.append(
                        Received(
                            endpoint,
                            payload,
                            claims,
                            headers.get("TTL"),
                            headers.get("Urgency"),
                            time.monotonic(),
                        )
                    )
        with self._cond:
            self.requests.append(Request(endpoint, status, time.monotonic()))
            self._cond.notify_all()
        return status, extra


def verify_vapid(authorization: str, origin: str) -> dict:
    """RFC 8292: `vapid t=<JWT>, k=<public key>`; returns the JWT's claims."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"Authorization scheme is {scheme!r}, not vapid")
    parts = dict(item.strip().split("=", 1) for item in params.split(",") if "=" in item)
    token, key = parts.get("t", ""), parts.get("k", "")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        claims = json.loads(unb64url(claims_b64))
        signature = unb64url(signature_b64)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    except ValueError as err:
        raise ValueError(f"malformed VAPID token: {err}") from err
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise ValueError("VAPID token is not ES256")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as err:
        raise ValueError("VAPID signature does not verify") from err
    if claims.get("aud") != origin:
        raise ValueError(f"VAPID aud {claims.get('aud')!r} is not {origin!r}")
    if not time.time() < int(claims.get("exp", 0)) <= time.time() + 24 * 3600:
        raise ValueError("VAPID exp is not within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise ValueError("VAPID sub is missing")
    return claims


def decrypt(browser: FakeBrowser, headers, body: bytes) -> dict:
    if headers.get("Content-Encoding") != "aes128gcm":
        raise ValueError(f"Content-Encoding is {headers.get('Content-Encoding')!r}")
    try:
        plain = http_ece.decrypt(
            body,
            private_key=browser.private_key,
            auth_secret=browser.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)
    except (http_ece.ECEException, ValueError) as err:
        raise ValueError(f"could not decrypt the push body: {err}") from err


def _handler_for(receiver: PushServiceReceiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, extra = receiver.handle(self.path, self.headers, body)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args) -> None:
            pass

    return Handler


def unreachable_endpoint() -> str:
    """An endpoint on a port nobody listens on: the send fails like a network error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/push/{secrets.token_urlsafe(8)}"
