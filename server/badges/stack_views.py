"""A stack credential's public pages: its verification page (HTML, or the credential for
`Accept: application/ld+json`), the signed JSON, baked images and the stack's image.
Link-only: anyone with the unguessable link may open it, like an award's default."""

from __future__ import annotations

from flask import Response, abort, request
from sqlalchemy import select

from server.badges import bp, images, issuing, stacks
from server.badges.document_views import json_ld
from server.badges.jsonld import JSON_LD
from server.db import get_session
from server.errors import NotFound
from server.htmx import render
from server.models import Stack


def _found(uuid: str):
    return stacks.stack_award_by_uuid(session=get_session(), uuid=uuid)


def _design(stack: Stack) -> dict:
    return {
        "title": stack.title,
        "stack_title": "Stack credential",
        "stack_slug": stack.slug,
        "stack": True,
    }


@bp.get("/badges/stack/<uuid>")
def stack_show(uuid: str):
    stack_award = _found(uuid)
    best = request.accept_mimetypes.best_match(["text/html", JSON_LD, "application/json"])
    if best in (JSON_LD, "application/json"):
        response = json_ld(stacks.document(stack_award))
    else:
        view = stacks.stack_page(
            session=get_session(), stack_award=stack_award, issuing=issuing.current()
        )
        response = render("badges/stack_show.html", view=view)
    response.vary.add("Accept")
    return response


@bp.get("/badges/stack/<uuid>/ob3.json")
def stack_ob3_download(uuid: str):
    stack_award = _found(uuid)
    return json_ld(stacks.document(stack_award), filename=f"stack-credential-{uuid}.json")


@bp.get("/badges/stack/<uuid>/baked.<fmt>")
def stack_baked(uuid: str, fmt: str):
    if fmt not in ("png", "svg"):
        abort(404)
    stack_award = _found(uuid)
    stack = get_session().get_one(Stack, stack_award.stack_id)
    payload = stack_award.ob3_json or ""
    if fmt == "png":
        body: bytes | str = images.bake_png(
            images.badge_png(**_design(stack)), keyword="openbadgecredential", payload=payload
        )
    else:
        body = images.bake_svg(**_design(stack), ob3_json=payload)
    response = Response(body, mimetype="image/png" if fmt == "png" else "image/svg+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{stack.slug}-stack-ob3.{fmt}"'
    return response


@bp.get("/badges/stack-achievements/<slug>/image.<fmt>")
def stack_image(slug: str, fmt: str):
    stack = get_session().execute(select(Stack).where(Stack.slug == slug)).scalar()
    if stack is None:
        raise NotFound("There is no stack by that name.")
    if fmt == "svg":
        return Response(images.badge_svg(**_design(stack)), mimetype="image/svg+xml")
    if fmt == "png":
        return Response(images.badge_png(**_design(stack)), mimetype="image/png")
    raise NotFound("Badge images are .svg or .png.")
