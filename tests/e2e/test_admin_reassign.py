"""An admin reassigns an assessor's claim in a real browser: from the admin home's
"Claims in progress" to the confirm page (a missing choice is refused next to the field,
nothing changed), then to another assessor; the first assessor can no longer decide and
the new one finds it in their queue. Axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Credential, Org, SubmissionStatus, User
from tests.e2e.flows import sign_in_as_demo, sign_in_with_cookie
from tests.support.browser import PHONE, assert_accessible
from tests.support.factories import appoint, make_review, make_submission, make_user

CREDENTIAL = "fractions-as-numbers"


@pytest.fixture
def claimed(live_app):
    """Jordan (the demo assessor) holds a claim on a Riverbend teacher's attempt; Quinn,
    another Riverbend assessor of the stack, could take it."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        riverbend = session.exec(select(Org).where(Org.slug == "riverbend")).one()
        credential = session.exec(select(Credential).where(Credential.slug == CREDENTIAL)).one()
        jordan = session.exec(select(User).where(User.handle == "jordan")).one()
        teacher = make_user(
            session, name="Reese Reassign", handle="reese-reassign", org_id=riverbend.id
        )
        quinn = make_user(
            session, "assessor", name="Quinn Taker", handle="quinn-taker", org_id=riverbend.id
        )
        appoint(session, quinn, credential)
        submission = make_submission(
            session, teacher, credential, status=SubmissionStatus.IN_REVIEW
        )
        make_review(session, submission, jordan, hours=2)
    return submission.id, quinn, credential.title


def test_an_admin_reassigns_a_claim_to_another_assessor(page, browser, base_url, live_app, claimed):
    submission_id, quinn, title = claimed
    jordan = browser.new_context(base_url=base_url, viewport=PHONE)
    jordan_page = jordan.new_page()
    sign_in_as_demo(jordan_page, "assessor")
    jordan_page.goto(f"/review/{submission_id}")
    expect(jordan_page.get_by_role("button", name="Award")).to_have_count(1)  # theirs now

    sign_in_as_demo(page, "admin")
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Claims in progress")).to_be_visible()
    page.get_by_role("link", name=f"Reassign {title} by Reese Reassign").click()
    expect(page.get_by_role("heading", name=f"Reassign a claim on {title}")).to_be_visible()
    expect(page.get_by_text("can no longer decide this attempt")).to_be_visible()
    assert_accessible(page)

    # The select is required; without the browser's check the server names the field.
    page.eval_on_selector("#assessor", "select => select.removeAttribute('required')")
    page.eval_on_selector("#assessor", "select => { select.selectedIndex = -1 }")
    page.get_by_role("button", name="Reassign the claim").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was changed")
    expect(page.get_by_label("Give the claim to")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Give the claim to").select_option(label="Quinn Taker")
    page.get_by_role("button", name="Reassign the claim").click()
    expect(page.get_by_text("Quinn Taker holds the claim now")).to_be_visible()

    jordan_page.reload()
    expect(jordan_page.get_by_role("button", name="Award")).to_have_count(0)
    jordan.close()

    taker = browser.new_context(base_url=base_url, viewport=PHONE)
    try:
        sign_in_with_cookie(taker, live_app, base_url, quinn)
        taker_page = taker.new_page()
        taker_page.goto("/review")
        expect(taker_page.locator(f'a[href="/review/{submission_id}"]').first).to_be_visible()
        assert_accessible(taker_page)
    finally:
        taker.close()
