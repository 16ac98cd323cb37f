"""The world the route matrix walks: two districts, an owner with something of every kind
(drafts, a waiting submission, a "not yet", evidence, a notice, a passkey, a device, a
device link, a resumable upload), and one person per actor of tests/support/route_matrix.py.

Every object a route names belongs to the owner, or — for a cohort — to the owner's coach,
so "other" in the matrix always means someone else's. The home district is blind-reviewed:
the walker also checks the owner's name never reaches the reviewing assessor.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlmodel import Session, select

from server.admin import roster
from server.auth import devicelinks
from server.auth.session import start_session_for
from server.auth.sessions import session_hash
from server.badges import service as badges
from server.badges import stacks
from server.badges.profile import ensure_profile
from server.models import (
    CommentPhrase,
    EvidenceItem,
    EvidenceRequirement,
    Passkey,
    ResumableUpload,
    RubricCriterion,
    Submission,
    User,
    new_uuid,
)
from tests.support.calibration_data import make_anchor
from tests.support.evidence import post_upload
from tests.support.factories import (
    appoint,
    make_award,
    make_cohort,
    make_credential,
    make_notification,
    make_org,
    make_push_subscription,
    make_review,
    make_stack,
    make_submission,
    make_user,
)
from tests.support.media import jpeg_bytes
from tests.support.web import sign_in_as

OWNER_NAME, OWNER_SCHOOL = "Ottilie Quennell", "Quillfeather Elementary"


@dataclass
class Seeded:
    users: dict[str, User | None]
    # Fills the matrix's {names}; a dict value holds one target per actor ("*": the rest).
    ids: dict[str, object] = field(default_factory=dict)

    def ids_for(self, actor: str) -> dict[str, object]:
        return {
            name: value.get(actor, value["*"]) if isinstance(value, dict) else value
            for name, value in self.ids.items()
        }


def seed(session: Session, client, device: dict) -> Seeded:
    """`device`: the owner's push subscription JSON (a local push service's browser)."""
    home, away = make_org(session, blind_review=True), make_org(session)
    users = _people(session, home.id, away.id)
    stack = make_stack(session, slug="matrix-stack", title="Matrix Stack", summary="For the matrix")
    credential = make_credential(session, stack=stack, slug="matrix-credential", status="published")
    for reviewer in ("assessor", "far_assessor"):
        appoint(session, users[reviewer], credential)
    award = make_award(session, users["earner"], credential, visibility="public")
    # The home district's own authored stack with a draft nobody but its admins sees.
    authored = make_stack(session, slug="matrix-authored", title="Authored Here", org_id=home.id)
    draft = make_credential(session, stack=authored, slug="matrix-draft", status="draft")
    with client.application.app_context():
        profile = ensure_profile(session=session, user=users["earner"])
        badges.issue(session=session, award=award)
        stack_award = stacks.after_award(session=session, award=award)
    session.commit()
    assert stack_award is not None
    seeded = Seeded(
        users,
        {
            "credential_slug": credential.slug,
            "stack_slug": stack.slug,
            "award": award.uuid,
            "profile": profile.slug,
            "stack_award": stack_award.uuid,
            "issuer": home.slug,
            "authored_stack": authored.id,
            "draft": draft.id,
            "draft_slug": draft.slug,
        },
    )
    _submissions(session, client, seeded, credential)
    _personal_things(session, seeded, device, client.application)
    _cohorts(session, seeded, home.id, away.id)
    _roster(session, seeded, home)
    _admin_targets(session, seeded, credential, home.id)
    _comment_bank(session, seeded, credential, home.id)
    _scoring_draft(session, seeded, credential)
    _calibration(session, seeded, stack, home.id)
    return seeded


def _people(session: Session, home: int, away: int) -> dict[str, User | None]:
    def person(*roles, org=home, **fields):
        return make_user(session, *roles, org_id=org, **fields)

    return {
        "anonymous": None,
        "owner": person("teacher", name=OWNER_NAME, school=OWNER_SCHOOL),
        "teacher": person("teacher"),
        "earner": person("teacher", name="Maya Earner"),
        "assessor": person("teacher", "assessor"),
        "far_assessor": person("assessor", org=away),
        "coach": person("coach"),
        "far_coach": person("coach", org=away),
        "admin": person("admin"),
        "far_admin": person("admin", org=away),
    }


def _submissions(session: Session, client, seeded: Seeded, credential) -> None:
    owner, ids = seeded.users["owner"], seeded.ids
    parts = {
        r.kind: r.id
        for r in session.exec(
            select(EvidenceRequirement).where(EvidenceRequirement.credential_id == credential.id)
        )
    }
    draft = make_submission(session, owner, credential, status="draft", attempt=10)
    sign_in_as(client, owner)
    photo = post_upload(client, draft.id, parts["photo"], data=jpeg_bytes(gps=True, size=(60, 40)))
    assert photo.status_code == 201, photo.get_data(as_text=True)
    draft_photo = session.get(EvidenceItem, photo.get_json()["id"])
    waiting = make_submission(session, owner, credential)
    ids.update(
        draft=draft.id,
        draft_photo=draft_photo.id,
        photo_req=parts["photo"],
        text_req=parts["text"],
        submitted=waiting.id,
        sub_photo=_copy_item(session, draft_photo, waiting).id,
        doomed_item=_copy_item(session, draft_photo, draft).id,
        to_claim=make_submission(session, owner, credential).id,
        to_decide=make_submission(session, owner, credential).id,
    )
    not_yet = make_submission(session, owner, credential)
    make_review(
        session, not_yet, seeded.users["assessor"], decision="not_yet", feedback="Show more."
    )
    ids["not_yet"] = not_yet.id
    # Decided: its evidence is the owner's to erase.
    to_erase = make_submission(session, owner, credential)
    _copy_item(session, draft_photo, to_erase)
    make_review(
        session, to_erase, seeded.users["assessor"], decision="not_yet", feedback="Show more."
    )
    ids["to_erase"] = to_erase.id
    upload = ResumableUpload(
        token=secrets.token_hex(16),
        user_id=owner.id,
        submission_id=draft.id,
        requirement_id=parts["photo"],
        client_uuid=new_uuid(),
        total_bytes=1000,
    )
    session.add(upload)
    session.commit()
    ids["upload_token"] = upload.token


def _copy_item(session: Session, item: EvidenceItem, target: Submission) -> EvidenceItem:
    data = item.model_dump(exclude={"id", "submission_id", "client_uuid", "created_at"})
    copy = EvidenceItem(**data, submission_id=target.id, client_uuid=new_uuid())
    session.add(copy)
    session.commit()
    return copy


def _personal_things(session: Session, seeded: Seeded, device_json: dict, app) -> None:
    owner = seeded.users["owner"]
    notice = make_notification(session, owner, "Hello", url="/inbox")
    passkey = Passkey(credential_id="matrix-passkey", user_id=owner.id, public_key=b"key")
    session.add(passkey)
    session.commit()
    keys = device_json["keys"]
    device = make_push_subscription(
        session, owner, endpoint=device_json["endpoint"], p256dh=keys["p256dh"], auth=keys["auth"]
    )
    # A second signed-in browser of the owner's: the one "sign out this device" ends.
    spare = start_session_for(app, owner.id, "spare")
    seeded.ids.update(
        notice=notice.id,
        passkey=passkey.id,
        subscription=device.id,
        spare_session=session_hash(spare),
        link_token=devicelinks.create_device_link(session=session, user=owner, ttl_seconds=3600),
    )


def _cohorts(session: Session, seeded: Seeded, home: int, away: int) -> None:
    users = seeded.users
    # Removing a member uses it up: the coach and the admin each get their own.
    extras = {who: make_user(session, "teacher", org_id=home) for who in ("*", "admin")}
    mine = make_cohort(
        session,
        users["coach"],
        "Matrix Cohort",
        org_id=home,
        members=[users["owner"], *extras.values()],
    )
    # An open invitation for the owner: answering it is theirs alone.
    theirs = make_cohort(
        session, users["far_coach"], "Far Cohort", org_id=away, invited=[users["owner"]]
    )
    seeded.ids.update(
        cohort=mine.id,
        cohort_code=mine.invite_code,
        cohort_member=users["owner"].id,
        invited_cohort=theirs.id,
        extra_member={who: extra.id for who, extra in extras.items()},
    )


def _roster(session: Session, seeded: Seeded, home) -> None:
    """A roster preview of the home admin's, and a home teacher for the People actions."""
    token, _ = roster.store_upload(
        session=session,
        org=home,
        admin=seeded.users["admin"],
        filename="matrix.csv",
        data=b"name,email,role\nRoster Person,roster.person@matrix.example.org,teacher\n",
    )
    person = make_user(session, "teacher", org_id=home.id)
    seeded.ids.update(roster_token=token, roster_person=person.id)


