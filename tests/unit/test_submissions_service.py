"""Submissions service: start, submit (consent, min counts, once), retry prefill."""

import io

import pytest
from sqlmodel import select

from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.evidence import service as evidence
from server.evidence.limits import UploadLimits
from server.models import EvidenceItem, EvidenceRequirement, Submission
from server.storage import LocalStorage
from server.submissions import queries, service
from tests.support.factories import (
    make_credential,
    make_review,
    make_submission,
    make_user,
    set_status,
)
from tests.support.media import jpeg_bytes

LIMITS = UploadLimits(photo=5_000_000, video=5_000_000, file=5_000_000)


def _requirements(session, credential_id):
    return queries.requirements_for(session=session, credential_id=credential_id)


def _fill(session, storage, owner, submission):
    photo, text = _requirements(session, submission.credential_id)
    evidence.add_item(
        session=session,
        storage=storage,
        limits=LIMITS,
        user=owner,
        submission_id=submission.id,
        upload=evidence.Upload(
            client_uuid="0d7c6f0e-2f55-4b61-9d55-1b1f0a3f2c11",
            requirement_id=photo.id,
            file=io.BytesIO(jpeg_bytes(gps=True, size=(64, 64))),
        ),
    )
    evidence.save_text(
        session=session,
        user=owner,
        submission_id=submission.id,
        requirement_id=text.id,
        text="What I noticed in class",
    )
    session.commit()


def test_start_creates_attempt_one_then_returns_the_same_draft(session):
    owner = make_user(session)
    credential = make_credential(session)
    first = service.start(session=session, user=owner, credential_slug=credential.slug)
    session.commit()
    again = service.start(session=session, user=owner, credential_slug=credential.slug)
    assert first.submission.attempt == 1 and first.notice is None
    assert again.submission.id == first.submission.id and "draft" in again.notice
    with pytest.raises(NotFound):
        service.start(session=session, user=owner, credential_slug="no-such-credential")


def test_submit_lists_what_is_missing(session):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    with pytest.raises(InvalidInput) as refused:
        service.submit(session=session, submission_id=submission.id, user=owner, consent=True)
    assert refused.value.message == (
        "Some evidence is still missing: part 1 needs 1 more "
        "photo; part 2 needs 1 more written response."
    )
    assert session.get(Submission, submission.id).status == "draft"


def test_submit_needs_consent(session, tmp_path):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    _fill(session, LocalStorage(tmp_path), owner, submission)
    with pytest.raises(InvalidInput) as refused:
        service.submit(session=session, submission_id=submission.id, user=owner, consent=False)
    assert refused.value.field == "consent"


def test_submit_freezes_the_attempt_once(session, tmp_path):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    _fill(session, LocalStorage(tmp_path), owner, submission)
    done = service.submit(session=session, submission_id=submission.id, user=owner, consent=True)
    session.commit()
    assert (done.status, done.version, done.consent_given) == ("submitted", 2, True)
    assert done.submitted_at is not None
    with pytest.raises(Conflict):
        service.submit(session=session, submission_id=submission.id, user=owner, consent=True)
    notice = service.start(session=session, user=owner, credential_slug=credential.slug).notice
    assert "waiting for an assessor" in notice


def test_someone_else_cannot_submit(session):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    with pytest.raises(NotFound):
        service.submit(
            session=session, submission_id=submission.id, user=make_user(session), consent=True
        )
    with pytest.raises(Forbidden):
        service.submit(
            session=session,
            submission_id=submission.id,
            user=make_user(session, "admin"),
            consent=True,
        )


def test_retry_copies_evidence_into_the_next_attempt(session, tmp_path):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    _fill(session, LocalStorage(tmp_path), owner, submission)
    service.submit(session=session, submission_id=submission.id, user=owner, consent=True)
    session.commit()
    make_review(
        session,
        submission,
        make_user(session, "assessor"),
        decision="not_yet",
        feedback="Show the students' work too.",
    )

    second = service.retry(session=session, submission_id=submission.id, user=owner)
    session.commit()
    again = service.retry(session=session, submission_id=submission.id, user=owner)

    assert second.attempt == 2 and second.status == "draft" and again.id == second.id
    old = queries.items_for(session=session, submission_id=submission.id)
    new = queries.items_for(session=session, submission_id=second.id)
    assert len(new) == len(old) == 2
    assert {i.client_uuid for i in new}.isdisjoint({i.client_uuid for i in old})
    assert sorted((i.blob_key or "", i.text or "") for i in new) == sorted(
        (i.blob_key or "", i.text or "") for i in old
    )
    feedback = queries.feedback_to_act_on(session=session, submission=second)
    assert feedback.review.feedback == "Show the students' work too."
    assert len(feedback.scores) == 3


def test_retry_needs_a_not_yet_decision(session):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    with pytest.raises(Conflict):
        service.retry(session=session, submission_id=submission.id, user=owner)


def test_start_after_not_yet_begins_the_next_attempt(session, tmp_path):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    _fill(session, LocalStorage(tmp_path), owner, submission)
    set_status(session, submission, "submitted")
    make_review(
        session, submission, make_user(session, "assessor"), decision="not_yet", feedback="More."
    )
    result = service.start(session=session, user=owner, credential_slug=credential.slug)
    assert result.submission.attempt == 2


def test_my_credentials_groups_attempts(session):
    owner = make_user(session)
    first_credential = make_credential(session)
    first = make_submission(session, owner, first_credential, status="draft")
    set_status(session, first, "not_yet")
    make_submission(session, owner, first_credential, status="draft")  # attempt 2
    make_submission(session, owner, make_credential(session), status="draft")
    groups = queries.my_credentials(session=session, user_id=owner.id)
    assert sorted(len(g.attempts) for g in groups) == [1, 2]
    two = next(g for g in groups if len(g.attempts) == 2)
    assert [a.attempt for a in two.attempts] == [2, 1]


def test_retry_skips_items_of_requirements_the_credential_no_longer_has(session, tmp_path):
    owner = make_user(session)
    credential = make_credential(session)
    submission = make_submission(session, owner, credential, status="draft")
    _fill(session, LocalStorage(tmp_path), owner, submission)
    extra = EvidenceRequirement(
        credential_id=make_credential(session).id, kind="text", prompt="elsewhere"
    )
    session.add(extra)
    session.commit()
    stray = session.exec(select(EvidenceItem)).first()
    stray.requirement_id = extra.id
    session.add(stray)
    submission.status = "not_yet"
    session.add(submission)
    session.commit()
    second = service.retry(session=session, submission_id=submission.id, user=owner)
    assert len(queries.items_for(session=session, submission_id=second.id)) == 1
