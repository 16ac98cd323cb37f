"""Worlds for the hidden-item tests (review/hidden.py): the calibration world with both
assessors qualified and twelve live attempts of another teacher waiting, so that no queue
row names the anchors' teacher."""

from __future__ import annotations

import dataclasses

from sqlmodel import select

from server.admin import settings as district_settings
from server.models import AssessorQualification, HiddenItem
from tests.support.calibration_data import CalibrationWorld, make_calibration_world
from tests.support.factories import make_submission, make_user
from tests.support.web import post_form, sign_in_as


def set_district(db, world: CalibrationWorld, **changes) -> None:
    """Save the district's settings with `changes` (calibration_share=20, ...)."""
    choices = district_settings.current(session=db, org=world.org)
    district_settings.save(
        session=db,
        org=world.org,
        actor=world.admin,
        choices=dataclasses.replace(choices, **changes),
    )
    db.commit()


def make_hidden_world(db) -> CalibrationWorld:
    world = make_calibration_world(db)
    world.org.blind_review = True  # hidden items live only where assessors read pseudonyms
    db.add(world.org)
    for person in (world.assessor, world.other_assessor):
        db.add(
            AssessorQualification(user_id=person.id, credential_id=world.credential.id, percent=90)
        )
    db.commit()
    world.live.status = "withdrawn"  # the anchors' teacher's one waiting attempt: not in the way
    db.add(world.live)
    lee = make_user(db, "teacher", name="Lee Live", school="Live School", org_id=world.org.id)
    world.lives = [  # type: ignore[attr-defined]
        make_submission(db, lee, world.credential, attempt=n) for n in range(1, 13)
    ]
    return world


def all_met(world: CalibrationWorld) -> dict:
    return {"decision": "award", **{f"met_{c.id}": "met" for c in world.criteria}}


def decide_live(client, world: CalibrationWorld, count: int) -> None:
    for _ in range(count):
        submission = world.lives.pop(0)  # type: ignore[attr-defined]
        response = post_form(client, f"/review/{submission.id}/decide", all_met(world))
        assert response.status_code == 303, response.get_data(as_text=True)


def items_of(db, user) -> list[HiddenItem]:
    db.expire_all()
    return list(
        db.exec(
            select(HiddenItem).where(HiddenItem.assessor_id == user.id).order_by(HiddenItem.id)
        ).all()
    )


def open_item(client, db, world: CalibrationWorld) -> HiddenItem:
    """At a 50 % share, one live decision by the assessor, then the queue: one hidden item."""
    set_district(db, world, calibration_share=50)
    sign_in_as(client, world.assessor)
    decide_live(client, world, 1)
    client.get("/review")
    [item] = items_of(db, world.assessor)
    return item
