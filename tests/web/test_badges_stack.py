"""Stack credentials: every published credential of a stack earned → a signed stack-level
OpenBadgeCredential ("Certificate") in the same transaction, with its own page, image,
baked downloads and revocation list; revoking any member award revokes it."""

import io
import json

import pypdf
import pytest
from sqlmodel import select

from server.badges import images, revocation
from server.models import BadgeProfile, StackAward
from tests.support.badges import award_one, public_documents, verify_independently
from tests.support.factories import make_credential, make_stack
from tests.support.web import post_form, sign_in_as


@pytest.fixture
def completed(app, session):
    """Maya earns both published credentials of a stack (a draft one does not count)."""
    with app.app_context():
        stack = make_stack(session, title="Formative Assessment", slug="formative")
        first_credential = make_credential(session, stack=stack, title="Exit Tickets")
        second_credential = make_credential(session, stack=stack, title="Hinge Questions")
        make_credential(session, stack=stack, title="Coming Soon", status="draft")
        first = award_one(session, credential=first_credential)
        assert _stack_awards(session) == []  # one of two: not yet
        second = award_one(
            session, org=first.org, teacher=first.teacher, credential=second_credential
        )
    return first, second


def _stack_awards(session):
    session.expire_all()
    return session.exec(select(StackAward)).all()


def test_completing_a_stack_issues_a_signed_certificate(client, session, completed):
    first, _ = completed
    (stack_award,) = _stack_awards(session)
    assert stack_award.user_id == first.teacher.id and stack_award.org_id == first.org.id
    document = json.loads(stack_award.ob3_json)
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == "Formative Assessment"
    assert "Exit Tickets" in achievement["criteria"]["narrative"]
    assert "Coming Soon" not in achievement["criteria"]["narrative"]
    assert "creditsEarned" not in document["credentialSubject"]  # hours stay on the awards
    assert document["credentialStatus"]["statusListCredential"].endswith(
        f"/badges/issuers/{first.org.slug}/status/stack-revocation"
    )
    html = client.get(f"/badges/stack/{stack_award.uuid}").get_data(as_text=True)
    assert "Verified: signature valid, issued by Riverbend Unified, not revoked." in html
    for text in ("Formative Assessment", "Maya Patel", "Exit Tickets", "Hinge Questions"):
        assert text in html
    assert f"/badges/{first.award.uuid}" in html and 'property="og:image"' in html
    negotiated = client.get(
        f"/badges/stack/{stack_award.uuid}", headers={"Accept": "application/ld+json"}
    )
    assert negotiated.get_json(force=True)["id"] == document["id"]


def test_the_stack_credential_verifies_independently(client, session, completed, tmp_path):
    (stack_award,) = _stack_awards(session)
    credential, documents = public_documents(
        client, None, download=f"/badges/stack/{stack_award.uuid}/ob3.json"
    )
    verdict = verify_independently(credential, documents, tmp_path)
    assert verdict["errors"] == [] and verdict["verified"] is True, verdict
    assert verdict["revoked"] is False


def test_revoking_a_member_revokes_the_stack_credential(client, session, completed, tmp_path):
    first, _ = completed
    (stack_award,) = _stack_awards(session)
    revocation.revoke(
        session=session, admin=first.admin, uuid=first.award.uuid, reason="Evidence was copied."
    )
    session.commit()
    (stack_award,) = _stack_awards(session)
    assert stack_award.revoked_at is not None
    assert "Exit Tickets was revoked" in stack_award.revocation_reason
    html = client.get(f"/badges/stack/{stack_award.uuid}").get_data(as_text=True)
    assert "Revoked on" in html and "Exit Tickets was revoked" in html
    credential, documents = public_documents(
        client, None, download=f"/badges/stack/{stack_award.uuid}/ob3.json"
    )
    verdict = verify_independently(credential, documents, tmp_path)
    assert verdict["revoked"] is True, verdict


