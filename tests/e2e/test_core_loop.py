"""The core loop in a real browser: capture → submit → "not yet" → resubmit → award."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import (
    decide,
    fill_every_part,
    sign_in_as_demo,
    submission_id_from,
    submit_draft,
)
from tests.support.browser import PHONE, assert_accessible

CREDENTIAL = "fractions-as-numbers"  # the demo teacher has not started this one


@pytest.fixture
def assessor_page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _points_and_level_bar(page) -> tuple[int, int]:
    page.goto("/me")
    total = int(page.locator(".level-card .stat-value").first.inner_text())
    bar = page.locator("#level-progress")
    return total, int(bar.get_attribute("value")) if bar.count() else -1


def _my_board_points(page) -> int:
    page.goto("/leaderboards?period=all")
    expect(page.get_by_text("Early Adopters").first).to_be_visible()  # the cohort board
    return int(page.locator("tr.board-you td").nth(2).inner_text())


def test_not_yet_then_resubmit_then_award(page, assessor_page):
    teacher = page
    sign_in_as_demo(teacher, "teacher")
    points_before, bar_before = _points_and_level_bar(teacher)
    board_before = _my_board_points(teacher)
    teacher.goto(f"/credentials/{CREDENTIAL}")
    teacher.get_by_role("button", name="Start this credential").click()
    fill_every_part(teacher, "Students placed 3/4 and 2/3 on a number line and argued why.")
    assert_accessible(teacher)
    submit_draft(teacher)
    first_id = submission_id_from(teacher)

    sign_in_as_demo(assessor_page, "assessor")
    assessor_page.goto("/review")
    expect(assessor_page.locator(f"a[href='/review/{first_id}']").first).to_be_visible()
    assert_accessible(assessor_page)
    decide(
        assessor_page,
        first_id,
        not_yet_on=1,
        feedback="Show the student explanations for the number-line comparisons.",
    )

    teacher.goto(f"/submissions/{first_id}")
    expect(teacher.get_by_text("Show the student explanations")).to_be_visible()
    teacher.get_by_role("button", name="Start attempt 2").click()
    second_id = submission_id_from(teacher)
    assert second_id != first_id
    expect(teacher.get_by_text("Show the student explanations")).to_be_visible()
    fill_every_part(teacher, "Added each student's explanation beside their number line.")
    submit_draft(teacher)
    # The assessor sees which parts are the same as in the "not yet" attempt, and counts.
    assessor_page.goto(f"/review/{second_id}")
    expect(assessor_page.get_by_text("Unchanged since the previous attempt").first).to_be_visible()
    expect(assessor_page.locator(".word-count")).to_contain_text("(asked: 300 to 500 words)")
    assert_accessible(assessor_page)

    decide(assessor_page, second_id, not_yet_on=None, feedback="Clear, convincing evidence.")

    teacher.goto("/inbox")
    expect(teacher.get_by_text("You earned Fractions as Numbers!")).to_be_visible()
    expect(teacher.get_by_text("Not yet: Fractions as Numbers")).to_be_visible()
    assert_accessible(teacher)
    teacher.goto("/me/credentials")
    row = teacher.locator("li, tr", has_text="Fractions as Numbers").filter(has_text="Awarded")
    expect(row.first).to_be_visible()
    assert_accessible(teacher)

    # Earning it (after a "not yet") paid points: the level bar and cohort board moved.
    points_after, bar_after = _points_and_level_bar(teacher)
    assert points_after > points_before
    assert bar_after != bar_before
    assert_accessible(teacher)
    assert _my_board_points(teacher) == board_before + (points_after - points_before)
    assert_accessible(teacher)
