"""Passkey ceremonies driven end to end with the software authenticator: straight through
the services (unit tests) or through the JSON endpoints with the Flask test client."""

from __future__ import annotations

from server.auth import passkey_sign_in, passkeys
from server.auth.passkeys import RelyingParty
from tests.support.web import csrf_token

RP = RelyingParty(
    id="localhost", name="Chalkmark", origin="http://localhost", challenge_ttl_seconds=300
)


def sign_up(session, authenticator, name="Ada Lovelace", email=None):
    options = passkeys.begin_sign_up(session=session, rp=RP, display_name=name, email=email)
    return passkeys.finish_sign_up(
        session=session,
        rp=RP,
        challenge_id=options["challengeId"],
        credential=authenticator.create(options["publicKey"]),
    ).user


def sign_in(session, authenticator, **answer):
    options = passkey_sign_in.begin_sign_in(session=session, rp=RP)
    return passkey_sign_in.finish_sign_in(
        session=session,
        rp=RP,
        challenge_id=options["challengeId"],
        credential=authenticator.get(options["publicKey"], **answer),
    ).user


def json_headers(client, page: str = "/auth/sign-in") -> dict:
    return {"X-CSRFToken": csrf_token(client, page), "Accept": "application/json"}


def post_json(client, url: str, body: dict, page: str = "/auth/sign-in"):
    return client.post(url, json=body, headers=json_headers(client, page))


def client_ceremony(
    client,
    authenticator,
    *,
    options_url: str,
    verify_url: str,
    body: dict | None = None,
    page: str = "/auth/sign-in",
    **extra,
):
    """Options then verify, as passkeys.js does; returns the verify response."""
    options = post_json(client, options_url, body or {}, page)
    assert options.status_code == 200, options.get_json()
    data = options.get_json()
    answer = (
        authenticator.get(data["publicKey"])
        if "rpId" in data["publicKey"]
        else authenticator.create(data["publicKey"])
    )
    return post_json(
        client,
        verify_url,
        {"challengeId": data["challengeId"], "credential": answer, **extra},
        page,
    )


def client_sign_up(client, authenticator, name="Ada Lovelace", email="", **extra):
    return client_ceremony(
        client,
        authenticator,
        options_url="/auth/register/options",
        verify_url="/auth/register/verify",
        page="/auth/sign-up",
        body={"display_name": name, "email": email},
        **extra,
    )


def client_sign_in(client, authenticator, **extra):
    return client_ceremony(
        client,
        authenticator,
        options_url="/auth/login/options",
        verify_url="/auth/login/verify",
        **extra,
    )
