"""At send time too the server POSTs only to public push services: a stored endpoint that
names an address, or a host that resolves (or connects) to a private one, is removed
without a single byte sent; redirects are never followed."""

from __future__ import annotations

import logging
import socket

import pytest
from sqlmodel import Session, select

from server import jobs
from server.models import PushSubscription
from server.notify import endpoints, push_queue
from server.notify import service as notify
from tests.support.factories import make_push_subscription, make_user
from tests.support.push_service import FakeBrowser, PushServiceReceiver

pytest_plugins = ["tests.support.push_fixtures"]


@pytest.fixture
def internal_service():
    """An intranet HTTP service, under the default settings (no test switch)."""
    service = PushServiceReceiver()
    yield service
    service.close()


@pytest.fixture
def listener():
    """A TCP port on loopback that records whether anyone connected."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        sock.setblocking(False)
        yield sock


def connected(sock: socket.socket) -> bool:
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def store_row(session: Session, user, endpoint: str) -> int:
    """A row as old data (or a bypassed check) could have left it: no validation."""
    browser = FakeBrowser(endpoint)
    return make_push_subscription(
        session, user, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth
    ).id


def push_to(app, engine, user_id: int) -> None:
    with app.app_context(), Session(engine) as db:
        notice = notify.send(session=db, user_id=user_id, kind="award", title="Hi")
        push_queue.queue_delivery(session=db, notification=notice)
        db.commit()
        assert jobs.backend().drain(15)


def rows(engine) -> list[PushSubscription]:
    with Session(engine) as db:
        return list(db.exec(select(PushSubscription)).all())


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "2130706433", "0x7f000001"])
def test_a_stored_internal_endpoint_is_removed_not_posted_to(
    app, engine, session, caplog, internal_service, host
):
    user = make_user(session)
    port = internal_service.origin.rsplit(":", 1)[1]
    store_row(session, user, f"http://{host}:{port}/push/admin")

    with caplog.at_level(logging.WARNING, logger="server.notify.push"):
        push_to(app, engine, user.id)

    assert internal_service.requests == []  # not even a 404 to learn from
    assert rows(engine) == []
    assert "not a public push service" in caplog.text


def test_an_allowed_name_resolving_to_a_private_address_is_never_connected(
    app, settings, engine, session, listener
):
    port = listener.getsockname()[1]
    settings.push_hosts = (f"localhost:{port}",)  # say, a host name an admin trusted
    user = make_user(session)
    store_row(session, user, f"https://localhost:{port}/push/x")

    push_to(app, engine, user.id)

    assert not connected(listener)
    assert rows(engine) == []  # removed, not retried


def test_the_address_actually_connected_to_is_checked(
    app, settings, engine, session, listener, monkeypatch
):
    # DNS rebinding: the lookup answered a public address, the connect went to loopback.
    monkeypatch.setattr(endpoints, "_refuse_private_resolution", lambda host, port: None)
    port = listener.getsockname()[1]
    settings.push_hosts = (f"localhost:{port}",)
    user = make_user(session)
    store_row(session, user, f"https://localhost:{port}/push/x")

    push_to(app, engine, user.id)

    assert rows(engine) == []


def test_environment_proxies_are_not_used():
    session = endpoints.PushHTTP(endpoints.EndpointPolicy())
    assert session.trust_env is False


def test_a_redirect_is_never_followed(app, engine, session, receiver):
    user = make_user(session)
    redirected, elsewhere = receiver.new_browser(), receiver.new_browser()
    store_row(session, user, redirected.endpoint)
    receiver.answer_next(307, location=elsewhere.endpoint)

    push_to(app, engine, user.id)

    assert [(r.endpoint, r.status) for r in receiver.requests] == [(redirected.endpoint, 307)]
    [row] = rows(engine)
    assert row.failures == 1  # counted, not retried


def test_a_stored_endpoint_off_the_allow_list_is_removed_unsent(app, engine, session, monkeypatch):
    # A public name the allow-list doesn't know (a row saved before the list, or under
    # another CHALKMARK_PUSH_HOSTS): the send-time check refuses it before any lookup.
    attempts: list[str] = []

    def record(self, method, url, *args, **kwargs):
        attempts.append(url)
        raise AssertionError("no request may leave for an endpoint off the allow-list")

    monkeypatch.setattr(endpoints.PushHTTP, "request", record)
    monkeypatch.setattr(
        endpoints, "_refuse_private_resolution", lambda host, port: attempts.append(host)
    )
    user = make_user(session)
    store_row(session, user, "https://push.intranet-gateway.example/push/x")

    push_to(app, engine, user.id)

    assert attempts == []
    assert rows(engine) == []
