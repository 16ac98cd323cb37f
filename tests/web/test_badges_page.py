"""The public verification page: anonymous readers see a verified card with every field;
link-only by default, private → 404 to others, unknown → 404; JSON by content negotiation."""

import pytest

from tests.support.badges import award_one
from tests.support.web import post_form, sign_in_as


@pytest.fixture
def awarded(app, session):
    with app.app_context():
        return award_one(session)


def test_anyone_with_the_link_sees_a_verified_card(client, awarded):
    html = client.get(f"/badges/{awarded.award.uuid}").get_data(as_text=True)
    assert "Verified: signature valid, issued by Riverbend Unified, not revoked." in html
    for text in (
        "Maya Patel",
        "Working Memory",
        "2.5 credit hours",
        "Criterion 1",
        "Clearly shown.",
        'property="og:title"',
        'property="og:image"',
    ):
        assert text in html
    assert "Add to LinkedIn" not in html  # sharing tools are the owner's


def test_the_owner_gets_share_tools_and_a_linkedin_link(client, awarded):
    sign_in_as(client, awarded.teacher)
    html = client.get(f"/badges/{awarded.award.uuid}").get_data(as_text=True)
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert f"certId={awarded.award.uuid}" in html and "organizationName=Riverbend+Unified" in html
    assert 'aria-label="QR code of the link"' in html and "Copy link" in html


def test_ld_json_is_negotiated(client, awarded):
    response = client.get(
        f"/badges/{awarded.award.uuid}", headers={"Accept": "application/ld+json"}
    )
    assert response.mimetype == "application/ld+json"
    assert "OpenBadgeCredential" in response.get_json(force=True)["type"]
    assert "Accept" in response.headers["Vary"]


def test_a_changed_stored_credential_shows_not_verified(client, session, awarded):
    award = awarded.award
    award.ob3_json = award.ob3_json.replace("Working Memory", "Rocket Science")
    session.add(award)
    session.commit()
    html = client.get(f"/badges/{award.uuid}").get_data(as_text=True)
    assert "Not verified" in html and "changed after it was issued" in html


@pytest.mark.parametrize(
    "path", ["/badges/{}", "/badges/{}/ob3.json", "/badges/{}/ob2", "/badges/{}/baked.png"]
)
def test_private_awards_are_404_to_others_but_not_the_owner(client, awarded, path):
    sign_in_as(client, awarded.teacher)
    response = post_form(
        client, f"/badges/{awarded.award.uuid}/visibility", {"visibility": "private"}
    )
    assert response.status_code == 303
    assert client.get(path.format(awarded.award.uuid)).status_code == 200
    sign_in_as(client, awarded.assessor)
    assert client.get(path.format(awarded.award.uuid)).status_code == 404
    client.get("/")  # signed-out reader
    with client.session_transaction() as flask_session:
        flask_session.clear()
    assert client.get(path.format(awarded.award.uuid)).status_code == 404


def test_only_the_owner_chooses_visibility_and_needs_csrf(client, awarded):
    sign_in_as(client, awarded.assessor)
    response = post_form(
        client, f"/badges/{awarded.award.uuid}/visibility", {"visibility": "private"}
    )
    assert response.status_code == 403
    sign_in_as(client, awarded.teacher)
    response = client.post(
        f"/badges/{awarded.award.uuid}/visibility", data={"visibility": "private"}
    )
    assert response.status_code == 400
    response = post_form(
        client, f"/badges/{awarded.award.uuid}/visibility", {"visibility": "everyone!"}
    )
    assert response.status_code == 422 or response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/badges/not-a-uuid",
        "/badges/" + "0" * 36,
        "/badges/" + "0" * 36 + "/ob2",
        "/badges/issuers/nobody",
        "/badges/issuers/nobody/ob2",
        "/badges/achievements/nothing/v1/image.svg",
    ],
)
def test_unknown_ids_are_404(client, awarded, path):
    assert client.get(path).status_code == 404


def test_the_awarded_attempt_page_celebrates_with_share_links(client, awarded):
    sign_in_as(client, awarded.teacher)
    html = client.get(f"/submissions/{awarded.award.submission_id}").get_data(as_text=True)
    assert "You earned Working Memory!" in html
    assert f"/badges/{awarded.award.uuid}" in html and "Add to LinkedIn" in html
    sign_in_as(client, awarded.assessor)
    html = client.get(f"/submissions/{awarded.award.submission_id}").get_data(as_text=True)
    assert "Add to LinkedIn" not in html
