"""The assessor's tools in a browser: the queue shows each item's age against the
district's target; on the review form a saved phrase inserts into a criterion's comment,
and M / N mark the focused criterion (never while typing in a comment). It claims the
newest waiting demo submission on the first page and adds one phrase to the bank."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import assert_accessible


def test_turnaround_comment_bank_and_shortcuts(page):
    sign_in_as_demo(page, "assessor")
    page.goto("/review")
    expect(page.locator(".turnaround, .turnaround-overdue").first).to_contain_text("target")
    assert_accessible(page)

    # The newest item nobody holds: another test of this shared app may have claimed one.
    look_first = page.get_by_role("link", name="Look first")
    page.locator(".review-queue-item").filter(has=look_first).last.get_by_role(
        "link", name="Look first"
    ).click()
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_label("Overall feedback")).to_be_visible()
    first = page.locator("fieldset.review-criterion").first
    title = first.locator("legend").inner_text().split(". ", 1)[1]

    page.get_by_label(f"New phrase for “{title}”").fill("Wait time visible in the clip")
    page.get_by_role("button", name=f"Add phrase to “{title}”").click()
    expect(page.get_by_text("Phrase added to the comment bank.")).to_be_visible()
    insert = first.get_by_role("button", name="Wait time visible in the clip")
    insert.click()
    comment = first.get_by_role("textbox")
    expect(comment).to_have_value("Wait time visible in the clip")

    met, not_yet = first.get_by_label("Met", exact=True), first.get_by_label("Not yet", exact=True)
    expect(met).to_have_attribute("aria-keyshortcuts", "M")
    met.focus()
    page.keyboard.press("n")
    expect(not_yet).to_be_checked()
    page.keyboard.press("m")
    expect(met).to_be_checked()
    comment.focus()
    page.keyboard.press("n")  # typing, not a shortcut
    expect(met).to_be_checked()
    expect(comment).to_have_value("Wait time visible in the clipn")
    assert_accessible(page)
