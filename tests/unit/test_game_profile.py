"""Levels, the one-time celebration, the progress page's data and the SVG chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.config import Settings
from server.errors import InvalidInput
from server.game import chart, ledger, levels, profile
from server.models import Stack
from tests.support.factories import make_award, make_credential, make_submission, make_user
from tests.support.game import game_settings


@pytest.mark.parametrize(
    ("total", "number", "name", "next_at"),
    [
        (0, 1, "Explorer", 250),
        (249, 1, "Explorer", 250),
        (250, 2, "Practitioner", 750),
        (749, 2, "Practitioner", 750),
        (750, 3, "Mentor", 1500),
        (1500, 4, "Master", None),
        (99999, 4, "Master", None),
    ],
)
def test_levels_from_thresholds(total, number, name, next_at):
    level = levels.level_for(total)
    assert (level.number, level.name, level.next_at) == (number, name, next_at)


def test_progress_to_the_next_level():
    level = levels.level_for(400)
    assert level.progress(400) == (150, 500)
    assert level.to_next(400) == 350
    assert levels.level_for(2000).progress(2000) == (1, 1)


def test_thresholds_are_configurable(monkeypatch, tmp_path):
    monkeypatch.setenv("CHALKMARK_GAME_LEVELS", "0,10,20,30")
    with game_settings(Settings.from_env(instance_dir=tmp_path)):
        assert levels.level_for(25).name == "Mentor"
    assert levels.level_for(25).name == "Explorer"


@pytest.mark.parametrize("value", ["5,1,x", "0,10,20", "0,30,20,40", "10,20,30,40"])
def test_bad_thresholds_stop_the_start_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("CHALKMARK_GAME_LEVELS", value)
    with pytest.raises(ValueError, match="CHALKMARK_GAME_LEVELS"):
        Settings.from_env()


def test_the_celebration_shows_once_per_level(session):
    teacher = make_user(session)
    ledger.pay(session=session, user_id=teacher.id, rule="credential_earned", ref="c:1", points=300)
    session.commit()
    first = profile.build(session=session, user=teacher)
    session.commit()
    again = profile.build(session=session, user=teacher)
    assert first.celebrate is not None and first.celebrate.name == "Practitioner"
    assert again.celebrate is None
    ledger.pay(session=session, user_id=teacher.id, rule="credential_earned", ref="c:2", points=500)
    session.commit()
    assert profile.build(session=session, user=teacher).celebrate.name == "Mentor"


def test_no_celebration_for_the_first_level(session):
    teacher = make_user(session)
    assert profile.build(session=session, user=teacher).celebrate is None


def test_profile_gathers_badges_stacks_and_recent_points(session):
    teacher = make_user(session)
    first = make_credential(session, title="Working Memory")
    stack = session.get(Stack, first.stack_id)
    second = make_credential(session, stack=stack, title="Motivation")
    make_award(session, teacher, first)
    make_submission(session, teacher, second, status="draft")
    ledger.pay(
        session=session,
        user_id=teacher.id,
        rule="credential_earned",
        ref=f"credential:{first.id}",
        points=100,
    )
    session.commit()
    data = profile.build(session=session, user=teacher)
    assert [b.title for b in data.badges] == ["Working Memory"]
    assert [(s.title, s.earned, s.total, s.complete) for s in data.stacks] == [
        (stack.title, 1, 2, False)
    ]
    assert [(r.label, r.detail, r.points) for r in data.recent] == [
        ("Credential earned", "Working Memory", 100)
    ]
    assert data.total == 100 and data.chart.series[-1].total == 100


def test_chart_series_is_cumulative_and_counts_earlier_weeks():
    weekly = {"2025-W40": 100, "2026-W02": 20, "2026-W04": 50, "2026-W09": 999}
    window = ["2026-W02", "2026-W03", "2026-W04"]
    series = chart.cumulative(weekly, window)
    assert [(p.week, p.gained, p.total) for p in series] == [
        ("2026-W02", 20, 120),
        ("2026-W03", 0, 120),
        ("2026-W04", 50, 170),
    ]


def test_chart_geometry_fits_the_view_box():
    series = chart.cumulative(
        {"2026-W01": 40, "2026-W03": 35}, [f"2026-W{n:02d}" for n in range(1, 13)]
    )
    drawn = chart.build(series)
    assert drawn.y_ticks[-1][1] == 100  # 75 rounds up to a tidy axis
    xs = [d.x for d in drawn.dots]
    ys = [d.y for d in drawn.dots]
    assert xs == sorted(xs) and min(xs) >= 0 and max(xs) <= drawn.width
    assert all(0 <= y <= drawn.baseline for y in ys)
    assert ys[0] > ys[-1]  # more points sit higher
    assert len(drawn.x_labels) == 6


def test_chart_of_nobody_yet_is_flat_at_zero(session):
    teacher = make_user(session)
    drawn = profile.build(
        session=session, user=teacher, now=datetime(2026, 3, 4, tzinfo=UTC) + timedelta(hours=1)
    ).chart
    assert {d.y for d in drawn.dots} == {drawn.baseline}
    assert drawn.series[-1].week == "2026-W10"


def test_visibility_choices_are_checked(session):
    teacher = make_user(session)
    profile.set_visibility(session=session, user=teacher, visibility="anonymous")
    assert teacher.leaderboard_visibility == "anonymous"
    with pytest.raises(InvalidInput):
        profile.set_visibility(session=session, user=teacher, visibility="everyone")
