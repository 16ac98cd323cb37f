"""A teacher's attempts at a credential: start a draft, submit it, try again after
"not yet". Who may see or change an attempt is decided here (server/access.py rules)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server import access
from server.catalog.service import published_credential, requirements_for
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.game import service as game
from server.models import (
    AWAITING_REVIEW,
    Credential,
    EvidenceItem,
    Submission,
    SubmissionStatus,
    User,
    new_uuid,
    utcnow,
)
from server.notify import service as notify
from server.submissions import queries, rigour, versioned

DRAFT = SubmissionStatus.DRAFT.value
NOT_YET = SubmissionStatus.NOT_YET.value
CONSENT_MISSING = (
    "Please confirm you have permission to share images of students, or "
    "that they are not identifiable."
)


@dataclass
class StartResult:
    submission: Submission
    notice: str | None = None


def start(*, session: Session, user: User, credential_slug: str) -> StartResult:
    """The person's current attempt at this credential, creating a draft when there is
    none to continue (a first attempt, or the next one after "not yet")."""
    credential = session.exec(
        select(Credential).where(Credential.slug == credential_slug, published_credential())
    ).first()
    if credential is None:
        raise NotFound("We couldn't find that credential.")
    latest = queries.latest_attempt(session=session, user_id=user.id, credential_id=credential.id)
    if latest is None or latest.status == SubmissionStatus.WITHDRAWN.value:
        return StartResult(_new_attempt(session, user, credential, latest))
    if latest.status == DRAFT:
        return StartResult(latest, "Welcome back: your draft is just as you left it.")
    if latest.status in AWAITING_REVIEW:
        return StartResult(
            latest, "You've submitted this credential; it's waiting for an assessor."
        )
    if latest.status == SubmissionStatus.AWARDED.value:
        return StartResult(latest, "You've already earned this credential.")
    return StartResult(
        _next_after_not_yet(session, latest),
        "Your next attempt starts from your last one, with the assessor's "
        "feedback beside each part.",
    )


def get_visible(*, session: Session, submission_id: int, user: User | None) -> Submission:
    """The submission if `user` may see it; NotFound otherwise (never reveal it exists)."""
    submission = session.get(Submission, submission_id)
    if submission is None or not access.can_view_submission(
        session=session, user=user, submission=submission
    ):
        raise NotFound("We couldn't find that submission.")
    return submission


def get_owned(*, session: Session, submission_id: int, user: User | None) -> Submission:
    """The owner's submission; a clear refusal for anyone else (checked before any input
    is looked at, so a stranger learns nothing from validation messages)."""
    submission = get_visible(session=session, submission_id=submission_id, user=user)
    if user is None or submission.user_id != user.id:
        raise Forbidden("Only the teacher who owns this submission can change it.")
    return submission


def get_editable(*, session: Session, submission_id: int, user: User | None) -> Submission:
    """The owner's draft; a clear refusal for anyone else or once it has been submitted."""
    submission = get_owned(session=session, submission_id=submission_id, user=user)
    if submission.status != DRAFT:
        raise Conflict("This attempt has been submitted, so it can't be changed any more.")
    return submission


def touch(submission: Submission) -> None:
    submission.updated_at = utcnow()


def submit(*, session: Session, submission_id: int, user: User, consent: bool) -> Submission:
    submission = get_editable(session=session, submission_id=submission_id, user=user)
    missing = queries.missing_evidence(session=session, submission=submission)
    if missing:
        raise InvalidInput(
            "Some evidence is still missing: " + "; ".join(m.message for m in missing) + ".",
            field="evidence",
        )
    too_short_or_long = rigour.word_problems(session=session, submission=submission)
    if too_short_or_long:
        raise InvalidInput(" ".join(p.message for p in too_short_or_long), field="evidence")
    if not consent:
        raise InvalidInput(CONSENT_MISSING, field="consent")
    now = utcnow()
    # Guarded on status and version: of two clicks racing, exactly one submits.
    if not versioned.advance(
        session=session,
        submission=submission,
        status_was=DRAFT,
        status=SubmissionStatus.SUBMITTED.value,
        submitted_at=now,
        updated_at=now,
        consent_given=True,
    ):
        raise Conflict("This attempt was already submitted.")
    session.refresh(submission)
    game.on_submission(session=session, submission=submission)
    notify.notify_assessors_of_new_submission(session=session, submission=submission)
    return submission


def retry(*, session: Session, submission_id: int, user: User) -> Submission:
    """Attempt n+1 prefilled from attempt n after a "not yet" (or the newer attempt when
    it already exists, so a double click starts one attempt)."""
    submission = get_visible(session=session, submission_id=submission_id, user=user)
    if submission.user_id != user.id:
        raise Forbidden("Only the teacher who owns this submission can try again.")
    if submission.status != NOT_YET:
        raise Conflict("Only an attempt marked \u201cnot yet\u201d can be tried again.")
    return _next_after_not_yet(session, submission)


def _next_after_not_yet(session: Session, previous: Submission) -> Submission:
    latest = queries.latest_attempt(
        session=session, user_id=previous.user_id, credential_id=previous.credential_id
    )
    if latest is not None and latest.id != previous.id:
        return latest
    credential = session.get_one(Credential, previous.credential_id)
    user = session.get_one(User, previous.user_id)
    attempt = _new_attempt(session, user, credential, previous)
    if attempt.attempt == previous.attempt + 1:
        _copy_evidence(session, previous, attempt)
    return attempt


def _new_attempt(
    session: Session, user: User, credential: Credential, previous: Submission | None
) -> Submission:
    submission = Submission(
        user_id=user.id,
        credential_id=credential.id,
        credential_version=credential.version,
        attempt=(previous.attempt + 1) if previous else 1,
    )
    session.add(submission)
    try:
        session.flush()
    except IntegrityError:
        # Another request started this attempt a moment ago: continue that one.
        session.rollback()
        latest = queries.latest_attempt(
            session=session, user_id=user.id, credential_id=credential.id
        )
        assert latest is not None, "the attempt that won the race is stored"
        return latest
    return submission


def _copy_evidence(session: Session, source: Submission, target: Submission) -> None:
    """Copy rows (new client_uuids), sharing the stored blobs: nothing is re-uploaded."""
    current = {
        requirement.id
        for requirement in requirements_for(
            session=session, credential_id=target.credential_id, version=target.credential_version
        )
    }
    for item in queries.items_for(session=session, submission_id=source.id):
        if item.requirement_id not in current:
            continue
        data = item.model_dump(exclude={"id", "submission_id", "client_uuid", "created_at"})
        session.add(EvidenceItem(**data, submission_id=target.id, client_uuid=new_uuid()))
    session.flush()
