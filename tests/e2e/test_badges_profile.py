"""The public badge profile and a stack credential's page, read by an anonymous browser:
what is public is listed with a link to its verification page; an unknown address says
"Nothing shared here"; every page passes axe."""

from playwright.sync_api import expect
from sqlmodel import Session, select

from server.badges.profile import ensure_profile
from server.models import Award, StackAward, User
from tests.support.browser import assert_accessible


def _omar_public(live_app) -> tuple[str, str]:
    """Omar (a demo teacher, not a demo sign-in) makes his award public."""
    with Session(live_app.extensions["db_engine"]) as session:
        omar = session.exec(select(User).where(User.handle == "omar")).one()
        award = session.exec(select(Award).where(Award.user_id == omar.id)).one()
        award.visibility = "public"
        session.add(award)
        slug = ensure_profile(session=session, user=omar).slug
        session.commit()
        return slug, award.uuid


def _maya_stack(live_app) -> str:
    with Session(live_app.extensions["db_engine"]) as session:
        maya = session.exec(select(User).where(User.handle == "maya")).one()
        return session.exec(select(StackAward).where(StackAward.user_id == maya.id)).one().uuid


def test_profile_and_stack_pages_for_an_anonymous_reader(live_app, page):
    slug, uuid = _omar_public(live_app)
    page.goto(f"/badges/people/{slug}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("credentials")
    page.get_by_role("link", name="Verify Fractions as Numbers").click()
    expect(page).to_have_url(f"{live_app.config['BASE_URL']}/badges/{uuid}")
    page.go_back()
    assert_accessible(page)

    page.goto("/badges/people/nobody-by-this-name")
    expect(page.get_by_role("heading", name="Nothing shared here")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/badges/stack/{_maya_stack(live_app)}")
    expect(page.get_by_role("heading", name="Formative Assessment")).to_be_visible()
    expect(page.get_by_role("link", name="Checking for Understanding")).to_be_visible()
    assert_accessible(page)
