"""Calibration worlds: a district with an admin, a credential with four criteria, decided
attempts marked as anchors with true scores, an appointed assessor who must calibrate,
and a live attempt waiting in the queue (used by web, unit and e2e tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from server.catalog.service import criteria_for
from server.models import (
    AnchorScore,
    CalibrationAnchor,
    Credential,
    Org,
    RubricCriterion,
    Submission,
    User,
)
from tests.support.factories import (
    appoint,
    make_credential,
    make_org,
    make_review,
    make_submission,
    make_user,
)

TRUTHS = ((True, True, False, True), (True, False, True, True), (False, True, True, False))
TEACHER, SCHOOL = "Theodora Quill", "Willowmere Middle"


def make_anchor(
    session: Session, submission: Submission, *, org_id: int | None, by: User, truth: Sequence[bool]
) -> CalibrationAnchor:
    anchor = CalibrationAnchor(
        submission_id=submission.id,
        credential_id=submission.credential_id,
        org_id=org_id,
        created_by=by.id,
    )
    session.add(anchor)
    session.flush()
    criteria = criteria_for(session=session, credential_id=submission.credential_id)
    session.add_all(
        AnchorScore(anchor_id=anchor.id, criterion_id=c.id, met=met)
        for c, met in zip(criteria, truth, strict=True)
    )
    session.commit()
    session.refresh(anchor)
    return anchor


@dataclass
class CalibrationWorld:
    org: Org
    admin: User
    assessor: User  # appointed, not calibrated
    other_assessor: User  # appointed too, calibrating on nothing
    teacher: User
    credential: Credential
    criteria: list[RubricCriterion]
    anchors: list[CalibrationAnchor]
    live: Submission  # waiting in the queue
    decided: Submission  # decided, not an anchor: the admin's to mark
    far_admin: User
    far_assessor: User
    open_credential: Credential = field(repr=False, default=None)  # type: ignore[assignment]

    def truth(self, number: int) -> dict[int, bool]:
        return dict(zip((c.id for c in self.criteria), TRUTHS[number], strict=True))


def make_calibration_world(session: Session, *, anchors: int = 3) -> CalibrationWorld:
    org, far = make_org(session, name="Calibrated District"), make_org(session, name="Far Away")
    admin = make_user(session, "admin", name="Cal Admin", org_id=org.id)
    credential = make_credential(session, criteria=4, title="Questioning Strategies")
    people = {
        name: make_user(session, "teacher", "assessor", name=name, org_id=org.id)
        for name in ("Avery Assessor", "Olu Other")
    }
    far_assessor = make_user(session, "assessor", name="Far Assessor", org_id=far.id)
    for person in (*people.values(), far_assessor):
        appoint(session, person, credential)
    teacher = make_user(session, "teacher", name=TEACHER, school=SCHOOL, org_id=org.id)
    marker = make_user(session, "assessor", name="Earlier Marker", org_id=org.id)
    made = []
    for number in range(anchors):
        attempt = make_submission(session, teacher, credential)
        make_review(session, attempt, marker, decision="awarded")
        made.append(make_anchor(session, attempt, org_id=org.id, by=admin, truth=TRUTHS[number]))
    decided = make_submission(session, teacher, credential)
    make_review(session, decided, marker, decision="not_yet", feedback="More, please.")
    open_credential = make_credential(session, criteria=2, title="Open Credential")
    for person in people.values():
        appoint(session, person, open_credential)
    world = CalibrationWorld(
        org=org,
        admin=admin,
        assessor=people["Avery Assessor"],
        other_assessor=people["Olu Other"],
        teacher=teacher,
        credential=credential,
        criteria=criteria_for(session=session, credential_id=credential.id),
        anchors=made,
        live=make_submission(session, teacher, credential),
        decided=decided,
        far_admin=make_user(session, "admin", name="Far Admin", org_id=far.id),
        far_assessor=far_assessor,
        open_credential=open_credential,
    )
    return world


def scores_form(world: CalibrationWorld, attempt_id: int, met: Sequence[bool]) -> dict:
    form = {"attempt": str(attempt_id)}
    form.update(
        {f"met_{c.id}": "met" if m else "not_yet" for c, m in zip(world.criteria, met, strict=True)}
    )
    return form