def _admin_targets(session: Session, seeded: Seeded, credential, home: int) -> None:
    """A claim whose lease ran out (an admin releases it) and a person to give roles to."""
    lapsed = make_submission(session, seeded.users["owner"], credential)
    make_review(session, lapsed, seeded.users["assessor"], hours=-1)
    seeded.ids.update(
        lapsed_claim=lapsed.id, role_target=make_user(session, "teacher", org_id=home).id
    )


def _comment_bank(session: Session, seeded: Seeded, credential, home: int) -> None:
    """A criterion to add phrases to, and a home-district phrase for each remover."""
    criterion = session.exec(
        select(RubricCriterion).where(RubricCriterion.credential_id == credential.id)
    ).first()
    assert criterion is not None
    phrases = {
        who: CommentPhrase(
            criterion_id=criterion.id,
            org_id=home,
            text=f"Clear example ({who})",
            created_by=seeded.users["assessor"].id,
        )
        for who in ("assessor", "admin")
    }
    session.add_all(phrases.values())
    session.commit()
    seeded.ids.update(
        criterion=criterion.id,
        phrase={"*": phrases["assessor"].id, "admin": phrases["admin"].id},
    )


def _scoring_draft(session: Session, seeded: Seeded, credential) -> None:
    """An attempt the home assessor has claimed: only they may save or read its draft."""
    drafting = make_submission(session, seeded.users["owner"], credential)
    make_review(session, drafting, seeded.users["assessor"])
    seeded.ids["drafting"] = drafting.id


def _calibration(session: Session, seeded: Seeded, stack, home: int) -> None:
    """A second credential of the stack with a home anchor (the owner's decided attempt):
    the matrix credential itself stays ungated, so claims there still go through."""
    calibrated = make_credential(session, stack=stack, slug="matrix-calibrated", criteria=2)
    attempt = make_submission(session, seeded.users["owner"], calibrated)
    make_review(session, attempt, seeded.users["earner"], decision="awarded")
    anchor = make_anchor(
        session, attempt, org_id=home, by=seeded.users["admin"], truth=(True, False)
    )
    seeded.ids.update(calibrated=calibrated.id, anchor=anchor.id)
