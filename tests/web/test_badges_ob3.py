"""Open Badges 3.0: every award carries a signed OpenBadgeCredential that an independent
implementation (Digital Bazaar's VC libraries, in node) verifies; a tampered copy fails."""

import copy

from tests.support.badges import award_one, public_documents, verify_independently


def test_an_award_verifies_with_digital_bazaar(app, client, session, tmp_path):
    with app.app_context():
        awarded = award_one(session)
    credential, documents = public_documents(client, awarded.award)
    verdict = verify_independently(credential, documents, tmp_path)
    assert verdict["errors"] == []
    assert verdict["verified"] is True
    assert verdict["revoked"] is False


def test_a_tampered_credential_fails_independent_verification(app, client, session, tmp_path):
    with app.app_context():
        awarded = award_one(session)
    credential, documents = public_documents(client, awarded.award)
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["creditsEarned"] = 40
    verdict = verify_independently(tampered, documents, tmp_path)
    assert verdict["verified"] is False
    assert any("signature" in message.lower() for message in verdict["errors"]), verdict
