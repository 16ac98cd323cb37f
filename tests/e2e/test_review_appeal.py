"""An appeal in a real browser: "not yet" → the teacher asks for a second opinion → the
first assessor no longer sees it → a third person (the district admin) decides, blind to
the first decision → the teacher sees one final outcome."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Credential, Org, User
from tests.e2e.flows import decide, sign_in_as_demo, sign_in_with_cookie
from tests.support.browser import PHONE, assert_accessible
from tests.support.factories import make_submission

FIRST_FEEDBACK = "Show how the class compared the two fractions."


@pytest.fixture
def waiting(live_app):
    """A Riverbend teacher of its own with an attempt waiting for review."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        riverbend = session.exec(select(Org).where(Org.slug == "riverbend")).one()
        user = User(handle="avery-appeal", display_name="Avery Appeal", org_id=riverbend.id)
        session.add(user)
        session.commit()
        credential = session.exec(
            select(Credential).where(Credential.slug == "fractions-as-numbers")
        ).one()
        submission = make_submission(session, user, credential)
    return user, submission.id


@pytest.fixture
def other_page(browser, base_url):
    def new_page():
        context = browser.new_context(base_url=base_url, viewport=PHONE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    contexts: list = []
    yield new_page
    for context in contexts:
        context.close()


def test_an_appeal_goes_to_a_third_person_blind_and_is_final(
    context, page, other_page, live_app, base_url, waiting
):
    teacher_user, submission_id = waiting
    assessor, admin = other_page(), other_page()
    sign_in_as_demo(assessor, "assessor")
    decide(assessor, submission_id, not_yet_on=0, feedback=FIRST_FEEDBACK)

    sign_in_with_cookie(context, live_app, base_url, teacher_user)
    page.goto(f"/submissions/{submission_id}")
    page.get_by_text("Ask for a second opinion").first.click()
    page.get_by_role("button", name="Ask for a second opinion").click()
    expect(page.locator("#appeal-reason-error")).to_contain_text("Say why")
    assert_accessible(page)
    page.get_by_label("Why would you like a second opinion?").fill(
        "My second photo shows the comparison on the number line."
    )
    page.get_by_role("button", name="Ask for a second opinion").click()
    expect(page.get_by_text("Another assessor, not the one who decided first")).to_be_visible()
    assert_accessible(page)

    # The first assessor no longer has it; the admin sees a second opinion, blind.
    assessor.goto("/review")
    expect(assessor.locator(f"a[href='/review/{submission_id}']")).to_have_count(0)
    sign_in_as_demo(admin, "admin")
    admin.goto("/review")
    item = admin.locator(
        ".review-queue-item", has=admin.locator(f"a[href='/review/{submission_id}']")
    )
    expect(item.get_by_text("Second opinion")).to_be_visible()
    admin.goto(f"/review/{submission_id}")
    expect(admin.locator("#second-opinion")).to_be_visible()
    expect(admin.get_by_text(FIRST_FEEDBACK)).to_have_count(0)
    assert_accessible(admin)
    decide(admin, submission_id, not_yet_on=None, feedback="The number line shows it clearly.")

    page.goto(f"/submissions/{submission_id}")
    expect(page.get_by_text("Outcome: awarded.")).to_be_visible()
    expect(page.get_by_role("button", name="Ask for a second opinion")).to_have_count(0)
    assert_accessible(page)
