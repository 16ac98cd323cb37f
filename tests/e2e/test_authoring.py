"""Authoring with versions in a real browser: the admin writes a credential (2 evidence
parts, 3 criteria) and publishes it; a teacher starts it; the admin edits the rubric (a
new version); the teacher's attempt is reviewed against the version it started with."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Stack
from tests.e2e.flows import (
    decide,
    fill_every_part,
    make_live_user,
    sign_in_as_demo,
    sign_in_with_cookie,
    submission_id_from,
    submit_draft,
)
from tests.support.browser import PHONE, assert_accessible

TITLE = "Wait Time After Questions"
SLUG = "wait-time-after-questions"


@pytest.fixture(autouse=True)
def _leave_the_catalog_as_found(live_app):
    """Other e2e tests count the demo's stacks: unlist the one this test adds."""
    yield
    with Session(live_app.extensions["db_engine"]) as session:
        for stack in session.exec(select(Stack).where(Stack.org_id.is_not(None))).all():
            stack.published = False
            session.add(stack)
        session.commit()


@pytest.fixture
def admin_page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _author_and_publish(admin) -> str:
    sign_in_as_demo(admin, "admin")
    admin.goto("/admin")
    admin.get_by_role("link", name="Stacks and micro-credentials (authoring)").click()
    expect(admin.get_by_role("heading", name="Stacks and micro-credentials")).to_be_visible()
    assert_accessible(admin)
    admin.get_by_role("link", name="New stack").click()
    admin.locator("#f-title").fill("Questioning Routines")
    admin.get_by_role("button", name="Create stack").click()
    admin.get_by_role("link", name="New micro-credential").click()

    admin.locator("#f-title").fill(TITLE)
    admin.locator("#f-competency").fill("The educator waits after a question so everyone thinks.")
    admin.locator("#f-key_method").fill("Ask, then wait five seconds before calling on anyone.")
    admin.locator("#f-research").fill("Rowe found that **longer wait time** helps every student.")
    admin.locator("#f-credit_hours").fill("1.5")
    admin.locator("#f-req-0-kind").select_option("text")
    admin.locator("#f-req-0-prompt").fill("Describe the question you asked and what followed.")
    admin.get_by_role("button", name="Add evidence").click()
    admin.locator("#f-req-1-kind").select_option("link")
    admin.locator("#f-req-1-prompt").fill("A link to the lesson plan.")
    for _ in range(2):
        admin.get_by_role("button", name="Add criterion").click()
    for n, title in enumerate(("Waits after asking", "Calls on many", "Reflects on it")):
        admin.locator(f"#f-crit-{n}-title").fill(title)
        admin.locator(f"#f-crit-{n}-met").fill(f"{title}: clearly shown.")
        admin.locator(f"#f-crit-{n}-not_yet").fill(f"{title}: not shown yet.")
    assert_accessible(admin)
    admin.get_by_role("button", name="Create draft").click()
    expect(admin.get_by_text("Draft", exact=True)).to_be_visible()
    assert_accessible(admin)

    admin.get_by_role("link", name="Preview as a teacher").click()
    expect(admin.get_by_text("Preview of draft version 1")).to_be_visible()
    expect(admin.locator("table.rubric tbody tr")).to_have_count(3)
    admin.go_back()
    admin.get_by_role("button", name="Publish").click()
    expect(admin.get_by_text("Published", exact=True)).to_be_visible()
    return admin.url


@pytest.fixture
def teacher(live_app):
    return make_live_user(live_app, "wanda-wait", "Wanda Wait", district="riverbend")


def test_an_attempt_is_reviewed_against_the_version_it_started_with(
    context, page, admin_page, live_app, base_url, teacher
):
    admin, teacher_user, teacher = admin_page, teacher, page
    edit_url = _author_and_publish(admin)

    sign_in_with_cookie(context, live_app, base_url, teacher_user)
    teacher.goto(f"/credentials/{SLUG}")
    teacher.get_by_role("button", name="Start this credential").click()
    fill_every_part(teacher, "I asked why 3/4 > 2/3 and waited; six hands went up, not two.")
    attempt = submission_id_from(teacher)

    # The rubric changes while the attempt is in progress: version 2.
    admin.goto(edit_url)
    admin.locator("#f-crit-0-title").fill("Waits at least five seconds")
    admin.get_by_role("button", name="Add criterion").click()
    admin.locator("#f-crit-3-title").fill("Plans the questions")
    admin.locator("#f-crit-3-met").fill("Questions are planned.")
    admin.locator("#f-crit-3-not_yet").fill("Questions are improvised.")
    admin.get_by_role("button", name="Save changes").click()
    expect(admin.get_by_text("version 2", exact=True)).to_be_visible()
    admin.get_by_role("link", name="Version history").click()
    expect(admin.locator(".diff ins").filter(has_text="Plans the questions")).to_be_visible()
    assert_accessible(admin)

    teacher.goto(f"/submissions/{attempt}")
    submit_draft(teacher)

    admin.goto(f"/review/{attempt}")
    expect(admin.get_by_text("Waits after asking").first).to_be_visible()
    expect(admin.get_by_text("Plans the questions")).to_have_count(0)
    decide(admin, attempt, not_yet_on=None, feedback="Clear evidence of wait time.")

    teacher.goto(f"/submissions/{attempt}")
    expect(teacher.get_by_text("Waits after asking").first).to_be_visible()

    # Analytics show the attempt (recomputed now: the page may hold an earlier snapshot).
    admin.goto("/admin/analytics?period=90d")
    admin.get_by_role("button", name="Recompute now").click()
    expect(admin.get_by_text("recomputed just now")).to_be_visible()
    expect(admin.locator("table").get_by_text(TITLE).first).to_be_visible()
    assert_accessible(admin)

    admin.goto(edit_url)
    admin.get_by_role("button", name="Retire").click()
    expect(admin.get_by_text("Retired", exact=True)).to_be_visible()
    # Asked of the server itself (the service worker may keep a copy of a page it showed).
    assert teacher.request.get(f"/credentials/{SLUG}").status == 404
