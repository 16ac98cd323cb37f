"""The rigour guards over HTTP: a written response within its word range (submit names the
part), parts unchanged since the "not yet" flagged to teacher and assessor, Award refused
while a required part is empty, and a part fragment that follows what is saved."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import Award, EvidenceItem, EvidenceRequirement, Submission
from server.submissions import service as submissions
from server.submissions.rigour import count_words, word_range_in
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.factories import make_submission
from tests.support.media import jpeg_bytes
from tests.support.web import post_form, sign_in_as

SENTENCE = "Students compared fractions on a number line and explained why. "  # 10 words


def words(n: int) -> str:
    return " ".join((SENTENCE * (n // 10 + 1)).split()[:n])


@pytest.fixture
def world(session):
    world = make_world(session, kinds=("photo", "text"))
    text = session.get(EvidenceRequirement, world.text_requirement_id)
    text.prompt, text.min_words, text.max_words = "A reflection (30 to 50 words)", 30, 50
    session.add(text)
    session.commit()
    return world


@pytest.fixture
def owner(client, world):
    as_role(client, world, "owner")
    return client


def _save_text(client, world, text):
    url = f"/submissions/{world.submission.id}/requirements/{world.text_requirement_id}/text"
    assert post_form(client, url, {"text": text}).status_code == 303


def _submit(client, world):
    return post_form(
        client,
        f"/submissions/{world.submission.id}/submit",
        {"consent": "yes", "csrf_token": page_token(client)},
    )


def test_prompts_and_counts():
    assert word_range_in("A reflection (300 to 500 words): what you saw") == (300, 500)
    assert word_range_in("Notes (500-300 words)") == (300, 500)
    assert word_range_in("A note (at least 50 words)") == (50, None)
    assert word_range_in("A photo of the board") == (None, None)
    assert count_words("Don't stop — well-known 3.5 pieces!") == 5
    assert count_words("  ") == 0


def test_submit_is_refused_outside_the_word_range_naming_the_part(owner, world, session):
    post_upload(owner, world.submission.id, world.photo_requirement_id, data=jpeg_bytes())
    _save_text(owner, world, words(14))
    page = owner.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    assert "14 words (asked: 30 to 50 words)" in page  # the counter, before any script
    short = _submit(owner, world)
    assert short.status_code == 422
    assert "Part 2 (written response) has 14 words; it needs at least 30" in short.get_data(
        as_text=True
    )
    _save_text(owner, world, words(51))
    long = _submit(owner, world)
    assert long.status_code == 422 and "it needs at most 50" in long.get_data(as_text=True)
    session.expire_all()
    assert session.get(Submission, world.submission.id).status == "draft"
    _save_text(owner, world, words(40))
    assert _submit(owner, world).status_code == 303
    session.expire_all()
    assert session.get(Submission, world.submission.id).status == "submitted"


def test_parts_unchanged_since_not_yet_are_flagged_to_teacher_and_assessor(
    owner, client, world, session
):
    post_upload(owner, world.submission.id, world.photo_requirement_id, data=jpeg_bytes(3))
    _save_text(owner, world, words(35))
    assert _submit(owner, world).status_code == 303
    first = session.get(Submission, world.submission.id)
    first.status = "not_yet"
    session.add(first)
    session.commit()
    again = submissions.retry(session=session, submission_id=first.id, user=world.cast.owner)
    session.commit()
    flagged = 'Unchanged since the attempt that came back "not yet"'
    page = owner.get(f"/submissions/{again.id}").get_data(as_text=True)
    assert page.count(flagged) == 3  # both parts, and the list under Submit
    url = f"/submissions/{again.id}/requirements/{world.text_requirement_id}/text"
    assert post_form(owner, url, {"text": words(40)}).status_code == 303
    page = owner.get(f"/submissions/{again.id}").get_data(as_text=True)
    assert page.count(flagged) == 2 and "Part 1</a> (photos)" in page
    assert (
        post_form(owner, f"/submissions/{again.id}/submit", {"consent": "yes"}).status_code == 303
    )
    sign_in_as(client, world.cast.assessor)
    review = client.get(f"/review/{again.id}").get_data(as_text=True)
    assert review.count("Unchanged since the previous attempt") == 1
    assert "40 words (asked: 30 to 50 words)" in review


def _award(client, world, submission_id):
    data = {f"met_{c.id}": "met" for c in world.criteria}
    return post_form(client, f"/review/{submission_id}/decide", {**data, "decision": "award"})


def test_award_is_refused_while_a_required_part_is_empty(client, world, session):
    waiting = make_submission(
        session, world.cast.owner, world.credential, attempt=5, with_evidence=False
    )
    session.add(
        EvidenceItem(
            submission_id=waiting.id,
            requirement_id=world.photo_requirement_id,
            client_uuid="7d5c7d8e-1111-4a4a-9a9a-000000000001",
            kind="photo",
        )
    )
    session.commit()
    sign_in_as(client, world.cast.assessor)
    page = client.get(f"/review/{waiting.id}").get_data(as_text=True)
    reason = "Award needs evidence for every required part: Part 2 (written response) has none"
    assert reason in page  # said before the assessor tries
    refused = _award(client, world, waiting.id)
    assert refused.status_code == 422 and reason in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Submission, waiting.id).status == "submitted"
    assert session.exec(select(Award).where(Award.submission_id == waiting.id)).all() == []


def test_a_filled_part_drops_its_picker_and_a_removal_brings_it_back(owner, world, session):
    saved = post_upload(
        owner, world.submission.id, world.photo_requirement_id, data=jpeg_bytes()
    ).get_json()
    url = f"/submissions/{world.submission.id}/parts/{world.photo_requirement_id}"
    full = owner.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "This part is full" in full and 'type="file"' not in full
    assert owner.get(url).status_code == 303  # a plain request goes to the page
    removed = owner.post(
        f"/submissions/{world.submission.id}/evidence/{saved['id']}/delete",
        data={"csrf_token": page_token(owner)},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "This part is full" not in removed
    assert 'id="camera-' in removed and 'id="choose-' in removed
    assert "Take a photo" in removed and "Choose a photo" in removed
