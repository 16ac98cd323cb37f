"""The review queue's keyset pages in a browser, by keyboard: "Next page" swaps in the
rows after the last one shown (htmx, the address follows), "Back to the oldest" returns.
The demo's waiting submissions span pages at two rows a page."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import assert_accessible


def test_the_queue_pages_by_keyboard_and_back_to_the_oldest(page, monkeypatch):
    from server.review import queue_page

    monkeypatch.setattr(queue_page, "QUEUE_PAGE", 2)
    sign_in_as_demo(page, "assessor")
    page.goto("/review")
    status = page.locator("#review-queue [role=status]")
    expect(status).to_have_text("The 2 oldest submissions waiting; more follow")
    titles = page.locator(".review-queue-item h2 a")
    first_rows = [link.get_attribute("href") for link in titles.all()]

    page.get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("later submission")
    assert "after=" in page.url
    assert {link.get_attribute("href") for link in titles.all()}.isdisjoint(first_rows)
    assert_accessible(page)

    page.get_by_role("link", name="Back to the oldest").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("The 2 oldest submissions waiting; more follow")
    assert "after=" not in page.url
    assert [link.get_attribute("href") for link in titles.all()] == first_rows
