"""The public catalog through the Flask test client: pages, htmx fragment, 404s, escaping."""

import re

import pytest

from server.demo.seed import seed_demo
from tests.support.web import htmx_headers


@pytest.fixture
def demo(app, session):
    seed_demo(session=session)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _h1s(html: str) -> list[str]:
    return re.findall(r"<h1[\s>]", html)


def test_home_has_hero_featured_stacks_and_how_it_works(client, demo):
    response = client.get("/")
    html = _html(response)
    assert response.status_code == 200 and len(_h1s(html)) == 1
    assert "Browse stacks" in html and 'href="/stacks"' in html
    assert "Featured stacks" in html and "Learning Differences" in html
    assert "How it works" in html and "credit hours" in html
    assert "<title>Micro-credentials for teachers · Chalkmark</title>" in html


def test_stacks_page_lists_every_stack_with_counts_and_filters(client, demo):
    html = _html(client.get("/stacks"))
    for title in (
        "Learning Differences",
        "Fractions Foundations",
        "Classroom Technology",
        "Formative Assessment",
    ):
        assert title in html
    assert "3 micro-credentials" in html and "1 micro-credential<" in html
    assert 'hx-get="/stacks"' in html and 'hx-push-url="true"' in html
    assert 'hx-trigger="input changed delay:300ms from:input, change from:select, submit"' in html
    assert 'aria-live="polite"' in html and "4 stacks" in html
    assert '<option value="Mathematics"' in html and len(_h1s(html)) == 1


def test_search_without_javascript_filters_the_page(client, demo):
    html = _html(client.get("/stacks?q=working+memory"))
    assert "Learning Differences" in html and "Fractions Foundations" not in html
    assert 'value="working memory"' in html and "1 stack matching “working memory”" in html


def test_category_filter_marks_the_choice(client, demo):
    html = _html(client.get("/stacks?category=Mathematics"))
    assert "Fractions Foundations" in html and "Classroom Technology" not in html
    assert '<option value="Mathematics" selected>' in html


def test_htmx_search_returns_only_the_fragment(client, demo):
    response = client.get("/stacks?q=fractions", headers=htmx_headers())
    html = _html(response)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert "Fractions Foundations" in html and "Learning Differences" not in html
    assert 'id="results-count" hx-swap-oob="innerHTML"' in html


def test_full_page_response_also_varies_on_hx_request(client, demo):
    response = client.get("/stacks")
    assert "HX-Request" in response.headers["Vary"] and "<html" in _html(response)
    assert "hx-swap-oob" not in _html(response)


def test_search_with_no_results_shows_the_empty_state(client, demo):
    html = _html(client.get("/stacks?q=underwater+basket&category=Technology"))
    assert "No stacks match “underwater basket” in Technology" in html
    assert "Clear filters" in html and "0 stacks" in html


def test_search_text_is_escaped(client, demo):
    for headers in ({}, htmx_headers()):
        html = _html(client.get("/stacks?q=<script>alert(1)</script>", headers=headers))
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_stack_page_lists_its_credentials(client, demo):
    response = client.get("/stacks/fractions-foundations")
    html = _html(response)
    assert response.status_code == 200 and len(_h1s(html)) == 1
    assert "<title>Fractions Foundations · Chalkmark</title>" in html
    assert 'aria-label="Breadcrumb"' in html and 'class="breadcrumb-here">Fractions' in html
    assert html.count("aria-current") == 1  # Stacks, the section (not the page itself)
    assert '<a href="/stacks" aria-current="true">Stacks</a>' in html
    for title in ("Fractions as Numbers", "Equivalent Fractions", "Number-Line Reasoning"):
        assert title in html
    assert "125 points" in html and "1.5 credit hours" in html
    assert "3 pieces of evidence" in html


def test_credential_page_shows_everything_a_teacher_needs(client, demo):
    response = client.get("/credentials/equivalent-fractions")
    html = _html(response)
    assert response.status_code == 200 and len(_h1s(html)) == 1
    for heading in (
        "Competency",
        "Key method",
        "Method components",
        "Research and resources",
        "Resources",
        "Evidence you'll submit",
        "Scoring rubric",
    ):
        assert f">{heading}</h" in html, heading
    assert '<a href="https://ies.ed.gov/ncee/wwc/PracticeGuide/15" rel="noopener">' in html
    assert "How many: 2 to 4" in html and ">Photo<" in html and ">Link<" in html
    assert '<th scope="col">Met</th><th scope="col">Not yet</th>' in html
    assert html.count('data-label="Met"') == 3 and "Concept before rule" in html
    assert "Siegler" in html and "125</strong> points" in html


def test_credential_page_uses_the_rubric_stored_in_the_database(client, demo, session):
    from sqlmodel import select

    from server.models import Credential, RubricCriterion

    credential = session.exec(select(Credential).where(Credential.slug == "motivation")).one()
    criterion = session.exec(
        select(RubricCriterion).where(RubricCriterion.credential_id == credential.id)
    ).first()
    criterion.not_yet_descriptor = "Uses <b>bold</b> claims only."
    session.add(criterion)
    session.commit()
    html = _html(client.get("/credentials/motivation"))
    assert "Uses &lt;b&gt;bold&lt;/b&gt; claims only." in html


@pytest.mark.parametrize(
    "path, message",
    [
        ("/stacks/no-such-stack", "couldn&#39;t find that stack"),
        ("/credentials/no-such-credential", "couldn&#39;t find that micro-credential"),
    ],
)
def test_unknown_slugs_get_the_friendly_404_page(client, demo, path, message):
    response = client.get(path)
    html = _html(response)
    assert response.status_code == 404
    assert message in html and "<html" in html and "Go to the home page" in html


def test_unpublished_stack_is_not_found(client, demo, session):
    from sqlmodel import select

    from server.models import Stack

    stack = session.exec(select(Stack).where(Stack.slug == "classroom-technology")).one()
    stack.published = False
    session.add(stack)
    session.commit()
    assert client.get("/stacks/classroom-technology").status_code == 404
    assert client.get("/credentials/collaborative-docs-in-class").status_code == 404
    assert "Classroom Technology" not in _html(client.get("/stacks"))


def test_empty_catalog_still_renders(client):
    assert "New stacks are on their way" in _html(client.get("/"))
    assert "No stacks yet" in _html(client.get("/stacks"))
