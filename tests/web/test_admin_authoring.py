"""Authoring pages: an admin writes a stack and a credential in the browser's forms (rows
added and removed without JavaScript), sees each mistake beside its field (422, nothing
saved), previews, publishes, edits into a new version, exports and imports; Markdown is
inert; drafts stay hidden; other districts and non-admins are refused."""

import io
import json

import pytest
from sqlmodel import func, select

from server.models import AuditEntry, Credential, CredentialVersion, Stack
from tests.support.factories import make_org, make_user
from tests.support.web import post_form, sign_in_as

EVIL = "Read [this](javascript:alert(1)) <script>alert('x')</script> and **this**."


def _credential_form(**overrides) -> dict:
    form = {
        "title": "Wait Time",
        "competency": "The educator waits after asking a question.",
        "key_method": "Count to five before calling on anyone.",
        "method_components": "Ask\nWait\nInvite",
        "research": EVIL,
        "resources": "Rowe 1986 | https://example.org/rowe",
        "points": "120",
        "credit_hours": "1.5",
        "req-0-id": "",
        "req-0-kind": "photo",
        "req-0-prompt": "A photo of the question on the board",
        "req-0-min_count": "1",
        "req-0-max_count": "2",
        "req-1-id": "",
        "req-1-kind": "text",
        "req-1-prompt": "Reflect on what changed",
        "req-1-min_count": "1",
        "req-1-max_count": "1",
        "req-1-min_words": "50",
        "req-1-max_words": "300",
    }
    for n in range(3):
        form |= {
            f"crit-{n}-id": "",
            f"crit-{n}-title": f"Criterion {n + 1}",
            f"crit-{n}-met": f"Met {n + 1}",
            f"crit-{n}-not_yet": f"Not yet {n + 1}",
        }
    return form | overrides


@pytest.fixture
def admin(client, session):
    org = make_org(session, name="Home District")
    user = make_user(session, "admin", name="Ana Admin", org_id=org.id)
    session.commit()
    sign_in_as(client, user)
    return user


