"""The district admin's report for HR and licensure: credit hours the district issued per
teacher between two dates. Only an admin of the district reads it, and every query is
scoped to the district that issued the award (Award.org_id). No Flask here.

Dates are whole days in the admin's time zone, both ends included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from server.access import is_admin
from server.errors import Forbidden, InvalidInput, NotFound
from server.models import Award, Credential, Org, User, utcnow
from server.transcript.service import (
    SCHOOL_YEAR_STARTS,
    hours_text,
    local_date,
    school_year_of,
    signed_terms,
    zone_of,
)

HEADER = ["teacher", "email", "school", "credentials", "credit_hours", "from", "to"]


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # included


@dataclass(frozen=True)
class TeacherHours:
    name: str
    email: str
    school: str
    credentials: int
    hours: Decimal


def district_of_admin(*, session: Session, admin: User, slug: str) -> Org:
    """The district named by `slug`, when `admin` administers it; 404 for any other
    district (its existence is not ours to confirm), 403 for someone who is no admin."""
    if not is_admin(admin):
        raise Forbidden("Only a district admin can download credit hours.")
    org = session.execute(select(Org).where(Org.slug == slug)).scalars().first()
    if org is None or org.id != admin.org_id:
        raise NotFound("We couldn't find that district.")
    return org


def _day(text: str | None, label: str, field: str) -> date:
    if text is None or not text.strip():
        raise InvalidInput(f"Enter the {label} date.", field=field)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"The {label} date must be a date like 2025-07-01.", field=field
        ) from None


def parse_range(start_text: str | None, end_text: str | None) -> DateRange:
    start, end = _day(start_text, "start", "from"), _day(end_text, "end", "to")
    if start > end:
        raise InvalidInput("The start date must be on or before the end date.", field="from")
    return DateRange(start, end)


def this_school_year(admin: User) -> DateRange:
    today = local_date(utcnow(), zone_of(admin))
    return DateRange(date(school_year_of(today), SCHOOL_YEAR_STARTS, 1), today)


def _bounds(period: DateRange, admin: User) -> tuple[datetime, datetime]:
    zone = zone_of(admin)
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def credit_hours_by_teacher(
    *, session: Session, org: Org, admin: User, period: DateRange
) -> list[TeacherHours]:
    """Unrevoked awards `org` issued in the period, summed per teacher (by name)."""
    start, end = _bounds(period, admin)
    found = session.execute(
        select(Award, Credential, User)
        .join(Credential, Credential.id == Award.credential_id)
        .join(User, User.id == Award.user_id)
        .where(
            Award.org_id == org.id,
            Award.revoked_at.is_(None),
            Award.issued_at >= start,
            Award.issued_at < end,
        )
        .order_by(User.display_name, User.id)
    ).all()
    totals: dict[int, TeacherHours] = {}
    for award, credential, teacher in found:
        hours = signed_terms(award, credential, org)[2]
        before = totals.get(teacher.id)
        totals[teacher.id] = TeacherHours(
            name=teacher.display_name,
            email=teacher.email or "",
            school=teacher.school or "",
            credentials=(before.credentials if before else 0) + 1,
            hours=(before.hours if before else Decimal(0)) + hours,
        )
    return list(totals.values())


def csv_rows(teachers: list[TeacherHours], period: DateRange) -> Iterator[list[object]]:
    for teacher in teachers:
        yield [
            teacher.name,
            teacher.email,
            teacher.school,
            teacher.credentials,
            hours_text(teacher.hours),
            period.start.isoformat(),
            period.end.isoformat(),
        ]
