"""The public catalog in a real Chromium on a phone: accessible pages, and live search
through htmx without a full reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible

PAGES = [
    ("/", "Show what you do in your classroom. Earn what it's worth."),
    ("/stacks", "Stacks"),
    ("/stacks/fractions-foundations", "Fractions Foundations"),
    ("/credentials/checking-for-understanding", "Checking for Understanding"),
    ("/stacks?q=underwater+basket+weaving", "Stacks"),
]


@pytest.mark.parametrize("path, heading", PAGES)
def test_catalog_page_is_accessible_and_fits_a_phone(page, base_url, path, heading):
    response = page.goto(base_url + path)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(heading)
    assert_accessible(page)
    # Nothing sticks out sideways on a 390 px wide phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_empty_search_offers_to_clear_filters(page, base_url):
    page.goto(base_url + "/stacks?q=underwater+basket+weaving")
    expect(page.get_by_role("heading", level=2)).to_contain_text("No stacks match")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".stack-card")).to_have_count(4)


def test_unknown_credential_gets_an_accessible_404_page(page, base_url):
    response = page.goto(base_url + "/credentials/no-such-thing")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.get_by_role("alert")).to_contain_text("couldn't find that micro-credential")
    assert_accessible(page)


def test_typing_a_search_updates_results_without_a_reload(page, base_url):
    page.goto(base_url + "/stacks")
    expect(page.locator(".stack-card")).to_have_count(4)
    page.evaluate("window.__stillSamePage = true")

    page.get_by_label("Search").fill("working memory")

    expect(page.locator(".stack-card")).to_have_count(1)
    # Grouped under "Stacks" and "Micro-credentials" headings, each card an h3.
    expect(page.locator(".stack-card h3")).to_have_text("Learning Differences")
    expect(page.locator(".credential-hit h3")).to_have_text("Working Memory")
    expect(page.get_by_role("status").filter(has_text="matching")).to_have_text(
        "1 stack matching “working memory”, and 1 micro-credential"
    )
    expect(page).to_have_url(re.compile(r"/stacks\?q=working(%20|\+)memory"))
    assert page.evaluate("window.__stillSamePage") is True
    expect(page.get_by_label("Search")).to_be_focused()  # typing carries on undisturbed


def test_choosing_a_category_filters_without_a_reload(page, base_url):
    page.goto(base_url + "/stacks")
    page.evaluate("window.__stillSamePage = true")
    page.get_by_label("Category").select_option("Mathematics")
    expect(page.locator(".stack-card")).to_have_count(1)
    expect(page.locator(".stack-card h2")).to_have_text("Fractions Foundations")
    assert page.evaluate("window.__stillSamePage") is True


def test_a_stack_card_leads_to_its_credentials_and_rubric(page, base_url):
    page.goto(base_url + "/stacks")
    page.get_by_role("link", name="Formative Assessment").click()
    expect(page.locator("h1")).to_have_text("Formative Assessment")
    page.get_by_role("link", name="Checking for Understanding").click()
    rubric = page.locator("table.rubric")
    expect(rubric.locator("tbody tr")).to_have_count(5)
    expect(rubric).to_contain_text("Planned hinge questions")