def _new_stack(client) -> int:
    response = post_form(client, "/admin/authoring/stacks/new", {"title": "Questioning"})
    assert response.status_code == 303
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _new_credential(client, stack_id: int, **overrides) -> int:
    response = post_form(
        client, f"/admin/authoring/stacks/{stack_id}/credentials/new", _credential_form(**overrides)
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _inert(html: str) -> None:
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'href="javascript:' not in html.lower()


def test_the_admin_home_links_to_authoring(client, admin):
    assert "/admin/authoring" in client.get("/admin").get_data(as_text=True)
    assert client.get("/admin/authoring").status_code == 200


def test_a_nul_character_is_dropped_not_a_server_error(client, session, admin):
    response = post_form(client, "/admin/authoring/stacks/new", {"title": "Null\x00 stack"})
    assert response.status_code == 303
    assert session.exec(select(Stack.title)).one() == "Null stack"


def test_add_and_remove_buttons_reshow_the_form_without_saving(client, session, admin):
    stack_id = _new_stack(client)
    path = f"/admin/authoring/stacks/{stack_id}/credentials/new"
    added = post_form(client, path, _credential_form(action="add-crit"))
    assert added.status_code == 200
    assert 'name="crit-3-title"' in added.get_data(as_text=True)
    removed = post_form(client, path, _credential_form(action="remove-req-0"))
    page = removed.get_data(as_text=True)
    assert "A photo of the question" not in page and 'name="req-1-kind"' not in page
    assert session.exec(select(func.count()).select_from(Credential)).one() == 0


def test_mistakes_are_shown_beside_their_fields_and_nothing_is_saved(client, session, admin):
    stack_id = _new_stack(client)
    response = post_form(
        client,
        f"/admin/authoring/stacks/{stack_id}/credentials/new",
        _credential_form(title="", **{"req-1-max_words": "10", "crit-2-met": ""}),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-title" name="title"' in page
    assert '<p class="field-error" id="f-title-error">Enter a title.</p>' in page
    assert "Most words can&#39;t be fewer than fewest words." in page
    assert "Enter what “met” looks like." in page
    assert "Reflect on what changed" in page  # what was typed stays
    assert session.exec(select(func.count()).select_from(Credential)).one() == 0


def test_author_preview_publish_edit_into_a_version(client, session, admin):
    stack_id = _new_stack(client)
    credential_id = _new_credential(client, stack_id)
    credential = session.get_one(Credential, credential_id)
    slug = credential.slug

    preview = client.get(f"/admin/authoring/credentials/{credential_id}/preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Preview of draft version 1" in html
    assert "<strong>this</strong>" in html
    _inert(html)

    teacher = make_user(session)
    session.commit()
    sign_in_as(client, teacher)
    assert client.get(f"/credentials/{slug}").status_code == 404  # a draft is hidden
    assert client.get(f"/admin/authoring/credentials/{credential_id}").status_code == 403
    sign_in_as(client, admin)

    published = post_form(
        client, f"/admin/authoring/credentials/{credential_id}/status", {"status": "published"}
    )
    assert published.status_code == 303
    page = client.get(f"/credentials/{slug}").get_data(as_text=True)
    assert "Wait Time" in page and "50 to 300 words" in page
    _inert(page)

    edit = _credential_form(**{"crit-1-met": "Met, and the class noticed"})
    form = client.get(f"/admin/authoring/credentials/{credential_id}").get_data(as_text=True)
    for key in ("req-0-id", "req-1-id", "crit-0-id", "crit-1-id", "crit-2-id"):
        marker = f'name="{key}" value="'
        edit[key] = form.split(marker, 1)[1].split('"', 1)[0]
    saved = post_form(client, f"/admin/authoring/credentials/{credential_id}", edit)
    assert saved.status_code == 303
    session.expire_all()
    assert session.get_one(Credential, credential_id).version == 2
    history = client.get(f"/admin/authoring/credentials/{credential_id}/history")
    assert "Met, and the class noticed" in history.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(CredentialVersion)).one() == 2
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "created stack",
        "created credential",
        "published credential",
        "edited credential",
    ]


def test_another_districts_admin_is_refused(client, session, admin):
    stack_id = _new_stack(client)
    credential_id = _new_credential(client, stack_id)
    far = make_org(session, name="Far")
    far_admin = make_user(session, "admin", org_id=far.id)
    session.commit()
    sign_in_as(client, far_admin)
    for path in (
        f"/admin/authoring/stacks/{stack_id}",
        f"/admin/authoring/stacks/{stack_id}/export.json",
        f"/admin/authoring/credentials/{credential_id}",
        f"/admin/authoring/credentials/{credential_id}/preview",
        f"/admin/authoring/credentials/{credential_id}/history",
    ):
        assert client.get(path).status_code == 404, path
    response = post_form(
        client, f"/admin/authoring/credentials/{credential_id}/status", {"status": "published"}
    )
    assert response.status_code == 404
    assert "Questioning" not in client.get("/admin/authoring").get_data(as_text=True)


def test_export_and_import_a_stack_file(client, session, admin):
    stack_id = _new_stack(client)
    _new_credential(client, stack_id)
    exported = client.get(f"/admin/authoring/stacks/{stack_id}/export.json")
    assert exported.status_code == 200 and exported.mimetype == "application/json"
    data = exported.get_json()
    assert data["format"] == "chalkmark-stack" and len(data["credentials"][0]["criteria"]) == 3

    data["stack"] |= {"slug": "somewhere-else", "title": "Questioning, adapted"}
    upload = {"file": (io.BytesIO(json.dumps(data).encode()), "stack.json")}
    response = post_form(client, "/admin/authoring/import", upload)
    assert response.status_code == 303
    assert session.exec(select(func.count()).select_from(Stack)).one() == 2

    bad = {"file": (io.BytesIO(b"{oops"), "stack.json")}
    refused = post_form(client, "/admin/authoring/import", bad)
    assert refused.status_code == 422
    assert "isn&#39;t valid JSON (line 1" in refused.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(Stack)).one() == 2
