"""Double blind in a real browser: two assessors score one attempt independently and
differ on one criterion → a lead assessor reads both sets side by side and decides →
the teacher sees one decision with both assessors' comments; or they agree on "not yet"
→ the teacher appeals → a third assessor, outside the pair, gives the final second
opinion. axe on every new page."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from server.models import AssessorAppointment, Credential, Org, User
from tests.e2e.flows import decide, sign_in_as_demo, sign_in_with_cookie
from tests.support.browser import PHONE, assert_accessible
from tests.support.double_data import TEACHER_NAME, make_pair_world
from tests.support.factories import make_credential, make_stack, make_submission

TEACHER = "Dana Double"


@pytest.fixture
def pair(live_app):
    """A double-blind credential of its own stack (the demo's other credentials stay
    single), a Riverbend teacher's attempt, two assessors and a lead."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        riverbend = session.exec(select(Org).where(Org.slug == "riverbend")).one()
        stack = make_stack(session, title=f"Double Blind Stack {time.monotonic_ns()}")
        credential = make_credential(
            session, stack=stack, title="Reasoning Aloud", criteria=2, scoring_mode="double_blind"
        )
        people = {}
        for key, name in (("first", "Ada First"), ("second", "Bo Second"), ("lead", "Cy Lead")):
            people[key] = User(
                handle=f"pair-{key}-{time.monotonic_ns()}",
                display_name=name,
                roles="assessor",
                org_id=riverbend.id,
            )
            session.add(people[key])
        teacher = User(
            handle=f"pair-teacher-{time.monotonic_ns()}",
            display_name=TEACHER,
            school="Oak Primary",
            org_id=riverbend.id,
        )
        session.add(teacher)
        session.commit()
        for key, person in people.items():
            session.add(
                AssessorAppointment(user_id=person.id, stack_id=stack.id, is_lead=key == "lead")
            )
        session.commit()
        submission = make_submission(session, teacher, session.get_one(Credential, credential.id))
    return people, teacher, submission.id


