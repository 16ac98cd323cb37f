"""The passkey ceremonies against a real database and a software authenticator: challenges
are stored with an expiry, deleted before verification, and never work twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select, update

from server.auth import challenges, passkey_sign_in, passkeys
from server.auth.passkeys import PasskeyRejected
from server.errors import Expired, InvalidInput
from server.models import Passkey, User, WebAuthnChallenge, utcnow
from tests.support.ceremonies import RP, sign_in, sign_up
from tests.support.factories import make_user
from tests.support.fake_authenticator import FakeAuthenticator


def test_begin_stores_the_challenge_with_an_expiry(session):
    options = passkeys.begin_sign_up(session=session, rp=RP, display_name="Ada", email=None)
    row = session.get(WebAuthnChallenge, options["challengeId"])
    assert row.purpose == "register"
    assert utcnow() + timedelta(seconds=290) < row.expires_at <= utcnow() + timedelta(seconds=300)
    public_key = options["publicKey"]
    assert public_key["rp"]["id"] == "localhost"
    assert public_key["authenticatorSelection"]["residentKey"] == "required"
    assert public_key["authenticatorSelection"]["userVerification"] == "required"


def test_sign_up_creates_a_teacher_with_a_passkey_and_deletes_the_challenge(session):
    authenticator = FakeAuthenticator()
    user = sign_up(session, authenticator, email="Ada@School.org")
    assert (user.display_name, user.email, user.roles, user.handle) == (
        "Ada Lovelace",
        "ada@school.org",
        "teacher",
        "ada-lovelace",
    )
    passkey = session.exec(select(Passkey)).one()
    assert passkey.user_id == user.id and passkey.credential_id == authenticator.id
    assert session.exec(select(WebAuthnChallenge)).all() == []


def test_challenge_is_deleted_before_verification_even_when_it_fails(session):
    options = passkeys.begin_sign_up(session=session, rp=RP, display_name="Ada", email=None)
    with pytest.raises(PasskeyRejected):
        passkeys.finish_sign_up(
            session=session,
            rp=RP,
            challenge_id=options["challengeId"],
            credential={"id": "garbage"},
        )
    assert session.get(WebAuthnChallenge, options["challengeId"]) is None


def test_replayed_registration_is_refused(session):
    authenticator = FakeAuthenticator()
    options = passkeys.begin_sign_up(session=session, rp=RP, display_name="Ada", email=None)
    answer = authenticator.create(options["publicKey"])
    passkeys.finish_sign_up(
        session=session, rp=RP, challenge_id=options["challengeId"], credential=answer
    )
    with pytest.raises(Expired, match="expired"):
        passkeys.finish_sign_up(
            session=session, rp=RP, challenge_id=options["challengeId"], credential=answer
        )
    assert len(session.exec(select(User)).all()) == 1


def test_expired_challenge_is_refused(session):
    authenticator = FakeAuthenticator()
    options = passkeys.begin_sign_up(session=session, rp=RP, display_name="Ada", email=None)
    row = session.get(WebAuthnChallenge, options["challengeId"])
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    with pytest.raises(Expired, match="This sign-in request expired"):
        passkeys.finish_sign_up(
            session=session,
            rp=RP,
            challenge_id=options["challengeId"],
            credential=authenticator.create(options["publicKey"]),
        )
    assert session.exec(select(User)).all() == []


def test_a_challenge_only_serves_its_own_ceremony(session):
    authenticator = FakeAuthenticator()
    sign_up(session, authenticator)
    options = passkey_sign_in.begin_sign_in(session=session, rp=RP)
    with pytest.raises(Expired):
        passkeys.finish_sign_up(
            session=session,
            rp=RP,
            challenge_id=options["challengeId"],
            credential=authenticator.get(options["publicKey"]),
        )


def test_unknown_challenge_ids_are_refused_clearly(session):
    for bad in (None, "", 42, "x" * 400, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(Expired):
            challenges.take_challenge(session=session, challenge_id=bad, purpose="login")


def test_user_verification_is_required(session):
    with pytest.raises(PasskeyRejected):
        sign_up(session, FakeAuthenticator(user_verified=False))
    assert session.exec(select(User)).all() == []


def test_email_taken_while_the_passkey_was_made_is_refused(session):
    options = passkeys.begin_sign_up(
        session=session, rp=RP, display_name="Ada", email="ada@school.org"
    )
    make_user(session, email="ada@school.org")
    with pytest.raises(InvalidInput, match="already belongs"):
        passkeys.finish_sign_up(
            session=session,
            rp=RP,
            challenge_id=options["challengeId"],
            credential=FakeAuthenticator().create(options["publicKey"]),
        )


def test_sign_in_with_a_discoverable_passkey_updates_count_and_last_used(session):
    authenticator = FakeAuthenticator()
    user = sign_up(session, authenticator)
    assert sign_in(session, authenticator).id == user.id
    passkey = session.exec(select(Passkey)).one()
    session.refresh(passkey)
    assert passkey.sign_count == 1 and passkey.last_used_at is not None


def test_replayed_sign_in_is_refused(session):
    authenticator = FakeAuthenticator()
    sign_up(session, authenticator)
    options = passkey_sign_in.begin_sign_in(session=session, rp=RP)
    answer = authenticator.get(options["publicKey"])
    passkey_sign_in.finish_sign_in(
        session=session, rp=RP, challenge_id=options["challengeId"], credential=answer
    )
    with pytest.raises(Expired):
        passkey_sign_in.finish_sign_in(
            session=session, rp=RP, challenge_id=options["challengeId"], credential=answer
        )


def test_sign_count_going_back_is_refused_as_a_possible_clone(session):
    authenticator = FakeAuthenticator()
    sign_up(session, authenticator)
    sign_in(session, authenticator, sign_count=5)
    with pytest.raises(PasskeyRejected, match="cloned"):
        sign_in(session, authenticator, sign_count=5)
    with pytest.raises(PasskeyRejected, match="cloned"):
        sign_in(session, authenticator, sign_count=3)
    assert sign_in(session, authenticator, sign_count=6)


def test_authenticators_that_never_count_are_accepted(session):
    authenticator = FakeAuthenticator()
    sign_up(session, authenticator)
    sign_in(session, authenticator, sign_count=0)
    assert sign_in(session, authenticator, sign_count=0)


def test_unknown_passkey_is_refused(session):
    sign_up(session, FakeAuthenticator())
    with pytest.raises(PasskeyRejected, match="don't recognise"):
        sign_in(session, FakeAuthenticator())


def test_a_forged_signature_is_refused(session):
    authenticator = FakeAuthenticator()
    sign_up(session, authenticator)
    impostor = FakeAuthenticator()
    impostor.credential_id = authenticator.credential_id
    impostor.user_handle = authenticator.user_handle
    with pytest.raises(PasskeyRejected, match="couldn't verify"):
        sign_in(session, impostor)


def test_add_passkey_for_an_existing_user_excludes_their_passkeys(session):
    first = FakeAuthenticator()
    user = sign_up(session, first)
    options = passkeys.begin_add_passkey(session=session, rp=RP, user=user)
    excluded = [c["id"] for c in options["publicKey"]["excludeCredentials"]]
    assert excluded == [first.id]
    assert options["publicKey"]["user"]["id"] == user.webauthn_user_id
    second = FakeAuthenticator()
    passkeys.finish_add_passkey(
        session=session,
        rp=RP,
        challenge_id=options["challengeId"],
        credential=second.create(options["publicKey"]),
        expected_user_id=user.id,
    )
    assert sign_in(session, second).id == user.id


def test_add_passkey_refuses_a_ceremony_started_for_someone_else(session):
    user = sign_up(session, FakeAuthenticator())
    other = make_user(session)
    options = passkeys.begin_add_passkey(session=session, rp=RP, user=other)
    with pytest.raises(Expired):
        passkeys.finish_add_passkey(
            session=session,
            rp=RP,
            challenge_id=options["challengeId"],
            credential=FakeAuthenticator().create(options["publicKey"]),
            expected_user_id=user.id,
        )


def test_check_sign_count_rules():
    passkey_sign_in.check_sign_count(stored=0, new=0)
    passkey_sign_in.check_sign_count(stored=0, new=1)
    passkey_sign_in.check_sign_count(stored=4, new=5)
    for stored, new in ((5, 5), (5, 4), (1, 0)):
        with pytest.raises(PasskeyRejected):
            passkey_sign_in.check_sign_count(stored=stored, new=new)


def test_two_sign_ins_racing_with_the_same_counter_let_only_one_through(session, engine):
    authenticator = FakeAuthenticator()
    sign_up(session, authenticator)
    passkey = session.exec(select(Passkey)).one()
    assert passkey.sign_count == 0
    with engine.begin() as other_request:  # moved the counter after this one read it
        other_request.execute(update(Passkey).values(sign_count=7))
    with pytest.raises(PasskeyRejected, match="cloned"):
        passkey_sign_in.record_use(session=session, passkey=passkey, new_count=7)
