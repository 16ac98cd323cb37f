"""Accounts: handles, profile checks, recovery codes, device links, passkey management."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from server.auth import devicelinks, passkeys, recovery, service
from server.auth.sessions import DatabaseSessions
from server.errors import Expired, InvalidInput, NotFound
from server.models import DeviceLink, Passkey, RecoveryCode, User, utcnow
from tests.support.ceremonies import RP, sign_up
from tests.support.factories import make_user
from tests.support.fake_authenticator import FakeAuthenticator


def test_handles_are_unique_and_readable(session):
    assert service.unique_handle(session=session, display_name="Maya Ortiz") == "maya-ortiz"
    make_user(session, handle="maya-ortiz")
    make_user(session, handle="maya-ortiz-2")
    assert service.unique_handle(session=session, display_name="Maya  Ortiz") == "maya-ortiz-3"
    assert service.unique_handle(session=session, display_name="Zoë Ñúñez") == "zoe-nunez"
    assert service.unique_handle(session=session, display_name="李雷") == "teacher"


def test_two_sign_ups_with_the_same_name_get_different_handles(session):
    first = sign_up(session, FakeAuthenticator(), name="Sam Lee")
    second = sign_up(session, FakeAuthenticator(), name="Sam Lee")
    assert (first.handle, second.handle) == ("sam-lee", "sam-lee-2")


@pytest.mark.parametrize(
    "name, email, field",
    [
        ("", None, "display_name"),
        ("   ", None, "display_name"),
        ("x" * 81, None, "display_name"),
        ("Ada", "not-an-email", "email"),
        ("Ada", "a@b", "email"),
    ],
)
def test_profile_checks_name_and_email(session, name, email, field):
    with pytest.raises(InvalidInput) as caught:
        service.check_new_profile(session=session, display_name=name, email=email)
    assert caught.value.field == field


def test_email_must_be_unique_whatever_the_case(session):
    make_user(session, email="ada@school.org")
    with pytest.raises(InvalidInput, match="already belongs"):
        service.check_new_profile(session=session, display_name="Ada", email="ADA@school.org")
    profile = service.check_new_profile(session=session, display_name=" Ada  L ", email="")
    assert profile == service.Profile("Ada L", None)


def test_update_profile_checks_the_time_zone(session):
    user = make_user(session)
    with pytest.raises(InvalidInput) as caught:
        service.update_profile(
            session=session, user=user, display_name="Ada", email="", timezone="Mars/Olympus"
        )
    assert caught.value.field == "timezone"
    service.update_profile(
        session=session, user=user, display_name="Ada", email="a@b.org", timezone="America/Chicago"
    )
    assert (user.display_name, user.email, user.timezone) == ("Ada", "a@b.org", "America/Chicago")


# --- recovery codes -----------------------------------------------------------------


def test_recovery_codes_are_stored_hashed_and_work_once(session):
    user = make_user(session)
    codes = recovery.replace_codes(session=session, user=user)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = {row.code_hash for row in session.exec(select(RecoveryCode)).all()}
    assert not stored & set(codes)
    assert recovery.redeem(session=session, code=codes[0].upper()).id == user.id
    with pytest.raises(InvalidInput, match="only once"):
        recovery.redeem(session=session, code=codes[0])
    assert recovery.unused_count(session=session, user=user) == 9


def test_new_recovery_codes_replace_the_old_ones(session):
    user = make_user(session)
    old = recovery.replace_codes(session=session, user=user)
    new = recovery.replace_codes(session=session, user=user)
    with pytest.raises(InvalidInput):
        recovery.redeem(session=session, code=old[0])
    assert recovery.redeem(session=session, code=new[0]).id == user.id


@pytest.mark.parametrize("code", ["", "abcd", "abcd-efgh-jkmn", "x" * 500])
def test_wrong_recovery_codes_are_refused(session, code):
    recovery.replace_codes(session=session, user=make_user(session))
    with pytest.raises(InvalidInput):
        recovery.redeem(session=session, code=code)


# --- device links -------------------------------------------------------------------


def add_with_link(session, token):
    link = devicelinks.usable_link(session=session, token=token)
    user = session.get(User, link.user_id)
    options = passkeys.begin_add_passkey(session=session, rp=RP, user=user, device_link_id=link.id)
    return passkeys.finish_add_passkey(
        session=session,
        rp=RP,
        challenge_id=options["challengeId"],
        credential=FakeAuthenticator().create(options["publicKey"]),
        expected_user_id=user.id,
    )


def test_device_link_is_stored_hashed_and_used_once(session):
    user = make_user(session)
    token = devicelinks.create_device_link(session=session, user=user, ttl_seconds=600)
    assert session.exec(select(DeviceLink)).one().token_hash != token
    assert add_with_link(session, token).user.id == user.id
    with pytest.raises(Expired, match="already been used"):
        devicelinks.usable_link(session=session, token=token)
    with pytest.raises(Expired):
        add_with_link(session, token)


def test_device_link_is_consumed_only_on_success(session):
    user = make_user(session)
    token = devicelinks.create_device_link(session=session, user=user, ttl_seconds=600)
    link = devicelinks.usable_link(session=session, token=token)
    options = passkeys.begin_add_passkey(session=session, rp=RP, user=user, device_link_id=link.id)
    with pytest.raises(passkeys.PasskeyRejected):
        passkeys.finish_add_passkey(
            session=session,
            rp=RP,
            challenge_id=options["challengeId"],
            credential=FakeAuthenticator(user_verified=False).create(options["publicKey"]),
        )
    assert devicelinks.usable_link(session=session, token=token).used_at is None


def test_expired_device_link_is_refused(session):
    user = make_user(session)
    token = devicelinks.create_device_link(session=session, user=user, ttl_seconds=600)
    link = session.exec(select(DeviceLink)).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    session.add(link)
    session.commit()
    with pytest.raises(Expired, match="expired"):
        devicelinks.usable_link(session=session, token=token)
    with pytest.raises(NotFound):
        devicelinks.usable_link(session=session, token="not-a-real-token")


def test_create_admin_makes_an_admin_and_a_link(session):
    user, token = service.create_admin(
        session=session, display_name="Alex Admin", email="alex@district.org", link_ttl_seconds=3600
    )
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored.has_role("admin") and stored.handle == "alex-admin"
    assert devicelinks.usable_link(session=session, token=token).user_id == user.id
    assert add_with_link(session, token).user.id == user.id


# --- passkeys a person keeps --------------------------------------------------------


def test_rename_and_remove_only_your_own_passkey(session):
    owner = sign_up(session, FakeAuthenticator())
    stranger = make_user(session)
    passkey = session.exec(select(Passkey)).one()
    with pytest.raises(NotFound):
        service.rename_passkey(
            session=session, user=stranger, passkey_id=passkey.id, nickname="Mine now"
        )
    with pytest.raises(NotFound):
        service.remove_passkey(
            session=session, user=stranger, passkey_id=passkey.id, sessions=DatabaseSessions()
        )
    service.rename_passkey(
        session=session, user=owner, passkey_id=passkey.id, nickname="  School   laptop "
    )
    assert passkey.nickname == "School laptop"
    with pytest.raises(InvalidInput):
        service.rename_passkey(session=session, user=owner, passkey_id=passkey.id, nickname=" ")


def test_last_passkey_stays_unless_recovery_codes_remain(session):
    owner = sign_up(session, FakeAuthenticator())
    passkey = session.exec(select(Passkey)).one()
    with pytest.raises(InvalidInput, match="only passkey"):
        service.remove_passkey(
            session=session, user=owner, passkey_id=passkey.id, sessions=DatabaseSessions()
        )
    recovery.replace_codes(session=session, user=owner)
    service.remove_passkey(
        session=session, user=owner, passkey_id=passkey.id, sessions=DatabaseSessions()
    )
    assert session.exec(select(Passkey)).all() == []
