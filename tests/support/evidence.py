"""Builders for evidence and submission tests: sample files made on the spot (a JPEG with
GPS EXIF, an MP4 header, a renamed .exe, Office zips) and a cast of users around one
submission, one per role that server/access.py distinguishes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from PIL import Image
from sqlmodel import Session, select

from server.auth.session import SESSION_ID
from server.catalog.service import requirements_for
from server.models import (
    AssessorAppointment,
    Cohort,
    CohortMember,
    Credential,
    CriterionScore,
    Review,
    RubricCriterion,
    Submission,
    User,
    utcnow,
)
from tests.support.factories import make_credential, make_user

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def jpeg_with_gps(size=(1200, 800), orientation: int | None = None) -> bytes:
    """A JPEG carrying camera make, a time and a GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2024:03:01 10:42:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(40, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)).save(
        out, format="PNG")
    return out.getvalue()


def heic_bytes(size=(64, 48)) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, format="HEIF")
    return out.getvalue()


def mp4_bytes(payload: int = 4096) -> bytes:
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * payload


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def office_zip(kind: str) -> bytes:
    """A minimal OOXML/ODF container: enough structure for sniffing, not for Word."""
    parts = {
        "docx": ["[Content_Types].xml", "_rels/.rels", "word/document.xml"],
        "xlsx": ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"],
        "pptx": ["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        elif kind == "zip":
            archive.writestr("notes.txt", "just a zip")
        else:
            for name in parts[kind]:
                archive.writestr(name, "<xml/>")
    return out.getvalue()


def make_draft(session: Session, owner: User, *, kinds=("photo", "text"),
               **credential_fields) -> tuple[Credential, Submission]:
    credential = make_credential(session, kinds=kinds, **credential_fields)
    submission = Submission(user_id=owner.id, credential_id=credential.id)
    session.add(submission)
    session.commit()
    session.refresh(submission)
    return credential, submission


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


ROLES = ("anonymous", "other_teacher", "owner", "assessor", "unqualified_assessor",
         "coach", "other_coach", "admin")


def make_cast(session: Session, credential: Credential, owner: User) -> Cast:
    cast = Cast(
        owner=owner,
        other_teacher=make_user(session, "teacher"),
        assessor=make_user(session, "teacher", "assessor"),
        unqualified_assessor=make_user(session, "teacher", "assessor"),
        coach=make_user(session, "coach"),
        other_coach=make_user(session, "coach"),
        admin=make_user(session, "admin"),
    )
    session.add(AssessorAppointment(user_id=cast.assessor.id, stack_id=credential.stack_id))
    mine = Cohort(name="Early Adopters", coach_id=cast.coach.id)
    theirs = Cohort(name="Another cohort", coach_id=cast.other_coach.id)
    session.add_all([mine, theirs])
    session.commit()
    session.add_all([CohortMember(cohort_id=mine.id, user_id=owner.id, status="active"),
                     CohortMember(cohort_id=theirs.id, user_id=cast.other_teacher.id,
                                  status="active")])
    session.commit()
    return cast


def decide(session: Session, submission: Submission, assessor: User, decision: str, *,
           feedback: str = "", comments: dict[int, tuple[bool, str]] | None = None) -> Review:
    """What the review area does when an assessor decides (recorded directly here)."""
    now = utcnow()
    review = Review(submission_id=submission.id, assessor_id=assessor.id, claimed_until=now,
                    decision=decision, feedback=feedback, decided_at=now)
    session.add(review)
    session.commit()
    criteria = session.exec(select(RubricCriterion).where(
        RubricCriterion.credential_id == submission.credential_id)).all()
    for criterion in criteria:
        met, comment = (comments or {}).get(criterion.position, (decision == "awarded", ""))
        session.add(CriterionScore(review_id=review.id, criterion_id=criterion.id, met=met,
                                   comment=comment))
    submission.status = decision
    submission.decided_at = now
    session.add(submission)
    session.commit()
    return review


@dataclass
class World:
    """One teacher's draft (a photo part and a text part) and everyone around it."""

    credential: Credential
    submission: Submission
    cast: Cast
    photo_requirement_id: int
    text_requirement_id: int


def make_world(session: Session, *, kinds=("photo", "text")) -> World:
    owner = make_user(session, "teacher", name="Owner Teacher")
    credential, submission = make_draft(session, owner, kinds=kinds)
    requirements = requirements_for(session=session, credential_id=credential.id)
    by_kind = {r.kind: r.id for r in requirements}
    return World(credential, submission, make_cast(session, credential, owner),
                 by_kind.get("photo"), by_kind.get("text"))


def set_status(session: Session, submission: Submission, status: str) -> None:
    submission.status = status
    if status != "draft" and submission.submitted_at is None:
        submission.submitted_at = utcnow()
    session.add(submission)
    session.commit()


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


def post_upload(client, submission_id: int, requirement_id: int, *, data: bytes | None = None,
                filename: str = "photo.jpg", client_uuid: str | None = None,
                token: str | None = "fetch", json: bool = True, headers=None, **fields):
    """POST an evidence upload the way evidence/upload-forms.js does (JSON, X-CSRFToken)."""
    import uuid as uuidlib

    form = {"client_uuid": client_uuid or str(uuidlib.uuid4()),
            "requirement_id": str(requirement_id), **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    all_headers = dict(headers or {})
    if json:
        all_headers["Accept"] = "application/json"
    if token == "fetch":
        token = page_token(client)
    if token:
        all_headers["X-CSRFToken"] = token
    return client.post(f"/submissions/{submission_id}/evidence", data=form,
                       headers=all_headers, content_type="multipart/form-data")
