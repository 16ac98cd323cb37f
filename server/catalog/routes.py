"""The public catalog: home, stacks (search + category filter), a stack, a credential.
No sign-in needed; every page works without JavaScript and htmx only refines the search."""

from flask import request

from server.catalog import bp, service
from server.catalog.cache import cached_page
from server.db import get_session
from server.htmx import render


@bp.get("/")
def home():
    featured = service.featured_stacks(session=get_session())
    return render("catalog/home.html", featured=featured)


@bp.get("/stacks")
def stacks():
    db = get_session()
    query = service.normalise_query(request.args.get("q"))
    category = request.args.get("category", "").strip()
    cards = service.list_stacks(session=db, query=query, category=category)
    return render(
        "catalog/stacks.html",
        "catalog/_stack_results.html",
        cards=cards,
        query=query,
        category=category,
        categories=service.categories(session=db),
    )


@bp.get("/stacks/<slug>")
def stack(slug: str):
    def build():
        detail = service.get_stack(session=get_session(), slug=slug)
        return render("catalog/stack.html", detail=detail, stack=detail.stack)

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
