"""Background jobs run after commit (never on rollback), in-process and on RQ/Redis."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server import jobs
from server.coach import nudge_delivery
from server.models import AccessLog
from server.notify import push_queue

# `redis_url`: the real Redis (db 15 or CHALKMARK_TEST_REDIS_URL), emptied around each test.
from tests.support.rq_work import work_off

pytest_plugins = ["tests.support.redis_queue"]


def _marks(engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(AccessLog.target)).all())


def test_job_runs_only_after_the_transaction_commits(app, engine):
    with app.app_context():
        with Session(engine) as session:
            session.add(AccessLog(action="row", target="committed-row"))
            jobs.run_after_commit(session, "tests.support.jobs_probe.record", "after-commit")
            assert jobs.backend().drain(2)
            assert "after-commit" not in _marks(engine)  # not yet: no commit
            session.commit()
        assert jobs.backend().drain(5)
    assert _marks(engine) == ["after-commit", "committed-row"]


def test_rollback_queues_nothing_but_a_savepoint_rollback_keeps_the_job(app, engine):
    with app.app_context():
        with Session(engine) as session:
            session.add(AccessLog(action="row", target="rolled-back"))
            session.flush()
            jobs.run_after_commit(session, "tests.support.jobs_probe.record", "dropped")
            session.rollback()
            session.commit()
            jobs.run_after_commit(session, "tests.support.jobs_probe.record", "kept")
            with session.begin_nested() as savepoint:
                session.add(AccessLog(action="row", target="undone"))
                savepoint.rollback()
            session.commit()
        assert jobs.backend().drain(5)
    assert _marks(engine) == ["kept"]


def test_a_failing_job_does_not_stop_the_worker(app, engine):
    with app.app_context():
        jobs.run_later("tests.support.jobs_probe.explode", "boom")
        jobs.run_later("tests.support.jobs_probe.record", "still-works")
        assert jobs.backend().drain(5)
    assert _marks(engine) == ["still-works"]


def test_delayed_job_waits_for_its_time(app, engine):
    with app.app_context():
        jobs.run_later("tests.support.jobs_probe.record", "later", delay=0.3)
        assert _marks(engine) == []
        assert jobs.backend().drain(5)
    assert _marks(engine) == ["later"]


def test_rq_backend_runs_jobs_through_redis(settings, redis_url, engine, monkeypatch):
    from server import create_app

    settings.redis_url = redis_url
    app = create_app(settings)
    monkeypatch.setattr(jobs, "_worker_app", app)  # the worker process builds its own app
    with app.app_context():
        with Session(engine) as session:
            jobs.run_after_commit(session, "tests.support.jobs_probe.record", "via-redis")
            session.commit()
        queue = jobs.backend().queue
        assert queue.count == 1
        work_off(queue)
    assert _marks(engine) == ["via-redis"]


@pytest.mark.parametrize(
    "func_path",
    [
        push_queue.DELIVER_JOB,
        push_queue.BATCH_JOB,
        nudge_delivery.DELIVER_JOB,
        nudge_delivery.RESCHEDULE_NUDGES_JOB,
    ],
)
def test_every_job_path_names_a_function(func_path):
    # Jobs are queued by dotted path: a path left behind by a move fails only at run time.
    assert callable(jobs.resolve(func_path))
