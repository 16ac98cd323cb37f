"""A stack credential's public pages: its verification page (HTML, or the credential for
`Accept: application/ld+json`), the signed JSON, baked images and the stack's image.
Like an award: link-only by default; its owner may make it public (listed on their
profile) or private (404 to others)."""

from __future__ import annotations

from flask import Response, abort, redirect, request, url_for
from sqlalchemy import select

from server.auth.session import current_user, require_user
from server.badges import bp, images, issuing, service, stacks
from server.badges.document_views import json_ld
from server.badges.jsonld import JSON_LD
from server.badges.profile import my_profile_link
from server.db import get_session
from server.errors import NotFound
from server.htmx import render
from server.models import Stack


def _found(uuid: str):
    return stacks.readable_stack_award(session=get_session(), uuid=uuid, viewer=current_user())


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
        db, viewer = get_session(), current_user()
        view = stacks.stack_page(session=db, stack_award=stack_award, issuing=issuing.current())
        owner = viewer is not None and viewer.id == stack_award.user_id
        response = render(
            "badges/stack_show.html",
            view=view,
            owner=owner,
            visibilities=service.VISIBILITIES,
            profile_url=my_profile_link(session=db, user=viewer) if owner and viewer else None,
        )
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


@bp.post("/badges/stack/<uuid>/visibility")
def stack_visibility(uuid: str):
    db = get_session()
    stacks.set_visibility(
        session=db, owner=require_user(), uuid=uuid, visibility=request.form.get("visibility", "")
    )
    db.commit()
    return redirect(url_for("badges.stack_show", uuid=uuid), 303)


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
