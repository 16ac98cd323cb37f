"""Demo data for `make run` and the e2e suite: the catalog, Riverbend's people, a cohort and
submissions in every state. Call it on an empty database only (the CLI checks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from server.coach import nudges
from server.demo.calibration import seed_review_trust
from server.demo.content import CredentialContent, demo_stacks
from server.demo.game import seed_game
from server.demo.people import DEMO_HANDLES
from server.demo.submissions import seed_submissions
from server.game import ledger
from server.models import (
    AssessorAppointment,
    Cohort,
    CohortMember,
    Credential,
    CredentialStatus,
    EvidenceRequirement,
    MemberStatus,
    Nudge,
    Org,
    RubricCriterion,
    Stack,
    User,
    utcnow,
)
from server.storage import Storage
from server.submissions.rigour import word_range_in

TIMEZONE = "America/Chicago"
EMAIL_DOMAIN = "riverbend.example.org"

# handle, display name, roles, school
CAST = (
    (DEMO_HANDLES["teacher"], "Maya Okafor", "teacher", "Lincoln Elementary"),
    (DEMO_HANDLES["assessor"], "Jordan Reyes", "teacher,assessor", "Riverbend Middle School"),
    (DEMO_HANDLES["coach"], "Sam Whitfield", "teacher,coach", "Riverbend District Office"),
    (DEMO_HANDLES["admin"], "Alex Morgan", "admin", "Riverbend District Office"),
)
TEACHERS = (
    ("priya", "Priya Natarajan", "Lincoln Elementary"),
    ("diego", "Diego Alvarez", "Jefferson Elementary"),
    ("hannah", "Hannah Lindqvist", "Riverbend Middle School"),
    ("marcus", "Marcus Bell", "Riverbend High School"),
    ("lena", "Lena Kowalski", "Jefferson Elementary"),
    ("omar", "Omar Haddad", "Riverbend Middle School"),
    ("grace", "Grace Liu", "Lincoln Elementary"),
    ("tomas", "Tomás Rivera", "Riverbend High School"),
)


@dataclass
class SeededCredential:
    credential: Credential
    requirements: list[EvidenceRequirement]
    criteria: list[RubricCriterion]


def seed_demo(*, session: Session, storage: Storage | None = None) -> str:
    stacks, catalog = _seed_catalog(session)
    org = Org(slug="riverbend", name="Riverbend Unified School District")
    session.add(org)
    session.flush()
    people = _seed_people(session, org)
    _appoint_assessor(
        session, people[DEMO_HANDLES["assessor"]], people[DEMO_HANDLES["admin"]], stacks
    )
    _seed_cohort(session, org, people)
    submissions = seed_submissions(session=session, people=people, catalog=catalog, storage=storage)
    session.flush()
    game_summary = seed_game(session=session)
    trust_summary = seed_review_trust(
        session=session,
        org_id=org.id,
        people=people,
        catalog=catalog,
        stacks=stacks,
        storage=storage,
    )
    # Submissions and the older game history were paid out of time order: level notices
    # then say when each level was really reached, and with what total.
    ledger.redate_level_notices(session=session, user_ids=[p.id for p in people.values()])
    session.commit()
    return (
        f"{len(stacks)} stacks, {len(catalog)} micro-credentials, {len(people)} people, "
        f"1 cohort, {submissions} submissions; {game_summary}; {trust_summary}"
    )


def _seed_catalog(session: Session) -> tuple[list[Stack], dict[str, SeededCredential]]:
    stacks: list[Stack] = []
    catalog: dict[str, SeededCredential] = {}
    for stack_position, content in enumerate(demo_stacks()):
        stack = Stack(
            slug=content.slug,
            title=content.title,
            summary=content.summary,
            category=content.category,
            published=True,
            position=stack_position,
        )
        session.add(stack)
        session.flush()
        stacks.append(stack)
        for position, item in enumerate(content.credentials):
            catalog[item.slug] = _seed_credential(session, stack, item, position)
    return stacks, catalog


def _seed_credential(
    session: Session, stack: Stack, item: CredentialContent, position: int
) -> SeededCredential:
    credential = Credential(
        stack_id=stack.id,
        slug=item.slug,
        title=item.title,
        competency=item.competency,
        key_method=item.key_method,
        method_components="\n".join(item.components),
        research=item.research,
        resources="\n".join(item.resources),
        points=item.points,
        credit_hours=item.credit_hours,
        status=CredentialStatus.PUBLISHED.value,
        position=position,
    )
    session.add(credential)
    session.flush()
    requirements = []
    for index, req in enumerate(item.requirements):
        # "(300 to 500 words)" in a prompt is a range the submit check enforces.
        min_words, max_words = word_range_in(req.prompt)
        requirements.append(
            EvidenceRequirement(
                credential_id=credential.id,
                position=index,
                kind=req.kind,
                prompt=req.prompt,
                min_count=req.min_count,
                max_count=req.max_count,
                min_words=min_words,
                max_words=max_words,
            )
        )
    criteria = [
        RubricCriterion(
            credential_id=credential.id,
            position=index,
            title=crit.title,
            met_descriptor=crit.met,
            not_yet_descriptor=crit.not_yet,
        )
        for index, crit in enumerate(item.criteria)
    ]
    session.add_all([*requirements, *criteria])
    session.flush()
    return SeededCredential(credential, requirements, criteria)


def _seed_people(session: Session, org: Org) -> dict[str, User]:
    rows = [*CAST, *((handle, name, "teacher", school) for handle, name, school in TEACHERS)]
    people = {}
    for handle, name, roles, school in rows:
        people[handle] = User(
            handle=handle,
            display_name=name,
            email=f"{handle}@{EMAIL_DOMAIN}",
            roles=roles,
            org_id=org.id,
            school=school,
            timezone=TIMEZONE,
        )
    session.add_all(people.values())
    session.flush()
    return people


def _appoint_assessor(session: Session, assessor: User, admin: User, stacks: list[Stack]) -> None:
    session.add_all(
        AssessorAppointment(user_id=assessor.id, stack_id=stack.id, appointed_by=admin.id)
        for stack in stacks
    )


def _seed_cohort(session: Session, org: Org, people: dict[str, User]) -> None:
    cohort = Cohort(name="Early Adopters", org_id=org.id, coach_id=people[DEMO_HANDLES["coach"]].id)
    session.add(cohort)
    session.flush()
    members = [DEMO_HANDLES["teacher"], *(handle for handle, _, _ in TEACHERS)]
    # The cohort started five weeks ago; Tomás joined this week (new, so not stalled yet).
    # Grace, whose draft is 18 days old, is the one stalled member; her coach nudged her.
    now = utcnow()
    session.add_all(
        CohortMember(
            cohort_id=cohort.id,
            user_id=people[h].id,
            status=MemberStatus.ACTIVE.value,
            joined_at=now - timedelta(days=4 if h == "tomas" else 35),
        )
        for h in members
    )
    nudged = now - timedelta(days=6)
    session.add(
        Nudge(
            coach_id=cohort.coach_id,
            user_id=people["grace"].id,
            message=nudges.personalise(nudges.template_text("draft"), people["grace"]),
            created_at=nudged,
            deliver_after=nudged,
            day=nudged.date(),
            sent_at=nudged,
        )
    )
