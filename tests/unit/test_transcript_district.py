"""The district admin's credit-hour report: only their own district's unrevoked awards,
whole days of the admin's time zone, both ends included; bad dates are refused."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from server.badges.issuing import Issuing
from server.errors import Forbidden, InvalidInput, NotFound
from server.transcript.district import (
    DateRange,
    credit_hours_by_teacher,
    district_of_admin,
    parse_range,
)
from tests.support.factories import make_org, make_user
from tests.support.transcript import signed_award


@pytest.fixture
def issuing(tmp_path):
    return Issuing(public_url="https://chalkmark.test", instance_dir=tmp_path)


@pytest.fixture
def world(session):
    home, far = make_org(session, name="Home"), make_org(session, name="Far")
    return {
        "home": home,
        "far": far,
        "admin": make_user(session, "admin", org_id=home.id, timezone="America/New_York"),
        "far_admin": make_user(session, "admin", org_id=far.id),
        "coach": make_user(session, "coach", org_id=home.id),
        "maya": make_user(session, "teacher", name="Maya", org_id=home.id),
        "ben": make_user(session, "teacher", name="Ben", org_id=home.id),
        "far_teacher": make_user(session, "teacher", name="Faraway", org_id=far.id),
    }


def test_only_an_admin_of_that_district_reads_it(session, world):
    slug = world["home"].slug
    assert district_of_admin(session=session, admin=world["admin"], slug=slug) == world["home"]
    with pytest.raises(NotFound):
        district_of_admin(session=session, admin=world["far_admin"], slug=slug)
    with pytest.raises(NotFound):
        district_of_admin(session=session, admin=world["admin"], slug="no-such-district")
    for who in ("coach", "maya"):
        with pytest.raises(Forbidden):
            district_of_admin(session=session, admin=world[who], slug=slug)


def test_hours_per_teacher_in_the_range_of_this_district_only(session, world, issuing):
    in_range = datetime(2025, 10, 1, 15, tzinfo=UTC)
    signed_award(session, world["maya"], issuing=issuing, hours=2.5, at=in_range)
    signed_award(session, world["maya"], issuing=issuing, hours=1, at=in_range)
    signed_award(session, world["maya"], issuing=issuing, hours=9, at=in_range, revoked=True)
    signed_award(
        session, world["ben"], issuing=issuing, hours=3, at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    signed_award(session, world["far_teacher"], issuing=issuing, hours=5, at=in_range)
    # Earned while Ben taught in the far district: the far district issued those hours.
    signed_award(session, world["ben"], issuing=issuing, hours=7, at=in_range, org=world["far"])
    rows = credit_hours_by_teacher(
        session=session,
        org=world["home"],
        admin=world["admin"],
        period=DateRange(date(2025, 7, 1), date(2026, 6, 30)),
    )
    assert [(r.name, r.credentials, r.hours) for r in rows] == [("Maya", 2, Decimal("3.5"))]
    far = credit_hours_by_teacher(
        session=session,
        org=world["far"],
        admin=world["far_admin"],
        period=DateRange(date(2025, 7, 1), date(2026, 6, 30)),
    )
    assert sorted((r.name, r.hours) for r in far) == [("Ben", 7), ("Faraway", 5)]


def test_the_range_is_whole_days_in_the_admins_time_zone(session, world, issuing):
    # 1 Oct 02:00 UTC is still 30 September in New York.
    signed_award(session, world["maya"], issuing=issuing, at=datetime(2025, 10, 1, 2, tzinfo=UTC))

    def report(start: date, end: date):
        return credit_hours_by_teacher(
            session=session, org=world["home"], admin=world["admin"], period=DateRange(start, end)
        )

    assert len(report(date(2025, 9, 30), date(2025, 9, 30))) == 1
    assert report(date(2025, 10, 1), date(2025, 10, 31)) == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "2025-01-01", "Enter the start date."),
        ("2025-01-01", None, "Enter the end date."),
        ("2025-02-30", "2025-03-01", "The start date must be a date like 2025-07-01."),
        ("2025-01-01", "tomorrow", "The end date must be a date like 2025-07-01."),
        ("2025-03-02", "2025-03-01", "The start date must be on or before the end date."),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(start, end, message):
    with pytest.raises(InvalidInput) as refused:
        parse_range(start, end)
    assert refused.value.message == message


def test_one_day_is_a_range():
    assert parse_range(" 2025-03-01 ", "2025-03-01") == DateRange(
        date(2025, 3, 1), date(2025, 3, 1)
    )
