"""The account page: only your own passkeys, rename/remove (htmx and plain), adding a
passkey here or through a one-time device link, new recovery codes, the create-admin CLI."""

from __future__ import annotations

import re

from sqlmodel import select

from server.auth import recovery
from server.models import Passkey, User
from tests.support.ceremonies import client_ceremony, client_sign_in, client_sign_up
from tests.support.factories import make_user
from tests.support.fake_authenticator import FakeAuthenticator
from tests.support.web import (
    csrf_token,
    htmx_headers,
    post_form,
    sign_in_as,
    signed_in_user_id,
)


def signed_up(client, session, name="Ada Lovelace"):
    authenticator = FakeAuthenticator()
    client_sign_up(client, authenticator, name=name)
    user = session.exec(select(User).where(User.display_name == name)).one()
    passkey = session.exec(select(Passkey).where(Passkey.user_id == user.id)).one()
    return user, passkey, authenticator


def test_account_needs_sign_in(client):
    response = client.get("/auth/account")
    assert response.status_code == 303
    assert response.headers["Location"] == "/auth/sign-in?next=/auth/account"


def test_account_shows_details_and_only_your_own_passkeys(client, app, session):
    _, mine, _ = signed_up(client, session)
    other_client = app.test_client()
    _, theirs, _ = signed_up(other_client, session, name="Grace Hopper")
    session.get(Passkey, theirs.id).nickname = "Grace's secret key"
    session.commit()
    html = client.get("/auth/account").get_data(as_text=True)
    assert "Ada Lovelace" in html and f'id="passkey-{mine.id}"' in html
    assert f'id="passkey-{theirs.id}"' not in html and "secret key" not in html
    assert "option selected>UTC<" in html


def test_rename_with_htmx_swaps_the_row(client, session):
    _, passkey, _ = signed_up(client, session)
    form = client.get(f"/auth/passkeys/{passkey.id}/rename", headers=htmx_headers())
    assert "<html" not in form.get_data(as_text=True) and 'name="nickname"' in form.get_data(
        as_text=True
    )
    response = post_form(
        client,
        f"/auth/passkeys/{passkey.id}/rename",
        {"nickname": "School laptop"},
        headers=htmx_headers(),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "School laptop" in html and f'id="passkey-{passkey.id}"' in html
    empty = post_form(
        client, f"/auth/passkeys/{passkey.id}/rename", {"nickname": " "}, headers=htmx_headers()
    )
    assert empty.status_code == 422 and "give the passkey a name" in empty.get_data(as_text=True)


def test_rename_without_htmx_redirects_back(client, session):
    _, passkey, _ = signed_up(client, session)
    assert "<html" in client.get(f"/auth/passkeys/{passkey.id}/rename").get_data(as_text=True)
    response = post_form(client, f"/auth/passkeys/{passkey.id}/rename", {"nickname": "Phone"})
    assert response.status_code == 303
    assert "Phone" in client.get("/auth/account").get_data(as_text=True)


def test_someone_elses_passkey_is_not_found(client, app, session):
    _, theirs, _ = signed_up(app.test_client(), session, name="Grace Hopper")
    sign_in_as(client, make_user(session))
    for path in (
        f"/auth/passkeys/{theirs.id}",
        f"/auth/passkeys/{theirs.id}/rename",
        f"/auth/passkeys/{theirs.id}/remove",
    ):
        assert client.get(path).status_code == 404
    assert (
        post_form(client, f"/auth/passkeys/{theirs.id}/rename", {"nickname": "Mine"}).status_code
        == 404
    )
    assert post_form(client, f"/auth/passkeys/{theirs.id}/remove").status_code == 404
    assert session.get(Passkey, theirs.id) is not None


def test_last_passkey_is_kept_until_recovery_codes_exist(client, session):
    user, passkey, _ = signed_up(client, session)
    recovery.replace_codes(session=session, user=user)
    for code in recovery.replace_codes(session=session, user=user):
        recovery.redeem(session=session, code=code)  # every code used up
    confirm = client.get(f"/auth/passkeys/{passkey.id}/remove", headers=htmx_headers())
    assert "Remove passkey" in confirm.get_data(as_text=True)
    refused = post_form(client, f"/auth/passkeys/{passkey.id}/remove", headers=htmx_headers())
    assert refused.status_code == 422 and "only passkey" in refused.get_data(as_text=True)
    assert 'role="alert"' in refused.get_data(as_text=True)
    recovery.replace_codes(session=session, user=user)
    removed = post_form(client, f"/auth/passkeys/{passkey.id}/remove", headers=htmx_headers())
    # It was the passkey this browser signed in with: the browser is signed out too.
    assert removed.status_code == 200 and removed.headers["HX-Redirect"] == "/"
    assert session.exec(select(Passkey)).all() == []
    assert signed_in_user_id(client) is None


def test_add_a_passkey_on_this_device(client, session):
    user, _, _ = signed_up(client, session)
    second = FakeAuthenticator()
    response = client_ceremony(
        client,
        second,
        options_url="/auth/passkeys/options",
        verify_url="/auth/passkeys/verify",
        page="/auth/account",
    )
    assert response.status_code == 200 and response.get_json()["redirect"].startswith(
        "/auth/account"
    )
    assert len(session.exec(select(Passkey).where(Passkey.user_id == user.id)).all()) == 2
    assert client_sign_in(client, second).status_code == 200


def test_adding_a_passkey_here_needs_sign_in(client):
    assert client.post(
        "/auth/passkeys/options", json={}, headers={"X-CSRFToken": csrf_token(client)}
    ).status_code in (303, 401)


def test_device_link_shows_a_qr_code_and_adds_a_passkey_once(client, app, session):
    user, _, _ = signed_up(client, session)
    created = post_form(client, "/auth/account/device-link")
    assert created.status_code == 303
    page = client.get("/auth/account/device-link").get_data(as_text=True)
    url = re.search(r'value="(http://localhost/auth/link/[^"]+)"', page).group(1)
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "style=" not in svg and 'role="img"' in svg and "<path" in svg
    path = url.removeprefix("http://localhost")

    phone = app.test_client()
    landing = phone.get(path).get_data(as_text=True)
    assert "Add a passkey for Ada Lovelace" in landing
    response = client_ceremony(
        phone,
        FakeAuthenticator(),
        options_url=f"{path}/options",
        verify_url=f"{path}/verify",
        page=path,
    )
    assert response.status_code == 200
    assert signed_in_user_id(phone) == user.id
    used = app.test_client().get(path)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)
    assert len(session.exec(select(Passkey).where(Passkey.user_id == user.id)).all()) == 2
    shown_again = client.get("/auth/account/device-link", follow_redirects=True)
    assert "expired or was used" in shown_again.get_data(as_text=True)


