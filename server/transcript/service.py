"""A teacher's credit-hour transcript: every earned credential with its date (in the
teacher's time zone), issuer and credit hours, and totals per school year (1 July –
30 June) and overall. No Flask here.

Title, issuer and hours come from the signed Open Badges credential when there is one:
that is what a licensure office verifies, and it does not change when a district later
remaps a credential's hours. A revoked award is listed (the teacher should see why a
credential no longer counts) but never counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from server import timezones
from server.models import Award, Credential, Org, StackAward, User

SCHOOL_YEAR_STARTS = 7  # July: a school year runs 1 July – 30 June
NO_DISTRICT = "Chalkmark"  # the instance issues for teachers in no district


def zone_of(user: User) -> ZoneInfo:
    return timezones.zone(user.timezone)


def school_year_of(day: date) -> int:
    """The calendar year the school year containing `day` started in."""
    return day.year if day.month >= SCHOOL_YEAR_STARTS else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}–{(start_year + 1) % 100:02d}"


def hours_text(hours: Decimal) -> str:
    """2.5 → "2.5", 3.0 → "3", 0.25 → "0.25": the way a person writes hours."""
    text = f"{hours.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class TranscriptRow:
    award_uuid: str
    title: str
    issuer: str
    hours: Decimal
    issued_on: date  # in the teacher's time zone
    revoked_on: date | None
    revocation_reason: str | None
    verifiable: bool  # a signed credential with a verification page
    private: bool  # its verification page opens for the teacher only

    @property
    def counted(self) -> bool:
        return self.revoked_on is None

    @property
    def school_year(self) -> int:
        return school_year_of(self.issued_on)


@dataclass(frozen=True)
class StackRow:
    """A stack credential: listed with its link, never counted (its hours are its
    members')."""

    uuid: str
    title: str
    issuer: str
    issued_on: date
    revoked_on: date | None
    revocation_reason: str | None


@dataclass(frozen=True)
class YearTotal:
    start_year: int
    hours: Decimal
    credentials: int

    @property
    def label(self) -> str:
        return school_year_label(self.start_year)


@dataclass(frozen=True)
class Transcript:
    teacher_name: str
    district: str
    timezone: str
    rows: list[TranscriptRow]
    years: list[YearTotal] = field(default_factory=list)
    district_slug: str | None = None
    stacks: list[StackRow] = field(default_factory=list)

    @property
    def earned(self) -> list[TranscriptRow]:
        return [row for row in self.rows if row.counted]

    @property
    def total_hours(self) -> Decimal:
        return sum((row.hours for row in self.earned), Decimal(0))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def signed_terms(award: Award, credential: Credential, org: Org | None) -> tuple[str, str, Decimal]:
    """(title, issuer, hours) as signed, or from the catalog for an unsigned award."""
    if award.ob3_json:
        document = json.loads(award.ob3_json)
        subject = document.get("credentialSubject", {})
        return (
            document.get("name", credential.title),
            document.get("issuer", {}).get("name", NO_DISTRICT),
            Decimal(str(subject.get("creditsEarned", credential.credit_hours))),
        )
    return (
        credential.title,
        org.name if org else NO_DISTRICT,
        Decimal(str(credential.credit_hours)),
    )


def local_date(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def _row(award: Award, credential: Credential, org: Org | None, zone: ZoneInfo) -> TranscriptRow:
    title, issuer, hours = signed_terms(award, credential, org)
    return TranscriptRow(
        award_uuid=award.uuid,
        title=title,
        issuer=issuer,
        hours=hours,
        issued_on=local_date(award.issued_at, zone),
        revoked_on=local_date(award.revoked_at, zone) if award.revoked_at else None,
        revocation_reason=award.revocation_reason,
        verifiable=award.ob3_json is not None,
        private=award.visibility == "private",
    )


def year_totals(rows: list[TranscriptRow]) -> list[YearTotal]:
    """Counted hours per school year, the latest year first."""
    totals: dict[int, tuple[Decimal, int]] = {}
    for row in rows:
        if row.counted:
            hours, count = totals.get(row.school_year, (Decimal(0), 0))
            totals[row.school_year] = (hours + row.hours, count + 1)
    return [
        YearTotal(year, hours, count)
        for year, (hours, count) in sorted(totals.items(), reverse=True)
    ]


def transcript_for(*, session: Session, teacher: User) -> Transcript:
    zone = zone_of(teacher)
    found = session.execute(
        select(Award, Credential, Org)
        .join(Credential, Credential.id == Award.credential_id)
        .outerjoin(Org, Org.id == Award.org_id)
        .where(Award.user_id == teacher.id)
        .order_by(Award.issued_at.desc(), Award.id.desc())
    ).all()
    rows = [_row(award, credential, org, zone) for award, credential, org in found]
    district = session.get(Org, teacher.org_id) if teacher.org_id else None
    stacks = [
        StackRow(
            uuid=stack_award.uuid,
            title=json.loads(stack_award.ob3_json or "{}").get("name", ""),
            issuer=org.name if org else NO_DISTRICT,
            issued_on=local_date(stack_award.issued_at, zone),
            revoked_on=local_date(stack_award.revoked_at, zone) if stack_award.revoked_at else None,
            revocation_reason=stack_award.revocation_reason,
        )
        for stack_award, org in session.execute(
            select(StackAward, Org)
            .outerjoin(Org, Org.id == StackAward.org_id)
            .where(StackAward.user_id == teacher.id, StackAward.ob3_json.is_not(None))
            .order_by(StackAward.issued_at.desc(), StackAward.id.desc())
        ).all()
    ]
    return Transcript(
        teacher_name=teacher.display_name,
        district=district.name if district else "No district",
        timezone=str(zone),
        rows=rows,
        years=year_totals(rows),
        district_slug=district.slug if district else None,
        stacks=stacks,
    )
