"""The coach's cohort pages in Chromium: accessible, and a nudge sent from the table."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.demo.people import DEMO_HANDLES
from server.models import CohortMember, MemberStatus, User
from tests.e2e.test_push_sw import sign_in
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def coach(live_app):
    with Session(live_app.extensions["db_engine"]) as session:
        return session.exec(select(User).where(User.handle == DEMO_HANDLES["coach"])).one()


def test_a_coach_nudges_from_the_progress_table(context, page, live_app, base_url, coach):
    sign_in(context, live_app, base_url, coach)
    page.goto("/coach/cohorts")
    assert_accessible(page)
    page.get_by_role("link", name="Early Adopters").first.click()
    page.get_by_role("heading", level=1, name="Early Adopters").wait_for()
    assert_accessible(page)

    boxes = page.locator('input[name="member_ids"]')
    assert boxes.count() >= 2
    page.get_by_label("select everyone shown").check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.get_by_label("select everyone shown").uncheck()

    boxes.first.check()
    page.get_by_label("Start from").select_option("draft")
    message = page.get_by_label("Message")
    page.wait_for_function(
        "() => document.querySelector('#nudge-message')?.value.includes('draft')"
    )
    message.fill("Hi {first_name}, ten minutes this week?")
    page.get_by_role("button", name="Send nudge").click()
    report = page.locator("#nudge-result [role=status]")
    report.wait_for()
    first_report = report.inner_text()
    assert "Nudged now" in first_report or "quiet hours" in first_report

    page.get_by_role("button", name="Send nudge").click()
    page.locator("#nudge-result").filter(has_text="Already nudged today").wait_for()


def test_the_members_page_is_accessible_and_searches_as_you_type(
    context, page, live_app, base_url, coach
):
    sign_in(context, live_app, base_url, coach)
    page.goto("/coach/cohorts")
    page.get_by_role("link", name="Members of Early Adopters").click()
    page.get_by_role("heading", level=1).filter(has_text="Members of").wait_for()
    assert_accessible(page)
    assert "/coach/join/" in page.get_by_label("Link to join Early Adopters").input_value()
    page.get_by_label("Find a person").fill("jordan")
    page.locator("#search-results").filter(has_text="Jordan").wait_for()


def test_a_member_finds_my_cohorts_from_the_account_page_and_can_leave(
    context, page, live_app, base_url
):
    with Session(live_app.extensions["db_engine"]) as session:
        teacher = session.exec(select(User).where(User.handle == DEMO_HANDLES["teacher"])).one()
    sign_in(context, live_app, base_url, teacher)
    page.goto("/auth/account")
    page.get_by_role("link", name="My cohorts").click()
    page.get_by_role("heading", level=1, name="My cohorts").wait_for()
    assert_accessible(page)
    page.get_by_text("Leave Early Adopters…").click()
    confirm = page.get_by_role("button", name="Yes, leave Early Adopters")
    confirm.wait_for()
    assert_accessible(page)
    confirm.click()
    try:
        page.get_by_text("You're no longer in Early Adopters").wait_for()
    finally:
        _rejoin_what_was_left(live_app, teacher.id)  # later tests share the demo data


def _rejoin_what_was_left(live_app, user_id: int) -> None:
    with Session(live_app.extensions["db_engine"]) as session:
        left = select(CohortMember).where(
            CohortMember.user_id == user_id, CohortMember.status == MemberStatus.LEFT.value
        )
        for member in session.exec(left):
            member.status = MemberStatus.ACTIVE.value
            session.add(member)
        session.commit()


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_the_grid_scrolls_with_names_in_view_and_a_member_history(
    context, page, live_app, base_url, coach, size
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(context, live_app, base_url, coach)
    page.goto("/coach/cohorts")
    page.get_by_role("link", name="Early Adopters").first.click()
    region = page.get_by_role("region", name="Progress of each member, by credential")
    region.wait_for()
    assert_accessible(page)
    overflows = region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert overflows or size[0] > 390  # nine columns never fit a phone
    hint = page.locator("[data-scroll-hint]")
    assert hint.is_visible() == overflows
    if overflows:  # a shadow says there is more; the names stay put while it scrolls
        assert page.locator("[data-scroll-frame].more-right").count() == 1
        name = page.get_by_role("rowheader").filter(has_text="Grace Liu")
        before = name.bounding_box()["x"]
        region.focus()
        page.keyboard.press("End")
        region.evaluate("el => el.scrollBy(400, 0)")
        page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
        assert abs(name.bounding_box()["x"] - before) < 2
    stalled = page.get_by_role("link", name="Stalled (no activity in 14 days) (1)")
    stalled.click()
    page.locator('.cohort-filters a[aria-current="page"]', has_text="Stalled").wait_for()
    page.get_by_role("rowheader").filter(has_text="Grace Liu").wait_for()
    assert page.get_by_role("rowheader").count() == 1
    page.get_by_role("link", name="1 nudge").click()
    page.get_by_role("heading", level=1, name="Nudges to Grace Liu").wait_for()
    assert_accessible(page)


def test_the_progress_table_pages_by_keyboard(
    context, page, live_app, base_url, coach, monkeypatch
):
    from server.coach import progress

    monkeypatch.setattr(progress, "PAGE_SIZE", 2)  # the demo cohort spans pages
    sign_in(context, live_app, base_url, coach)
    page.goto("/coach/cohorts")
    page.get_by_role("link", name="Early Adopters").first.click()
    status = page.locator("#cohort-progress [role=status]")
    status.filter(has_text="Members 1–2 of").wait_for()
    first_names = page.locator("#cohort-progress tbody th").all_inner_texts()
    next_link = page.get_by_role("link", name="Next page of members")
    next_link.focus()
    page.keyboard.press("Enter")
    status.filter(has_text="Members 3–").wait_for()
    assert "page=2" in page.url
    assert set(page.locator("#cohort-progress tbody th").all_inner_texts()).isdisjoint(first_names)
    assert_accessible(page)
    page.get_by_role("link", name="Previous page of members").focus()
    page.keyboard.press("Enter")
    status.filter(has_text="Members 1–2 of").wait_for()
