"""A teacher shares an earned badge; an anonymous browser sees it verified; private makes
it 404; an admin revokes it and the page says so, with the points taken back."""

from playwright.sync_api import expect
from sqlmodel import Session, select

from server.game import service as game
from server.models import (
    Credential,
    Decision,
    SubmissionStatus,
    UserPoints,
    utcnow,
)
from server.review.outcome import issue_award
from tests.e2e.flows import make_live_user, sign_in_as_demo, sign_in_with_cookie
from tests.support.browser import assert_accessible
from tests.support.factories import make_submission


def _awarded_teacher(live_app):
    """A teacher of its own with a signed award, earned as a decision earns it."""
    user = make_live_user(live_app, "bea-badge", "Bea Badge", district="riverbend")
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        credential = session.exec(
            select(Credential).where(Credential.title == "Checking for Understanding")
        ).one()
        submission = make_submission(session, user, credential, status=SubmissionStatus.AWARDED)
        award = issue_award(session=session, submission=submission, issued_at=utcnow())
        game.on_decision(session=session, submission=submission, decision=Decision.AWARD.value)
        session.commit()
        return user, award.submission_id, award.uuid


def _points(live_app, user_id):
    with Session(live_app.extensions["db_engine"]) as session:
        return session.get(UserPoints, user_id).total


def test_share_verify_private_and_revoke(live_app, browser, base_url, page):
    bea, submission_id, uuid = _awarded_teacher(live_app)
    sign_in_with_cookie(page.context, live_app, base_url, bea)
    page.goto(f"/submissions/{submission_id}")
    page.get_by_role("link", name="Share your badge").click()
    link = page.get_by_label("Link to this page").input_value()
    assert link == f"{base_url}/badges/{uuid}"
    expect(page.get_by_role("link", name="Add to LinkedIn")).to_be_visible()
    assert_accessible(page)

    stranger = browser.new_context(base_url=base_url)
    anonymous = stranger.new_page()
    anonymous.goto(link)
    expect(anonymous.get_by_text("Verified: signature valid, issued by")).to_be_visible()
    expect(anonymous.get_by_role("heading", name="Checking for Understanding")).to_be_visible()
    expect(anonymous.get_by_text("Earned by")).to_contain_text("Bea Badge")
    assert_accessible(anonymous)

    page.get_by_label("Only me").check()
    page.get_by_role("button", name="Save").click()
    assert anonymous.goto(link).status == 404
    page.get_by_label("Anyone with the link").check()
    page.get_by_role("button", name="Save").click()

    before = _points(live_app, bea.id)
    admin_context = browser.new_context(base_url=base_url)
    admin = admin_context.new_page()
    sign_in_as_demo(admin, "admin")
    admin.goto(link)
    admin.get_by_role("link", name="Revoke this badge…").click()
    admin.get_by_label("Reason").fill("Evidence belonged to another teacher.")
    admin.get_by_role("button", name="Revoke the badge").click()
    anonymous.goto(link)
    expect(anonymous.get_by_text("because Evidence belonged to another teacher.")).to_be_visible()
    assert _points(live_app, bea.id) < before
    admin_context.close()
    stranger.close()
