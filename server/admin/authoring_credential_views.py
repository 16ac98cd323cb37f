"""Authoring pages for one credential: its form (new and edit), status changes, a
teacher's-eye preview and its version history. The form works without JavaScript: "Add
evidence", "Add criterion" and "Remove" are submit buttons that re-show the form with one
row more or less (nothing saved); "Save" saves all of it in one transaction or re-shows
the form (422) with each message beside its field.
"""

from __future__ import annotations

import re

from flask import redirect, request, url_for

from server.admin import authoring, authoring_access, authoring_versions, bp
from server.admin.authoring_forms import (
    KINDS,
    CredentialInput,
    CriterionInput,
    FormInvalid,
    RequirementInput,
    credential_from_form,
)
from server.admin.authoring_views import admin_context
from server.catalog import service as catalog
from server.htmx import render
from server.ids import parse_int
from server.models import Stack
from server.review.modes import MODE_LABELS

_REMOVE = re.compile(r"^remove-(req|crit)-(\d{1,3})$")


def _credential_form(org, *, stack, credential, data: CredentialInput, errors=None, status=200):
    return render(
        "admin/authoring/credential_form.html",
        org=org,
        stack=stack,
        credential=credential,
        data=data,
        errors=errors or {},
        kinds=KINDS,
        scoring_modes=MODE_LABELS,
        # The version the admin's form began from, kept across add/remove round trips.
        based_on=parse_int(request.form.get("based_on"), low=1),
        status=status,
    )


def _row_action(data: CredentialInput) -> bool:
    """Apply an add/remove button; True when the form is to be shown again."""
    action = request.form.get("action", "save")
    if action == "add-req":
        data.requirements.append(RequirementInput(prompt=""))
        return True
    if action == "add-crit":
        data.criteria.append(CriterionInput())
        return True
    match = _REMOVE.match(action)
    if match:
        rows: list = data.requirements if match.group(1) == "req" else data.criteria
        index = int(match.group(2))
        if index < len(rows):
            del rows[index]
        return True
    return False


@bp.get("/authoring/stacks/<int:stack_id>/credentials/new")
def authoring_credential_new(stack_id: int):
    db, _, org = admin_context()
    stack = authoring_access.own_stack(session=db, org=org, stack_id=stack_id)
    data = CredentialInput(requirements=[RequirementInput()], criteria=[CriterionInput()])
    return _credential_form(org, stack=stack, credential=None, data=data)


@bp.post("/authoring/stacks/<int:stack_id>/credentials/new")
def authoring_credential_create(stack_id: int):
    db, user, org = admin_context()
    stack = authoring_access.own_stack(session=db, org=org, stack_id=stack_id)
    data = credential_from_form(request.form)
    if _row_action(data):
        return _credential_form(org, stack=stack, credential=None, data=data)
    try:
        credential = authoring.create_credential(
            session=db, org=org, actor=user, stack_id=stack.id, data=data
        )
    except FormInvalid as error:
        db.rollback()
        return _credential_form(
            org, stack=stack, credential=None, data=data, errors=error.errors, status=422
        )
    db.commit()
    return redirect(url_for("admin.authoring_credential", credential_id=credential.id), 303)


@bp.get("/authoring/credentials/<int:credential_id>")
def authoring_credential(credential_id: int):
    db, _, org = admin_context()
    credential = authoring_access.own_credential(session=db, org=org, credential_id=credential_id)
    return _credential_form(
        org,
        stack=db.get_one(Stack, credential.stack_id),
        credential=credential,
        data=authoring_access.form_values(session=db, credential=credential),
    )


@bp.post("/authoring/credentials/<int:credential_id>")
def authoring_credential_save(credential_id: int):
    db, user, org = admin_context()
    credential = authoring_access.own_credential(session=db, org=org, credential_id=credential_id)
    stack = db.get_one(Stack, credential.stack_id)
    data = credential_from_form(request.form)
    if _row_action(data):
        return _credential_form(org, stack=stack, credential=credential, data=data)
    try:
        authoring.edit_credential(
            session=db,
            org=org,
            actor=user,
            credential_id=credential.id,
            data=data,
            based_on=parse_int(request.form.get("based_on")),
        )
    except FormInvalid as error:
        db.rollback()
        credential = authoring_access.own_credential(
            session=db, org=org, credential_id=credential_id
        )
        return _credential_form(
            org, stack=stack, credential=credential, data=data, errors=error.errors, status=422
        )
    db.commit()
    return redirect(url_for("admin.authoring_credential", credential_id=credential_id), 303)


@bp.post("/authoring/credentials/<int:credential_id>/status")
def authoring_credential_status(credential_id: int):
    db, user, org = admin_context()
    authoring.set_status(
        session=db,
        org=org,
        actor=user,
        credential_id=credential_id,
        status=request.form.get("status", ""),
    )
    db.commit()
    return redirect(url_for("admin.authoring_credential", credential_id=credential_id), 303)


@bp.get("/authoring/credentials/<int:credential_id>/preview")
def authoring_credential_preview(credential_id: int):
    db, _, org = admin_context()
    credential = authoring_access.visible_credential(
        session=db, org=org, credential_id=credential_id
    )
    assert credential.id is not None
    stack = db.get_one(Stack, credential.stack_id)
    detail = catalog.CredentialDetail(
        credential=credential,
        stack=stack,
        method_components=catalog.parse_lines(credential.method_components),
        resources=catalog.parse_resources(credential.resources),
        requirements=catalog.requirements_for(session=db, credential_id=credential.id),
        criteria=catalog.criteria_for(session=db, credential_id=credential.id),
    )
    return render(
        "catalog/credential.html",
        detail=detail,
        credential=credential,
        stack=stack,
        count_label=catalog.count_label,
        preview=True,
    )


@bp.get("/authoring/credentials/<int:credential_id>/history")
def authoring_credential_history(credential_id: int):
    db, _, org = admin_context()
    credential = authoring_access.visible_credential(
        session=db, org=org, credential_id=credential_id
    )
    return render(
        "admin/authoring/history.html",
        org=org,
        credential=credential,
        stack=db.get_one(Stack, credential.stack_id),
        entries=authoring_versions.history(session=db, credential=credential),
    )
