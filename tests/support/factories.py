"""The one builder per model for tests; each returns committed rows.

Rows are written straight through the models: the areas own the real flows (submit,
claim, decide), and a test that means the real flow calls the service itself.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from server.catalog.service import criteria_for, requirements_for
from server.models import (
    AssessorAppointment,
    Award,
    Cohort,
    CohortMember,
    Credential,
    CriterionScore,
    EvidenceItem,
    EvidenceRequirement,
    MemberStatus,
    Notification,
    Org,
    PushSubscription,
    Review,
    RubricCriterion,
    Stack,
    Submission,
    SubmissionStatus,
    User,
    new_uuid,
    utcnow,
)

_counter = itertools.count(1)
DECIDED = (SubmissionStatus.AWARDED, SubmissionStatus.NOT_YET)


def _save(session: Session, row):
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


# --- people ---------------------------------------------------------------------------


def make_user(session: Session, *roles: str, name: str | None = None, **fields) -> User:
    n = next(_counter)
    return _save(
        session,
        User(
            handle=fields.pop("handle", f"user{n}"),
            display_name=name or f"Test User {n}",
            roles=",".join(roles or ("teacher",)),
            **fields,
        ),
    )


def make_org(session: Session, **fields) -> Org:
    n = next(_counter)
    return _save(
        session,
        Org(
            slug=fields.pop("slug", f"org-{n}"), name=fields.pop("name", f"District {n}"), **fields
        ),
    )


def make_cohort(
    session: Session,
    coach: User,
    name: str = "Early Adopters",
    *,
    members: list[User] = (),
    invited: list[User] = (),
    **fields,
) -> Cohort:
    """A cohort in its coach's district (unless `org_id` says otherwise); `members` have
    accepted, `invited` have yet to answer."""
    cohort = _save(
        session,
        Cohort(name=name, coach_id=coach.id, org_id=fields.pop("org_id", coach.org_id), **fields),
    )
    for user in members:
        make_membership(session, cohort, user, commit=False)
    for user in invited:
        make_membership(session, cohort, user, status=MemberStatus.INVITED.value, commit=False)
    session.commit()
    return cohort


def make_membership(
    session: Session,
    cohort: Cohort,
    user: User,
    *,
    status: str = MemberStatus.ACTIVE.value,
    commit: bool = True,
    **fields,
) -> CohortMember:
    """`user` in `cohort` (accepted unless `status` says otherwise; `joined_at=` to date it)."""
    member = CohortMember(cohort_id=cohort.id, user_id=user.id, status=status, **fields)
    session.add(member)
    if commit:
        session.commit()
    return member


def make_notification(
    session: Session, user: User, title: str = "Hello", *, kind: str = "test", **fields
) -> Notification:
    return _save(session, Notification(user_id=user.id, kind=kind, title=title, **fields))


def make_push_subscription(
    session: Session,
    user: User,
    *,
    endpoint: str | None = None,
    p256dh: str = "p256dh-key",
    auth: str = "auth-secret",
    **fields,
) -> PushSubscription:
    endpoint = endpoint or f"https://push.example.test/{next(_counter)}"
    return _save(
        session,
        PushSubscription(endpoint=endpoint, user_id=user.id, p256dh=p256dh, auth=auth, **fields),
    )


# --- catalog --------------------------------------------------------------------------


def make_stack(session: Session, **fields) -> Stack:
    n = next(_counter)
    return _save(
        session,
        Stack(
            slug=fields.pop("slug", f"stack-{n}"),
            title=fields.pop("title", f"Stack {n}"),
            summary=fields.pop("summary", "A test stack"),
            category=fields.pop("category", "Testing"),
            **fields,
        ),
    )


def make_credential(
    session: Session,
    *,
    criteria: int = 3,
    kinds=("photo", "text"),
    stack: Stack | None = None,
    **fields,
) -> Credential:
    """A credential with one evidence requirement per kind and `criteria` rubric rows."""
    n = next(_counter)
    stack = stack or make_stack(session)
    credential = _save(
        session,
        Credential(
            stack_id=stack.id,
            slug=fields.pop("slug", f"credential-{n}"),
            title=fields.pop("title", f"Credential {n}"),
            competency="The educator does the thing.",
            key_method="Do it well.",
            **fields,
        ),
    )
    for position, kind in enumerate(kinds):
        session.add(
            EvidenceRequirement(
                credential_id=credential.id,
                position=position,
                kind=kind,
                prompt=f"Show {kind} evidence",
            )
        )
    for position in range(criteria):
        session.add(
            RubricCriterion(
                credential_id=credential.id,
                position=position,
                title=f"Criterion {position + 1}",
                met_descriptor="Clearly shown.",
                not_yet_descriptor="Not shown yet.",
            )
        )
    session.commit()
    session.refresh(credential)
    return credential


def appoint(session: Session, user: User, credential: Credential) -> None:
    """Make `user` a reviewer for the credential's whole stack."""
    session.add(AssessorAppointment(user_id=user.id, stack_id=credential.stack_id))
    session.commit()


# --- attempts and what happens to them ------------------------------------------------


