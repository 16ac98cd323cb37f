"""The coach's grid, paged: members in name order, PAGE_SIZE a page, Previous/Next links
that htmx swaps in; the filter counts stay over every member, the stalled filter pages
too, a bad page number says why, and the page's queries don't grow with the cohort."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import event

from server.coach import progress
from server.models import utcnow
from tests.support.factories import (
    make_credential,
    make_membership,
    make_stack,
    make_submission,
    make_user,
)
from tests.support.web import htmx_headers, sign_in_as

PAGE = 3


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(progress, "PAGE_SIZE", PAGE)


def _members(session, cohort, count: int, *, stalled_every: int = 2, start: int = 0) -> list:
    """`count` active members named "Member 00".. in order; every `stalled_every`-th one
    joined 20 days ago and never started (stalled), the others work on a draft today."""
    credential = make_credential(session, stack=make_stack(session))
    people = []
    for n in range(start, start + count):
        user = make_user(session, name=f"Member {n:02d}", org_id=cohort.org_id)
        stalled = n % stalled_every == 0
        joined = utcnow() - timedelta(days=20 if stalled else 1)
        make_membership(session, cohort, user, joined_at=joined, commit=False)
        if not stalled:
            make_submission(session, user, credential, status="draft")
        people.append(user)
    session.commit()
    return people


def _text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_page_two_shows_the_next_members_and_counts_cover_everyone(client, session, coach, cohort):
    _members(session, cohort, 8)  # 00..07; 00, 02, 04, 06 stalled
    sign_in_as(client, coach)
    first = _text(client.get(f"/coach/cohorts/{cohort.id}"))
    assert "Member 00" in first and "Member 02" in first and "Member 03" not in first
    assert "Members 1–3 of 8, by name" in first
    assert "Everyone (8)" in first and "Stalled (no activity in 14 days) (4)" in first
    assert f'href="/coach/cohorts/{cohort.id}?page=2" rel="next"' in first
    assert 'rel="prev"' not in first

    second = _text(client.get(f"/coach/cohorts/{cohort.id}?page=2", headers=htmx_headers()))
    assert "<html" not in second  # the section only, for htmx to swap
    assert 'hx-target="#cohort-progress"' in second
    assert "Member 03" in second and "Member 05" in second
    assert "Member 02" not in second and "Member 06" not in second
    assert "Members 4–6 of 8, by name" in second
    assert "Everyone (8)" in second and "Stalled (no activity in 14 days) (4)" in second
    assert 'rel="prev"' in second and 'rel="next"' in second
    assert 'name="page" value="2" form="nudge-form"' in second  # the nudge comes back here
    assert 'id="nudge-fits" hx-swap-oob="true"' in second  # who gets which message, this page

    last = _text(client.get(f"/coach/cohorts/{cohort.id}?page=3"))
    assert "Member 06" in last and "Member 07" in last and 'rel="next"' not in last
    # the columns stay the same from page to page: every credential a member started
    assert last.count('class="stack-head"') == first.count('class="stack-head"') == 1


def test_the_stalled_filter_is_paged_over_the_stalled_only(client, session, coach, cohort):
    _members(session, cohort, 10)  # stalled: 00, 02, 04, 06, 08
    sign_in_as(client, coach)
    first = _text(client.get(f"/coach/cohorts/{cohort.id}?filter=stalled"))
    assert "Members 1–3 of 5, by name" in first
    assert all(f"Member {n:02d}" in first for n in (0, 2, 4))
    assert "Member 01" not in first
    assert f'href="/coach/cohorts/{cohort.id}?filter=stalled&amp;page=2" rel="next"' in first
    second = _text(client.get(f"/coach/cohorts/{cohort.id}?filter=stalled&page=2"))
    assert "Member 06" in second and "Member 08" in second
    assert "Member 04" not in second and "Member 07" not in second
    assert "Members 4–5 of 5, by name" in second and "Everyone (10)" in second
    assert second.count('<span class="tag tag-warn">Stalled</span>') == 2


def test_a_small_cohort_has_no_pager(client, session, coach, cohort):
    _members(session, cohort, PAGE)
    sign_in_as(client, coach)
    html = _text(client.get(f"/coach/cohorts/{cohort.id}"))
    assert "Pages of members" not in html and "Members 1–" not in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2.5", "99999999", "٣"])
def test_a_bad_page_number_says_why(client, session, coach, cohort, page):
    _members(session, cohort, 2)
    sign_in_as(client, coach)
    response = client.get(f"/coach/cohorts/{cohort.id}?page={page}")
    assert response.status_code == 422
    assert "That page of the cohort doesn't exist" in unescape(response.get_data(as_text=True))


def test_a_page_past_the_end_says_how_many_there_are(client, session, coach, cohort):
    _members(session, cohort, 5)
    sign_in_as(client, coach)
    response = client.get(f"/coach/cohorts/{cohort.id}?page=3")
    assert response.status_code == 422
    assert "this list has 2 pages" in unescape(response.get_data(as_text=True))
    filtered = client.get(f"/coach/cohorts/{cohort.id}?filter=draft_idle&page=2")
    assert filtered.status_code == 422  # nobody's draft is idle: one (empty) page
    assert "this list has 1 page." in unescape(filtered.get_data(as_text=True))


def _statements(app, client, path: str) -> int:
    seen = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        _text(client.get(path))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


@pytest.mark.parametrize("query", ["", "?page=2", "?filter=stalled"])
def test_the_page_s_queries_do_not_grow_with_the_cohort(app, client, session, coach, cohort, query):
    _members(session, cohort, 8)
    sign_in_as(client, coach)
    path = f"/coach/cohorts/{cohort.id}{query}"
    small = _statements(app, client, path)
    _members(session, cohort, 24, start=8)
    assert _statements(app, client, path) == small
