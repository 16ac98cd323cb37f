"""Public machine-readable documents: what verifiers and backpacks fetch. No sign-in, no
personal data beyond what the teacher's credential itself carries."""

from __future__ import annotations

import json

from flask import Response

from server.badges import issuer as issuer_docs
from server.badges import service
from server.badges.blueprint import JSON_LD, bp, current_issuing
from server.db import get_session


def json_ld(document: dict, *, status: int = 200, filename: str | None = None) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), status=status,
                        mimetype=JSON_LD)
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/badges/issuers/<slug>")
def issuer_document(slug: str):
    return json_ld(issuer_docs.controller_document(session=get_session(), slug=slug,
                                                   issuing=current_issuing()))


@bp.get("/badges/issuers/<slug>/status/revocation")
def revocation_list(slug: str):
    response = json_ld(issuer_docs.revocation_list(session=get_session(), slug=slug,
                                                   issuing=current_issuing()))
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/badges/<uuid>/ob3.json")
def ob3_download(uuid: str):
    award = service.readable_award(session=get_session(), uuid=uuid, viewer=None)
    return json_ld(service.stored(award).document, filename=f"badge-{uuid}.json")
