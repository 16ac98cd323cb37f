"""Offline capture in a real Chromium: photos and a reflection captured with the network
off survive a reload and reach the draft exactly once when the network returns; 50
captures with the network flapping all arrive once, without EXIF; a video that loses its
connection mid-upload resumes where the server had it."""

from __future__ import annotations

import io
import random
import re
import time
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import (
    Credential,
    EvidenceItem,
    EvidenceRequirement,
    ResumableUpload,
    Stack,
)
from tests.e2e.flows import make_live_user, sign_in_with_cookie
from tests.support.browser import assert_accessible
from tests.support.factories import make_submission
from tests.support.media import jpeg_bytes, mp4_bytes

pytestmark = pytest.mark.e2e


def db(live_app) -> Session:
    return Session(live_app.extensions["db_engine"], expire_on_commit=False)


@pytest.fixture
def teacher(live_app):
    return make_live_user(live_app, "cap", "Casey Capture")


sign_in = sign_in_with_cookie


def stored_items(live_app, submission_id: int) -> list[EvidenceItem]:
    with db(live_app) as session:
        return list(
            session.exec(
                select(EvidenceItem)
                .where(EvidenceItem.submission_id == submission_id)
                .order_by(EvidenceItem.id)
            ).all()
        )


def stored_image(live_app, item: EvidenceItem) -> Image.Image:
    path = live_app.config["SETTINGS"].storage_dir / item.blob_key
    return Image.open(io.BytesIO(path.read_bytes()))


def ready_for_offline(page, submission_id: int) -> None:
    """What a teacher's phone has after opening the draft once online: the worker in
    control, the capture page cached and the draft's requirements in IndexedDB."""
    page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    page.wait_for_function(
        """async (id) => {
        if (!(await caches.match('/capture'))) {
            (await navigator.serviceWorker.ready).active.postMessage({type: 'WARM_CAPTURE'});
            return false;
        }
        return Boolean(await self.ChalkmarkIdb.get('drafts', id));
    }""",
        arg=submission_id,
        polling=250,
    )


def test_captured_offline_then_uploaded_exactly_once(context, page, live_app, base_url, teacher):
    sign_in(context, live_app, base_url, teacher)
    page.goto("/credentials/fractions-as-numbers")
    page.get_by_role("button", name="Start this credential").click()
    page.wait_for_url(re.compile(r"/submissions/\d+$"))
    submission_id = int(page.url.rsplit("/", 1)[1])
    ready_for_offline(page, submission_id)

    context.set_offline(True)
    page.get_by_role("link", name="Capture evidence (works offline)").click()
    expect(page.locator("body[data-capture-ready]")).to_have_count(1)
    expect(page.locator("#network-status")).to_contain_text("You're offline")
    expect(page.locator("#capture-draft")).to_contain_text("Fractions as Numbers")

    photos = [
        jpeg_bytes(size=(2400, 1800), colour=(30, 120, 200)),
        jpeg_bytes(size=(1200, 800), colour=(0, 0, 0), gps=True),
        jpeg_bytes(size=(640, 480), colour=(250, 200, 10)),
    ]
    page.get_by_label("Choose photos").set_input_files(
        [
            {"name": f"board-{n}.jpg", "mimeType": "image/jpeg", "buffer": body}
            for n, body in enumerate(photos, start=1)
        ]
    )
    page.get_by_label("Your reflection").fill("Students compared 3/4 and 2/3 on a number line.")
    page.get_by_role("button", name="Add reflection").click()
    queue = page.locator("#queue-list > li")
    expect(queue).to_have_count(4)
    expect(page.locator('#queue-list > li[data-status="waiting"]')).to_have_count(4)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#capture-message")).to_contain_text("You're offline")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone

    page.reload()  # still offline: the worker serves the page, IndexedDB kept the items
    expect(page.locator("body[data-capture-ready]")).to_have_count(1)
    expect(page.locator('#queue-list > li[data-status="waiting"]')).to_have_count(4)
    assert stored_items(live_app, submission_id) == []

    context.set_offline(False)
    expect(page.locator('#queue-list > li[data-status="saved"]')).to_have_count(4)
    expect(page.locator("#queue-summary")).to_have_text("4 saved")
    items = stored_items(live_app, submission_id)
    assert sorted(item.kind for item in items) == ["photo", "photo", "photo", "text"]
    assert len({item.client_uuid for item in items}) == 4
    assert [i.text for i in items if i.kind == "text"] == [
        "Students compared 3/4 and 2/3 on a number line."
    ]
    for item in (i for i in items if i.kind == "photo"):
        image = stored_image(live_app, item)
        assert max(image.size) <= 1600 and not image.getexif()
    assert max(item.width for item in items if item.kind == "photo") == 1600
    page.get_by_role("button", name="Sync now").click()  # nothing more to send
    assert len(stored_items(live_app, submission_id)) == 4


