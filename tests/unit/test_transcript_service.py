"""The transcript's numbers: school years run 1 July – 30 June in the teacher's time zone,
revoked awards are listed but never counted, hours are the signed ones."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from server.badges.issuing import Issuing
from server.models import Credential
from server.transcript.service import (
    hours_text,
    school_year_label,
    school_year_of,
    transcript_for,
)
from tests.support.factories import make_org, make_user
from tests.support.transcript import signed_award


@pytest.fixture
def issuing(tmp_path):
    return Issuing(public_url="https://chalkmark.test", instance_dir=tmp_path)


@pytest.fixture
def teacher(session):
    org = make_org(session, name="Riverbend Unified")
    return make_user(
        session, "teacher", name="Maya Patel", org_id=org.id, timezone="America/Los_Angeles"
    )


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2025, 6, 30), 2024),
        (date(2025, 7, 1), 2025),
        (date(2026, 1, 15), 2025),
        (date(2026, 6, 30), 2025),
        (date(2026, 7, 1), 2026),
    ],
)
def test_a_school_year_runs_from_july_to_june(day, start):
    assert school_year_of(day) == start


def test_labels_and_hours_read_as_a_person_writes_them():
    assert school_year_label(2025) == "2025–26" and school_year_label(2099) == "2099–00"
    assert [hours_text(Decimal(v)) for v in ("2.5", "3.0", "0.25", "10")] == [
        "2.5",
        "3",
        "0.25",
        "10",
    ]


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 18, tzinfo=UTC)  # midday in California


def test_totals_by_school_year_leave_revoked_awards_out(session, issuing, teacher):
    signed_award(session, teacher, issuing=issuing, title="A", hours=2.5, at=at(2024, 9, 1))
    signed_award(session, teacher, issuing=issuing, title="B", hours=1.5, at=at(2025, 3, 1))
    signed_award(session, teacher, issuing=issuing, title="C", hours=3, at=at(2025, 8, 1))
    signed_award(
        session, teacher, issuing=issuing, title="D", hours=4, at=at(2025, 9, 1), revoked=True
    )
    transcript = transcript_for(session=session, teacher=teacher)
    assert [(y.label, y.hours, y.credentials) for y in transcript.years] == [
        ("2025–26", Decimal(3), 1),
        ("2024–25", Decimal(4), 2),
    ]
    assert transcript.total_hours == Decimal("7")
    assert [row.title for row in transcript.rows] == ["D", "C", "B", "A"]
    assert [row.title for row in transcript.earned] == ["C", "B", "A"]
    assert transcript.rows[0].revoked_on is not None and not transcript.rows[0].counted
    assert transcript.district == "Riverbend Unified"


def test_the_date_and_school_year_are_the_teachers_local_ones(session, issuing, teacher):
    # 1 July 03:00 UTC is still 30 June in California: last school year, not this one.
    signed_award(session, teacher, issuing=issuing, at=datetime(2025, 7, 1, 3, tzinfo=UTC))
    row = transcript_for(session=session, teacher=teacher).rows[0]
    assert row.issued_on == date(2025, 6, 30) and row.school_year == 2024
    teacher.timezone = "Europe/Paris"
    row = transcript_for(session=session, teacher=teacher).rows[0]
    assert row.issued_on == date(2025, 7, 1) and row.school_year == 2025


def test_an_unknown_time_zone_falls_back_to_utc(session, issuing, teacher):
    signed_award(session, teacher, issuing=issuing, at=datetime(2025, 7, 1, 3, tzinfo=UTC))
    teacher.timezone = "Mars/Olympus_Mons"
    transcript = transcript_for(session=session, teacher=teacher)
    assert transcript.timezone == "UTC" and transcript.rows[0].issued_on == date(2025, 7, 1)


def test_hours_are_the_signed_ones_when_a_district_remaps_later(session, issuing, teacher):
    award = signed_award(session, teacher, issuing=issuing, hours=2.5)
    credential = session.get(Credential, award.credential_id)
    credential.credit_hours = 10
    session.add(credential)
    session.commit()
    assert transcript_for(session=session, teacher=teacher).total_hours == Decimal("2.5")


def test_another_teachers_awards_never_appear(session, issuing, teacher):
    other = make_user(session, "teacher", org_id=teacher.org_id)
    signed_award(session, other, issuing=issuing, title="Theirs")
    transcript = transcript_for(session=session, teacher=teacher)
    assert transcript.rows == [] and transcript.total_hours == 0 and transcript.years == []
