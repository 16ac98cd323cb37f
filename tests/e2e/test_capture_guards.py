"""Capture that never gets stuck, on a phone (390×844) in Chromium: remove the only photo
and choose another without reloading; a full part drops its picker and gets it back; a
too-short reflection is refused naming its part; offline capture refuses what a full part
can't take, saying why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import make_live_user, sign_in_with_cookie
from tests.e2e.test_offline_capture import ready_for_offline
from tests.support.browser import assert_accessible
from tests.support.media import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.e2e

SENTENCE = "Students wrote each step on a card and checked it off before moving on. "


@pytest.fixture
def teacher(live_app):
    return make_live_user(live_app, "guard", "Robin Rigour")


def _start(page, slug: str) -> int:
    page.goto(f"/credentials/{slug}")
    page.get_by_role("button", name="Start this credential").click()
    page.wait_for_url(re.compile(r"/submissions/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _photo(name: str, seed: int) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes(seed, gps=True)}


def test_remove_choose_again_and_the_word_range(context, page, live_app, base_url, teacher):
    sign_in_with_cookie(context, live_app, base_url, teacher)
    _start(page, "working-memory")  # a file (at most 1), photos (1 to 3), a reflection
    page.on("dialog", lambda dialog: dialog.accept())  # "Remove this item?"
    page.evaluate("window.notReloaded = true")

    photos = page.locator("li.evidence-part", has=page.get_by_label("Take a photo"))
    camera, gallery = photos.get_by_label("Take a photo"), photos.get_by_label("Choose photos")
    assert camera.get_attribute("capture") == "environment"
    assert gallery.get_attribute("capture") is None
    assert gallery.get_attribute("multiple") is not None
    for picker in (camera, gallery):
        assert picker.bounding_box()["height"] >= 44
    wide = page.evaluate(  # what sticks out, should anything do
        """() => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 391)
        .map((e) => `${e.tagName}.${e.className}#${e.id}`)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide  # fits the phone
    assert_accessible(page)

    gallery.set_input_files(_photo("wrong-class.jpg", 1))
    expect(photos.locator("img.evidence-thumb")).to_have_count(1, timeout=15_000)
    photos.get_by_role("button", name=re.compile("Remove")).click()
    expect(photos.locator(".evidence-item")).to_have_count(0)
    photos.get_by_label("Choose photos").set_input_files(_photo("right-class.jpg", 2))
    expect(photos.locator("img.evidence-thumb")).to_have_count(1, timeout=15_000)
    expect(photos.locator("img.evidence-thumb")).to_have_attribute("alt", re.compile("right"))

    # A part that takes one file: full once it has it, open again once it is removed.
    files = page.locator("li.evidence-part", has=page.get_by_label("Choose a file"))
    plan = {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    files.get_by_label("Choose a file").set_input_files(plan)
    full = page.locator("li.evidence-part", has_text="This part is full")
    expect(full).to_have_count(1, timeout=15_000)
    expect(full.locator("input[type=file]")).to_have_count(0)
    full.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.get_by_label("Choose a file")).to_be_visible()
    page.get_by_label("Choose a file").set_input_files(plan)
    expect(page.get_by_text("This part is full")).to_be_visible(timeout=15_000)
    assert page.evaluate("window.notReloaded") is True  # all of it without a reload

    reflection = page.get_by_label("Your response")
    reflection.fill("Three students lost their place; one card per step helped them.")
    expect(page.locator(".word-count")).to_have_text("11 words (asked: 300 to 500 words)")
    expect(page.locator(".save-status")).to_contain_text("Saved")
    page.get_by_label("I have permission to share images of students").check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#submit-error")).to_contain_text(
        "Part 3 (written response) has 11 words; it needs at least 300"
    )
    assert_accessible(page)

    with page.expect_response(lambda answer: answer.url.endswith("/text")):
        page.get_by_label("Your response").fill(SENTENCE * 24)  # 336 words, autosaved
    expect(page.locator(".word-count")).to_have_text("336 words (asked: 300 to 500 words)")
    page.get_by_label("I have permission to share images of students").check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("This attempt is with the assessors")).to_be_visible()


def test_offline_capture_refuses_what_a_full_part_cannot_take(
    context, page, live_app, base_url, teacher
):
    sign_in_with_cookie(context, live_app, base_url, teacher)
    submission_id = _start(page, "fractions-as-numbers")  # a file, 2 to 4 photos, a reflection
    page.get_by_label("Choose a file").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    expect(page.get_by_text("This part is full")).to_be_visible(timeout=15_000)
    page.get_by_label("Your response").fill("Saved before going offline.")
    expect(page.locator(".save-status")).to_contain_text("Saved")
    ready_for_offline(page, submission_id)
    page.goto("/me/credentials")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Capture for this draft")).click()
    expect(page.locator("body[data-capture-ready]")).to_have_count(1)

    # The server's items are shown, and full parts offer nothing more.
    file_part, photo_part, text_part = page.locator("li.capture-part").all()
    expect(file_part.get_by_text("plan.pdf")).to_be_visible()
    expect(file_part.locator(".part-full")).to_contain_text("This part is full")
    expect(file_part.locator("input[type=file]")).to_be_hidden()
    expect(text_part.get_by_text("Saved before going offline.")).to_be_visible()
    expect(text_part.locator(".part-full")).to_contain_text("Your reflection is saved")
    assert_accessible(page)

    context.set_offline(True)
    photo_part.get_by_label("Choose photos").set_input_files(
        [_photo(f"board-{n}.jpg", n) for n in range(5)]
    )
    expect(page.locator('#queue-list > li[data-status="waiting"]')).to_have_count(4)
    expect(page.locator("#capture-message")).to_contain_text(
        "Not kept: 1 item was more than part 2 can take. This part is full (4 photos)"
    )
    expect(photo_part.locator(".part-full")).to_be_visible()
    assert_accessible(page)
    context.set_offline(False)
    expect(page.locator('#queue-list > li[data-status="saved"]')).to_have_count(4, timeout=20_000)
    expect(page.locator('#queue-list > li[data-status="failed"]')).to_have_count(0)
