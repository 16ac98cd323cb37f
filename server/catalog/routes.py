"""The public catalog: home, stacks (search + category filter), a stack, a credential.
No sign-in needed; every page works without JavaScript and htmx only refines the search."""

from flask import request

from server.auth.session import current_user
from server.catalog import bp, search, service
from server.catalog.cache import cached_page
from server.db import get_session
from server.home.routes import home_page
from server.htmx import render
from server.labels import STANDING_LABELS
from server.submissions import queries


@bp.get("/")
def home():
    """The marketing page for visitors; a signed-in person gets their own home here."""
    if current_user() is not None:
        return home_page()
    featured = search.featured_stacks(session=get_session())
    return render("catalog/home.html", featured=featured)


@bp.get("/stacks")
def stacks():
    db = get_session()
    query = search.normalise_query(request.args.get("q"))
    category = request.args.get("category", "").strip()
    cards = search.list_stacks(session=db, query=query, category=category)
    hits = search.search_credentials(session=db, query=query, category=category)
    return render(
        "catalog/stacks.html",
        "catalog/_stack_results.html",
        cards=cards,
        hits=hits,
        query=query,
        category=category,
        categories=search.categories(session=db),
    )


@bp.get("/stacks/<slug>")
def stack(slug: str):
    def build():
        db = get_session()
        detail = service.get_stack(session=db, slug=slug)
        user = current_user()
        standing = (
            queries.standing_by_credential(
                session=db,
                user_id=user.id,
                credential_ids=[c.credential.id for c in detail.credentials],
            )
            if user
            else None
        )
        return render(
            "catalog/stack.html",
            detail=detail,
            stack=detail.stack,
            standing=standing,
            standing_labels=STANDING_LABELS,
        )

    # Cached only for visitors who are not signed in (their page has no standing).
    return cached_page(("stack", slug), build)


@bp.get("/credentials/<slug>")
def credential(slug: str):
    def build():
        detail = service.get_credential(session=get_session(), slug=slug)
        return render(
            "catalog/credential.html",
            detail=detail,
            credential=detail.credential,
            stack=detail.stack,
            count_label=service.count_label,
        )

    return cached_page(("credential", slug), build)
