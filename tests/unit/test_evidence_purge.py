"""Retention: `chalkmark evidence purge` clears the evidence of attempts decided more than
N days ago, keeps drafts and attempts waiting for review, and keeps what an award needs."""

import io
import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from server.evidence import blobs, erase, service
from server.evidence.limits import UploadLimits
from server.models import AccessLog, Award, EvidenceItem, utcnow
from server.storage import LocalStorage
from tests.support.evidence import make_world
from tests.support.factories import make_award, make_review, make_submission, set_status
from tests.support.media import jpeg_bytes

LIMITS = UploadLimits(photo=2_000_000, video=2_000_000, file=2_000_000)


@pytest.fixture
def storage(settings):
    return LocalStorage(settings.storage_dir)


def _attempt(session, storage, world, number: int, status: str, decided_days_ago=None):
    submission = make_submission(
        session, world.cast.owner, world.credential, status="draft", attempt=number
    )
    service.add_item(
        session=session,
        storage=storage,
        limits=LIMITS,
        user=world.cast.owner,
        submission_id=submission.id,
        upload=service.Upload(
            client_uuid=str(uuid.uuid4()),
            requirement_id=world.photo_requirement_id,
            file=io.BytesIO(jpeg_bytes(gps=True, size=(120, 90))),
            filename="a.jpg",
        ),
    )
    session.commit()
    if status != "draft":
        set_status(session, submission, "submitted")
    if decided_days_ago is not None:
        make_review(session, submission, world.cast.assessor, decision=status, feedback="Noted.")
        submission.decided_at = utcnow() - timedelta(days=decided_days_ago)
        session.add(submission)
    else:
        set_status(session, submission, status)
    session.commit()
    return submission


def _item_count(session, submission):
    return len(
        session.exec(select(EvidenceItem).where(EvidenceItem.submission_id == submission.id)).all()
    )


@pytest.fixture
def attempts(session, storage):
    world = make_world(session)
    session.delete(world.submission)
    session.commit()
    made = {
        "old_not_yet": _attempt(session, storage, world, 1, "not_yet", decided_days_ago=400),
        "old_award": _attempt(session, storage, world, 2, "awarded", decided_days_ago=200),
        "recent_award": None,
        "waiting": _attempt(session, storage, world, 3, "submitted"),
        "draft": _attempt(session, storage, world, 4, "draft"),
    }
    other = make_world(session)
    made["recent_award"] = _attempt(session, storage, other, 2, "awarded", decided_days_ago=5)
    make_award(session, world.cast.owner, world.credential, made["old_award"])
    return made


def test_purge_clears_only_attempts_decided_long_enough_ago(session, storage, attempts):
    result = erase.purge_expired(session=session, days=180)
    session.commit()
    blobs.delete_blobs(storage, result.keys)
    assert result.attempts == 2 and len(result.keys) == 4  # two photos, two thumbnails
    counts = {name: _item_count(session, s) for name, s in attempts.items()}
    # A sent attempt has its photo and (set_status fills it, as submit demands) its text.
    assert counts == {"old_not_yet": 0, "old_award": 0, "recent_award": 2, "waiting": 2, "draft": 1}
    assert not blobs.store_problems(session=session, storage=storage)
    assert session.exec(select(Award)).one().submission_id == attempts["old_award"].id
    assert attempts["old_award"].evidence_deleted_by == "retention"
    logged = session.exec(
        select(AccessLog.target).where(AccessLog.action == "evidence.purge")
    ).all()
    assert sorted(logged) == sorted(
        f"submission:{attempts[n].id}" for n in ("old_not_yet", "old_award")
    )
    assert erase.purge_expired(session=session, days=180).attempts == 0  # once only


def test_the_cli_purges_with_the_setting_and_keeps_everything_without_it(
    app, runner, settings, engine, attempts
):
    kept = runner.invoke(args=["evidence", "purge"])
    assert kept.exit_code == 0 and "evidence is kept" in kept.output
    settings.evidence_retention_days = 180
    done = runner.invoke(args=["evidence", "purge"])
    assert done.exit_code == 0, done.output
    assert "2 attempt(s)" in done.output
    with Session(engine) as session:
        assert _item_count(session, attempts["old_award"]) == 0
        assert not blobs.store_problems(session=session, storage=LocalStorage(settings.storage_dir))
    assert runner.invoke(args=["evidence", "purge", "--days", "0"]).exit_code == 2


def test_evidence_settings_come_from_the_environment(monkeypatch, tmp_path):
    from server.config import Settings

    monkeypatch.setenv("CHALKMARK_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CHALKMARK_SECRET_KEY", "test")
    monkeypatch.setenv("CHALKMARK_EVIDENCE_RETENTION_DAYS", "365")
    monkeypatch.setenv("CHALKMARK_MAX_PHOTO_PIXELS", "12000000")
    monkeypatch.setenv("CHALKMARK_IMAGE_WORKERS", "3")
    settings = Settings.from_env()
    assert (
        settings.evidence_retention_days,
        settings.max_photo_pixels,
        settings.image_workers,
    ) == (365, 12_000_000, 3)
    monkeypatch.setenv("CHALKMARK_IMAGE_WORKERS", "many")
    with pytest.raises(ValueError, match="CHALKMARK_IMAGE_WORKERS must be a whole number"):
        Settings.from_env()
    monkeypatch.delenv("CHALKMARK_IMAGE_WORKERS")
    monkeypatch.delenv("CHALKMARK_EVIDENCE_RETENTION_DAYS")
    assert Settings.from_env().evidence_retention_days is None