@pytest.fixture
def big_draft(live_app, teacher):
    """A draft whose photo part takes 60 photos, and a video part."""
    with db(live_app) as session:
        stack = session.exec(select(Stack)).first()
        credential = Credential(
            stack_id=stack.id,
            slug=f"chaos-{uuid.uuid4().hex[:8]}",
            title="Chaos Capture",
            competency="Keeps going.",
        )
        session.add(credential)
        session.commit()
        session.add_all(
            [
                EvidenceRequirement(
                    credential_id=credential.id,
                    position=0,
                    kind="photo",
                    prompt="Many photos",
                    min_count=1,
                    max_count=60,
                ),
                EvidenceRequirement(
                    credential_id=credential.id,
                    position=1,
                    kind="video",
                    prompt="A clip",
                    min_count=0,
                    max_count=1,
                ),
            ]
        )
        return make_submission(session, teacher, credential, status="draft")


def test_fifty_captures_while_the_network_flaps(
    context, page, live_app, base_url, teacher, big_draft
):
    rng = random.Random(20240301)
    sign_in(context, live_app, base_url, teacher)
    page.goto(f"/capture?submission={big_draft.id}")
    expect(page.locator("body[data-capture-ready]")).to_have_count(1)
    chooser = page.get_by_label("Choose photos")
    offline = False
    for n in range(50):
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        body = jpeg_bytes(size=(160, 120), colour=colour, gps=n % 5 == 0)
        chooser.set_input_files([{"name": f"p{n}.jpg", "mimeType": "image/jpeg", "buffer": body}])
        if rng.random() < 0.35:
            offline = not offline
            context.set_offline(offline)
        page.wait_for_timeout(rng.randrange(0, 60))
    context.set_offline(False)

    saved = page.locator('#queue-list > li[data-status="saved"]')
    expect(saved).to_have_count(50, timeout=45_000)
    expect(page.locator('#queue-list > li[data-status="failed"]')).to_have_count(0)
    items = stored_items(live_app, big_draft.id)
    assert len(items) == 50
    assert len({item.client_uuid for item in items}) == 50
    for item in items:
        assert not stored_image(live_app, item).getexif()


def test_a_video_resumes_where_the_server_had_it(
    context, page, live_app, base_url, teacher, big_draft
):
    settings = live_app.config["SETTINGS"]
    default_chunk, settings.upload_chunk_bytes = settings.upload_chunk_bytes, 32 * 1024
    offsets: list[int] = []
    context.on(
        "request",
        lambda r: r.method == "PATCH" and offsets.append(int(r.headers.get("upload-offset", "-1"))),
    )
    try:
        sign_in(context, live_app, base_url, teacher)
        page.goto(f"/capture?submission={big_draft.id}")
        expect(page.locator("body[data-capture-ready]")).to_have_count(1)
        # Slow the chunks down so the connection can drop in the middle of the upload.
        page.route("**/uploads/*", lambda route: (time.sleep(0.05), route.continue_()))
        video = mp4_bytes(600 * 1024)
        page.get_by_label("Choose a video").set_input_files(
            [{"name": "lesson.mp4", "mimeType": "video/mp4", "buffer": video}]
        )
        page.wait_for_function("() => document.querySelector('#queue-list progress')?.value >= 30")
        context.set_offline(True)
        expect(page.locator('#queue-list > li[data-status="failed"]')).to_have_count(1)
        with db(live_app) as session:
            [upload] = session.exec(
                select(ResumableUpload).where(ResumableUpload.submission_id == big_draft.id)
            ).all()
        assert 0 < upload.received_bytes < len(video)
        context.set_offline(False)
        expect(page.locator('#queue-list > li[data-status="saved"]')).to_have_count(1)
    finally:
        settings.upload_chunk_bytes = default_chunk
    [item] = stored_items(live_app, big_draft.id)
    assert (item.kind, item.bytes, item.mime) == ("video", len(video), "video/mp4")
    assert offsets.count(0) == 1  # resumed from the server's offset, never from the start
    assert all(offsets[i] <= offsets[i + 1] for i in range(len(offsets) - 1))
