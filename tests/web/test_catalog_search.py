"""Search across stacks and credentials, forgiving about case and word parts; a stack page
tells a signed-in teacher where they stand at each credential."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from server.demo.seed import seed_demo
from server.models import SubmissionStatus
from tests.support.factories import (
    make_credential,
    make_stack,
    make_submission,
    make_user,
)
from tests.support.web import htmx_headers, sign_in_as


@pytest.fixture
def demo(app, session):
    seed_demo(session=session)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_math_finds_the_mathematics_category_and_its_credentials(client, demo):
    html = _html(client.get("/stacks?q=math"))
    assert ">Stacks</h2>" in html and ">Micro-credentials</h2>" in html
    assert 'href="/stacks/fractions-foundations">Fractions Foundations</a></h3>' in html
    assert 'href="/credentials/equivalent-fractions">Equivalent Fractions</a></h3>' in html
    assert "Learning Differences" not in html.split('id="stack-results"')[1]
    assert "1 stack matching “math”, and 3 micro-credentials" in html


def test_search_is_case_insensitive_and_words_match_in_any_order(client, demo):
    upper = _html(client.get("/stacks?q=MATHEMATICS"))
    assert "Fractions Foundations" in upper
    words = _html(client.get("/stacks?q=memory+working"))
    assert 'href="/stacks/learning-differences"' in words


def test_a_credential_is_found_by_its_key_method(client, session):
    stack = make_stack(session, title="Talk Moves", category="Discourse")
    credential = make_credential(session, stack=stack, title="Revoicing")
    credential.key_method = "Teachers use wait time deliberately."
    session.add(credential)
    session.commit()
    html = _html(client.get("/stacks?q=WAIT+time"))
    assert ">Revoicing</a></h3>" in html and "In Talk Moves" in html
    assert "0 stacks matching “WAIT time”, and 1 micro-credential" in html
    assert "No stack matches “WAIT time”, but these micro-credentials do." in html


def test_htmx_search_groups_results_in_the_fragment(client, demo):
    html = _html(client.get("/stacks?q=fraction", headers=htmx_headers()))
    assert "<html" not in html and ">Micro-credentials</h2>" in html
    assert 'hx-swap-oob="innerHTML"' in html


def test_like_wildcards_are_plain_characters(client, demo):
    html = _html(client.get("/stacks?q=%25"))
    assert "No stacks match “%”" in html


def test_nul_in_a_search_is_still_refused(client, demo):
    response = client.get("/stacks?q=ma%00th")
    assert response.status_code == 422 and "NUL" in _html(response)


def test_stack_page_shows_my_standing_at_each_credential(app, client, session):
    stack = make_stack(session, slug="numbers")
    titles = ("Earned One", "Review One", "Returned One", "Draft One", "Untouched One")
    credentials = [
        make_credential(session, stack=stack, title=t, position=n) for n, t in enumerate(titles)
    ]
    teacher = make_user(session)
    earned, review, returned, draft, _untouched = credentials
    make_submission(session, teacher, earned, status=SubmissionStatus.NOT_YET)
    make_submission(session, teacher, earned, status=SubmissionStatus.AWARDED)
    make_submission(session, teacher, review, status=SubmissionStatus.IN_REVIEW)
    make_submission(session, teacher, returned, status=SubmissionStatus.NOT_YET)
    make_submission(session, teacher, draft, status=SubmissionStatus.DRAFT)
    make_submission(session, make_user(session), draft, status=SubmissionStatus.AWARDED)
    sign_in_as(client, teacher)

    statements: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        html = _html(client.get("/stacks/numbers"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    standing = [
        s for s in statements if "FROM submission" in s and "submission.credential_id IN" in s
    ]
    assert len(standing) == 1  # one query for every credential's standing

    expected = ("Earned", "In review", "Not yet", "Draft", "Not started")
    for title, label in zip(titles, expected, strict=True):
        card = html.split(f">{title}</a>")[0].rsplit("<article", 1)[1]
        assert f"Your status: </span>{label}</span>" in card, title


def test_visitors_see_no_standing(client, session):
    stack = make_stack(session, slug="open")
    make_credential(session, stack=stack)
    assert "Your status" not in _html(client.get("/stacks/open"))
