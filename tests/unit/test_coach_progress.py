"""The cohort dashboard: states per member and credential, last activity, filters."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from server.coach import progress, service
from server.models import CohortMember, EvidenceItem, Stack, Submission, utcnow
from tests.support.factories import make_credential, make_user

NOW = utcnow()


def days_ago(days: float):
    return NOW - timedelta(days=days)


def submission(session, user, credential, status, *, attempt=1, updated=0, submitted=None,
               decided=None):
    row = Submission(user_id=user.id, credential_id=credential.id, status=status,
                     attempt=attempt, created_at=days_ago(updated), updated_at=days_ago(updated),
                     submitted_at=None if submitted is None else days_ago(submitted),
                     decided_at=None if decided is None else days_ago(decided))
    session.add(row)
    session.commit()
    return row


def test_states_activity_and_filters(session):
    coach = make_user(session, "coach")
    cohort = service.create_cohort(session=session, coach=coach, name="Early Adopters")
    stack = Stack(slug="fractions", title="Fractions Foundations", position=1)
    session.add(stack)
    session.commit()
    numbers = make_credential(session, stack=stack, title="Fractions as Numbers")
    line = make_credential(session, stack=stack, title="Number-line reasoning")
    untouched = make_credential(session, title="Nobody started this")
    people = {name: make_user(session, name=name) for name in
              ("Ana", "Ben", "Cy", "Dee", "Eve")}
    for user in people.values():
        service.join(session=session, cohort=cohort, user=user)
    # Everyone joined long ago, so "no activity" counts as stalled.
    for row in session.exec(select(CohortMember)).all():
        row.joined_at = days_ago(60)
        session.add(row)
    session.commit()

    # Ana: earned on a second attempt after a not yet, 3 days ago.
    submission(session, people["Ana"], numbers, "not_yet", attempt=1, updated=20, decided=20)
    submission(session, people["Ana"], numbers, "awarded", attempt=2, updated=3, decided=3)
    # Ben: "not yet" 10 days ago, never resubmitted.
    submission(session, people["Ben"], numbers, "not_yet", updated=10, decided=10)
    # Cy: a draft untouched for 9 days; its last evidence is 8 days old.
    draft = submission(session, people["Cy"], line, "draft", updated=9)
    session.add(EvidenceItem(submission_id=draft.id, requirement_id=1, client_uuid="e1",
                             kind="text", created_at=days_ago(8)))
    # Dee: draft updated long ago but evidence added yesterday: active, not idle.
    dee_draft = submission(session, people["Dee"], line, "draft", updated=30)
    session.add(EvidenceItem(submission_id=dee_draft.id, requirement_id=1, client_uuid="e2",
                             kind="text", created_at=days_ago(1)))
    session.commit()
    # Eve: nothing at all.

    board = progress.dashboard(session=session, cohort=cohort, now=NOW)

    assert [s.title for s in board.stacks] == ["Fractions Foundations"]
    assert [c.title for c in board.credentials] == ["Fractions as Numbers",
                                                      "Number-line reasoning"]
    assert untouched.id not in {c.id for c in board.credentials}
    rows = {row.user.display_name: row for row in board.rows}
    assert rows["Ana"].cell(numbers.id).state == "earned"
    assert rows["Ana"].cell(line.id).state == "not_started"
    assert rows["Ben"].cell(numbers.id).state == "not_yet"
    assert rows["Cy"].cell(line.id).state == "draft"
    assert rows["Cy"].last_activity == days_ago(8)
    assert rows["Dee"].last_activity == days_ago(1)
    assert rows["Eve"].last_activity is None
    assert rows["Ana"].flags == set()
    assert rows["Ben"].flags == {"not_yet_idle"}
    assert rows["Cy"].flags == {"draft_idle"}
    assert rows["Dee"].flags == set()
    assert rows["Eve"].flags == {"stalled"}
    assert board.counts == {"all": 5, "stalled": 1, "not_yet_idle": 1, "draft_idle": 1}

    def shown(name):
        board = progress.dashboard(session=session, cohort=cohort, filter_name=name, now=NOW)
        return [row.user.display_name for row in board.rows]

    assert shown("stalled") == ["Eve"]
    assert shown("not_yet_idle") == ["Ben"]
    assert shown("draft_idle") == ["Cy"]
    assert shown("nonsense") == ["Ana", "Ben", "Cy", "Dee", "Eve"]


def test_a_new_member_with_nothing_started_is_not_stalled(session):
    coach = make_user(session, "coach")
    cohort = service.create_cohort(session=session, coach=coach, name="New")
    newcomer = make_user(session, name="Newcomer")
    service.join(session=session, cohort=cohort, user=newcomer)
    session.commit()
    board = progress.dashboard(session=session, cohort=cohort)
    assert board.rows[0].flags == set() and board.counts["stalled"] == 0


def test_stalled_means_no_activity_and_not_joined_in_14_days(session):
    coach = make_user(session, "coach")
    cohort = service.create_cohort(session=session, coach=coach, name="Old")
    quiet = make_user(session, name="Quiet")
    service.join(session=session, cohort=cohort, user=quiet)
    session.commit()
    submission(session, quiet, make_credential(session), "submitted", updated=20,
               submitted=20)

    just_joined = progress.dashboard(session=session, cohort=cohort, now=NOW)
    later = progress.dashboard(session=session, cohort=cohort, now=NOW + timedelta(days=15))

    assert "stalled" not in just_joined.rows[0].flags  # joined today: a grace period
    assert "stalled" in later.rows[0].flags
    assert later.rows[0].cell(later.credentials[0].id).state == "submitted"