def test_unknown_device_link_gets_a_clear_page(client):
    response = client.get("/auth/link/not-a-real-token")
    assert response.status_code == 404
    assert "link isn&#39;t valid" in response.get_data(as_text=True)


def test_new_recovery_codes_replace_the_old_ones(client, session):
    user, _, _ = signed_up(client, session)
    old = recovery.replace_codes(session=session, user=user)
    response = post_form(client, "/auth/account/recovery-codes")
    assert response.headers["Location"] == "/auth/recovery-codes"
    codes = re.findall(
        r"<code>([a-z0-9-]+)</code>", client.get("/auth/recovery-codes").get_data(as_text=True)
    )
    assert len(codes) == 10 and not set(codes) & set(old)
    assert recovery.unused_count(session=session, user=user) == 10


def test_profile_update_and_its_errors(client, session):
    user = make_user(session, name="Ada")
    make_user(session, email="taken@school.org")
    sign_in_as(client, user)
    bad = post_form(
        client,
        "/auth/account/profile",
        {"display_name": "Ada", "email": "taken@school.org", "timezone": "UTC"},
    )
    assert bad.status_code == 422 and "already belongs" in bad.get_data(as_text=True)
    good = post_form(
        client,
        "/auth/account/profile",
        {"display_name": "Ada L", "email": "", "timezone": "America/Denver"},
    )
    assert good.status_code == 303
    session.refresh(user)
    assert (user.display_name, user.timezone) == ("Ada L", "America/Denver")


def test_create_admin_cli_prints_a_working_link(runner, app, session):
    result = runner.invoke(
        args=["create-admin", "--name", "Alex Admin", "--email", "alex@district.org"]
    )
    assert result.exit_code == 0, result.output
    url = re.search(r"(http://localhost/auth/link/\S+)", result.output).group(1)
    admin = session.exec(select(User).where(User.handle == "alex-admin")).one()
    assert admin.has_role("admin")
    path = url.removeprefix("http://localhost")
    client = app.test_client()
    assert "Add a passkey for Alex Admin" in client.get(path).get_data(as_text=True)
    response = client_ceremony(
        client,
        FakeAuthenticator(),
        options_url=f"{path}/options",
        verify_url=f"{path}/verify",
        page=path,
    )
    assert response.status_code == 200
