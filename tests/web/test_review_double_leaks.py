"""A double-blind assessor never receives the teacher's name or school, nor the other
assessor's comments, in any response they can reach for the attempt (review page and its
fragment, queue, history, submission page and its parts, evidence, inbox, home), before,
during and after the lead reconciles; the lead reads both sets side by side (labelled,
never named); the teacher reads one decision with both comments."""

import pytest
from sqlmodel import select

from server.catalog.service import criteria_for
from server.models import EvidenceItem
from tests.support.double_data import SCHOOL, TEACHER_NAME, make_pair_world
from tests.support.web import htmx_headers, post_form, sign_in_as

SECRETS = {
    "first": "ALPHA-ONLY-COMMENT",
    "second": "BRAVO-ONLY-COMMENT",
    "lead": "LEAD-COMMENT",
}


@pytest.fixture
def world(session):
    return make_pair_world(session)  # the district is NOT blind: the pair is anyway


def _form(world, session, met: list[bool], decision: str, comment: str) -> dict:
    criteria = criteria_for(session=session, credential_id=world.credential.id)
    form = {"decision": decision, "feedback": f"{comment} overall"}
    for criterion, flag in zip(criteria, met, strict=True):
        form[f"met_{criterion.id}"] = "met" if flag else "not_yet"
        form[f"comment_{criterion.id}"] = f"{comment} on {criterion.title}"
    return form


def _bodies(client, world, session) -> dict[str, str]:
    """Every page, fragment and JSON this user can reach about the attempt."""
    sid = world.submission.id
    paths = [
        f"/review/{sid}",
        "/review",
        "/review?show=mine",
        "/review/history",
        f"/submissions/{sid}",
        f"/submissions/{sid}/capture.json",
        "/inbox",
        "/home",
        "/me",
    ]
    items = session.exec(select(EvidenceItem).where(EvidenceItem.submission_id == sid)).all()
    paths += [f"/evidence/{item.id}" for item in items]
    paths += [f"/submissions/{sid}/parts/{item.requirement_id}" for item in items]
    bodies = {}
    for path in paths:
        for headers in ({}, htmx_headers()):
            response = client.get(path, headers=headers)
            assert response.status_code < 500, path
            bodies[f"{path} {bool(headers)}"] = response.get_data(as_text=True)
    refused = post_form(client, f"/review/{sid}/decide", {"decision": "award"})
    bodies["decide 422"] = refused.get_data(as_text=True)  # the form again, with errors
    return bodies


def _assert_no_leak(client, world, session, who, *, other: str) -> None:
    sign_in_as(client, getattr(world, who))
    for path, body in _bodies(client, world, session).items():
        for secret in (TEACHER_NAME, "Whitfield", SCHOOL, SECRETS[other]):
            assert secret not in body, f"{who} read {secret!r} at {path}"
        assert world.first.display_name not in body or who == "first", path
        assert world.second.display_name not in body or who == "second", path


def _decide(client, world, session, who, met, decision):
    sign_in_as(client, getattr(world, who))
    response = post_form(
        client,
        f"/review/{world.submission.id}/decide",
        _form(world, session, met, decision, SECRETS[who]),
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def test_blind_assessors_never_read_the_teacher_or_each_other(client, world, session):
    sid = world.submission.id
    for who in ("first", "second"):
        sign_in_as(client, getattr(world, who))
        assert post_form(client, f"/review/{sid}/claim").status_code == 303
    page = client.get(f"/review/{sid}").get_data(as_text=True)
    assert "Double blind" in page and "Teacher #" in page
    _decide(client, world, session, "first", [True, True], "award")
    _assert_no_leak(client, world, session, "second", other="first")
    _assert_no_leak(client, world, session, "first", other="second")
    _decide(client, world, session, "second", [True, False], "not_yet")
    _assert_no_leak(client, world, session, "first", other="second")
    _assert_no_leak(client, world, session, "second", other="first")

    sign_in_as(client, world.lead)
    lead_page = client.get(f"/review/{sid}").get_data(as_text=True)
    assert SECRETS["first"] in lead_page and SECRETS["second"] in lead_page
    assert "Assessor 1" in lead_page and "Assessor 2" in lead_page and "Differ" in lead_page
    assert TEACHER_NAME in lead_page  # the district is not blind: the lead may know
    assert world.first.display_name not in lead_page
    assert world.second.display_name not in lead_page
    sign_in_as(client, world.third)  # not a lead: told so, shown nothing
    third_page = client.get(f"/review/{sid}").get_data(as_text=True)
    assert "only a lead assessor" in third_page and SECRETS["first"] not in third_page

    _decide(client, world, session, "lead", [True, False], "not_yet")
    sign_in_as(client, world.first)
    after = client.get(f"/review/{sid}").get_data(as_text=True)
    assert "the other assessor&#39;s stay hidden from you" in after
    _assert_no_leak(client, world, session, "first", other="second")
    _assert_no_leak(client, world, session, "second", other="first")

    sign_in_as(client, world.teacher)
    mine = client.get(f"/submissions/{sid}").get_data(as_text=True)
    assert "Not yet" in mine and "Lead assessor: LEAD-COMMENT overall" in mine
    assert "Assessor 1: ALPHA-ONLY-COMMENT" in mine and "Assessor 2: BRAVO-ONLY-COMMENT" in mine
    assert world.first.display_name not in mine and world.lead.display_name not in mine
