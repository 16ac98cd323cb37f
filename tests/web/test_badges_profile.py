"""The public badge profile: only public, unrevoked awards are listed; an unknown address
and a profile with nothing public answer the very same page (no account enumeration)."""

import json
import re

import pytest
from sqlmodel import select

from server.badges import revocation
from server.models import Award, BadgeProfile
from tests.support.badges import award_one, public_documents, verify_independently
from tests.support.web import post_form, sign_in_as


@pytest.fixture
def two(app, session):
    """One teacher with two awards (both link-only, the default)."""
    with app.app_context():
        first = award_one(session)
        second = award_one(session, org=first.org, teacher=first.teacher)
    return first, second


def _make(client, awarded, visibility):
    sign_in_as(client, awarded.teacher)
    response = post_form(
        client, f"/badges/{awarded.award.uuid}/visibility", {"visibility": visibility}
    )
    assert response.status_code == 303


def _profile_path(session, teacher) -> str:
    profile = session.get(BadgeProfile, teacher.id)
    assert profile is not None
    return f"/badges/people/{profile.slug}"


def _signed_out(client):
    with client.session_transaction() as flask_session:
        flask_session.clear()


def _body(html: str) -> str:
    """The page without what differs per request (CSRF/nonce attributes)."""
    return re.sub(r'(nonce|content|value)="[^"]*"', "", html)


def test_public_listed_link_only_and_private_not(client, session, two):
    first, second = two
    _make(client, first, "public")
    path = _profile_path(session, first.teacher)
    assert len(path.rsplit("/", 1)[1]) == 16  # a random slug, not the handle
    assert first.teacher.handle not in path
    _signed_out(client)
    html = client.get(path).get_data(as_text=True)
    assert "Maya Patel" in html and f"/badges/{first.award.uuid}" in html
    assert f"/badges/{second.award.uuid}" not in html  # link-only stays off the profile
    for tag in ('property="og:title"', 'property="og:image"', 'property="og:url"'):
        assert tag in html
    assert "noindex" not in html
    _make(client, second, "private")
    _signed_out(client)
    assert f"/badges/{second.award.uuid}" not in client.get(path).get_data(as_text=True)


def test_unknown_and_nothing_public_answer_the_same_page(client, session, two):
    first, _ = two
    _make(client, first, "public")
    path = _profile_path(session, first.teacher)
    _make(client, first, "link")  # the profile stays, with nothing on it
    _signed_out(client)
    empty = client.get(path)
    unknown = client.get("/badges/people/" + "x" * 16)
    too_long = client.get("/badges/people/" + "x" * 300)
    assert empty.status_code == unknown.status_code == too_long.status_code == 200
    text = empty.get_data(as_text=True)
    assert "Nothing shared here" in text and "Maya Patel" not in text and "noindex" in text
    assert _body(text) == _body(unknown.get_data(as_text=True))
    assert _body(text) == _body(too_long.get_data(as_text=True))


def test_revoked_awards_leave_the_profile(client, session, two):
    first, second = two
    _make(client, first, "public")
    _make(client, second, "public")
    path = _profile_path(session, first.teacher)
    revocation.revoke(
        session=session, admin=first.admin, uuid=first.award.uuid, reason="Evidence was copied."
    )
    session.commit()
    _signed_out(client)
    html = client.get(path).get_data(as_text=True)
    assert f"/badges/{first.award.uuid}" not in html
    assert f"/badges/{second.award.uuid}" in html


def test_the_teacher_sees_their_profile_link_once_something_is_public(client, session, two):
    first, _ = two
    sign_in_as(client, first.teacher)
    assert "/badges/people/" not in client.get("/me/credentials").get_data(as_text=True)
    _make(client, first, "public")
    link = _profile_path(session, first.teacher)
    for page in ("/me/credentials", "/transcript", f"/badges/{first.award.uuid}"):
        assert link in client.get(page).get_data(as_text=True), page


def test_the_profile_slug_never_changes(client, session, two):
    first, second = two
    _make(client, first, "public")
    path = _profile_path(session, first.teacher)
    _make(client, second, "public")
    _make(client, first, "private")
    assert _profile_path(session, first.teacher) == path


def test_later_awards_carry_the_profile_as_subject_id_and_verify(app, client, session, tmp_path):
    """Issued while the teacher has a profile: the subject's id is its URL, and Digital
    Bazaar's verifier accepts it; the award made public later was not re-signed."""
    with app.app_context():
        first = award_one(session)
    before = first.award.ob3_json
    _make(client, first, "public")
    session.refresh(first.award)
    assert first.award.ob3_json == before  # not re-signed
    assert "id" not in json.loads(before)["credentialSubject"]
    with app.app_context():
        later = award_one(session, org=first.org, teacher=first.teacher)
    award = session.execute(select(Award).where(Award.id == later.award.id)).scalar_one()
    subject = json.loads(award.ob3_json)["credentialSubject"]
    assert subject["id"].endswith(_profile_path(session, first.teacher))
    credential, documents = public_documents(client, award)
    verdict = verify_independently(credential, documents, tmp_path)
    assert verdict["verified"] is True, verdict
