"""Calibration in a real browser: a new Motivation assessor is sent to calibrate, fails a
practice item once (sees where they differed), qualifies on the next, then claims a live
item; the admin's anchor and agreement pages pass axe too."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import (
    AnchorScore,
    AssessorAppointment,
    CalibrationAnchor,
    Credential,
    Org,
    RubricCriterion,
    User,
)
from tests.e2e.flows import sign_in_as_demo, sign_in_with_cookie
from tests.support.browser import assert_accessible
from tests.support.factories import make_submission


@pytest.fixture
def newcomer(live_app):
    """A new Riverbend assessor appointed for Motivation, a live Motivation attempt waiting,
    and the true scores of the first two anchors the assessor will be given."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        riverbend = session.exec(select(Org).where(Org.slug == "riverbend")).one()
        motivation = session.exec(select(Credential).where(Credential.slug == "motivation")).one()
        stamp = time.monotonic_ns()
        assessor = User(
            handle=f"newcomer{stamp}",
            display_name="Nia Newcomer",
            roles="teacher,assessor",
            org_id=riverbend.id,
        )
        teacher = User(handle=f"livewire{stamp}", display_name="Lia Live", org_id=riverbend.id)
        session.add_all([assessor, teacher])
        session.commit()
        session.add(AssessorAppointment(user_id=assessor.id, stack_id=motivation.stack_id))
        session.commit()
        live = make_submission(session, teacher, motivation)
        anchors = session.exec(
            select(CalibrationAnchor)
            .where(
                CalibrationAnchor.credential_id == motivation.id,
                CalibrationAnchor.retired_at.is_(None),
            )
            .order_by(CalibrationAnchor.id)
        ).all()
        truths = [
            session.exec(
                select(RubricCriterion.title, AnchorScore.met)
                .join(AnchorScore, AnchorScore.criterion_id == RubricCriterion.id)
                .where(AnchorScore.anchor_id == anchor.id)
                .order_by(RubricCriterion.position)
            ).all()
            for anchor in anchors[:2]
        ]
    return assessor, live.id, truths


def _score(page, truth, *, wrong: int | None = None) -> None:
    for number, (title, met) in enumerate(truth):
        answer = met if number != wrong else not met
        group = page.get_by_role("group", name=f"{number + 1}. {title}")
        group.get_by_label("Met" if answer else "Not yet", exact=True).check()
    page.get_by_role("button", name="Check my scores").click()


def test_fail_once_then_qualify_then_claim(context, page, live_app, base_url, newcomer):
    assessor, live_id, truths = newcomer
    sign_in_with_cookie(context, live_app, base_url, assessor)
    page.goto("/review")
    item = page.locator(".review-queue-item", has=page.locator(f"a[href='/review/{live_id}']"))
    expect(item.get_by_role("link", name="Calibrate first")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Calibrate first: Motivation").click()
    page.get_by_role("button", name="Start calibrating").click()
    expect(page.get_by_role("heading", name="Practice item")).to_be_visible()
    photo = page.locator("img.review-thumb").first
    expect(photo).to_be_visible()
    page.wait_for_function(  # the anchor's photo is served to them while they calibrate
        "() => { const i = document.querySelector('img.review-thumb');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    expect(page.get_by_text("Riverbend archive")).to_have_count(0)
    assert_accessible(page)

    _score(page, truths[0], wrong=1)
    expect(page.locator("#standing")).to_contain_text("75%")
    expect(page.locator("#result").get_by_text("Differs")).to_have_count(1)
    expect(page.get_by_text("You're qualified")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Try another item").click()
    _score(page, truths[1])
    expect(page.get_by_text("You're calibrated: 87% agreement")).to_be_visible()
    expect(page.locator("#standing")).to_contain_text("You're qualified")
    assert_accessible(page)

    page.goto("/review")
    expect(page.get_by_role("heading", name="Calibrate first")).to_have_count(0)
    item = page.locator(".review-queue-item", has=page.locator(f"a[href='/review/{live_id}']"))
    item.get_by_role("button", name="Start review").click()
    expect(page.get_by_text("It's yours to review")).to_be_visible()


def test_the_admin_calibration_pages_are_accessible(page):
    sign_in_as_demo(page, "admin")
    page.goto("/admin")
    page.get_by_role("link", name="Calibration anchors").click()
    expect(page.get_by_role("heading", name="Calibration anchors", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("a[href*='/anchor']").first.click()
    expect(page.get_by_role("heading", name="Mark an anchor")).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/agreement")
    expect(page.get_by_role("heading", name="Double-blind pairs")).to_be_visible()
    expect(page.get_by_text("Rosa Delgado").first).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/settings")
    expect(page.get_by_label("Agreement that qualifies an assessor (%)")).to_have_value("80")
    assert_accessible(page)
