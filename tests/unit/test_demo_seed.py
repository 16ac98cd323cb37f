"""The demo seed: the whole catalog, Riverbend's people, and submissions in every state."""

from collections import Counter

import pytest
from sqlmodel import select

from server.demo.content import demo_stacks
from server.demo.people import DEMO_HANDLES
from server.demo.seed import seed_demo
from server.models import (
    AssessorAppointment,
    Award,
    Cohort,
    CohortMember,
    Credential,
    CriterionScore,
    EvidenceItem,
    EvidenceRequirement,
    Notification,
    PointEvent,
    Review,
    RubricCriterion,
    Stack,
    Submission,
    SubmissionStatus,
    User,
)

# Awards are signed as Open Badges with the app's issuer settings.
pytestmark = pytest.mark.usefixtures("app")

EXPECTED = {
    "Learning Differences": ["Motivation", "Working Memory", "Executive Function"],
    "Fractions Foundations": [
        "Fractions as Numbers",
        "Equivalent Fractions",
        "Number-Line Reasoning",
    ],
    "Classroom Technology": ["Collaborative Docs in Class", "Formative Checks with Forms"],
    "Formative Assessment": ["Checking for Understanding"],
}


@pytest.fixture
def seeded(session):
    summary = seed_demo(session=session)
    session.expire_all()
    return summary


def _user(session, handle):
    return session.exec(select(User).where(User.handle == handle)).one()


def test_summary_line_counts_what_was_made(seeded):
    assert seeded.startswith("4 stacks, 9 micro-credentials, 12 people")
    assert "\n" not in seeded


def test_every_stack_and_credential_exists_with_a_category(session, seeded):
    stacks = session.exec(select(Stack).order_by(Stack.position)).all()
    assert [s.title for s in stacks] == list(EXPECTED)
    assert all(s.published and s.category and s.summary for s in stacks)
    for stack in stacks:
        titles = session.exec(
            select(Credential.title)
            .where(Credential.stack_id == stack.id)
            .order_by(Credential.position)
        ).all()
        assert titles == EXPECTED[stack.title]


def test_every_credential_is_complete(session, seeded):
    for credential in session.exec(select(Credential)).all():
        criteria = session.exec(
            select(RubricCriterion).where(RubricCriterion.credential_id == credential.id)
        ).all()
        kinds = [
            r.kind
            for r in session.exec(
                select(EvidenceRequirement).where(
                    EvidenceRequirement.credential_id == credential.id
                )
            ).all()
        ]
        assert 3 <= len(criteria) <= 5, credential.slug
        assert 2 <= len(kinds) <= 4, credential.slug
        assert "text" in kinds and ({"photo", "file"} & set(kinds)), credential.slug
        assert all(c.met_descriptor and c.not_yet_descriptor for c in criteria)
        assert 3 <= len(credential.method_components.splitlines()) <= 5
        assert 2 <= len(credential.resources.splitlines()) <= 4
        assert 100 <= credential.points <= 200 and 1.5 <= credential.credit_hours <= 3.0
        assert credential.competency and credential.key_method and credential.research


def test_content_uses_every_evidence_kind():
    kinds = {r.kind for stack in demo_stacks() for c in stack.credentials for r in c.requirements}
    assert kinds == {"photo", "video", "file", "text", "link"}


def test_people_org_and_roles(session, seeded):
    users = session.exec(select(User)).all()
    assert len(users) == 14  # the cast, eight teachers, the archive and a second assessor
    assert all(u.org_id and u.school and u.timezone == "America/Chicago" for u in users)
    roles = {h: _user(session, h).role_set for h in DEMO_HANDLES.values()}
    assert roles == {
        "maya": {"teacher"},
        "jordan": {"teacher", "assessor"},
        "sam": {"teacher", "coach"},
        "alex": {"admin"},
    }


def test_jordan_is_appointed_for_every_stack(session, seeded):
    jordan = _user(session, "jordan")
    appointed = session.exec(
        select(AssessorAppointment.stack_id).where(AssessorAppointment.user_id == jordan.id)
    ).all()
    assert sorted(appointed) == sorted(session.exec(select(Stack.id)).all())


def test_early_adopters_cohort_is_coached_by_sam(session, seeded):
    cohort = session.exec(select(Cohort)).one()
    assert cohort.name == "Early Adopters" and cohort.coach_id == _user(session, "sam").id
    members = session.exec(
        select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    ).all()
    assert len(members) == 9 and _user(session, "maya").id in members


def test_submissions_exist_in_every_state(session, seeded):
    states = Counter(session.exec(select(Submission.status)).all())
    assert set(states) == {s.value for s in SubmissionStatus}
    maya = _user(session, "maya")
    mine = {
        s.status
        for s in session.exec(select(Submission).where(Submission.user_id == maya.id)).all()
    }
    assert {"draft", "submitted", "not_yet", "awarded"} <= mine


