"""Home after sign-in, per role: what is next for a teacher, an assessor, a coach and an
admin; visitors keep the marketing page; the work it does stays a few queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from server.models import CohortMember, SubmissionStatus, User, utcnow
from tests.support.factories import (
    appoint,
    make_cohort,
    make_credential,
    make_org,
    make_review,
    make_stack,
    make_submission,
    make_user,
)
from tests.support.web import sign_in_as


def _html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def catalog(session):
    stack = make_stack(session, title="Fractions", category="Mathematics")
    return stack, [
        make_credential(session, stack=stack, title=title, position=n)
        for n, title in enumerate(("Unit Fractions", "Equivalence", "Number Lines", "Comparing"))
    ]


def test_visitors_get_the_marketing_page_and_home_asks_them_to_sign_in(client, catalog):
    html = _html(client.get("/"))
    assert "Show what you do in your classroom" in html and "Featured stacks" in html
    response = client.get("/home")
    assert response.status_code == 303 and "/auth/sign-in" in response.headers["Location"]


def test_teacher_home_lists_what_is_next(client, session, catalog):
    stack, (draft_at, not_yet_at, waiting_at, _next) = catalog
    teacher = make_user(session, name="Maya", timezone="America/Chicago")
    draft = make_submission(session, teacher, draft_at, status=SubmissionStatus.DRAFT)
    returned = make_submission(session, teacher, not_yet_at, status=SubmissionStatus.NOT_YET)
    waiting = make_submission(session, teacher, waiting_at)
    sign_in_as(client, teacher)
    for path in ("/", "/home"):
        html = _html(client.get(path))
        assert "Featured stacks" not in html
        assert f'href="/submissions/{draft.id}">Continue Unit Fractions</a>' in html
        assert f'href="/submissions/{returned.id}">Read the feedback on Equivalence' in html
        assert "start attempt 2" in html
        assert f'href="/submissions/{waiting.id}">Number Lines</a>' in html
        assert "Next in Fractions" in html and 'href="/credentials/' in html
        assert ">Comparing</a>" in html
        assert "points this week" in html and "weeks streak" in html
        assert "Reviews" not in html and "Your cohorts" not in html


def test_a_new_teacher_is_told_what_to_do(client, session, catalog):
    sign_in_as(client, make_user(session))
    html = _html(client.get("/"))
    assert "You haven't started a micro-credential yet." in html
    assert 'class="button" href="/stacks">Browse stacks' in html


def test_assessor_home_counts_the_queue_and_shows_claims_with_their_lease(client, session, catalog):
    _stack, credentials = catalog
    org = make_org(session)
    assessor = make_user(session, "assessor", org_id=org.id, timezone="America/Chicago")
    appoint(session, assessor, credentials[0])
    teacher = make_user(session, org_id=org.id)
    for credential in credentials[:3]:
        make_submission(session, teacher, credential)
    claimed = make_submission(session, make_user(session, org_id=org.id), credentials[0])
    now = utcnow().replace(microsecond=0)
    make_review(session, claimed, assessor, hours=2, now=now)
    sign_in_as(client, assessor)
    html = _html(client.get("/"))
    assert "3 waiting in your queue" in html  # the claimed one is not waiting
    assert f'href="/review/{claimed.id}"' in html and "Your claims" in html
    lease = now + timedelta(hours=2)
    iso = lease.strftime("%Y-%m-%dT%H:%M:%SZ")
    chicago = (lease - timedelta(hours=6)).strftime("%H:%M")  # December: UTC-6
    assert f'<time datetime="{iso}">' in html and f"{chicago} CST" in html


def test_assessor_home_counts_up_to_the_cap(client, session, catalog, monkeypatch):
    from server.home import service

    _stack, credentials = catalog
    org = make_org(session)
    assessor = make_user(session, "assessor", org_id=org.id)
    appoint(session, assessor, credentials[0])
    for _ in range(3):
        make_submission(session, make_user(session, org_id=org.id), credentials[0])
    sign_in_as(client, assessor)
    monkeypatch.setattr(service, "WAITING_CAP", 2)
    assert "2 or more waiting in your queue" in _html(client.get("/"))
    monkeypatch.setattr(service, "WAITING_CAP", 4)
    assert "3 waiting in your queue" in _html(client.get("/"))


def test_coach_home_lists_stalled_members(client, session, catalog):
    coach = make_user(session, "coach")
    quiet, fresh = make_user(session, name="Grace Quiet"), make_user(session, name="New Nell")
    cohort = make_cohort(session, coach, members=[quiet, fresh])
    member = session.get(CohortMember, (cohort.id, quiet.id))
    member.joined_at = utcnow() - timedelta(days=20)
    session.add(member)
    session.commit()
    sign_in_as(client, coach)
    html = _html(client.get("/"))
    assert (
        f'href="/coach/cohorts/{cohort.id}?filter=stalled">Early Adopters: 1 of 2 members' in html
    )
    assert "Grace Quiet" in html and "New Nell" not in html


def test_coach_without_cohorts_is_told_how_to_start(client, session):
    sign_in_as(client, make_user(session, "coach"))
    assert "You don't coach a cohort yet." in _html(client.get("/"))


def test_admin_home_links_the_admin_area_and_holds_review_and_cohorts(client, session):
    sign_in_as(client, make_user(session, "admin"))
    html = _html(client.get("/"))
    assert 'href="/admin">District administration</a>' in html
    assert "Reviews" in html and "Your cohorts" in html


def test_someone_with_several_roles_sees_each_section(client, session, catalog):
    sign_in_as(client, make_user(session, "teacher", "assessor", "coach"))
    html = _html(client.get("/"))
    for heading in ("Your micro-credentials", "Reviews", "Your cohorts"):
        assert f">{heading}</h2>" in html
    assert "District administration" not in html


def _statements(app, client, path: str = "/home") -> int:
    seen = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_teacher_home_queries_do_not_grow_with_attempts(app, client, session):
    teacher = make_user(session)
    sign_in_as(client, teacher)
    stack = make_stack(session)
    make_submission(session, teacher, make_credential(session, stack=stack), status="draft")
    few = _statements(app, client)
    for _ in range(6):
        make_submission(session, teacher, make_credential(session, stack=stack))
    assert _statements(app, client) == few


def test_coach_home_queries_do_not_grow_with_members(app, client, session):
    coach = make_user(session, "coach")
    credential = make_credential(session)
    members = [make_user(session) for _ in range(2)]
    make_cohort(session, coach, members=members)
    sign_in_as(client, coach)
    make_submission(session, members[0], credential)
    few = _statements(app, client)
    cohort = make_cohort(session, coach, "Second", members=[make_user(session) for _ in range(8)])
    for member in session.exec(select(CohortMember).where(CohortMember.cohort_id == cohort.id)):
        make_submission(session, session.get(User, member.user_id), credential)
    # one cohort more: at most its six dashboard queries (three when nobody in it is stalled)
    assert few < _statements(app, client) <= few + 6


# --- navigation -----------------------------------------------------------------------


MAIN_NAV = re.compile(r'<nav class="site-nav" aria-label="Main">.*?</nav>', re.S)


def _current(html: str, mark: str = "page") -> list[str]:
    nav = MAIN_NAV.search(html).group(0)
    return re.findall(rf'<a href="([^"]+)" aria-current="{mark}"', nav)


@pytest.mark.parametrize(
    "path, current",
    [
        ("/", "/home"),
        ("/home", "/home"),
        ("/me", "/me"),
        ("/me/credentials", "/me/credentials"),
        ("/stacks", "/stacks"),
        ("/inbox", "/inbox"),
        ("/auth/account", "/auth/account"),
    ],
)
def test_exactly_one_link_is_the_current_page(client, session, path, current):
    sign_in_as(client, make_user(session))
    html = _html(client.get(path))
    assert _current(html) == [current]
    assert html.count("aria-current") == 1


def test_the_tab_bar_has_capture_only_with_a_draft(client, session, catalog):
    teacher = make_user(session)
    sign_in_as(client, teacher)
    html = _html(client.get("/home"))
    assert 'class="nav-tabs"' in html and "/capture" not in html
    assert '<span class="nav-label-narrow">Me</span>' in html
    draft = make_submission(session, teacher, catalog[1][0], status="draft")
    html = _html(client.get("/home"))
    assert f'href="/capture?submission={draft.id}" class="nav-tab-link">Capture</a>' in html


def test_pages_inside_a_section_mark_it_without_claiming_to_be_it(client, session, catalog):
    stack, credentials = catalog
    sign_in_as(client, make_user(session, "assessor"))
    for path in (f"/stacks/{stack.slug}", f"/credentials/{credentials[0].slug}", "/review/history"):
        html = _html(client.get(path))
        assert _current(html) == [] and html.count('aria-current="page"') == 0
        assert _current(html, "true") == ["/review" if "review" in path else "/stacks"]


def test_the_installed_app_starts_at_home(client):
    assert client.get("/manifest.webmanifest").get_json()["start_url"] == "/home"
