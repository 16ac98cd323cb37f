"""Stale analytics are served at once and refreshed in the background, by one job per
district however many admins look at once; only a first view computes in the request."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from server import jobs
from server.admin import analytics_report, analytics_snapshot
from server.models import AnalyticsRefresh, AnalyticsSnapshot, utcnow
from tests.support.factories import make_credential, make_org, make_submission, make_user
from tests.support.threads import run_at_once
from tests.support.web import sign_in_as

UPDATING = "Updating…"


class RecordingJobs:
    """A jobs backend that only notes what was queued: the test runs it when it chooses."""

    def __init__(self) -> None:
        self.queued: list[tuple[str, tuple, dict]] = []
        self._lock = threading.Lock()

    def enqueue(self, func_path: str, args: tuple, kwargs: dict, delay: float = 0) -> None:
        with self._lock:
            self.queued.append((func_path, args, kwargs))


def _admin_with_a_stale_snapshot(app, client, session):
    org = make_org(session, name="Home District")
    admin = make_user(session, "admin", org_id=org.id)
    teacher = make_user(session, org_id=org.id)
    make_submission(session, teacher, make_credential(session, title="Known Before"))
    sign_in_as(client, admin)
    first = client.get("/admin/analytics").get_data(as_text=True)  # no snapshot: computed now
    assert "Known Before" in first and UPDATING not in first
    aged = utcnow() - analytics_snapshot.FRESH_FOR - timedelta(minutes=1)
    session.execute(update(AnalyticsSnapshot).values(computed_at=aged))
    late = make_credential(session, title="Added After The Snapshot")
    make_submission(session, teacher, late, submitted_at=utcnow() - timedelta(hours=1))
    session.commit()
    return org, admin


def test_a_stale_snapshot_is_served_and_two_requests_queue_one_refresh(app, client, session):
    org, admin = _admin_with_a_stale_snapshot(app, client, session)
    recorder = app.extensions["jobs"] = RecordingJobs()
    pages: list[tuple[int, str]] = []

    def look(barrier: threading.Barrier) -> None:
        mine = app.test_client()
        sign_in_as(mine, admin)
        barrier.wait()
        response = mine.get("/admin/analytics")
        pages.append((response.status_code, response.get_data(as_text=True)))

    run_at_once(2, look)
    assert [status for status, _ in pages] == [200, 200]
    for _, page in pages:
        assert UPDATING in page and "Known Before" in page
        assert "Added After The Snapshot" not in page  # the stored figures, unchanged
    assert recorder.queued == [(analytics_snapshot.REFRESH_JOB, (org.id,), {})]
    assert client.get("/admin/analytics/credentials.csv").status_code == 200
    assert len(recorder.queued) == 1  # the refresh is still running: no second job

    func_path, args, kwargs = recorder.queued[0]
    with app.app_context():
        assert jobs.resolve(func_path)(*args, **kwargs) == 1  # the one stale period
    page = client.get("/admin/analytics").get_data(as_text=True)
    assert "Added After The Snapshot" in page and UPDATING not in page
    with Session(app.extensions["db_engine"]) as db:
        assert db.exec(select(AnalyticsRefresh)).all() == []  # free for the next refresh


def test_the_key_row_lets_one_refresh_per_district_and_lapses(session):
    home, far = make_org(session, name="Home"), make_org(session, name="Far")
    now = utcnow()
    claim = analytics_snapshot.claim_refresh
    assert claim(session=session, org_id=home.id, now=now)
    session.commit()
    assert not claim(session=session, org_id=home.id, now=now + timedelta(seconds=1))
    assert claim(session=session, org_id=far.id, now=now)
    lapsed = now + analytics_snapshot.REFRESH_LEASE + timedelta(seconds=1)
    assert claim(session=session, org_id=home.id, now=lapsed)  # its job died: taken over
    assert not claim(session=session, org_id=home.id, now=lapsed)
    session.commit()


def test_the_job_refreshes_only_stale_periods_and_frees_the_key_row(session):
    org = make_org(session, name="Home")
    old = utcnow() - analytics_snapshot.FRESH_FOR - timedelta(minutes=5)
    for key, computed in (("12m", old), ("90d", utcnow())):
        period = analytics_report.parse_period(key)
        rep = analytics_report.Report(period=period, now=computed)
        analytics_snapshot.store(session=session, org=org, rep=rep)
    assert analytics_snapshot.claim_refresh(session=session, org_id=org.id)
    session.commit()
    assert analytics_snapshot.refresh_stale(session=session, org=org) == 1
    fresh = {s.period_key: s.computed_at for s in session.exec(select(AnalyticsSnapshot))}
    assert fresh["12m"] > old and session.exec(select(AnalyticsRefresh)).all() == []
