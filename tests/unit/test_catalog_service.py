"""The catalog service (slug lookups, the text helpers) and its search
(catalog/search.py: words, category filter)."""

import pytest

from server.catalog import search, service
from server.errors import NotFound
from server.models import Credential
from tests.support.factories import make_credential, make_stack


@pytest.fixture
def shelf(session):
    fractions = make_stack(
        session,
        slug="fractions",
        title="Fractions Foundations",
        category="Mathematics",
        position=1,
        summary="Magnitude, equivalence and the number line.",
    )
    tech = make_stack(
        session,
        slug="tech",
        title="Classroom Technology",
        category="Technology",
        summary="Shared documents and forms.",
        position=2,
    )
    hidden = make_stack(
        session,
        slug="secret",
        title="Secret Fractions Drafts",
        category="Mathematics",
        summary="",
        published=False,
        position=0,
    )
    make_credential(session, stack=fractions, slug="equivalent", title="Equivalent Fractions")
    make_credential(session, stack=tech, slug="forms", title="Formative Checks with Forms")
    make_credential(
        session, stack=tech, slug="retired", title="Overhead Projectors", status="retired"
    )
    make_credential(session, stack=hidden, slug="hidden-cred", title="Hidden Credential")
    return {"fractions": fractions, "tech": tech, "hidden": hidden}


def _titles(cards):
    return [card.stack.title for card in cards]


def test_lists_only_published_stacks_in_catalog_order(session, shelf):
    cards = search.list_stacks(session=session)
    assert _titles(cards) == ["Fractions Foundations", "Classroom Technology"]


def test_credential_counts_leave_out_unpublished_credentials(session, shelf):
    counts = {c.stack.slug: c.credential_count for c in search.list_stacks(session=session)}
    assert counts == {"fractions": 1, "tech": 1}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("fractions", ["Fractions Foundations"]),  # title
        ("NUMBER LINE", ["Fractions Foundations"]),  # summary, any case
        ("formative checks", ["Classroom Technology"]),  # a credential's title
        ("  shared   documents ", ["Classroom Technology"]),  # extra spaces are ignored
        ("projectors", []),  # a retired credential never matches
        ("hidden credential", []),  # nor one in an unpublished stack
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
    ],
)
def test_search_matches_title_summary_and_credential_titles(session, shelf, query, expected):
    assert _titles(search.list_stacks(session=session, query=query)) == expected


def test_category_filter_and_search_combine(session, shelf):
    assert _titles(search.list_stacks(session=session, category="Technology")) == [
        "Classroom Technology"
    ]
    assert search.list_stacks(session=session, query="fractions", category="Technology") == []
    assert search.list_stacks(session=session, category="No such category") == []


def test_categories_are_those_of_published_stacks(session, shelf):
    make_stack(session, slug="blank", title="No Category", category="")
    assert search.categories(session=session) == ["Mathematics", "Technology"]


def test_featured_stacks_are_the_first_few(session, shelf):
    assert _titles(search.featured_stacks(session=session, limit=1)) == ["Fractions Foundations"]


def test_get_stack_by_slug_with_evidence_counts(session, shelf):
    detail = service.get_stack(session=session, slug="tech")
    assert detail.stack.title == "Classroom Technology"
    assert [(s.credential.slug, s.evidence_count) for s in detail.credentials] == [("forms", 2)]


@pytest.mark.parametrize("slug", ["nope", "secret"])
def test_unknown_or_unpublished_stack_is_not_found(session, shelf, slug):
    with pytest.raises(NotFound, match="couldn't find that stack"):
        service.get_stack(session=session, slug=slug)


def test_get_credential_parses_components_and_resources(session, shelf):
    credential = session.get(
        Credential, service.get_published_credential(session=session, slug="equivalent")[0].id
    )
    credential.method_components = "Fold strips\n\n  Compare lengths  \n"
    credential.resources = "IES guide | https://ies.ed.gov/\nA book"
    session.add(credential)
    session.commit()
    detail = service.get_credential(session=session, slug="equivalent")
    assert detail.stack.slug == "fractions"
    assert detail.method_components == ["Fold strips", "Compare lengths"]
    assert detail.resources == [
        service.Resource("IES guide", "https://ies.ed.gov/"),
        service.Resource("A book"),
    ]
    assert [r.kind for r in detail.requirements] == ["photo", "text"]
    assert [c.title for c in detail.criteria] == ["Criterion 1", "Criterion 2", "Criterion 3"]


@pytest.mark.parametrize("slug", ["nope", "retired", "hidden-cred"])
def test_unknown_retired_or_hidden_credential_is_not_found(session, shelf, slug):
    with pytest.raises(NotFound, match="couldn't find that micro-credential"):
        service.get_credential(session=session, slug=slug)


def test_parse_lines_drops_blanks_and_trims():
    assert service.parse_lines(" one \n\n two\r\nthree ") == ["one", "two", "three"]
    assert service.parse_lines(None) == []


def test_parse_resources_links_only_web_addresses():
    resources = service.parse_resources(
        "Guide | https://example.org/a\n"
        "Old site | http://example.org\n"
        "Bad | javascript:alert(1)\n"
        "Just a book title\n"
        "A | B | https://example.org/pipes\n"
        "| https://example.org/untitled"
    )
    assert [(r.title, r.url, r.is_link) for r in resources] == [
        ("Guide", "https://example.org/a", True),
        ("Old site", "http://example.org", True),
        ("Bad", "javascript:alert(1)", False),
        ("Just a book title", None, False),
        ("A | B", "https://example.org/pipes", True),
        ("https://example.org/untitled", "https://example.org/untitled", True),
    ]


@pytest.mark.parametrize(
    "low, high, label",
    [
        (1, 1, "1"),
        (2, 4, "2 to 4"),
        (0, 1, "optional, up to 1"),
        (3, 2, "3"),
    ],
)
def test_count_label(low, high, label):
    assert service.count_label(low, high) == label


def test_normalise_query_collapses_spaces_and_caps_length():
    assert search.normalise_query("  a   b ") == "a b"
    assert len(search.normalise_query("x" * 500)) == search.MAX_QUERY_LENGTH
    assert search.normalise_query(None) == ""
