"""The review page shows videos and lightbox-ready photos; where feedback is read, [m:ss]
markers are seek buttons and the rest of the text (a <script> too) stays escaped."""

from __future__ import annotations

from sqlmodel import Session

from server.storage import LocalStorage
from tests.support.factories import (
    appoint,
    make_credential,
    make_review,
    make_submission,
    make_user,
)
from tests.support.review_media import add_media
from tests.support.web import sign_in_as

EVIL = 'Look at [0:07] <script>alert("x")</script>'
SEEK_7 = '<button type="button" class="timestamp-seek" data-seek="7">[0:07]'


def _attempt(app, **review):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        credential = make_credential(session, criteria=1, kinds=("photo", "video"))
        assessor, teacher = make_user(session, "assessor"), make_user(session)
        appoint(session, assessor, credential)
        submission = make_submission(session, teacher, credential)
        add_media(session, LocalStorage(app.config["SETTINGS"].storage_dir), submission, credential)
        if review:
            make_review(session, submission, assessor, **review)
        return assessor, teacher, submission.id


def test_the_review_page_plays_videos_and_opens_photos_in_the_lightbox(app, client):
    assessor, _, submission_id = _attempt(app)
    sign_in_as(client, assessor)
    html = client.get(f"/review/{submission_id}").get_data(as_text=True)
    assert html.count("data-lightbox data-caption=") == 3
    assert '<dialog id="lightbox" class="lightbox" aria-labelledby="lightbox-caption">' in html
    assert 'type="video/webm">' in html and 'class="review-video"' in html
    assert 'data-comment-at="video-' in html and " hidden>Comment at" in html  # JS shows it


def test_the_teacher_reads_feedback_with_seek_buttons_and_escaped_text(app, client):
    scores = {0: (False, f"Criterion: {EVIL}")}
    _, teacher, submission_id = _attempt(app, decision="not_yet", feedback=EVIL, scores=scores)
    sign_in_as(client, teacher)
    html = client.get(f"/submissions/{submission_id}").get_data(as_text=True)
    assert html.count(SEEK_7) == 2  # the overall feedback and the criterion's comment
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert '<script>alert("x")' not in html
    assert 'class="evidence-video"' in html and "js/review/video.js" in html
