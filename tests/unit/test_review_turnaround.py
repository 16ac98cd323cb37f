"""Turnaround: one definition of "past the target" (calendar days), and the past-target
notice to the district's admins, sent once per submission by `chalkmark review overdue`."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from server.models import (
    DistrictSettings,
    Notification,
    ReviewOverdueNotice,
    SubmissionStatus,
    utcnow,
)
from server.review.overdue import OVERDUE_KIND, _claim, notify_overdue
from server.review.turnaround import turnaround
from tests.support.factories import (
    appoint,
    make_credential,
    make_org,
    make_submission,
    make_user,
)
from tests.support.web import sign_in_as


def test_age_reads_against_the_target():
    now = utcnow()
    assert turnaround(None, now, 5) is None
    within = turnaround(now - timedelta(days=3, hours=2), now, 5)
    assert within and not within.overdue and within.label == "3 days — target 5 days"
    just_past = turnaround(now - timedelta(days=5, hours=1), now, 5)
    assert just_past and just_past.overdue and just_past.days_past == 0
    assert just_past.label == "past the target by under a day"
    late = turnaround(now - timedelta(days=7, hours=3), now, 5)
    assert late and late.overdue and late.days_past == 2
    assert late.label == "2 days past the target"
    exactly = turnaround(now - timedelta(days=1), now, 1)
    assert exactly and not exactly.overdue and exactly.label == "1 day — target 1 day"


def _target(session: Session, org_id: int, days: int) -> None:
    session.add(
        DistrictSettings(
            org_id=org_id,
            review_target_days=days,
            default_visibility="cohort",
            quiet_start_hour=21,
            quiet_end_hour=7,
            game_points="{}",
            game_levels="",
        )
    )
    session.commit()


def _notices(session: Session) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.kind == OVERDUE_KIND)))


def test_each_admin_is_told_once_per_submission_past_the_target(engine, runner):
    with Session(engine, expire_on_commit=False) as session:
        home, far = make_org(session), make_org(session)
        _target(session, home.id, 3)
        admins = [make_user(session, "admin", org_id=home.id) for _ in range(2)]
        far_admin = make_user(session, "admin", org_id=far.id)
        credential = make_credential(session, title="Questioning <Skills>")
        teacher = make_user(session, name="Tess Teacher", org_id=home.id)
        now = utcnow()
        late = make_submission(session, teacher, credential, submitted_at=now - timedelta(days=4))
        other = make_credential(session)
        make_submission(session, teacher, other, submitted_at=now - timedelta(days=2))
        decided = make_credential(session)
        make_submission(
            session,
            teacher,
            decided,
            status=SubmissionStatus.AWARDED,
            submitted_at=now - timedelta(days=9),
        )
        # The far district's default target (7 days) is not passed after 5 days.
        far_teacher = make_user(session, org_id=far.id)
        make_submission(session, far_teacher, credential, submitted_at=now - timedelta(days=5))
        # Nobody outside every district is told (there is no admin to tell).
        make_submission(session, make_user(session), other, submitted_at=now - timedelta(days=30))
        admin_ids, far_admin_id = sorted(a.id for a in admins), far_admin.id

    first = runner.invoke(args=["review", "overdue"])
    assert first.exit_code == 0, first.output
    assert "1 submission(s) newly past the target; 2 notice(s) sent." in first.output
    second = runner.invoke(args=["review", "overdue"])
    assert second.exit_code == 0, second.output
    assert "0 submission(s) newly past the target; 0 notice(s) sent." in second.output

    with Session(engine) as session:
        notices = _notices(session)
        assert sorted(n.user_id for n in notices) == admin_ids
        assert far_admin_id not in {n.user_id for n in notices}
        assert all(n.url == f"/review/{late.id}" for n in notices)
        assert "Questioning <Skills>" in notices[0].title
        assert "1 day past the target" in notices[0].body
        assert "Tess" not in notices[0].title + notices[0].body  # never the teacher's name
        assert [r.submission_id for r in session.exec(select(ReviewOverdueNotice))] == [late.id]


def test_a_racing_run_that_missed_the_first_runs_row_inserts_and_tells_nothing(engine):
    """Two runs that both saw the submission as not yet announced: the key lets one in."""
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        make_user(session, "admin", org_id=org.id)
        teacher = make_user(session, org_id=org.id)
        late = make_submission(
            session, teacher, make_credential(session), submitted_at=utcnow() - timedelta(days=8)
        )
    row = [{"submission_id": late.id, "notified_at": utcnow()}]
    with Session(engine) as one:
        assert notify_overdue(session=one).notices == 1
        one.commit()
    with Session(engine) as two:
        assert _claim(two, row) == set()  # what the late run's insert gets: nothing
        two.commit()
    with Session(engine) as session:
        assert len(_notices(session)) == 1
        assert len(session.exec(select(ReviewOverdueNotice)).all()) == 1


def test_the_queue_page_shows_each_items_age_against_the_districts_target(client, engine):
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        _target(session, org.id, 5)
        credential = make_credential(session)
        assessor = make_user(session, "assessor", org_id=org.id)
        appoint(session, assessor, credential)
        now = utcnow()
        for days in (3, 7):
            teacher = make_user(session, org_id=org.id)
            make_submission(session, teacher, credential, submitted_at=now - timedelta(days=days))
    sign_in_as(client, assessor)
    page = client.get("/review").get_data(as_text=True)
    assert "3 days — target 5 days" in page
    flagged = '<span aria-hidden="true">⚠ </span>2 days past the target'
    assert f'class="tag tag-warn turnaround-overdue">{flagged}' in page
