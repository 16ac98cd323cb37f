"""A district admin imports a roster (a bad file first), reads the preview, imports it,
then switches one of the new people off from the People page: every page accessible."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import assert_accessible

ROSTER = (
    "Name,Email,School,Role,Cohort\n"
    "Rosa Import,rosa.e2e@riverbend.example.org,Riverbend High School,teacher,E2E Readers\n"
    "Bad Row,not-an-email,,teacher,\n"
).encode("cp1252")


def _upload(page, data: bytes) -> None:
    page.get_by_label("Roster file (CSV)").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Preview the import").click()


def test_an_admin_imports_a_roster_and_switches_someone_off(page):
    sign_in_as_demo(page, "admin")
    page.goto("/admin")
    page.get_by_role("link", name="People: import a roster").click()
    page.get_by_role("link", name="Import a roster (CSV)").click()
    _upload(page, b"name,school\nAna,Maple\n")
    expect(page.locator("#roster-file-error")).to_contain_text("no “email” or “role” column")
    assert_accessible(page)

    _upload(page, ROSTER)
    expect(page.get_by_role("heading", name="Preview: roster.csv")).to_be_visible()
    expect(page.get_by_role("cell", name="Rosa Import")).to_be_visible()
    expect(page.get_by_text("isn't an email address")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 1 change (skip 1 with problems)").click()
    expect(page.get_by_role("heading", name="Roster imported")).to_be_visible()
    expect(page.get_by_role("link", name="Download sign-up links (CSV)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See your district's people").click()
    page.get_by_label("Search").fill("rosa.e2e")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="Not signed up yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Switch off Rosa Import").click()
    assert_accessible(page)
    page.get_by_role("button", name="Switch off the account").click()
    expect(page.get_by_text("Rosa Import is switched off")).to_be_visible()
    expect(page.get_by_role("cell", name="Switched off")).to_be_visible()
