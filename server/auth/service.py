"""Accounts: who a person is (name, email, handle, time zone) and the passkeys they keep.

Plain functions over a Session; no Flask. The WebAuthn ceremonies live in passkeys.py,
recovery codes in recovery.py, one-time device links in devicelinks.py.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from server import access, timezones
from server.auth import devicelinks, recovery
from server.auth.sessions import SessionStore
from server.errors import InvalidInput
from server.models import DistrictSettings, Passkey, Role, User, Visibility, utcnow

MAX_NAME = 80
MAX_EMAIL = 254
MAX_NICKNAME = 80
HANDLE_LENGTH = 30
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


@dataclass(frozen=True)
class Profile:
    display_name: str
    email: str | None


def clean_display_name(value: str | None) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise InvalidInput("Please enter your name.", field="display_name")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"Please keep your name to {MAX_NAME} characters or fewer.", field="display_name"
        )
    return name


def clean_email(value: str | None) -> str | None:
    email = (value or "").strip().lower()
    if not email:
        return None
    if len(email) > MAX_EMAIL or not EMAIL_PATTERN.match(email):
        raise InvalidInput(
            "Please enter an email address like name@school.org, or leave it empty.", field="email"
        )
    return email


def email_taken(*, session: Session, email: str, except_user_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return session.exec(query).first() is not None


def check_new_profile(
    *, session: Session, display_name: str | None, email: str | None, user_id: int | None = None
) -> Profile:
    """Validated name and email for a new or changed account (email unique, any case)."""
    profile = Profile(clean_display_name(display_name), clean_email(email))
    if profile.email and email_taken(session=session, email=profile.email, except_user_id=user_id):
        raise InvalidInput(
            "That email address already belongs to a Chalkmark account. "
            "Sign in with it instead, or use another address.",
            field="email",
        )
    return profile


def handle_base(display_name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:HANDLE_LENGTH].strip("-")
    return base or "teacher"


def unique_handle(*, session: Session, display_name: str) -> str:
    """The display name as a URL-friendly handle, numbered when it is taken already."""
    base = handle_base(display_name)
    taken = set(
        session.exec(
            select(User.handle).where((User.handle == base) | User.handle.like(f"{base}-%"))
        ).all()
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def new_webauthn_user_id() -> str:
    return secrets.token_urlsafe(32)


def create_user(
    *,
    session: Session,
    profile: Profile,
    roles: str = Role.TEACHER.value,
    webauthn_user_id: str | None = None,
    timezone: str = "UTC",
    org_id: int | None = None,
) -> User:
    """Adds (and flushes) the user; the caller commits with whatever else belongs to it.
    A member of a district starts with the district's leaderboard visibility."""
    user = User(
        handle=unique_handle(session=session, display_name=profile.display_name),
        display_name=profile.display_name,
        email=profile.email,
        roles=roles,
        timezone=timezone,
        webauthn_user_id=webauthn_user_id or new_webauthn_user_id(),
        org_id=org_id,
        leaderboard_visibility=new_member_visibility(session=session, org_id=org_id),
    )
    session.add(user)
    session.flush()
    return user


def new_member_visibility(*, session: Session, org_id: int | None) -> str:
    """The leaderboard visibility a new member of the district starts with."""
    row = session.get(DistrictSettings, org_id) if org_id is not None else None
    return row.default_visibility if row else Visibility.COHORT.value


def ensure_webauthn_user_id(*, session: Session, user: User) -> str:
    """People created before they had a passkey (seeded, invited) get their handle now."""
    if not user.webauthn_user_id:
        user.webauthn_user_id = new_webauthn_user_id()
        session.add(user)
        session.commit()
    return user.webauthn_user_id


def create_admin(
    *, session: Session, display_name: str, email: str | None, link_ttl_seconds: int
) -> tuple[User, str]:
    """An admin with no passkey yet, and a one-time link (raw token) to add their first."""
    profile = check_new_profile(session=session, display_name=display_name, email=email)
    user = create_user(session=session, profile=profile, roles=Role.ADMIN.value)
    token = devicelinks.create_device_link(session=session, user=user, ttl_seconds=link_ttl_seconds)
    session.refresh(user)  # loaded now, so the caller may read it after its session ends
    return user, token


