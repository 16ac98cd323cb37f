"""Web Push delivery through a local push service: VAPID checked, body decrypted."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server import jobs
from server.models import PushSubscription
from server.notify import jobs as notify_jobs
from server.notify import push, push_queue, subscriptions
from server.notify import service as notify
from tests.support.factories import make_notification, make_user
from tests.support.push_service import LOCAL_PUSH, FakeBrowser, unreachable_endpoint

# The fixtures `receiver` (a local push service) and `redis_url` (the real Redis).
from tests.support.rq_work import work_off

pytest_plugins = ["tests.support.push_fixtures", "tests.support.redis_queue"]


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(push, "BACKOFF_SECONDS", 0.05)


def subscribe(session: Session, user, browser: FakeBrowser) -> PushSubscription:
    data = subscriptions.parse(browser.as_json(), policy=LOCAL_PUSH)
    subscription = subscriptions.save(session=session, user=user, data=data)
    session.commit()
    return subscription


def notify_and_push(app, engine, user_id: int, **fields) -> int:
    """What a decision does: an inbox notice in a transaction, pushed after commit."""
    fields.setdefault("kind", "award")
    fields.setdefault("title", "You earned Fractions as Numbers!")
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        notice = notify.send(session=session, user_id=user_id, **fields)
        push_queue.queue_delivery(session=session, notification=notice)
        session.commit()
        assert jobs.backend().drain(15)
        return notice.id


def subscription_row(engine, endpoint: str) -> PushSubscription | None:
    with Session(engine) as session:
        return session.exec(
            select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        ).first()


def test_a_notice_is_pushed_encrypted_and_signed(app, engine, session, receiver):
    user = make_user(session)
    browser = receiver.new_browser()
    subscribe(session, user, browser)

    notice_id = notify_and_push(
        app, engine, user.id, body="Well done: every criterion met.", url="/submissions/7"
    )

    assert receiver.errors == []
    assert len(receiver.received) == 1
    message = receiver.received[0]
    assert message.endpoint == browser.endpoint
    assert message.payload == {
        "title": "You earned Fractions as Numbers!",
        "body": "Well done: every criterion met.",
        "url": "/submissions/7",
        "tag": f"chalkmark-award-{notice_id}",
    }
    assert message.urgency == "high" and int(message.ttl) > 0
    assert message.claims["sub"] == "mailto:admin@localhost"
    row = subscription_row(engine, browser.endpoint)
    assert row.last_ok_at is not None and row.failures == 0


def test_every_device_of_the_user_gets_it_and_nobody_else(app, engine, session, receiver):
    user, other = make_user(session), make_user(session)
    phone, laptop, stranger = receiver.new_browser(), receiver.new_browser(), receiver.new_browser()
    subscribe(session, user, phone)
    subscribe(session, user, laptop)
    subscribe(session, other, stranger)

    notify_and_push(app, engine, user.id, kind="nudge", title="A nudge from Sam")

    assert sorted(m.endpoint for m in receiver.received) == sorted(
        [phone.endpoint, laptop.endpoint]
    )
    assert {m.urgency for m in receiver.received} == {"normal"}


def test_no_job_for_a_user_without_devices(app, engine, session, receiver, monkeypatch):
    user = make_user(session)
    jobs_run = []
    monkeypatch.setattr(notify_jobs, "deliver", lambda *args, **kwargs: jobs_run.append(args))
    with app.app_context(), Session(engine) as db:
        notice = notify.send(session=db, user_id=user.id, kind="award", title="Hi")
        push_queue.queue_delivery(session=db, notification=notice)
        db.commit()
        assert jobs.backend().drain(5)
    assert jobs_run == [] and receiver.requests == []


def test_many_notices_in_one_transaction_go_out_in_batch_jobs(
    app, engine, session, receiver, monkeypatch
):
    with_device, without = make_user(session), make_user(session)
    browser = receiver.new_browser()
    subscribe(session, with_device, browser)
    monkeypatch.setattr(push_queue, "BATCH_SIZE", 2)
    queued = []
    real_run_after_commit = jobs.run_after_commit

    def recording(session, func_path, *args, **kwargs):
        queued.append((func_path, args))
        return real_run_after_commit(session, func_path, *args, **kwargs)

    monkeypatch.setattr(jobs, "run_after_commit", recording)
    with app.app_context(), Session(engine, expire_on_commit=False) as db:
        notices = [
            notify.send(session=db, user_id=user.id, kind="nudge", title=f"N{i}")
            for i, user in enumerate([with_device, without, with_device, with_device])
        ]
        for notice in notices:
            push_queue.queue_delivery(session=db, notification=notice)
        db.commit()
        assert jobs.backend().drain(10)

    ids = [n.id for n in notices]
    assert queued == [
        (push_queue.BATCH_JOB, ([ids[0], ids[2]],)),
        (push_queue.BATCH_JOB, ([ids[3]],)),
    ]
    assert receiver.errors == []
    assert sorted(m.payload["title"] for m in receiver.received) == ["N0", "N2", "N3"]


def test_no_push_when_the_transaction_rolls_back(app, engine, session, receiver):
    user = make_user(session)
    subscribe(session, user, receiver.new_browser())
    with app.app_context(), Session(engine) as db:
        notice = notify.send(session=db, user_id=user.id, kind="award", title="Hi")
        push_queue.queue_delivery(session=db, notification=notice)
        db.rollback()
        assert jobs.backend().drain(5)
    assert receiver.requests == []


def test_queueing_twice_delivers_once(app, engine, session, receiver):
    user = make_user(session)
    subscribe(session, user, receiver.new_browser())
    with app.app_context(), Session(engine) as db:
        notice = notify.send(session=db, user_id=user.id, kind="award", title="Once")
        push_queue.queue_delivery(session=db, notification=notice)
        push_queue.queue_delivery(session=db, notification=notice)
        db.commit()
        assert jobs.backend().drain(10)
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_removed(app, engine, session, receiver, status):
    user = make_user(session)
    browser = receiver.new_browser()
    subscribe(session, user, browser)
    receiver.answer_next(status)

    notify_and_push(app, engine, user.id)

    assert [r.status for r in receiver.requests] == [status]
    assert subscription_row(engine, browser.endpoint) is None


def test_429_is_retried_after_retry_after_for_that_device_only(app, engine, session, receiver):
    user = make_user(session)
    slow, fine = receiver.new_browser(), receiver.new_browser()
    subscribe(session, user, slow)
    subscribe(session, user, fine)
    receiver.answer_next(429, retry_after="1")  # the first request (devices go in id order)

    notify_and_push(app, engine, user.id)

    to_slow = [r for r in receiver.requests if r.endpoint == slow.endpoint]
    assert [r.status for r in to_slow] == [429, 201]
    assert to_slow[1].at - to_slow[0].at >= 1.0  # it waited as told
    assert [r.status for r in receiver.requests if r.endpoint == fine.endpoint] == [201]
    assert sorted(m.endpoint for m in receiver.received) == sorted([slow.endpoint, fine.endpoint])
    assert subscription_row(engine, slow.endpoint).failures == 0


def test_server_errors_are_retried_with_backoff(
    app, engine, session, receiver, quick_retries, monkeypatch
):
    user = make_user(session)
    browser = receiver.new_browser()
    subscribe(session, user, browser)
    receiver.answer_next(503, times=2)
    delays = []
    real_run_after_commit = jobs.run_after_commit

    def recording(session, func_path, *args, delay=0, **kwargs):
        delays.append(delay)
        return real_run_after_commit(session, func_path, *args, delay=delay, **kwargs)

    monkeypatch.setattr(jobs, "run_after_commit", recording)
    notify_and_push(app, engine, user.id)

    assert [r.status for r in receiver.requests] == [503, 503, 201]
    sent = [r.at for r in receiver.requests]
    first, second = sent[1] - sent[0], sent[2] - sent[1]
    assert first >= push.BACKOFF_SECONDS and second >= 2 * push.BACKOFF_SECONDS
    assert delays == [0, push.BACKOFF_SECONDS, 2 * push.BACKOFF_SECONDS]  # doubling
    assert len(receiver.received) == 1
    assert subscription_row(engine, browser.endpoint).failures == 0


def test_network_errors_are_retried_then_given_up(
    app, engine, session, quick_retries, receiver
):  # receiver: local addresses OK
    user = make_user(session)
    browser = FakeBrowser(endpoint=unreachable_endpoint())
    subscribe(session, user, browser)
    attempts = []
    real_send = push.send_one

    def counting_send(**kwargs):
        attempts.append(kwargs["subscription"].id)
        return real_send(**kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(push, "send_one", counting_send)
        notify_and_push(app, engine, user.id)

    assert len(attempts) == push.MAX_ATTEMPTS
    row = subscription_row(engine, browser.endpoint)
    assert row is not None and row.failures == push.MAX_ATTEMPTS and row.last_ok_at is None


def test_a_bad_request_is_not_retried(app, engine, session, receiver, quick_retries):
    user = make_user(session)
    browser = receiver.new_browser()
    subscribe(session, user, browser)
    receiver.answer_next(400, times=5)

    notify_and_push(app, engine, user.id)

    assert [r.status for r in receiver.requests] == [400]
    assert subscription_row(engine, browser.endpoint).failures == 1


def test_a_deleted_notice_is_not_pushed(app, engine, session, receiver):
    user = make_user(session)
    subscribe(session, user, receiver.new_browser())
    notice = make_notification(session, user, "Gone", kind="award")
    notice_id = notice.id
    session.delete(notice)
    session.commit()
    with app.app_context():
        notify_jobs.deliver(notice_id)
    assert receiver.requests == []


def test_retry_after_reads_seconds_and_http_dates():
    from datetime import UTC, datetime

    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert push.parse_retry_after("3") == 3
    assert push.parse_retry_after("Sat, 01 Mar 2025 12:00:30 GMT", now=now) == 30
    assert push.parse_retry_after("999999") == push.MAX_RETRY_AFTER_SECONDS
    assert push.parse_retry_after("soon") is None
    assert push.parse_retry_after(None) is None


def test_delivery_through_rq_and_redis(settings, redis_url, engine, session, receiver, monkeypatch):
    from server import create_app

    settings.redis_url = redis_url
    rq_app = create_app(settings)
    monkeypatch.setattr(jobs, "_worker_app", rq_app)  # the worker process builds its own app
    user = make_user(session)
    browser = receiver.new_browser()
    subscribe(session, user, browser)

    with rq_app.app_context(), Session(engine, expire_on_commit=False) as db:
        notice = notify.send(
            session=db,
            user_id=user.id,
            kind="not_yet",
            title="Not yet: Working Memory",
            url="/submissions/3",
        )
        push_queue.queue_delivery(session=db, notification=notice)
        db.commit()
        queue = jobs.backend().queue
        assert queue.count == 1 and receiver.requests == []  # queued, not sent in-line
        work_off(queue)

    assert receiver.errors == []
    assert [m.payload["title"] for m in receiver.received] == ["Not yet: Working Memory"]
    assert receiver.received[0].urgency == "high"
    rq_app.extensions["db_engine"].dispose()
