"""A double-blind world: a district scoring double blind, a teacher with a name and a
school that must never reach a blind assessor, two assessors, a third, and a lead."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.catalog.service import criteria_for
from server.models import (
    AssessorAppointment,
    Credential,
    DistrictSettings,
    Org,
    Submission,
    User,
)
from tests.support.factories import appoint, make_credential, make_org, make_submission, make_user

TEACHER_NAME = "Dana Whitfield"
SCHOOL = "Maple Ridge Elementary"


@dataclass
class PairWorld:
    org: Org
    credential: Credential
    teacher: User
    first: User
    second: User
    third: User
    lead: User
    submission: Submission


def district_mode(session: Session, org: Org, mode: str) -> None:
    session.add(
        DistrictSettings(
            org_id=org.id,
            review_target_days=7,
            default_visibility="cohort",
            quiet_start_hour=21,
            quiet_end_hour=7,
            game_points="{}",
            game_levels="0,250,750,1500",
            scoring_mode=mode,
        )
    )
    session.commit()


def make_pair_world(session: Session, *, blind_district: bool = False) -> PairWorld:
    org = make_org(session, blind_review=blind_district)
    district_mode(session, org, "double_blind")
    credential = make_credential(session, title="Number-line reasoning", criteria=2)
    teacher = make_user(session, name=TEACHER_NAME, school=SCHOOL, org_id=org.id)
    people = [
        make_user(session, "assessor", name=name, org_id=org.id)
        for name in ("Jordan Lee", "Riley Chen", "Sam Ortiz", "Morgan Reyes")
    ]
    for person in people[:3]:
        appoint(session, person, credential)
    session.add(
        AssessorAppointment(user_id=people[3].id, stack_id=credential.stack_id, is_lead=True)
    )
    session.commit()
    submission = make_submission(session, teacher, credential)
    return PairWorld(org, credential, teacher, *people, submission)


def scores_for(
    session: Session, credential: Credential, met: list[bool], comment: str
) -> dict[int, tuple[bool | None, str]]:
    criteria = criteria_for(session=session, credential_id=credential.id)
    return {c.id: (flag, f"{comment} ({c.title})") for c, flag in zip(criteria, met, strict=True)}
