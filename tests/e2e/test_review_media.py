"""The assessor's tools in Chromium: a scoring draft survives a reload; photos open in a
keyboard-driven lightbox (zoom, next / previous, Esc, focus back to the thumbnail, Tab
kept inside); "Comment at" puts the video's time in a comment, and the teacher's [m:ss]
button seeks their video, the comment's <script> staying text. Axe at every step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Org, Stack, User
from server.storage import LocalStorage
from tests.e2e.flows import sign_in_with_cookie
from tests.support.browser import PHONE, assert_accessible
from tests.support.factories import make_credential, make_submission
from tests.support.review_media import add_media


@pytest.fixture
def media(live_app):
    """A Riverbend teacher's waiting attempt with three photos and a video, on a credential
    of a stack the demo assessor reviews."""
    storage = LocalStorage(live_app.config["SETTINGS"].storage_dir)
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        riverbend = session.exec(select(Org).where(Org.slug == "riverbend")).one()
        stack = session.exec(select(Stack).order_by(Stack.id)).first()
        teacher = User(
            handle=f"media-teacher-{riverbend.id}-{id(storage)}",
            display_name="Rosa Media",
            org_id=riverbend.id,
        )
        session.add(teacher)
        session.commit()
        credential = make_credential(
            session, criteria=2, kinds=("photo", "video"), stack=stack, title="Think-Pair-Share"
        )
        submission = make_submission(session, teacher, credential)
        add_media(session, storage, submission, credential)
        assessor = session.exec(select(User).where(User.handle == "jordan")).one()
    return {"teacher": teacher, "assessor": assessor, "submission": submission.id}


def _claim(page, context, live_app, base_url, media):
    sign_in_with_cookie(context, live_app, base_url, media["assessor"])
    page.goto(f"/review/{media['submission']}")
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_label("Overall feedback")).to_be_visible()


def test_a_scoring_draft_survives_a_reload(page, context, live_app, base_url, media):
    _claim(page, context, live_app, base_url, media)
    first = page.locator("fieldset.review-criterion").first
    first.get_by_label("Met", exact=True).check()
    first.get_by_role("textbox").fill("Partners talk for a full minute")
    page.get_by_label("Overall feedback").fill("Half way through")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved", timeout=10_000)
    assert_accessible(page)
    page.reload()
    first = page.locator("fieldset.review-criterion").first
    expect(first.get_by_label("Met", exact=True)).to_be_checked()
    expect(first.get_by_role("textbox")).to_have_value("Partners talk for a full minute")
    expect(page.get_by_label("Overall feedback")).to_have_value("Half way through")
    expect(page.locator("#draft-status")).to_contain_text("Draft restored")
    page.goto("/review?show=mine")
    expect(page.locator(".review-queue-item", has_text="Think-Pair-Share")).to_contain_text(
        "Draft saved"
    )


def test_the_lightbox_by_keyboard(page, context, live_app, base_url, media):
    sign_in_with_cookie(context, live_app, base_url, media["assessor"])
    page.goto(f"/review/{media['submission']}")
    thumbs = page.locator("a[data-lightbox]")
    expect(thumbs).to_have_count(3)
    thumbs.first.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    caption = dialog.locator(".lightbox-caption")
    expect(caption).to_have_text("Photo 2: Anchor chart 1 (1 of 3)")  # the factory made photo 1
    expect(dialog.get_by_role("img")).to_have_attribute("alt", "Photo 2: Anchor chart 1")
    # The full image loads after the dialog opens: wait for it, and for real pixels.
    page.wait_for_function(
        "() => { const img = document.querySelector('.lightbox-image');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    page.keyboard.press("ArrowRight")
    expect(caption).to_contain_text("(2 of 3)")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(caption).to_contain_text("(3 of 3)")  # wraps round
    zoom = dialog.locator(".lightbox-zoom")
    page.keyboard.press("+")
    page.keyboard.press("+")
    expect(zoom).to_have_text("200 %")
    width = page.evaluate("document.querySelector('.lightbox-image').getBoundingClientRect().width")
    frame = page.evaluate("document.querySelector('.lightbox-frame').clientWidth")
    assert width > frame * 1.5  # zoomed past the frame: it scrolls to pan
    page.keyboard.press("-")
    expect(zoom).to_have_text("150 %")
    dialog.get_by_role("button", name="Zoom in").click()
    expect(zoom).to_have_text("200 %")
    assert_accessible(page)
    for _ in range(10):  # Tab never leaves the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('lightbox').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement === document.querySelector('a[data-lightbox]')")


def test_a_timestamp_comment_seeks_the_teachers_video(
    page, context, browser, live_app, base_url, media
):
    _claim(page, context, live_app, base_url, media)
    video = page.locator("video.review-video")
    _wait_until(page, "document.querySelector('video').readyState >= 1")
    video.evaluate("v => { v.currentTime = 12; }")
    comment_at = page.get_by_role("button", name="Comment at 0:12")
    expect(comment_at).to_be_visible()
    first, second = page.locator("fieldset.review-criterion").all()
    comment = first.get_by_role("textbox")
    comment.fill("Partners turn to each other at")
    comment_at.click()
    expect(comment).to_have_value("Partners turn to each other at [0:12] ")
    expect(comment).to_be_focused()
    first.get_by_label("Met", exact=True).check()
    second.get_by_label("Not yet", exact=True).check()
    page.get_by_label("Overall feedback").fill("Re-film from [0:07] <script>alert(1)</script>")
    page.get_by_role("button", name="Not yet", exact=True).click()
    expect(page.get_by_text("Decision saved")).to_be_visible(timeout=15_000)

    teacher = browser.new_context(base_url=base_url)
    try:
        sign_in_with_cookie(teacher, live_app, base_url, media["teacher"])
        mine = teacher.new_page()
        dialogs: list[str] = []
        mine.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        mine.goto(f"/submissions/{media['submission']}")
        expect(mine.locator(".feedback blockquote")).to_contain_text("<script>alert(1)</script>")
        _wait_until(mine, "document.querySelector('video').readyState >= 1")
        mine.get_by_role("button", name="[0:07] play the video from 0:07").click()
        _wait_until(mine, "Math.abs(document.querySelector('video').currentTime - 7) < 1.5")
        mine.get_by_role("button", name="[0:12] play the video from 0:12").click()
        _wait_until(mine, "Math.abs(document.querySelector('video').currentTime - 12) < 1.5")
        assert dialogs == []
        assert_accessible(mine)
    finally:
        teacher.close()


def test_the_lightbox_on_a_phone(browser, live_app, base_url, media):
    phone = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        sign_in_with_cookie(phone, live_app, base_url, media["assessor"])
        page = phone.new_page()
        page.goto(f"/review/{media['submission']}")
        page.locator("a[data-lightbox]").nth(1).tap()
        dialog = page.get_by_role("dialog")
        expect(dialog.locator(".lightbox-caption")).to_contain_text("(2 of 3)")
        box = dialog.bounding_box()
        assert box and box["width"] <= PHONE["width"]  # fits the screen
        dialog.get_by_role("button", name="Zoom in").tap()
        dialog.get_by_role("button", name="Zoom in").tap()
        expect(dialog.locator(".lightbox-zoom")).to_have_text("200 %")
        frame = dialog.locator(".lightbox-frame")
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth")  # pans by scrolling
        # pan + pinch-zoom, which Chromium reports as "manipulation"
        touch = frame.evaluate("f => getComputedStyle(f).touchAction")
        assert touch in ("manipulation", "pan-x pan-y pinch-zoom")
        frame.evaluate("f => { f.scrollLeft = 120; }")
        assert frame.evaluate("f => f.scrollLeft") > 0
        assert_accessible(page)
        dialog.get_by_role("button", name="Close").tap()
        expect(dialog).to_be_hidden()
    finally:
        phone.close()


def _wait_until(page, expression: str, timeout_ms: int = 10_000) -> None:
    """Poll `expression` with page.evaluate: wait_for_function builds its predicate with
    eval inside the page, which the app's CSP (script-src 'self') refuses."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
