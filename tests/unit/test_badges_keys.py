"""Issuer keys and our own verifier: 0600 files made on first use, rotation keeps old
credentials verifiable, a lost key of an issuer with credentials is refused (never
silently replaced), and a changed credential fails with a reason."""

import json
import stat

import pytest

from server.badges import keys as keystore
from server.badges.issuing import current
from server.badges.verify import verify_award
from tests.support.badges import award_one

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield current()


def test_first_award_makes_a_private_key_file(session, ctx):
    awarded = award_one(session)
    key_file = ctx.instance_dir / keystore.KEY_DIR / awarded.org.slug / "key-1"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert json.loads(awarded.award.ob3_json)["proof"]["verificationMethod"].endswith("#key-1")


def test_a_stored_credential_verifies(session, ctx):
    awarded = award_one(session)
    verdict = verify_award(session=session, award=awarded.award, issuing=ctx)
    assert verdict.verified and verdict.issuer_name == "Riverbend Unified"


def test_a_changed_credential_fails_with_a_reason(session, ctx):
    awarded = award_one(session)
    document = json.loads(awarded.award.ob3_json)
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    awarded.award.ob3_json = json.dumps(document)
    verdict = verify_award(session=session, award=awarded.award, issuing=ctx)
    assert not verdict.verified
    assert "changed after it was issued" in verdict.problem


def test_rotation_keeps_old_credentials_verifiable(session, ctx):
    first = award_one(session)
    keystore.rotate(ctx.instance_dir, first.org.slug)
    second = award_one(session, org=first.org)
    assert json.loads(second.award.ob3_json)["proof"]["verificationMethod"].endswith("#key-2")
    for award in (first.award, second.award):
        assert verify_award(session=session, award=award, issuing=ctx).verified


def test_a_lost_key_is_refused_for_an_issuer_that_has_issued(session, ctx):
    first = award_one(session)
    (ctx.instance_dir / keystore.KEY_DIR / first.org.slug / "key-1").unlink()
    with pytest.raises(keystore.IssuerKeyMissing, match="restore the key files"):
        award_one(session, org=first.org)
    session.rollback()
    assert not (ctx.instance_dir / keystore.KEY_DIR / first.org.slug / "key-1").exists()


def test_cli_rotates_and_serve_refuses_a_lost_key(app, session, ctx):
    awarded = award_one(session)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["badges", "rotate-key", awarded.org.slug])
    assert result.exit_code == 0 and "key-2" in result.output
    assert runner.invoke(args=["badges", "check-keys"]).exit_code == 0
    for key_file in (ctx.instance_dir / keystore.KEY_DIR / awarded.org.slug).iterdir():
        key_file.unlink()
    refused = runner.invoke(args=["serve", "--port", "1"])
    assert refused.exit_code != 0 and "restore the key files" in refused.output
