"""Revocation: only an admin of the issuing district, with a reason and CSRF; then the page
says "Revoked on … because …", OB 2.0 answers 410, Digital Bazaar's verifier reads the
revoked bit, and the points come back off the ledger (totals and rebuild agree)."""

import pytest
from sqlmodel import select

from server.game.ledger import rebuild
from server.models import PointEvent, UserPoints
from tests.support.badges import award_one, public_documents, verify_independently
from tests.support.factories import make_org, make_user
from tests.support.web import post_form, sign_in_as


@pytest.fixture
def awarded(app, session):
    with app.app_context():
        return award_one(session)


def _revoke(client, awarded, reason="Evidence was copied from another teacher."):
    return post_form(client, f"/badges/{awarded.award.uuid}/revoke", {"reason": reason})


def _total(session, user_id):
    session.expire_all()
    return session.get(UserPoints, user_id).total


def test_an_admin_of_the_district_revokes_with_a_reason(client, session, awarded):
    before = _total(session, awarded.teacher.id)
    sign_in_as(client, awarded.admin)
    assert "Revoke the badge" in client.get(f"/badges/{awarded.award.uuid}/revoke").get_data(
        as_text=True
    )
    response = _revoke(client, awarded)
    assert response.status_code == 303
    html = client.get(f"/badges/{awarded.award.uuid}").get_data(as_text=True)
    assert "Revoked on" in html and "because Evidence was copied from another teacher." in html
    ob2 = client.get(f"/badges/{awarded.award.uuid}/ob2")
    assert ob2.status_code == 410 and ob2.get_json(force=True)["revoked"] is True
    assert _total(session, awarded.teacher.id) == before - awarded.credential.points
    assert _revoke(client, awarded).status_code == 409  # twice: once only
    assert (
        len(session.exec(select(PointEvent).where(PointEvent.rule == "credential_revoked")).all())
        == 1
    )
    report = rebuild(session=session)
    session.commit()
    assert report.corrected_users == 0


def test_the_independent_verifier_reports_revoked(client, awarded, tmp_path):
    sign_in_as(client, awarded.admin)
    _revoke(client, awarded)
    credential, documents = public_documents(client, awarded.award)
    verdict = verify_independently(credential, documents, tmp_path)
    assert verdict["proofVerified"] is True
    assert verdict["revoked"] is True


@pytest.mark.parametrize("who", ["teacher", "assessor", "other_admin", "anonymous"])
def test_others_may_not_revoke(client, session, awarded, who):
    if who == "other_admin":
        sign_in_as(client, make_user(session, "admin", org_id=make_org(session).id))
    elif who != "anonymous":
        sign_in_as(client, getattr(awarded, who))
    response = _revoke(client, awarded)
    assert response.status_code in (401, 403, 303)  # 303: to sign-in
    assert client.get(f"/badges/{awarded.award.uuid}/ob2").status_code == 200


def test_revoking_needs_csrf_and_a_reason(client, awarded):
    sign_in_as(client, awarded.admin)
    no_token = client.post(f"/badges/{awarded.award.uuid}/revoke", data={"reason": "Copied."})
    assert no_token.status_code == 400
    assert _revoke(client, awarded, reason=" ").status_code in (400, 422)
    assert client.get(f"/badges/{awarded.award.uuid}/ob2").status_code == 200
