"""Roster import through the browser: upload → preview (nothing changes) → import →
download the sign-up links once; bad files get a clear message next to the field."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from server.admin.roster_csv import MAX_BYTES
from server.models import RosterUpload, User
from tests.support.factories import make_org, make_user
from tests.support.web import csrf_token, post_form, sign_in_as

HEADER = "name,email,school,role,cohort\n"


@pytest.fixture
def admin(session, client):
    org = make_org(session, name="Maple District")
    admin = make_user(session, "admin", name="Ada Admin", org_id=org.id)
    sign_in_as(client, admin)
    return admin


def upload(client, data: bytes, filename: str = "roster.csv"):
    return client.post(
        "/admin/roster",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def preview_url(client, data: bytes) -> str:
    response = upload(client, data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def test_preview_then_import_then_links_once(client, session, admin):
    data = HEADER + "José Núñez,jose@maple.org,Maple,teacher,Readers\nBad,nope,,teacher,\n"
    url = preview_url(client, data.encode("cp1252"))
    page = client.get(url).get_data(as_text=True)
    assert "José Núñez" in page and "isn&#39;t an email address" in page
    assert "Line" in page and ">3<" in page  # the bad row's line number
    assert session.exec(select(User).where(User.email == "jose@maple.org")).first() is None
    response = post_form(client, f"{url}/import")
    assert response.status_code == 303
    done = client.get(url).get_data(as_text=True)
    assert "Roster imported" in done and "SMTP" in done
    links = client.get("/admin/roster/links.csv")
    assert links.status_code == 200 and links.mimetype == "text/csv"
    (row,) = list(csv.DictReader(io.StringIO(links.get_data(as_text=True))))
    assert row["email"] == "jose@maple.org" and "/auth/link/" in row["sign-up link"]
    token = row["sign-up link"].rsplit("/", 1)[1]
    assert client.get(f"/auth/link/{token}").status_code == 200
    assert client.get("/admin/roster/links.csv").status_code == 410  # once only
    assert post_form(client, f"{url}/import").status_code == 409


def test_reimporting_the_same_file_is_all_unchanged(client, admin):
    data = (HEADER + "Ana Li,ana@maple.org,Maple,teacher,\nBen Wu,ben@maple.org,,coach,\n").encode()
    first = preview_url(client, data)
    post_form(client, f"{first}/import")
    second = preview_url(client, data)
    page = client.get(second).get_data(as_text=True)
    assert "<strong>0</strong> new" in page and "<strong>0</strong> updated" in page
    assert "<strong>2</strong> unchanged" in page


def test_a_formula_in_a_name_is_neutralised_in_the_links_csv(client, admin):
    name = '=HYPERLINK("http://evil.example/","Click")'
    data = f'{HEADER}"{name.replace(chr(34), chr(34) * 2)}",eve@maple.org,,teacher,\n'.encode()
    url = preview_url(client, data)
    post_form(client, f"{url}/import")
    body = client.get("/admin/roster/links.csv").get_data(as_text=True)
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["name"] == "'" + name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,school\nAna,Maple\n", "no “email” or “role” column"),
        (b"", "That file is empty"),
        (b"name,email,role\nA\x00,a@b.org,teacher\n", "couldn&#39;t read that file as text"),
    ],
)
def test_bad_files_are_refused_next_to_the_field(client, admin, data, message):
    response = upload(client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page


def test_an_oversized_file_is_refused_with_a_clear_413(client, admin):
    response = upload(client, HEADER.encode() + b"x" * MAX_BYTES)
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_data(as_text=True)


def test_no_file_chosen(client, admin):
    response = post_form(client, "/admin/roster")
    assert response.status_code == 422
    assert "Choose a CSV file" in response.get_data(as_text=True)


def test_unknown_token_is_a_clear_404(client, admin):
    for response in (
        client.get("/admin/roster/not-a-token"),
        post_form(client, "/admin/roster/not-a-token/import"),
    ):
        assert response.status_code == 404
        assert "Upload the file again" in response.get_data(as_text=True)


def test_another_admin_cannot_open_or_import_my_preview(client, session, admin):
    url = preview_url(client, (HEADER + "A,a@maple.org,,teacher,\n").encode())
    far = make_user(session, "admin", org_id=make_org(session).id)
    colleague = make_user(session, "admin", org_id=admin.org_id)
    for other in (far, colleague):
        sign_in_as(client, other)
        assert client.get(url).status_code == 404
        assert post_form(client, f"{url}/import").status_code == 404
    assert session.exec(select(User).where(User.email == "a@maple.org")).first() is None


def test_import_needs_csrf(client, admin):
    url = preview_url(client, (HEADER + "A,a@maple.org,,teacher,\n").encode())
    assert client.post(f"{url}/import").status_code == 400


def test_an_expired_preview_is_a_clear_410(client, session, admin):
    url = preview_url(client, (HEADER + "A,a@maple.org,,teacher,\n").encode())
    upload = session.exec(select(RosterUpload)).one()
    upload.expires_at = upload.created_at - timedelta(minutes=1)
    session.add(upload)
    session.commit()
    for response in (client.get(url), post_form(client, f"{url}/import")):
        assert response.status_code == 410
        assert "This preview has expired" in response.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "a@maple.org")).first() is None
