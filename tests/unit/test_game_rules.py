"""Every point rule pays what it should, once, through the hooks other areas call."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.config import Settings
from server.game import service as game
from server.game import streaks
from server.game.profile import total_points
from server.models import Notification, Stack
from tests.support.factories import (
    make_award,
    make_credential,
    make_review,
    make_submission,
    make_user,
    set_status,
)
from tests.support.game import events, game_settings


def test_first_submission_pays_once_per_credential_whatever_the_retries(session):
    teacher = make_user(session)
    credential = make_credential(session)
    first = make_submission(session, teacher, credential)
    for _ in range(3):
        game.on_submission(session=session, submission=first)
    second = make_submission(session, teacher, credential, attempt=2)
    game.on_submission(session=session, submission=second)
    session.commit()
    paid = events(session, teacher, "first_submission")
    assert [(e.points, e.ref) for e in paid] == [(10, f"credential:{credential.id}")]


def test_earning_pays_the_credentials_own_points_once(session):
    teacher = make_user(session)
    credential = make_credential(session, points=175)
    submission = make_submission(session, teacher, credential, status="awarded")
    game.on_decision(session=session, submission=submission, decision="awarded")
    game.on_decision(session=session, submission=submission, decision="awarded")
    session.commit()
    assert [e.points for e in events(session, teacher, "credential_earned")] == [175]
    assert events(session, teacher, "persistence") == []


def test_not_yet_pays_nothing(session):
    teacher = make_user(session)
    submission = make_submission(session, teacher, make_credential(session), status="not_yet")
    game.on_decision(session=session, submission=submission, decision="not_yet")
    session.commit()
    assert events(session, teacher) == []


@pytest.mark.parametrize("returned_by", ["status", "review"])
def test_earning_after_a_not_yet_pays_the_persistence_bonus_once(session, returned_by):
    teacher, assessor = make_user(session), make_user(session, "assessor")
    credential = make_credential(session)
    if returned_by == "status":
        make_submission(session, teacher, credential, status="not_yet")
    else:  # the first attempt's status moved on, but its review said "not yet"
        earlier = make_submission(session, teacher, credential, status="withdrawn")
        make_review(session, earlier, assessor, decision="not_yet")
        set_status(session, earlier, "withdrawn")
    retry = make_submission(session, teacher, credential, status="awarded", attempt=2)
    for _ in range(2):
        game.on_decision(session=session, submission=retry, decision="awarded")
    session.commit()
    assert [e.points for e in events(session, teacher, "persistence")] == [40]
    assert len(events(session, teacher, "credential_earned")) == 1


def test_completing_a_stack_pays_once_and_ignores_drafts_and_revoked_awards(session):
    teacher = make_user(session)
    first = make_credential(session)
    stack_id = first.stack_id
    stack = session.get(Stack, stack_id)
    second = make_credential(session, stack=stack)
    make_credential(session, stack=stack, status="draft")  # not published: not needed
    make_award(session, teacher, first, revoked=True)  # revoked: does not count
    attempt = make_submission(session, teacher, second, status="awarded")
    make_award(session, teacher, second, attempt)
    game.on_decision(session=session, submission=attempt, decision="awarded")
    session.commit()
    assert events(session, teacher, "stack_completed") == []

    again = make_submission(session, teacher, first, status="awarded", attempt=2)
    # The award row is written by the reviewer's code in the same transaction; the hook
    # must count the credential being awarded now even before that row exists.
    game.on_decision(session=session, submission=again, decision="awarded")
    game.on_decision(session=session, submission=again, decision="awarded")
    session.commit()
    paid = events(session, teacher, "stack_completed")
    assert [(e.points, e.ref) for e in paid] == [(150, f"stack:{stack_id}")]


def test_a_completed_review_pays_nothing_by_default(session):
    teacher, assessor = make_user(session), make_user(session, "assessor")
    submission = make_submission(session, teacher, make_credential(session), status="awarded")
    review = make_review(session, submission, assessor, decision="awarded")
    game.on_review_completed(session=session, review=review)
    game.on_review_completed(session=session, review=review)
    session.commit()
    # Off by default: reviewing does not climb the boards teachers' evidence climbs.
    assert events(session, assessor, "review_completed") == []
    assert events(session, teacher) == []


def test_a_district_that_pays_for_reviews_pays_once(session, monkeypatch, tmp_path):
    monkeypatch.setenv("CHALKMARK_GAME_POINTS", "review_completed=20")
    teacher, assessor = make_user(session), make_user(session, "assessor")
    submission = make_submission(session, teacher, make_credential(session), status="awarded")
    review = make_review(session, submission, assessor, decision="awarded")
    with game_settings(Settings.from_env(instance_dir=tmp_path)):
        game.on_review_completed(session=session, review=review)
        game.on_review_completed(session=session, review=review)
    session.commit()
    paid = events(session, assessor, "review_completed")
    assert [(e.points, e.ref) for e in paid] == [(20, f"review:{review.id}")]


def test_an_undecided_review_pays_nothing(session):
    teacher, assessor = make_user(session), make_user(session, "assessor")
    submission = make_submission(session, teacher, make_credential(session))
    review = make_review(session, submission, assessor)  # claimed, not decided
    game.on_review_completed(session=session, review=review)
    session.commit()
    assert events(session, assessor) == []


@pytest.mark.parametrize("kind", ["login", "page_view", "upload", "sign_in"])
def test_logins_page_views_and_uploads_count_for_nothing(session, kind):
    teacher = make_user(session)
    game.on_activity(session=session, user_id=teacher.id, kind=kind)
    session.commit()
    assert streaks.current(session=session, user=teacher).weeks == 0
    assert events(session, teacher) == []


def test_values_are_configurable(session, monkeypatch, tmp_path):
    monkeypatch.setenv("CHALKMARK_GAME_POINTS", "first_submission=3, review_completed=7")
    teacher, assessor = make_user(session), make_user(session, "assessor")
    submission = make_submission(session, teacher, make_credential(session))
    with game_settings(Settings.from_env(instance_dir=tmp_path)):
        game.on_submission(session=session, submission=submission)
        game.on_review_completed(
            session=session, review=make_review(session, submission, assessor, decision="awarded")
        )
    session.commit()
    assert [e.points for e in events(session, teacher)] == [3]
    assert [e.points for e in events(session, assessor)] == [7]


def test_hooks_leave_the_commit_to_the_caller(session, engine):
    """A hook only flushes: when the caller rolls back, no points and no totals remain."""
    teacher = make_user(session)
    credential = make_credential(session, points=900)
    submission = make_submission(session, teacher, credential, status="awarded")
    with Session(engine) as caller:
        caller.add(Notification(user_id=teacher.id, kind="test", title="caller's own row"))
        game.on_decision(session=caller, submission=submission, decision="awarded")
        caller.rollback()
    with Session(engine) as fresh:
        assert events(fresh, teacher) == []
        assert total_points(session=fresh, user_id=teacher.id) == 0
        assert fresh.exec(select(Notification)).all() == []


def test_a_duplicate_does_not_poison_the_callers_transaction(session, engine):
    teacher = make_user(session)
    submission = make_submission(session, teacher, make_credential(session))
    game.on_submission(session=session, submission=submission)
    session.commit()
    with Session(engine) as caller:
        caller.add(Notification(user_id=teacher.id, kind="test", title="still saved"))
        caller.flush()
        game.on_submission(session=caller, submission=submission)  # already paid
        caller.add(Notification(user_id=teacher.id, kind="test", title="after the hook"))
        caller.commit()
    with Session(engine) as fresh:
        titles = {n.title for n in fresh.exec(select(Notification))}
        assert titles == {"still saved", "after the hook"}
        assert len(events(fresh, teacher)) == 1


@pytest.mark.parametrize("value", ["bogus=3", "persistence=lots", "persistence"])
def test_bad_point_values_stop_the_start_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("CHALKMARK_GAME_POINTS", value)
    with pytest.raises(ValueError, match="CHALKMARK_GAME_POINTS"):
        Settings.from_env()


def test_the_app_installs_its_point_values(tmp_path):
    from server import create_app
    from server.game import levels, rules

    with game_settings(Settings.from_env(instance_dir=tmp_path)):
        create_app(
            Settings.from_env(
                instance_dir=tmp_path,
                testing=True,
                game_points={"persistence": 5},
                game_levels=(0, 1, 2, 3),
            )
        )
        assert rules.points_for(rules.PERSISTENCE) == 5
        assert levels.level_for(2).name == "Mentor"