def time_zones() -> tuple[str, ...]:
    return timezones.names()


COMMON_ZONES_SHOWN = 8


def common_time_zones(*, session: Session, user: User) -> list[str]:
    """The zones most people of the user's district use (one grouped query), then the
    usual US zones, the user's own first: a short list to pick from before searching."""
    in_district = User.org_id.is_(None) if user.org_id is None else User.org_id == user.org_id
    rows = session.exec(
        select(User.timezone)
        .where(in_district)
        .group_by(User.timezone)
        .order_by(func.count().desc(), User.timezone)
        .limit(COMMON_ZONES_SHOWN)
    ).all()
    zones = [user.timezone, *rows, *timezones.DEFAULT_COMMON]
    known = set(timezones.names())
    return list(dict.fromkeys(z for z in zones if z in known))[:COMMON_ZONES_SHOWN]


def update_profile(
    *,
    session: Session,
    user: User,
    display_name: str | None,
    email: str | None,
    timezone: str | None,
) -> User:
    profile = check_new_profile(
        session=session, display_name=display_name, email=email, user_id=user.id
    )
    zone = timezones.clean_name(timezone, blank=None)
    user.display_name, user.email, user.timezone = profile.display_name, profile.email, zone
    session.add(user)
    session.commit()
    return user


def set_time_zone(*, session: Session, user: User, timezone: str | None) -> User:
    user.timezone = timezones.clean_name(timezone, blank=None)
    session.add(user)
    session.commit()
    return user


# --- the passkeys a person keeps --------------------------------------------------------


def list_passkeys(*, session: Session, user: User) -> list[Passkey]:
    return list(
        session.exec(
            select(Passkey)
            .where(Passkey.user_id == user.id)
            .order_by(Passkey.created_at, Passkey.id)
        ).all()
    )


def own_passkey(*, session: Session, user: User, passkey_id: int) -> Passkey:
    """Only the owner's passkeys exist for them: anyone else's looks like nothing at all."""
    return access.owned(
        session, Passkey, passkey_id, user.id, "We couldn't find that passkey on your account."
    )


def clean_nickname(value: str | None) -> str:
    nickname = " ".join((value or "").split())
    if not nickname:
        raise InvalidInput(
            "Please give the passkey a name, like “School laptop”.", field="nickname"
        )
    if len(nickname) > MAX_NICKNAME:
        raise InvalidInput(
            f"Please keep the name to {MAX_NICKNAME} characters or fewer.", field="nickname"
        )
    return nickname


def rename_passkey(
    *, session: Session, user: User, passkey_id: int, nickname: str | None
) -> Passkey:
    passkey = own_passkey(session=session, user=user, passkey_id=passkey_id)
    passkey.nickname = clean_nickname(nickname)
    session.add(passkey)
    session.commit()
    return passkey


def remove_passkey(
    *, session: Session, user: User, passkey_id: int, sessions: SessionStore
) -> Passkey:
    """Refuses to remove the last passkey unless a recovery code can still get them in.
    Every session signed in with it ends: a lost phone's browser is signed out too."""
    passkey = own_passkey(session=session, user=user, passkey_id=passkey_id)
    others = session.exec(
        select(func.count())
        .select_from(Passkey)
        .where(Passkey.user_id == user.id, Passkey.id != passkey.id)
    ).one()
    if not others and not recovery.unused_count(session=session, user=user):
        raise InvalidInput(
            "This is your only passkey, so you couldn't sign in without it. Add another "
            "passkey or make recovery codes first, then remove this one."
        )
    session.delete(passkey)
    session.commit()
    sessions.end_made_with(session=session, user_id=user.id, passkey_id=passkey.id)
    return passkey


def deactivate_user(*, session: Session, user: User, sessions: SessionStore) -> User:
    """Switches the account off: it can't sign in any more, and every session ends now."""
    if user.deactivated_at is None:
        user.deactivated_at = utcnow()
        session.add(user)
        session.commit()
    sessions.end_all(session=session, user_id=user.id)
    return user


def user_by_handle(*, session: Session, handle: str) -> User | None:
    return session.exec(select(User).where(User.handle == handle)).first()