def test_queue_waits_between_one_and_six_days(session, seeded):
    from server.models import utcnow

    waiting = session.exec(select(Submission).where(Submission.status == "submitted")).all()
    ages = [(utcnow() - s.submitted_at).days for s in waiting]
    assert len(waiting) >= 4 and all(1 <= age <= 6 for age in ages)


def test_in_review_is_claimed_by_jordan_and_undecided(session, seeded):
    from server.models import utcnow

    submission = session.exec(select(Submission).where(Submission.status == "in_review")).one()
    review = session.exec(select(Review).where(Review.submission_id == submission.id)).one()
    assert review.assessor_id == _user(session, "jordan").id
    assert review.decision is None and review.claimed_until > utcnow()


@pytest.mark.parametrize("status, all_met", [("not_yet", False), ("awarded", True)])
def test_decided_submissions_have_scored_reviews_and_notices(session, seeded, status, all_met):
    maya = _user(session, "maya")
    submission = session.exec(
        select(Submission).where(Submission.user_id == maya.id, Submission.status == status)
    ).one()
    review = session.exec(select(Review).where(Review.submission_id == submission.id)).one()
    assert review.decision == status and review.feedback and review.decided_at
    scores = session.exec(select(CriterionScore).where(CriterionScore.review_id == review.id)).all()
    criteria = session.exec(
        select(RubricCriterion).where(RubricCriterion.credential_id == submission.credential_id)
    ).all()
    assert len(scores) == len(criteria) and all(s.comment for s in scores)
    assert all(s.met for s in scores) is all_met
    award = session.exec(select(Award).where(Award.submission_id == submission.id)).first()
    assert (award is not None) is all_met
    notices = session.exec(
        select(Notification).where(
            Notification.user_id == maya.id, Notification.url == f"/submissions/{submission.id}"
        )
    ).all()
    assert len(notices) == 1


def test_evidence_has_every_kind_with_unique_client_ids(session, seeded):
    items = session.exec(select(EvidenceItem)).all()
    assert items and {i.kind for i in items} == {"text", "link", "photo", "file"}
    assert len({i.client_uuid for i in items}) == len(items)
    assert all(i.blob_key is None for i in items)  # no store given: rows only
    draft = session.exec(
        select(Submission).where(
            Submission.status == "draft", Submission.user_id == _user(session, "maya").id
        )
    ).one()
    assert any(i.submission_id == draft.id and i.kind == "text" for i in items)


def test_sent_attempts_obey_the_rigour_guards(session, seeded, tmp_path):
    from server.review.guards import empty_required_parts
    from server.submissions.rigour import word_problems

    ranged = session.exec(
        select(EvidenceRequirement).where(EvidenceRequirement.min_words.is_not(None))
    ).all()
    assert len(ranged) == 7 and {(r.min_words, r.max_words) for r in ranged} == {(300, 500)}
    sent = session.exec(
        select(Submission).where(
            Submission.status.not_in([SubmissionStatus.DRAFT.value, "withdrawn"])
        )
    ).all()
    assert len(sent) >= 8
    for submission in sent:
        assert empty_required_parts(session=session, submission=submission) == [], submission
        assert word_problems(session=session, submission=submission) == [], submission


def test_with_a_store_the_demo_photos_and_files_open(app, tmp_path):
    from sqlmodel import Session

    from server.storage import LocalStorage

    storage = LocalStorage(tmp_path)
    with Session(app.extensions["db_engine"]) as session:
        seed_demo(session=session, storage=storage)
        photos = session.exec(select(EvidenceItem).where(EvidenceItem.kind == "photo")).all()
    assert photos and all(p.blob_key and p.thumb_key for p in photos)
    assert max(photos[0].width, photos[0].height) <= 1600
    assert storage.open(photos[0].blob_key).read(3) == b"\xff\xd8\xff"


def test_level_notices_name_the_total_when_the_level_was_reached(session, seeded):
    notices = session.exec(select(Notification).where(Notification.kind == "level")).all()
    assert notices
    for notice in notices:
        stated = int(notice.body.split()[3])  # "Your total was N points when …"

        def paid(before_or_at, notice=notice):
            return sum(
                session.exec(
                    select(PointEvent.points).where(
                        PointEvent.user_id == notice.user_id, before_or_at(PointEvent.created_at)
                    )
                ).all()
            )

        before = paid(lambda at, notice=notice: at < notice.created_at)
        then = paid(lambda at, notice=notice: at <= notice.created_at)
        assert before < stated <= then, (notice.body, before, then)
