"""`chalkmark worker`: a clear refusal without Redis; with Redis it runs queued jobs."""

from __future__ import annotations

from sqlmodel import Session, select

from server import create_app, jobs
from server.models import AccessLog

# The fixture `redis_url`: the real Redis, emptied around each test.
pytest_plugins = ["tests.support.redis_queue"]


def test_worker_needs_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "CHALKMARK_REDIS_URL is not set" in result.output


def test_worker_runs_queued_jobs(settings, redis_url, engine, monkeypatch):
    settings.redis_url = redis_url
    app = create_app(settings)
    monkeypatch.setattr(jobs, "_worker_app", None)  # the command sets it to its own app
    with app.app_context():
        jobs.run_later("tests.support.jobs_probe.record", "from-the-worker")
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        assert session.exec(select(AccessLog.target)).all() == ["from-the-worker"]
    app.extensions["db_engine"].dispose()
