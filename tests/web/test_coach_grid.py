"""The coach's grid as a page: grouped by stack with a summary per member, a scroll hint,
the nudge that fits each person, and each member's nudge history (their coach only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from server.models import CohortMember, Nudge, utcnow
from tests.support.coaching import add_member, daytime_zone
from tests.support.factories import (
    make_cohort,
    make_credential,
    make_org,
    make_stack,
    make_submission,
    make_user,
)
from tests.support.web import htmx_headers, post_form, sign_in_as


@pytest.fixture
def people(session, cohort):
    """Maya answers a "not yet"; Grace last worked 18 days ago (joined today); Ned is new."""
    stack = make_stack(session, slug="fractions", title="Fractions Foundations")
    numbers = make_credential(session, stack=stack, title="Fractions as Numbers", credit_hours=3)
    zone = daytime_zone()  # never in quiet hours while the test runs
    maya = add_member(session, cohort, "Maya Lopez", timezone=zone)
    grace = add_member(session, cohort, "Grace Liu", timezone=zone)
    ned = add_member(session, cohort, "Ned New", timezone=zone)
    old = utcnow() - timedelta(days=18)
    make_submission(session, maya, numbers, status="not_yet", with_evidence=False)
    make_submission(session, grace, numbers, status="draft", created_at=old, updated_at=old)
    return {"maya": maya, "grace": grace, "ned": ned}


def test_the_grid_has_stack_groups_summaries_and_a_scroll_hint(client, coach, cohort, people):
    sign_in_as(client, coach)
    html = client.get(f"/coach/cohorts/{cohort.id}").get_data(as_text=True)
    assert 'scope="colgroup" colspan="1" class="stack-head">Fractions Foundations' in html
    for header in ("Earned", "In progress", "Credit hours", "Last activity"):
        assert f'<th scope="col">{header}</th>' in html
    assert 'role="region" aria-label="Progress of each member, by credential"' in html
    assert 'aria-describedby="progress-scroll-hint" tabindex="0"' in html
    assert "1 credential in 1 stack" in html
    assert (
        "Stalled (no activity in 14 days) (1)" in html
    )  # Grace: 18 days ago, though she joined today


def test_the_stalled_filter_shows_who_the_grid_marks_stalled(client, coach, cohort, people):
    sign_in_as(client, coach)
    fragment = client.get(f"/coach/cohorts/{cohort.id}?filter=stalled", headers=htmx_headers())
    text = fragment.get_data(as_text=True)
    assert "Grace Liu" in text and "Maya Lopez" not in text and "Ned New" not in text


def test_the_fitted_nudge_is_offered_first_and_names_who_gets_what(client, coach, cohort, people):
    sign_in_as(client, coach)
    html = client.get(f"/coach/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<option value="fit" selected>' in html
    assert "<strong>Answer the feedback</strong>: Maya Lopez" in html
    assert "<strong>Continue your draft</strong>: Grace Liu" in html
    assert "<strong>Start one</strong>: Ned New" in html
    edit = client.get(
        f"/coach/cohorts/{cohort.id}/nudge-message?template=draft", headers=htmx_headers()
    )
    assert "your draft is waiting" in edit.get_data(as_text=True)


def test_a_fitted_nudge_sends_each_their_own_message(client, engine, coach, cohort, people):
    sign_in_as(client, coach)
    ids = [people["maya"].id, people["ned"].id]
    sent = post_form(
        client, f"/coach/cohorts/{cohort.id}/nudges", {"member_ids": ids, "template": "fit"}
    )
    assert sent.status_code == 303
    with Session(engine) as db:
        by_member = {n.user_id: n.message for n in db.exec(select(Nudge))}
    assert "resubmit" in by_member[people["maya"].id]
    assert "start a draft" in by_member[people["ned"].id]


def test_the_nudge_history_is_the_members_own_for_their_coach(
    client, session, coach, cohort, people
):
    maya, grace = people["maya"], people["grace"]
    other_coach = make_user(session, "coach", org_id=cohort.org_id)
    make_cohort(session, other_coach, "Other", members=[maya])
    session.add_all(
        [
            Nudge(coach_id=coach.id, user_id=maya.id, message="Hi Maya <b>from Sam</b>"),
            Nudge(coach_id=coach.id, user_id=grace.id, message="Hi Grace from Sam"),
            Nudge(coach_id=other_coach.id, user_id=maya.id, message="From the other coach"),
        ]
    )
    session.commit()
    path = f"/coach/cohorts/{cohort.id}/members/{maya.id}/nudges"

    sign_in_as(client, coach)
    html = client.get(path).get_data(as_text=True)
    assert "Hi Maya &lt;b&gt;from Sam&lt;/b&gt;" in html  # escaped
    assert "Hi Grace" not in html and "From the other coach" not in html
    grid = client.get(f"/coach/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="{path}">1 nudge, last' in grid

    stranger = make_user(session, name="Not a member", org_id=cohort.org_id)
    assert client.get(f"/coach/cohorts/{cohort.id}/members/{stranger.id}/nudges").status_code == 404
    left = session.get(CohortMember, (cohort.id, grace.id))
    left.status = "left"
    session.add(left)
    session.commit()
    assert client.get(f"/coach/cohorts/{cohort.id}/members/{grace.id}/nudges").status_code == 404

    sign_in_as(client, other_coach)
    assert client.get(path).status_code == 404  # not their cohort
    sign_in_as(client, make_user(session, "admin", org_id=make_org(session).id))
    assert client.get(path).status_code == 404  # another district's admin
    sign_in_as(client, maya)
    assert client.get(path).status_code == 403
