"""The review form's keyboard shortcuts are announced: a visible hint, aria-keyshortcuts
on each choice, and the module that handles them (static/js/review/form.js)."""

from __future__ import annotations

from sqlmodel import Session

from tests.support.evidence import make_world
from tests.support.factories import appoint, make_user, set_status
from tests.support.web import post_form, sign_in_as


def test_the_rubric_form_documents_its_shortcuts(app, client):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = make_world(session, title="Wait Time")
        set_status(session, world.submission, "submitted")
        assessor = make_user(session, "assessor")
        appoint(session, assessor, world.credential)
    sign_in_as(client, assessor)
    sid = world.submission.id
    assert post_form(client, f"/review/{sid}/claim").status_code == 303
    html = client.get(f"/review/{sid}").get_data(as_text=True)
    assert "press <kbd>M</kbd> for Met or <kbd>N</kbd> for Not yet" in html
    criteria = len(world.criteria)
    assert html.count('aria-keyshortcuts="M"') == criteria
    assert html.count('aria-keyshortcuts="N"') == criteria
    assert html.count("rubric-shortcuts") == 2 * criteria + 1  # each choice points at the hint
    assert "js/review/form.js" in html
    assert client.get("/static/js/review/form.js").status_code == 200
