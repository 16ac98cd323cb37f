"""Operations: /healthz and /readyz, the JSON request log, `chalkmark backup` / `restore`
(SQLite always; PostgreSQL when pg_dump is on PATH and the test database is set)."""

from __future__ import annotations

import json
import logging
import shutil

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from server import create_app
from server.catalog.cache import current_version
from server.models import User
from tests.support.factories import make_credential, make_user
from tests.support.redis_queue import TEST_REDIS_URL


def _statements(app):
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(engine, "before_cursor_execute", note)


def test_healthz_answers_without_touching_the_database(app, client):
    seen, stop = _statements(app)
    try:
        response = client.get("/healthz")
    finally:
        stop()
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert seen == []


def test_readyz_checks_database_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "storage": "ok"},
    }


def test_readyz_is_503_when_storage_is_not_writable_and_says_no_path(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.storage_dir = blocker / "evidence"
    response = create_app(settings).test_client().get("/readyz")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "storage": "failed"}
    assert str(tmp_path) not in body


def test_readyz_checks_redis_when_configured_without_showing_its_url(settings):
    settings.redis_url = "redis://:sekret@127.0.0.1:1/15"  # nothing listens on port 1
    response = create_app(settings).test_client().get("/readyz")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == "failed"
    assert "sekret" not in body and "127.0.0.1" not in body


def test_readyz_with_a_live_redis(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(TEST_REDIS_URL).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.redis_url = TEST_REDIS_URL
    response = create_app(settings).test_client().get("/readyz")
    assert response.status_code == 200 and response.get_json()["checks"]["redis"] == "ok"


def test_every_request_logs_one_json_line_without_the_query(client, caplog):
    with caplog.at_level(logging.INFO, logger="chalkmark.request"):
        client.get("/healthz?token=secret-value")
        client.get("/no-such-page")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "chalkmark.request"]
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/healthz", 200),
        ("/no-such-page", 404),
    ]
    assert lines[0]["endpoint"] == "ops.healthz" and lines[0]["ms"] >= 0
    assert lines[0]["user"] is None and lines[0]["bytes"] == len(b'{"status":"ok"}\n')
    assert "secret-value" not in caplog.text


# --- backup and restore -----------------------------------------------------------------


def _needs_tools(db_url: str) -> None:
    if db_url.startswith("postgresql") and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump/pg_restore are not on PATH")


def test_backup_then_restore_brings_back_database_and_evidence(
    app, runner, engine, settings, db_url, tmp_path
):
    _needs_tools(db_url)
    with Session(engine, expire_on_commit=False) as session:
        user = make_user(session, name="Original Name")
        make_credential(session)
    evidence = settings.storage_dir / "ab" / "photo.jpg"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"original photo")

    target = tmp_path / "backup-1"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "1 evidence files" in result.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["database"] == ("sqlite" if db_url.startswith("sqlite") else "postgresql")

    with Session(engine) as session:
        row = session.get_one(User, user.id)
        row.display_name = "Changed Name"
        session.add(row)
        make_user(session, name="Added Later")
        session.commit()
        version_before = current_version(session)
    evidence.write_bytes(b"overwritten")
    (settings.storage_dir / "new.bin").write_bytes(b"added later")

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    engine.dispose()
    with Session(engine) as session:
        names = set(session.exec(select(User.display_name)).all())
        assert names == {"Original Name"}
        # Pages cached before the restore can't match the restored catalog.
        assert current_version(session) > version_before
    assert evidence.read_bytes() == b"original photo"
    assert not (settings.storage_dir / "new.bin").exists()


def test_backup_refuses_a_directory_that_is_not_empty(runner, tmp_path):
    target = tmp_path / "used"
    target.mkdir()
    (target / "something").write_text("x")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "not empty" in result.output


def test_restore_refuses_what_is_not_a_backup(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path), "--yes"])
    assert result.exit_code != 0 and "not a Chalkmark backup" in result.output


def test_restore_asks_before_replacing_everything(app, runner, tmp_path):
    target = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_postgres_backup_without_pg_dump_says_what_to_install(monkeypatch, tmp_path):
    from server.ops import backup

    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(backup.BackupError, match="apt install postgresql-client"):
        backup.backup(
            database_url="postgresql+psycopg://u@127.0.0.1/none",
            storage_dir=tmp_path / "evidence",
            target=tmp_path / "out",
        )
