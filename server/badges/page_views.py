"""The person-facing side of a badge: the verification page (HTML, or the credential for
`Accept: application/ld+json`), images and baked downloads, the owner's visibility choice
and an admin's revocation."""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Response, abort, redirect, request, url_for

from server.auth.session import current_user, require_user
from server.badges import bp, images, issuing, page, revocation, service
from server.badges.document_views import json_ld
from server.badges.jsonld import JSON_LD
from server.badges.profile import my_profile_link
from server.badges.urls import BadgeUrls
from server.db import get_session
from server.errors import NotFound
from server.htmx import render
from server.qr import qr_svg

BAKED = {"3": "openbadgecredential", "2": "openbadges"}


def _readable(uuid: str):
    return service.readable_award(session=get_session(), uuid=uuid, viewer=current_user())


@bp.get("/badges/<uuid>")
def show(uuid: str):
    award = _readable(uuid)
    best = request.accept_mimetypes.best_match(["text/html", JSON_LD, "application/json"])
    if best in (JSON_LD, "application/json"):
        response = json_ld(service.stored(award).document)
    else:
        view = page.badge_page(session=get_session(), award=award, issuing=issuing.current())
        viewer = current_user()
        owner = viewer is not None and viewer.id == award.user_id
        response = render(
            "badges/show.html",
            view=view,
            qr=_qr(view.page_url) if owner else None,
            profile_url=my_profile_link(session=get_session(), user=viewer)
            if owner and viewer
            else None,
            visibilities=service.VISIBILITIES,
            may_revoke=_may_revoke(award),
        )
    response.vary.add("Accept")
    return response


@lru_cache(maxsize=1024)
def _qr(url: str):
    return qr_svg(url)  # drawing a QR code costs ~0.1 s; a badge's URL never changes


def _may_revoke(award) -> bool:
    viewer = current_user()
    return bool(viewer and viewer.has_role("admin") and viewer.org_id == award.org_id)


@bp.get("/badges/<uuid>/ob2")
def ob2_assertion(uuid: str):
    award = _readable(uuid)
    document = page.ob2_assertion(session=get_session(), award=award, issuing=issuing.current())
    return json_ld(document, status=410 if document.get("revoked") else 200)


def _picture(award):
    facts = service.award_facts(session=get_session(), award=award, issuing=issuing.current())
    design = {
        "title": facts.credential.title,
        "stack_title": facts.stack.title,
        "stack_slug": facts.stack.slug,
    }
    return facts, design


@bp.get("/badges/<uuid>/badge.png")
def award_png(uuid: str):
    _, design = _picture(_readable(uuid))
    return Response(images.badge_png(**design), mimetype="image/png")


@bp.get("/badges/<uuid>/baked.<fmt>")
def baked(uuid: str, fmt: str):
    spec = request.args.get("spec", "3")
    if fmt not in ("png", "svg") or spec not in BAKED:
        abort(404)
    award = _readable(uuid)
    facts, design = _picture(award)
    urls = BadgeUrls(issuing.current().public_url)
    ob3_json = award.ob3_json if spec == "3" else None
    if spec == "3" and ob3_json is None:
        raise NotFound("This badge has no signed credential.")
    ob2_json = (
        None
        if spec == "3"
        else json.dumps(
            page.ob2_assertion(session=get_session(), award=award, issuing=issuing.current())
        )
    )
    if fmt == "png":
        body: bytes | str = images.bake_png(
            images.badge_png(**design), keyword=BAKED[spec], payload=ob3_json or ob2_json or ""
        )
    else:
        body = images.bake_svg(
            **design, ob3_json=ob3_json, ob2_json=ob2_json, verify_url=urls.assertion(award.uuid)
        )
    response = Response(body, mimetype="image/png" if fmt == "png" else "image/svg+xml")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{facts.credential.slug}-ob{spec}.{fmt}"'
    )
    return response


def _then_back_to_the_page(uuid: str, action, **values):
    """Run a state change as the signed-in person, commit, and 303 back to the page."""
    db = get_session()
    action(session=db, uuid=uuid, **values)
    db.commit()
    return redirect(url_for("badges.show", uuid=uuid), 303)


@bp.post("/badges/<uuid>/visibility")
def set_visibility(uuid: str):
    return _then_back_to_the_page(
        uuid,
        service.set_visibility,
        owner=require_user(),
        visibility=request.form.get("visibility", ""),
    )


@bp.get("/badges/<uuid>/revoke")
def revoke_form(uuid: str):
    award = revocation.revocable_award(session=get_session(), admin=require_user(), uuid=uuid)
    view = page.badge_page(session=get_session(), award=award, issuing=issuing.current())
    return render("badges/revoke.html", view=view)


@bp.post("/badges/<uuid>/revoke")
def revoke(uuid: str):
    return _then_back_to_the_page(
        uuid, revocation.revoke, admin=require_user(), reason=request.form.get("reason", "")
    )
