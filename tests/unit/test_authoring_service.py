"""Authoring service: validation, drafts edited in place, versions on edit of a published
credential (ids stable for unchanged rows, old rows kept), history diff, export/import."""

import json

import pytest
from sqlmodel import Session, func, select

from server.admin import authoring, authoring_access, authoring_transfer, authoring_versions
from server.admin.authoring_forms import (
    CredentialInput,
    CriterionInput,
    FormInvalid,
    RequirementInput,
    StackInput,
)
from server.catalog import service as catalog
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.models import AuditEntry, Credential, CredentialVersion, EvidenceRequirement
from tests.support.factories import make_org, make_stack, make_user


def _input(**overrides) -> CredentialInput:
    data = CredentialInput(
        title="Questioning for Thinking",
        competency="The educator asks questions that make students think.",
        key_method="Plan and ask open questions.",
        research="Open questions **matter**.",
        points=100,
        credit_hours=1.5,
        requirements=[
            RequirementInput(kind="photo", prompt="A photo of the board", min_count=1, max_count=3),
            RequirementInput(kind="text", prompt="A reflection", min_words=100, max_words=400),
        ],
        criteria=[
            CriterionInput(title=f"Criterion {n}", met_descriptor="Met", not_yet_descriptor="No")
            for n in (1, 2, 3)
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def world(session):
    org = make_org(session, name="Home")
    admin = make_user(session, "admin", org_id=org.id)
    stack = authoring.save_stack(
        session=session, org=org, actor=admin, data=StackInput(title="Questioning")
    )
    session.commit()
    return org, admin, stack


def _create(session, world, **overrides) -> Credential:
    org, admin, stack = world
    credential = authoring.create_credential(
        session=session, org=org, actor=admin, stack_id=stack.id, data=_input(**overrides)
    )
    session.commit()
    return credential


def test_every_wrong_field_is_reported_and_nothing_is_saved(session, world):
    bad = _input(
        title="",
        points="lots",
        credit_hours="-1",
        requirements=[
            RequirementInput(kind="photo", prompt="", min_count=3, max_count=1, min_words=5),
            RequirementInput(kind="sound", prompt="x", min_count=1, max_count=1),
        ],
        criteria=[CriterionInput(title="Only a title")],
    )
    with pytest.raises(FormInvalid) as caught:
        _create(session, world, **bad.__dict__)
    session.rollback()
    assert set(caught.value.errors) == {
        "title",
        "points",
        "credit_hours",
        "req-0-prompt",
        "req-0-max_count",
        "req-0-min_words",
        "req-1-kind",
        "crit-0-met",
        "crit-0-not_yet",
    }
    assert session.exec(select(func.count()).select_from(Credential)).one() == 0
    assert session.exec(select(func.count()).select_from(EvidenceRequirement)).one() == 0


def test_a_draft_is_edited_in_place_and_hidden_from_the_catalog(session, world):
    org, admin, _ = world
    credential = _create(session, world)
    assert credential.status == "draft"
    with pytest.raises(NotFound):
        catalog.get_credential(session=session, slug=credential.slug)
    data = authoring_access.form_values(session=session, credential=credential)
    data.requirements.pop()
    data.title = "Questioning, edited"
    authoring.edit_credential(
        session=session, org=org, actor=admin, credential_id=credential.id, data=data
    )
    session.commit()
    assert credential.version == 1
    assert (
        session.exec(select(func.count()).select_from(EvidenceRequirement)).one() == 1
    )  # a draft's row is deleted


def test_editing_a_published_credential_makes_a_version_and_keeps_the_old_rows(session, world):
    org, admin, _ = world
    credential = _create(session, world)
    authoring.set_status(
        session=session, org=org, actor=admin, credential_id=credential.id, status="published"
    )
    session.commit()
    v1_criteria = catalog.criteria_for(session=session, credential_id=credential.id)
    v1_requirements = catalog.requirements_for(session=session, credential_id=credential.id)

    data = authoring_access.form_values(session=session, credential=credential)
    data.criteria[1].met_descriptor = "Met, and explained"
    data.criteria.append(CriterionInput(None, "Criterion 4", "Met 4", "No 4"))
    authoring.edit_credential(
        session=session, org=org, actor=admin, credential_id=credential.id, data=data
    )
    session.commit()

    assert credential.version == 2
    v2 = catalog.criteria_for(session=session, credential_id=credential.id)
    assert [c.title for c in v2] == ["Criterion 1", "Criterion 2", "Criterion 3", "Criterion 4"]
    assert v2[0].id == v1_criteria[0].id and v2[2].id == v1_criteria[2].id  # unchanged: same row
    assert v2[1].id != v1_criteria[1].id
    old = catalog.criteria_for(session=session, credential_id=credential.id, version=1)
    assert [c.id for c in old] == [c.id for c in v1_criteria]
    assert old[1].met_descriptor == "Met"
    assert [
        r.id for r in catalog.requirements_for(session=session, credential_id=credential.id)
    ] == [r.id for r in v1_requirements]
    versions = session.exec(select(CredentialVersion).order_by(CredentialVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    history = authoring_versions.history(session=session, credential=credential)
    assert "+  Met: Met, and explained" in history[0].diff
    assert "-  Met: Met" in history[0].diff

    # Saving the same values again changes nothing.
    again = authoring_access.form_values(session=session, credential=credential)
    authoring.edit_credential(
        session=session, org=org, actor=admin, credential_id=credential.id, data=again
    )
    assert credential.version == 2


def test_status_moves_draft_published_retired_only(session, world):
    org, admin, _ = world
    credential = _create(session, world)
    with pytest.raises(Conflict):
        authoring.set_status(
            session=session, org=org, actor=admin, credential_id=credential.id, status="retired"
        )
    for status in ("published", "retired", "published"):
        authoring.set_status(
            session=session, org=org, actor=admin, credential_id=credential.id, status=status
        )
    session.commit()
    actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [
        "created stack",
        "created credential",
        "published credential",
        "retired credential",
        "published credential",
    ]


def test_another_district_and_the_shared_library_cannot_be_edited(session, world):
    org, admin, stack = world
    credential = _create(session, world)
    far = make_org(session, name="Far")
    far_admin = make_user(session, "admin", org_id=far.id)
    shared = make_stack(session)
    with pytest.raises(NotFound):
        authoring_access.own_credential(session=session, org=far, credential_id=credential.id)
    with pytest.raises(NotFound):
        authoring.save_stack(
            session=session, org=far, actor=far_admin, data=StackInput("X"), stack_id=stack.id
        )
    with pytest.raises(Forbidden):
        authoring.create_credential(
            session=session, org=org, actor=admin, stack_id=shared.id, data=_input()
        )


def test_export_then_import_creates_drafts_and_reimport_changes_nothing(session, world):
    org, admin, stack = world
    credential = _create(session, world)
    authoring.set_status(
        session=session, org=org, actor=admin, credential_id=credential.id, status="published"
    )
    raw = json.dumps(authoring_transfer.export_stack(session=session, stack=stack)).encode()

    far = make_org(session, name="Far")
    far_admin = make_user(session, "admin", org_id=far.id)
    copy = authoring_transfer.import_stack(session=session, org=far, actor=far_admin, raw=raw)
    session.commit()
    copied = session.exec(select(Credential).where(Credential.stack_id == copy.id)).one()
    assert copy.org_id == far.id and copied.status == "draft" and copied.slug != credential.slug
    assert len(catalog.criteria_for(session=session, credential_id=copied.id)) == 3
    # Importing the same file again there finds the copy (new slugs, same titles).
    authoring_transfer.import_stack(session=session, org=far, actor=far_admin, raw=raw)
    session.commit()
    assert session.exec(select(func.count()).select_from(Credential)).one() == 2

    # The home district re-imports its own file: same stack, same credential, no new version.
    authoring_transfer.import_stack(session=session, org=org, actor=admin, raw=raw)
    session.commit()
    assert credential.version == 1


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "Choose a stack file"),
        (b"{not json", "isn't valid JSON (line 1"),
        (b'{"format": "other"}', "isn't a Chalkmark stack file"),
        (
            b'{"format": "chalkmark-stack", "format_version": 1, "stack": {"title": "S"},'
            b' "credentials": [{"title": "C", "competency": "x", "key_method": "y",'
            b' "points": 10, "credit_hours": 1, "requirements": [], "criteria": []}]}',
            "Credential 1 (c), requirements: Add at least one",
        ),
        (
            b'{"format": "chalkmark-stack", "format_version": 1, "stack": {"title": 5}}',
            'Stack: "title" must be text.',
        ),
    ],
)
def test_a_bad_import_file_says_what_is_wrong(session, world, raw, message):
    org, admin, _ = world
    with pytest.raises(InvalidInput) as caught:
        authoring_transfer.import_stack(session=session, org=org, actor=admin, raw=raw)
    assert message.lower() in caught.value.message.lower()


def test_an_edit_based_on_an_older_version_is_refused(session, world):
    org, admin, _ = world
    credential = _create(session, world)
    authoring.set_status(
        session=session, org=org, actor=admin, credential_id=credential.id, status="published"
    )
    data = authoring_access.form_values(session=session, credential=credential)
    data.title = "Renamed"
    authoring.edit_credential(
        session=session, org=org, actor=admin, credential_id=credential.id, data=data, based_on=1
    )
    session.commit()
    data.title = "Renamed again"
    with pytest.raises(Conflict):
        authoring.edit_credential(
            session=session,
            org=org,
            actor=admin,
            credential_id=credential.id,
            data=data,
            based_on=1,
        )


def test_two_admins_saving_at_once_make_one_version_and_a_conflict(session, engine, world):
    org, admin, _ = world
    credential = _create(session, world)
    authoring.set_status(
        session=session, org=org, actor=admin, credential_id=credential.id, status="published"
    )
    session.commit()
    with Session(engine, expire_on_commit=False) as other:
        mine = authoring_access.form_values(session=session, credential=credential)
        theirs_credential = other.get_one(Credential, credential.id)
        theirs = authoring_access.form_values(session=other, credential=theirs_credential)
        mine.title, theirs.title = "Mine", "Theirs"
        authoring.edit_credential(
            session=session, org=org, actor=admin, credential_id=credential.id, data=mine
        )
        session.commit()
        with pytest.raises(Conflict):
            authoring.edit_credential(
                session=other,
                org=other.get_one(type(org), org.id),
                actor=other.get_one(type(admin), admin.id),
                credential_id=credential.id,
                data=theirs,
            )
        other.rollback()
    session.refresh(credential)
    assert (credential.version, credential.title) == (2, "Mine")
