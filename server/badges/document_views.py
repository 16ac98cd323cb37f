"""Public machine-readable documents: what verifiers and backpacks fetch. No sign-in, no
personal data beyond what the teacher's credential itself carries."""

from __future__ import annotations

import json
from typing import Any

from flask import Response

from server.auth.session import current_user
from server.badges import bp, images, issuing, page, service
from server.badges import issuer as issuer_docs
from server.badges.jsonld import JSON_LD
from server.db import get_session
from server.errors import NotFound


def json_ld(document: dict, *, status: int = 200, filename: str | None = None) -> Response:
    response = Response(
        json.dumps(document, ensure_ascii=False, indent=2), status=status, mimetype=JSON_LD
    )
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/badges/issuers/<slug>")
def issuer_document(slug: str):
    return json_ld(
        issuer_docs.controller_document(session=get_session(), slug=slug, issuing=issuing.current())
    )


@bp.get("/badges/issuers/<slug>/status/revocation")
def revocation_list(slug: str):
    return _status_list(slug, stacks=False)


@bp.get("/badges/issuers/<slug>/status/stack-revocation")
def stack_revocation_list(slug: str):
    return _status_list(slug, stacks=True)


def _status_list(slug: str, *, stacks: bool) -> Response:
    response = json_ld(
        issuer_docs.revocation_list(
            session=get_session(), slug=slug, issuing=issuing.current(), stacks=stacks
        )
    )
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/badges/<uuid>/ob3.json")
def ob3_download(uuid: str):
    award = service.readable_award(session=get_session(), uuid=uuid, viewer=current_user())
    return json_ld(service.stored(award).document, filename=f"badge-{uuid}.json")


@bp.get("/badges/issuers/<slug>/ob2")
def ob2_issuer(slug: str):
    return json_ld(page.ob2_issuer(session=get_session(), slug=slug, issuing=issuing.current()))


@bp.get("/badges/issuers/<slug>/badges/<credential_slug>/v<int:version>")
def ob2_badge_class(slug: str, credential_slug: str, version: int):
    return json_ld(
        page.ob2_badge_class(
            session=get_session(),
            issuer_slug=slug,
            slug=credential_slug,
            version=version,
            issuing=issuing.current(),
        )
    )


@bp.get("/badges/achievements/<slug>/v<int:version>/image.<fmt>")
def achievement_image(slug: str, version: int, fmt: str):
    credential, stack = page.versioned_credential(session=get_session(), slug=slug, version=version)
    design: dict[str, Any] = {
        "title": credential.title,
        "stack_title": stack.title,
        "stack_slug": stack.slug,
    }
    if fmt == "svg":
        return Response(images.badge_svg(**design), mimetype="image/svg+xml")
    if fmt == "png":
        return Response(images.badge_png(**design), mimetype="image/png")
    raise NotFound("Badge images are .svg or .png.")