@pytest.fixture
def world(live_app):
    """A district scoring double blind: its teacher's attempt, three assessors, a lead."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        return make_pair_world(session)


@pytest.fixture
def open_as(browser, base_url, live_app):
    contexts: list = []

    def open_as(user) -> Page:
        context = browser.new_context(base_url=base_url, viewport=PHONE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        sign_in_with_cookie(context, live_app, base_url, user)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def _score(
    page: Page,
    submission_id: int,
    met: list[bool],
    comment: str,
    note: str = "Double blind",
    teacher: str = TEACHER,
) -> None:
    page.goto(f"/review/{submission_id}")
    page.get_by_role("button", name="Start review").click()
    expect(page.locator("#pair-note")).to_contain_text(note)
    if note == "Double blind":  # a pair member: a pseudonym, whatever the district says
        expect(page.get_by_text(teacher)).to_have_count(0)
    criteria = page.locator("fieldset.review-criterion")
    expect(criteria.first).to_be_visible()
    for index, flag in enumerate(met):
        criteria.nth(index).get_by_label("Met" if flag else "Not yet", exact=True).check()
        criteria.nth(index).get_by_role("textbox").fill(f"{comment}, criterion {index + 1}")
    page.get_by_label("Overall feedback").fill(f"{comment} overall")
    assert_accessible(page)
    page.get_by_role("button", name="Award" if all(met) else "Not yet", exact=True).click()
    expect(page.get_by_text("Decision saved")).to_be_visible(timeout=15_000)


def test_pair_differs_the_lead_reconciles_the_teacher_sees_one_decision(
    context, page, open_as, live_app, base_url, pair
):
    people, teacher, submission_id = pair
    first, second, lead = (open_as(people[key]) for key in ("first", "second", "lead"))
    _score(first, submission_id, [True, True], "Ada saw it")
    first.goto(f"/review/{submission_id}")
    expect(first.get_by_text("You've scored this attempt")).to_be_visible()
    _score(second, submission_id, [True, False], "Bo missed the second")
    second.goto(f"/review/{submission_id}")
    expect(second.get_by_text("Ada saw it")).to_have_count(0)

    lead.goto("/review")
    item = lead.locator(
        ".review-queue-item", has=lead.locator(f"a[href='/review/{submission_id}']")
    )
    expect(item.get_by_text("Double blind")).to_be_visible()
    lead.goto(f"/review/{submission_id}")
    table = lead.locator(".review-pair")
    expect(table.get_by_role("columnheader", name="Assessor 1")).to_be_visible()
    expect(table.get_by_text("Differ")).to_have_count(1)
    expect(table.get_by_text("Ada saw it, criterion 2")).to_be_visible()
    expect(table.get_by_text("Bo missed the second, criterion 2")).to_be_visible()
    expect(lead.get_by_text("Ada First")).to_have_count(0)
    assert_accessible(lead)
    _score(lead, submission_id, [True, True], "Lead: both shown", note="The two assessors differ")

    sign_in_with_cookie(context, live_app, base_url, teacher)
    page.goto(f"/submissions/{submission_id}")
    expect(page.get_by_role("heading", name="You earned Reasoning Aloud!")).to_be_visible()
    feedback = page.locator(".feedback")
    expect(feedback).to_contain_text("Lead assessor: Lead: both shown overall")
    expect(feedback).to_contain_text("Assessor 1: Ada saw it overall")
    expect(page.get_by_text("Ada First")).to_have_count(0)
    assert_accessible(page)


def test_admin_marks_a_lead_and_picks_a_scoring_mode_accessibly(page, pair):
    people, _, _ = pair
    sign_in_as_demo(page, "admin")
    page.goto(f"/admin/people/{people['first'].id}/roles")
    expect(page.get_by_role("group", name="Lead assessor for these stacks")).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/settings")
    expect(page.get_by_label("Scoring")).to_have_value("single")
    assert_accessible(page)


REASON = "My second photo shows the class placing both fractions on the number line."


def test_pair_agrees_not_yet_the_appeal_goes_to_a_third_assessor(
    context, page, open_as, live_app, base_url, world
):
    sid = world.submission.id
    first, second, third = (open_as(user) for user in (world.first, world.second, world.third))
    for member, comment in ((first, "Jordan: no comparison"), (second, "Riley: no comparison")):
        _score(member, sid, [True, False], comment, teacher=TEACHER_NAME)

    sign_in_with_cookie(context, live_app, base_url, world.teacher)
    page.goto(f"/submissions/{sid}")
    feedback = page.locator(".feedback")
    expect(feedback).to_have_count(1)  # one decision, both assessors' words, no names
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("Assessor 1: Jordan: no comparison overall")
    expect(feedback).to_contain_text("Assessor 2: Riley: no comparison overall")
    expect(page.get_by_text(world.first.display_name)).to_have_count(0)
    assert_accessible(page)
    page.get_by_text("Ask for a second opinion").first.click()
    page.get_by_label("Why would you like a second opinion?").fill(REASON)
    page.get_by_role("button", name="Ask for a second opinion").click()
    expect(page.get_by_text("Another assessor, not the one who decided first")).to_be_visible()
    assert_accessible(page)

    # Neither member of the pair gives the second opinion: not listed, not offered, refused.
    for member in (first, second):
        member.goto("/review")
        expect(member.locator(f"a[href='/review/{sid}']")).to_have_count(0)
        member.goto(f"/review/{sid}")
        expect(member.get_by_text("must come from another assessor")).to_be_visible()
        expect(member.get_by_role("button", name="Start review")).to_have_count(0)
        assert_accessible(member)
        token = member.locator("meta[name=csrf-token]").get_attribute("content") or ""
        refused = member.request.post(
            f"/review/{sid}/claim", headers={"X-CSRFToken": token}, max_redirects=0
        )
        assert refused.status == 403, refused.status
        assert "must come from another assessor" in refused.text()

    third.goto("/review")
    item = third.locator(".review-queue-item", has=third.locator(f"a[href='/review/{sid}']"))
    expect(item.get_by_text("Second opinion")).to_be_visible()
    assert_accessible(third)
    third.goto(f"/review/{sid}")
    expect(third.locator("#second-opinion")).to_be_visible()
    expect(third.locator("#pair-note")).to_have_count(0)  # one assessor's, not a pair's
    expect(third.get_by_text("no comparison")).to_have_count(0)  # blind to the first decision
    assert_accessible(third)
    decide(third, sid, not_yet_on=None, feedback="Sam: the number line shows the comparison.")

    page.goto(f"/submissions/{sid}")
    expect(page.get_by_text("Outcome: awarded.")).to_be_visible()
    expect(page.get_by_text("This decision is final")).to_be_visible()
    expect(page.locator(".feedback")).to_contain_text("Sam: the number line shows the comparison.")
    expect(page.get_by_role("button", name="Ask for a second opinion")).to_have_count(0)
    assert_accessible(page)