def make_submission(
    session: Session,
    user: User,
    credential: Credential,
    *,
    status: str = SubmissionStatus.SUBMITTED,
    attempt: int | None = None,
    with_evidence: bool = True,
    **fields,
) -> Submission:
    """An attempt in any state (waiting for review unless told): the user's next attempt
    at the credential; a sent one has consent and a time, a decided one a decision time
    (pass `submitted_at=` / `decided_at=`, even None, to set them)."""
    now = utcnow()
    if attempt is None:
        attempt = 1 + (
            session.exec(
                select(func.max(Submission.attempt)).where(
                    Submission.user_id == user.id, Submission.credential_id == credential.id
                )
            ).one()
            or 0
        )
    sent = status != SubmissionStatus.DRAFT
    fields.setdefault("consent_given", sent)
    fields.setdefault("submitted_at", now if sent else None)
    fields.setdefault("decided_at", now if status in DECIDED else None)
    submission = _save(
        session,
        Submission(
            user_id=user.id, credential_id=credential.id, status=status, attempt=attempt, **fields
        ),
    )
    if sent and with_evidence:
        add_required_evidence(session, submission)
    return submission


def add_required_evidence(session: Session, submission: Submission) -> None:
    """One item (a row, no stored file) for each required part still empty: what submit
    demands and Award checks again. A text is long enough for any range the part asks for."""
    have = set(
        session.exec(
            select(EvidenceItem.requirement_id).where(EvidenceItem.submission_id == submission.id)
        ).all()
    )
    for requirement in requirements_for(session=session, credential_id=submission.credential_id):
        if requirement.min_count < 1 or requirement.id in have:
            continue
        words = max(requirement.min_words or 0, 12)
        session.add(
            EvidenceItem(
                submission_id=submission.id,
                requirement_id=requirement.id,
                client_uuid=new_uuid(),
                kind=requirement.kind,
                text=" ".join(["Students", "explained", "their", "thinking."] * (words // 4 + 1))
                if requirement.kind == "text"
                else None,
                url="https://example.org/lesson" if requirement.kind == "link" else None,
                filename=None if requirement.kind in ("text", "link") else "evidence.jpg",
                # Added while the attempt was a draft: never newer activity than the attempt.
                created_at=submission.created_at,
            )
        )
    session.commit()
    session.refresh(submission)


def set_status(session: Session, submission: Submission, status: str) -> None:
    """Move an attempt to `status` as its area would (a sent one has consent and a time)."""
    submission.status = status
    if status != SubmissionStatus.DRAFT:
        submission.consent_given = True
        submission.submitted_at = submission.submitted_at or utcnow()
        add_required_evidence(session, submission)
    session.add(submission)
    session.commit()


def make_evidence_items(
    session: Session, submission: Submission, *, count: int = 3
) -> list[EvidenceItem]:
    """Mixed text / link / photo rows (no stored blob), round robin over the credential's
    requirements."""
    requirements = requirements_for(session=session, credential_id=submission.credential_id)
    by_kind = {r.kind: r for r in requirements}
    items = []
    for n in range(count):
        kind = ("text", "link", "photo")[n % 3]
        photo = kind == "photo"
        items.append(
            EvidenceItem(
                submission_id=submission.id,
                requirement_id=by_kind.get(kind, requirements[n % len(requirements)]).id,
                client_uuid=new_uuid(),
                kind=kind,
                text=f"Reflection {n}: <b>students</b> explained their thinking."
                if kind == "text"
                else None,
                url=f"https://example.org/lesson/{n}" if kind == "link" else None,
                blob_key=f"blobs/{n}.jpg" if photo else None,
                thumb_key=f"thumbs/{n}.jpg" if photo else None,
                filename=f"photo-{n}.jpg" if photo else None,
                mime="image/jpeg" if photo else None,
                width=1600 if photo else None,
                height=1200 if photo else None,
            )
        )
    session.add_all(items)
    session.commit()
    return items


def make_review(
    session: Session,
    submission: Submission,
    assessor: User,
    *,
    decision: str | None = None,
    feedback: str = "",
    scores: dict[int, tuple[bool, str]] | None = None,
    hours: int = 48,
    now: datetime | None = None,
) -> Review:
    """Without a decision: a claim (as if `claim` ran at `now`, leased for `hours`).
    With one ("awarded" / "not_yet"): the decision as the review area records it, a score
    per criterion (`scores`: position → (met, comment); met follows the decision) and the
    attempt's new status."""
    now = now or utcnow()
    review = _save(
        session,
        Review(
            submission_id=submission.id,
            assessor_id=assessor.id,
            claimed_at=now,
            claimed_until=now + timedelta(hours=hours),
            decision=decision,
            feedback=feedback if decision else None,
            decided_at=now if decision else None,
        ),
    )
    if decision is None:
        submission.status = SubmissionStatus.IN_REVIEW
        submission.version += 1
    else:
        for criterion in criteria_for(session=session, credential_id=submission.credential_id):
            met, comment = (scores or {}).get(
                criterion.position, (decision == SubmissionStatus.AWARDED, "")
            )
            session.add(
                CriterionScore(
                    review_id=review.id, criterion_id=criterion.id, met=met, comment=comment
                )
            )
        submission.status = decision
        submission.decided_at = now
    session.add(submission)
    session.commit()
    return review


def make_award(
    session: Session,
    user: User,
    credential: Credential,
    submission: Submission | None = None,
    *,
    revoked: bool = False,
    **fields,
) -> Award:
    """An award row for an awarded attempt (one is made when not given); no badge issued."""
    submission = submission or make_submission(
        session, user, credential, status=SubmissionStatus.AWARDED
    )
    return _save(
        session,
        Award(
            user_id=user.id,
            credential_id=credential.id,
            submission_id=submission.id,
            revoked_at=utcnow() if revoked else None,
            **fields,
        ),
    )