def test_re_earning_the_revoked_member_issues_a_new_stack_credential(app, session, completed):
    first, _ = completed
    revocation.revoke(
        session=session, admin=first.admin, uuid=first.award.uuid, reason="Evidence was copied."
    )
    session.commit()
    with app.app_context():
        award_one(session, org=first.org, teacher=first.teacher, credential=first.credential)
    old, new = sorted(_stack_awards(session), key=lambda found: found.id)
    assert old.revoked_at is not None and new.revoked_at is None
    assert json.loads(new.ob3_json)["credentialStatus"]["statusListIndex"] == str(new.id)


def test_baked_downloads_and_image(client, session, completed):
    (stack_award,) = _stack_awards(session)
    png = client.get(f"/badges/stack/{stack_award.uuid}/baked.png")
    assert png.mimetype == "image/png"
    baked = images.read_baked_png(png.data, "openbadgecredential")
    assert json.loads(baked)["id"].endswith(f"/badges/stack/{stack_award.uuid}")
    svg = client.get(f"/badges/stack/{stack_award.uuid}/baked.svg").get_data(as_text=True)
    assert "<openbadges:credential>" in svg and "<polygon" in svg
    assert client.get("/badges/stack-achievements/formative/image.png").mimetype == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "/badges/stack/not-a-uuid",
        "/badges/stack/" + "0" * 36,
        "/badges/stack/" + "0" * 36 + "/ob3.json",
        "/badges/stack/" + "0" * 36 + "/baked.png",
        "/badges/stack-achievements/nothing/image.svg",
        "/badges/stack-achievements/formative/image.gif",
    ],
)
def test_unknown_stack_credentials_are_404(client, completed, path):
    assert client.get(path).status_code == 404


def test_the_transcript_lists_the_stack_credential(client, session, completed):
    first, _ = completed
    (stack_award,) = _stack_awards(session)
    sign_in_as(client, first.teacher)
    html = client.get("/transcript").get_data(as_text=True)
    assert f"/badges/stack/{stack_award.uuid}" in html and "Stack credentials" in html
    reader = pypdf.PdfReader(io.BytesIO(client.get("/transcript.pdf").data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Stack credentials" in text and "Formative Assessment" in text
    assert "hours from 2 credentials" in " ".join(text.split())  # the stack adds none


def test_the_owner_chooses_who_sees_the_stack_credential(client, session, completed):
    first, _ = completed
    (stack_award,) = _stack_awards(session)
    page = f"/badges/stack/{stack_award.uuid}"
    sign_in_as(client, first.assessor)
    assert post_form(client, f"{page}/visibility", {"visibility": "public"}).status_code == 403
    sign_in_as(client, first.teacher)
    assert "Share your stack credential" in client.get(page).get_data(as_text=True)
    assert client.post(f"{page}/visibility", data={"visibility": "public"}).status_code == 400
    bad = post_form(client, f"{page}/visibility", {"visibility": "everyone!"})
    assert bad.status_code in (400, 422)
    assert post_form(client, f"{page}/visibility", {"visibility": "public"}).status_code == 303
    profile = session.get(BadgeProfile, first.teacher.id)
    _signed_out(client)
    html = client.get(f"/badges/people/{profile.slug}").get_data(as_text=True)
    assert page in html and "Stack credential" in html
    assert "Share your stack credential" not in client.get(page).get_data(as_text=True)
    sign_in_as(client, first.teacher)
    assert post_form(client, f"{page}/visibility", {"visibility": "private"}).status_code == 303
    assert client.get(page).status_code == 200  # the owner still sees it
    _signed_out(client)
    for path in (page, f"{page}/ob3.json", f"{page}/baked.png"):
        assert client.get(path).status_code == 404, path
    assert page not in client.get(f"/badges/people/{profile.slug}").get_data(as_text=True)


def _signed_out(client):
    with client.session_transaction() as flask_session:
        flask_session.clear()
