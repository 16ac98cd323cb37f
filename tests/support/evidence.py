"""The evidence and submission tests' world: one teacher's draft and a cast of users
around it, one per role that server/access.py distinguishes; and the upload the pages make.
Rows come from tests/support/factories.py, sample files from tests/support/media.py."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlmodel import Session

from server.auth.session import SESSION_ID
from server.catalog.service import criteria_for, requirements_for
from server.models import (
    Credential,
    EvidenceRequirement,
    RubricCriterion,
    Submission,
    SubmissionStatus,
    User,
)
from tests.support.factories import (
    appoint,
    make_cohort,
    make_credential,
    make_submission,
    make_user,
)


def make_draft(
    session: Session, kinds: tuple[str, ...], *, max_count: int | None = None
) -> tuple[User, Submission, dict[str, EvidenceRequirement]]:
    """A teacher's draft of a new credential with one requirement per kind (each taking up
    to `max_count` items when given): (owner, draft, {kind: requirement})."""
    owner = make_user(session)
    credential = make_credential(session, kinds=kinds)
    submission = make_submission(session, owner, credential, status="draft")
    requirements = requirements_for(session=session, credential_id=credential.id)
    if max_count is not None:
        for requirement in requirements:
            requirement.max_count = max_count
            session.add(requirement)
        session.commit()
    return owner, submission, {r.kind: r for r in requirements}


@dataclass
class Cast:
    owner: User
    other_teacher: User
    assessor: User  # appointed for the credential's stack
    unqualified_assessor: User
    coach: User  # coaches the owner
    other_coach: User
    admin: User

    def get(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


ROLES = (
    "anonymous",
    "other_teacher",
    "owner",
    "assessor",
    "unqualified_assessor",
    "coach",
    "other_coach",
    "admin",
)


def make_cast(session: Session, credential: Credential, owner: User) -> Cast:
    cast = Cast(
        owner=owner,
        other_teacher=make_user(session, "teacher"),
        assessor=make_user(session, "teacher", "assessor", name="Jordan Lee"),
        unqualified_assessor=make_user(session, "teacher", "assessor", name="Pat Doe"),
        coach=make_user(session, "coach"),
        other_coach=make_user(session, "coach"),
        admin=make_user(session, "admin", name="Alex Admin"),
    )
    appoint(session, cast.assessor, credential)
    make_cohort(session, cast.coach, "Early Adopters", members=[owner])
    make_cohort(session, cast.other_coach, "Another cohort", members=[cast.other_teacher])
    return cast


@dataclass
class World:
    """One teacher's draft (a photo part and a text part) and everyone around it."""

    credential: Credential
    submission: Submission
    cast: Cast
    photo_requirement_id: int
    text_requirement_id: int
    criteria: list[RubricCriterion]


def make_world(
    session: Session,
    *,
    kinds=("photo", "text"),
    owner_roles=("teacher",),
    owner_name: str = "Owner Teacher",
    title: str | None = None,
    **owner_fields,
) -> World:
    owner = make_user(session, *owner_roles, name=owner_name, **owner_fields)
    credential = make_credential(session, kinds=kinds, **({"title": title} if title else {}))
    submission = make_submission(session, owner, credential, status=SubmissionStatus.DRAFT)
    by_kind = {r.kind: r.id for r in requirements_for(session=session, credential_id=credential.id)}
    return World(
        credential,
        submission,
        make_cast(session, credential, owner),
        by_kind.get("photo"),
        by_kind.get("text"),
        criteria_for(session=session, credential_id=credential.id),
    )


def as_role(client, world: World, role: str) -> User | None:
    """Sign the test client in as `role` of the world (or leave it anonymous)."""
    from tests.support.web import sign_in_as

    user = world.cast.get(role)
    with client.session_transaction() as flask_session:
        flask_session.clear()
    if user is not None:
        sign_in_as(client, user)
    return user


def page_token(client) -> str:
    from tests.support.web import csrf_token

    return csrf_token(client, "/me/credentials" if _signed_in(client) else "/")


def _signed_in(client) -> bool:
    with client.session_transaction() as flask_session:
        return SESSION_ID in flask_session


def post_upload(
    client,
    submission_id: int,
    requirement_id: int,
    *,
    data: bytes | None = None,
    filename: str = "photo.jpg",
    client_uuid: str | None = None,
    token: str | None = "fetch",
    json: bool = True,
    headers=None,
    **fields,
):
    """POST an evidence upload the way evidence/upload-forms.js does (JSON, X-CSRFToken)."""
    import uuid as uuidlib

    form = {
        "client_uuid": client_uuid or str(uuidlib.uuid4()),
        "requirement_id": str(requirement_id),
        **fields,
    }
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    all_headers = dict(headers or {})
    if json:
        all_headers["Accept"] = "application/json"
    if token == "fetch":
        token = page_token(client)
    if token:
        all_headers["X-CSRFToken"] = token
    return client.post(
        f"/submissions/{submission_id}/evidence",
        data=form,
        headers=all_headers,
        content_type="multipart/form-data",
    )
