"""Game wording that is true: each ledger line names what it paid for, and a level notice
is dated when the level was reached, with the total at that moment."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from server.game import ledger, profile
from server.models import NoticeKind, Notification
from tests.support.factories import make_credential, make_review, make_submission, make_user


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def test_ledger_lines_name_the_credential_they_paid_for(session):
    teacher = make_user(session, "teacher", "assessor")
    credential = make_credential(session, title="Fractions as Numbers")
    review = make_review(session, make_submission(session, make_user(session), credential), teacher)
    for rule, ref in (
        ("credential_earned", f"credential:{credential.id}"),
        ("credential_earned", f"demo:credential:{credential.id}"),  # the demo's history
        ("review_completed", f"review:{review.id}"),
    ):
        ledger.pay(session=session, user_id=teacher.id, rule=rule, ref=ref, points=200)
    lines = {(r.label, r.detail) for r in profile.build(session=session, user=teacher).recent}
    assert lines == {
        ("Credential earned", "Fractions as Numbers"),
        ("Completed a review", "Fractions as Numbers"),
    }


def test_a_level_notice_says_the_total_when_the_level_was_reached(session):
    teacher = make_user(session, "teacher")
    # History arrives out of order (the demo, an import): the last payment is dated
    # earliest, so in time order the level (250) was reached on the 20th, with 300.
    for ref, points, day in (("a", 200, 20), ("b", 30, 25), ("c", 100, 5)):
        ledger.pay(
            session=session, user_id=teacher.id, rule="r", ref=ref, points=points, at=_at(day)
        )
    notice = session.exec(
        select(Notification).where(
            Notification.user_id == teacher.id, Notification.kind == NoticeKind.LEVEL
        )
    ).one()
    assert notice.title == "You reached level 2: Practitioner!"
    assert notice.body == (
        "Your total was 300 points when you reached it (Practitioner starts at 250)."
    )
    assert notice.created_at.replace(tzinfo=UTC) == _at(20)
