"""One clock: the browser's time zone is saved at sign-up (checked against zoneinfo), the
account page offers a short picker and the device's zone when it differs, and every time
is shown in the viewer's zone with a valid ISO 8601 datetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from server import timezones
from server.errors import InvalidInput
from server.models import User
from tests.support.ceremonies import client_ceremony, post_json
from tests.support.factories import make_notification, make_org, make_user
from tests.support.fake_authenticator import FakeAuthenticator
from tests.support.web import json_error, post_form, sign_in_as


def _html(response) -> str:
    return response.get_data(as_text=True)


def _sign_up(client, timezone: str):
    return client_ceremony(
        client,
        FakeAuthenticator(),
        options_url="/auth/register/options",
        verify_url="/auth/register/verify",
        page="/auth/sign-up",
        body={"display_name": "Ada Lovelace", "email": "", "timezone": timezone},
    )


def test_the_sign_up_form_carries_the_browser_zone_field(client):
    html = _html(client.get("/auth/sign-up"))
    assert '<input type="hidden" name="timezone" value="" data-browser-timezone>' in html
    assert "js/shell/timezone.js" in html


@pytest.mark.parametrize("sent, saved", [("America/Chicago", "America/Chicago"), ("", "UTC")])
def test_sign_up_saves_the_browser_zone(client, session, sent, saved):
    assert _sign_up(client, sent).status_code == 200
    assert session.exec(select(User)).one().timezone == saved


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "america/chicago", "../../etc/passwd"])
def test_sign_up_refuses_an_unknown_zone_with_a_message(client, session, zone):
    response = post_json(
        client,
        "/auth/register/options",
        {"display_name": "Ada", "timezone": zone},
        "/auth/sign-up",
    )
    assert response.status_code == 422
    error = json_error(response)
    assert error["field"] == "timezone" and "We don't know the time zone" in error["message"]
    assert session.exec(select(User)).all() == []


def test_sign_up_without_script_names_a_bad_zone(client):
    response = post_form(
        client,
        "/auth/sign-up",
        {"display_name": "Ada", "email": "", "timezone": "Nowhere/Land"},
    )
    assert response.status_code == 422
    assert "We don&#39;t know the time zone “Nowhere/Land”" in _html(response)


def test_account_picker_offers_the_district_zones_first_then_search(client, session):
    org = make_org(session)
    for _ in range(3):
        make_user(session, org_id=org.id, timezone="America/Denver")
    make_user(session, timezone="Asia/Tokyo")  # another district: not offered first
    user = make_user(session, org_id=org.id, timezone="America/Chicago")
    sign_in_as(client, user)
    html = _html(client.get("/auth/account"))
    select_html = html.split('<select id="timezone"')[1].split("</select>")[0]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select_html)
    assert options[:2] == ["America/Chicago", "America/Denver"]
    assert "Asia/Tokyo" not in options and len(options) <= 9
    assert 'list="timezone-names"' in html and '<option value="Asia/Tokyo"></option>' in html
    assert 'data-timezone-offer data-saved-zone="America/Chicago" hidden' in html


def test_the_offer_saves_the_device_zone(client, session):
    user = make_user(session)
    sign_in_as(client, user)
    response = post_form(client, "/auth/account/time-zone", {"timezone": "Europe/Paris"})
    assert response.status_code == 303
    session.refresh(user)
    assert user.timezone == "Europe/Paris"


@pytest.mark.parametrize("zone, message", [("Atlantis/Deep", "We don't know"), ("", "Please pick")])
def test_the_offer_refuses_a_bad_zone_and_keeps_the_old_one(client, session, zone, message):
    user = make_user(session, timezone="America/Chicago")
    sign_in_as(client, user)
    response = post_form(client, "/auth/account/time-zone", {"timezone": zone})
    assert response.status_code == 422
    assert message in _html(response).replace("&#39;", "'")
    session.refresh(user)
    assert user.timezone == "America/Chicago"


def test_a_typed_zone_wins_over_the_short_list(client, session):
    user = make_user(session, name="Ada")
    sign_in_as(client, user)
    response = post_form(
        client,
        "/auth/account/profile",
        {"display_name": "Ada", "timezone": "UTC", "timezone_other": "Asia/Manila"},
    )
    assert response.status_code == 303
    session.refresh(user)
    assert user.timezone == "Asia/Manila"


def test_inbox_times_are_in_the_viewer_zone_with_an_iso_datetime(client, session):
    user = make_user(session, timezone="America/Chicago")
    at = datetime(2026, 1, 15, 3, 30, tzinfo=UTC)
    make_notification(session, user, "Your evidence was reviewed", created_at=at)
    sign_in_as(client, user)
    html = _html(client.get("/inbox"))
    assert '<time datetime="2026-01-15T03:30:00Z">14 Jan 2026, 21:30 CST</time>' in html
    assert " UTC<" not in html
    for value in re.findall(r'<time datetime="([^"]+)"', html):
        datetime.fromisoformat(value)  # valid ISO 8601


def test_clean_name_knows_zoneinfo():
    assert timezones.clean_name("Pacific/Honolulu") == "Pacific/Honolulu"
    assert timezones.clean_name("  ") == "UTC"
    with pytest.raises(InvalidInput):
        timezones.clean_name("", blank=None)
    with pytest.raises(InvalidInput):
        timezones.clean_name("x" * 200)
