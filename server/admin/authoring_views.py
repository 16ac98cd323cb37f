"""Authoring pages (/admin/authoring): the district's library of stacks, a stack's form,
export and import. One credential's pages are in authoring_credential_views.py."""

from __future__ import annotations

import json

from flask import Response, redirect, request, url_for

from server.admin import authoring, authoring_access, authoring_transfer, bp
from server.admin.authoring_forms import (
    FormInvalid,
    StackInput,
    stack_from_form,
)
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render
from server.models import Stack


def admin_context():
    """(session, the signed-in admin, their district) for every authoring page."""
    db = get_session()
    user = require_user()
    return db, user, admin_district(session=db, user=user)


@bp.get("/authoring")
def authoring_home():
    db, _, org = admin_context()
    return render(
        "admin/authoring/library.html", org=org, rows=authoring_access.library(session=db, org=org)
    )


# --- stacks -----------------------------------------------------------------------------


def _stack_form(org, *, stack: Stack | None, data: StackInput, errors=None, status=200):
    return render(
        "admin/authoring/stack_form.html",
        org=org,
        stack=stack,
        data=data,
        errors=errors or {},
        status=status,
    )


@bp.get("/authoring/stacks/new")
def authoring_stack_new():
    _, _, org = admin_context()
    return _stack_form(org, stack=None, data=StackInput())


@bp.post("/authoring/stacks/new")
def authoring_stack_create():
    db, user, org = admin_context()
    data = stack_from_form(request.form)
    try:
        stack = authoring.save_stack(session=db, org=org, actor=user, data=data)
    except FormInvalid as error:
        db.rollback()
        return _stack_form(org, stack=None, data=data, errors=error.errors, status=422)
    db.commit()
    return redirect(url_for("admin.authoring_stack", stack_id=stack.id), 303)


@bp.get("/authoring/stacks/<int:stack_id>")
def authoring_stack(stack_id: int):
    db, _, org = admin_context()
    stack = authoring_access.visible_stack(session=db, org=org, stack_id=stack_id)
    data = StackInput(stack.title, stack.summary, stack.category, stack.published)
    row = next(r for r in authoring_access.library(session=db, org=org) if r.stack.id == stack.id)
    return render(
        "admin/authoring/stack_form.html",
        org=org,
        stack=stack,
        data=data,
        errors={},
        credentials=row.credentials,
        editable=row.editable,
    )


@bp.post("/authoring/stacks/<int:stack_id>")
def authoring_stack_save(stack_id: int):
    db, user, org = admin_context()
    stack = authoring_access.own_stack(session=db, org=org, stack_id=stack_id)
    data = stack_from_form(request.form)
    try:
        authoring.save_stack(session=db, org=org, actor=user, data=data, stack_id=stack.id)
    except FormInvalid as error:
        db.rollback()
        return _stack_form(org, stack=stack, data=data, errors=error.errors, status=422)
    db.commit()
    return redirect(url_for("admin.authoring_stack", stack_id=stack_id), 303)


@bp.get("/authoring/stacks/<int:stack_id>/export.json")
def authoring_stack_export(stack_id: int):
    db, _, org = admin_context()
    stack = authoring_access.visible_stack(session=db, org=org, stack_id=stack_id)
    body = json.dumps(authoring_transfer.export_stack(session=db, stack=stack), indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{stack.slug}.json"'},
    )


@bp.post("/authoring/import")
def authoring_import():
    db, user, org = admin_context()
    upload = request.files.get("file")
    raw = upload.read(authoring_transfer.MAX_BYTES + 1) if upload else b""
    try:
        stack = authoring_transfer.import_stack(session=db, org=org, actor=user, raw=raw)
    except InvalidInput as error:
        db.rollback()
        return render(
            "admin/authoring/library.html",
            org=org,
            rows=authoring_access.library(session=db, org=org),
            import_error=error.message,
            status=422,
        )
    db.commit()
    return redirect(url_for("admin.authoring_stack", stack_id=stack.id), 303)
