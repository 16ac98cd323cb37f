"""The installable side over HTTP: manifest, service worker (scope /, versioned, every
precached URL really there), offline page, the capture shell and the JSON it works from
(sign-in and ownership), the token endpoint, and the page key the worker checks."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.factories import make_submission, make_user, set_status
from tests.support.media import jpeg_bytes
from tests.support.web import json_error, sign_in_as


@pytest.fixture
def world(session):
    return make_world(session, kinds=("photo", "text", "video"))


def precached(client) -> list[str]:
    source = client.get("/sw.js").get_data(as_text=True)
    listed = re.search(r"const PRECACHE = \[(.*?)\];", source, re.S).group(1)
    return json.loads(f"[{listed.strip().rstrip(',')}]")


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] and manifest["short_name"] == "Chalkmark"
    assert (manifest["display"], manifest["scope"]) == ("standalone", "/")
    assert manifest["start_url"].startswith("/")
    assert manifest["theme_color"] == "#1f4e79"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        width, height = Image.open(io.BytesIO(image.get_data())).size
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_at_the_root_with_a_version(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    assert 'importScripts("/sw-push.js")' in source  # the push handlers stay
    assert "__SHELL_VERSION__" not in source
    assert re.search(r'const VERSION = "[0-9a-f]{12}";', source)
    assert client.get("/sw-push.js").status_code == 200


def test_every_precached_url_is_there(client):
    urls = precached(client)
    for needed in (
        "/offline",
        "/static/css/app.css",
        "/static/js/shell/app.js",
        "/static/js/capture/capture.js",
        "/static/js/queue/core.js",
        "/static/js/queue/idb.js",
        "/static/vendor/htmx-2.0.11.min.js",
    ):
        assert needed in urls
    # cache.addAll fails the whole install if one of them is missing.
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_offline_page_leads_to_capture(client):
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>You're offline</h1>" in html and 'href="/capture"' in html


def test_the_capture_page_needs_sign_in(client):
    response = client.get("/capture")
    assert response.status_code in (302, 303)
    assert "/auth/sign-in" in response.headers["Location"]


def test_the_capture_page_is_the_same_for_everyone(client, session, world):
    as_role(client, world, "owner")
    html = client.get(f"/capture?submission={world.submission.id}").get_data(as_text=True)
    assert "<h1>Capture evidence</h1>" in html
    assert 'id="queue-list"' in html and 'id="sync-now"' in html
    # Nothing personal: the service worker keeps one copy of this page for offline use.
    assert world.cast.owner.display_name not in html
    assert world.credential.title not in html


@pytest.mark.parametrize("role", ["other_teacher", "assessor", "coach", "admin"])
def test_nobody_else_can_open_capture_for_a_draft(client, world, role):
    as_role(client, world, role)
    assert client.get(f"/capture?submission={world.submission.id}").status_code == 404
    response = client.get(f"/submissions/{world.submission.id}/capture.json")
    assert response.status_code == 404
    assert json_error(response)["message"] == "We couldn't find that draft."


def test_capture_json_needs_sign_in_and_answers_json(client, world):
    response = client.get(f"/submissions/{world.submission.id}/capture.json")
    assert response.status_code == 401
    assert "sign in" in json_error(response)["message"].lower()
    assert client.get("/submissions/999999/capture.json").status_code == 401


def test_capture_json_is_the_drafts_snapshot(client, session, world):
    as_role(client, world, "owner")
    post_upload(client, world.submission.id, world.photo_requirement_id, data=jpeg_bytes(gps=True))
    response = client.get(f"/submissions/{world.submission.id}/capture.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    snapshot = response.get_json()
    assert snapshot["id"] == world.submission.id and snapshot["is_draft"] is True
    assert snapshot["user_id"] == world.cast.owner.id
    assert snapshot["credential"]["title"] == world.credential.title
    assert snapshot["upload_url"] == f"/submissions/{world.submission.id}/evidence"
    assert snapshot["resumable_url"] == f"/submissions/{world.submission.id}/uploads"
    assert snapshot["capture_url"] == f"/capture?submission={world.submission.id}"
    kinds = [(r["number"], r["kind"], r["saved"]) for r in snapshot["requirements"]]
    assert kinds == [(1, "photo", 1), (2, "text", 0), (3, "video", 0)]
    assert client.get("/submissions/999999/capture.json").status_code == 404


def test_capture_json_shows_each_parts_saved_items_and_reflection(client, session, world):
    as_role(client, world, "owner")
    post_upload(client, world.submission.id, world.photo_requirement_id, data=jpeg_bytes())
    url = f"/submissions/{world.submission.id}/requirements/{world.text_requirement_id}/text"
    client.post(url, data={"csrf_token": page_token(client), "text": "We <b>sorted</b> fractions."})
    parts = client.get(f"/submissions/{world.submission.id}/capture.json").get_json()[
        "requirements"
    ]
    photo, text, video = parts
    assert [i["label"] for i in photo["items"]] == ["photo.jpg"]
    assert photo["items"][0]["thumb_url"].endswith("/thumb") and photo["max_count"] == 1
    assert text["items"][0]["text"] == "We <b>sorted</b> fractions." and text["saved"] == 1
    assert video["items"] == []


def test_my_credentials_leads_to_capture_while_i_have_a_draft(client, session, world):
    as_role(client, world, "owner")
    html = client.get("/me/credentials").get_data(as_text=True)
    assert 'href="/capture"' in html
    assert f'href="/capture?submission={world.submission.id}"' in html
    set_status(session, world.submission, "submitted")
    html = client.get("/me/credentials").get_data(as_text=True)
    assert "Capture evidence (works offline)" not in html and "/capture?submission=" not in html


def test_a_submitted_attempt_is_not_a_draft_any_more(client, session, world):
    set_status(session, world.submission, "submitted")
    as_role(client, world, "owner")
    snapshot = client.get(f"/submissions/{world.submission.id}/capture.json").get_json()
    assert (snapshot["status"], snapshot["is_draft"]) == ("submitted", False)


def test_drafts_json_lists_only_my_drafts(client, session, world):
    make_submission(session, world.cast.other_teacher, world.credential, status="draft")
    as_role(client, world, "owner")
    drafts = client.get("/capture/drafts.json").get_json()["drafts"]
    assert [d["id"] for d in drafts] == [world.submission.id]
    set_status(session, world.submission, "submitted")
    assert client.get("/capture/drafts.json").get_json() == {"drafts": []}


def test_the_token_endpoint_gives_a_token_that_uploads(client, session, world):
    assert client.get("/capture/token").status_code == 401
    as_role(client, world, "owner")
    answer = client.get("/capture/token")
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["user_id"] == world.cast.owner.id
    upload = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True),
        token=body["csrf_token"],
    )
    assert upload.status_code == 201


def test_the_draft_page_links_to_capture(client, session, world):
    as_role(client, world, "owner")
    html = client.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    assert f'href="/capture?submission={world.submission.id}"' in html
    assert "js/capture/warm.js" in html
    set_status(session, world.submission, "submitted")
    html = client.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    assert "/capture?submission=" not in html


def test_pages_carry_the_key_of_the_session_they_were_made_for(client, session):
    first = client.get("/")
    key = first.headers["X-Chalkmark-Page-Key"]
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    assert client.get_cookie("chalkmark_page").value == key
    assert client.get("/stacks").headers["X-Chalkmark-Page-Key"] == key  # same session
    assert "X-Chalkmark-Page-Key" not in client.get("/manifest.webmanifest").headers
    sign_in_as(client, make_user(session))  # a fresh session, as signing in makes
    after = client.get("/").headers["X-Chalkmark-Page-Key"]
    assert after != key
    assert client.get_cookie("chalkmark_page").value == after
