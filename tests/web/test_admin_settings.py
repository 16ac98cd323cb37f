"""District settings (/admin/settings): every field checked at once with its own message,
nothing saved while any is wrong, one audit entry (before/after) per save, changes that
apply at once (points paid, levels, nudges' quiet hours, new members' visibility), and
recomputing the district's totals."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlmodel import select

from server.admin import settings as district_settings
from server.auth import service as auth
from server.coach import nudges
from server.game import ledger, values
from server.game import service as game
from server.models import AuditEntry, DistrictSettings, Org, PointEvent, UserPoints
from tests.support.factories import make_credential, make_submission, make_user
from tests.support.web import post_form, sign_in_as

GOOD = {
    "blind_review": "on",
    "review_target_days": "5",
    "scoring_mode": "double_blind",
    "default_visibility": "anonymous",
    "quiet_start_hour": "20",
    "quiet_end_hour": "8",
    "points_first_submission": "25",
    "points_persistence": "40",
    "points_stack_completed": "150",
    "points_streak_week": "10",
    "points_review_completed": "20",
    "level_1": "300",
    "level_2": "800",
    "level_3": "2000",
    "calibration_threshold": "85",
    "calibration_share": "10",
}


pytest_plugins = ["tests.support.admin_world"]


@pytest.fixture
def home(districts):
    return districts["home"]


@pytest.fixture
def admin(districts):
    return districts["admin"]


def _audit(db) -> list[AuditEntry]:
    db.expire_all()
    return list(db.exec(select(AuditEntry).order_by(AuditEntry.id)))


def test_the_page_shows_the_server_defaults_for_a_district_that_never_saved(client, admin):
    sign_in_as(client, admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="points_first_submission" value="10"' in page
    assert 'name="level_1" value="250"' in page and 'name="level_3" value="1500"' in page
    assert 'name="review_target_days" value="7"' in page
    assert "Recompute totals" in page and "does not re-price past payments" in page


def test_every_bad_field_gets_its_own_message_and_nothing_is_saved(client, db, home, admin):
    sign_in_as(client, admin)
    bad = {
        **GOOD,
        "review_target_days": "0",
        "default_visibility": "everyone",
        "quiet_start_hour": "25",
        "points_persistence": "-5",
        "points_streak_week": "9" * 5000,
        "level_2": "200",  # not above Practitioner (300)
    }
    response = post_form(client, "/admin/settings", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nothing was saved" in page
    for field in (
        "review_target_days",
        "default_visibility",
        "quiet_start_hour",
        "points_persistence",
        "points_streak_week",
        "level_2",
    ):
        assert f'<p class="field-error" id="{field}-error"></p>' not in page, field
    assert "Needs more points than Practitioner (300)." in page
    assert 'id="level_2" name="level_2" value="200"' in page  # what was typed stays
    assert db.get(DistrictSettings, home.id) is None
    db.refresh(home)
    assert home.blind_review is False and _audit(db) == []


def test_a_save_applies_at_once_with_one_audit_entry_of_what_changed(client, db, home, admin):
    sign_in_as(client, admin)
    response = post_form(client, "/admin/settings", GOOD)
    assert response.status_code == 303
    db.expire_all()
    row = db.get(DistrictSettings, home.id)
    assert (row.review_target_days, row.default_visibility) == (5, "anonymous")
    assert (row.quiet_start_hour, row.quiet_end_hour, row.game_levels) == (20, 8, "0,300,800,2000")
    assert db.get(Org, home.id).blind_review is True
    [entry] = _audit(db)
    assert entry.action == "changed district settings" and entry.actor_id == admin.id
    assert '"review_target_days": 7' in entry.before and '"review_target_days": 5' in entry.after
    assert '"first_submission": 10' in entry.before and '"first_submission": 25' in entry.after
    assert post_form(client, "/admin/settings", GOOD).status_code == 303  # the same again
    assert len(_audit(db)) == 1  # nothing changed, nothing logged


def test_one_districts_settings_leave_another_alone(client, db, home, districts):
    far = districts["far"]
    sign_in_as(client, districts["far_admin"])
    assert post_form(client, "/admin/settings", GOOD).status_code == 303
    db.expire_all()
    assert db.get(DistrictSettings, home.id) is None
    assert db.get(DistrictSettings, far.id).review_target_days == 5
    assert [e.org_id for e in _audit(db)] == [far.id]


def test_the_game_pays_the_districts_value_and_defaults_without_a_district(client, db, admin):
    sign_in_as(client, admin)
    post_form(client, "/admin/settings", {**GOOD, "points_first_submission": "25"})
    credential = make_credential(db)
    member = make_user(db, org_id=admin.org_id)
    loner = make_user(db)  # no district: the server's defaults
    for person in (member, loner):
        game.on_submission(session=db, submission=make_submission(db, person, credential))
    db.commit()
    paid = dict(db.exec(select(PointEvent.user_id, PointEvent.points)).all())
    assert paid == {member.id: 25, loner.id: 10}
    assert values.for_user(session=db, user_id=member.id).level_for(300).name == "Practitioner"
    assert values.for_user(session=db, user_id=loner.id).level_for(300).name == "Practitioner"
    assert values.for_user(session=db, user_id=member.id).level_for(299).name == "Explorer"
    assert values.for_user(session=db, user_id=loner.id).level_for(250).name == "Practitioner"


def test_the_profile_shows_the_level_at_the_districts_thresholds(client, db, admin):
    sign_in_as(client, admin)
    post_form(client, "/admin/settings", {**GOOD, "level_1": "50"})
    teacher = make_user(db, org_id=admin.org_id)
    ledger.pay(session=db, user_id=teacher.id, rule="credential_earned", ref="x", points=60)
    db.commit()
    sign_in_as(client, teacher)
    assert "Practitioner" in client.get("/me").get_data(as_text=True)


def test_quiet_hours_and_new_members_visibility_follow_the_district(client, db, home, admin):
    assert nudges.quiet_hours_for(db, home.id) == (time(21), time(7))
    sign_in_as(client, admin)
    post_form(client, "/admin/settings", GOOD)
    db.expire_all()
    assert nudges.quiet_hours_for(db, home.id) == (time(20), time(8))
    assert nudges.quiet_hours_for(db, None) == (time(21), time(7))
    evening = datetime(2025, 6, 10, 20, 30, tzinfo=UTC)  # 20:30 in UTC: quiet from 20:00
    assert nudges.deliver_after(evening, "UTC", nudges.quiet_hours_for(db, home.id)).hour == 8
    profile = auth.Profile("New Member", None)
    joined = auth.create_user(session=db, profile=profile, org_id=home.id)
    alone = auth.create_user(session=db, profile=auth.Profile("Loner", None))
    assert (joined.leaderboard_visibility, alone.leaderboard_visibility) == ("anonymous", "cohort")


def test_recompute_totals_corrects_only_the_districts_people_and_is_logged(client, db, home, admin):
    member, outsider = make_user(db, org_id=home.id), make_user(db)
    for person in (member, outsider):
        ledger.pay(session=db, user_id=person.id, rule="credential_earned", ref="x", points=100)
        db.get(UserPoints, person.id).total = 7  # drifted
    db.commit()
    sign_in_as(client, admin)
    response = post_form(client, "/admin/settings/recompute-totals")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(UserPoints, member.id).total == 100
    assert db.get(UserPoints, outsider.id).total == 7  # another district's (none): untouched
    [entry] = _audit(db)
    assert entry.action == "recomputed point totals" and '"corrected": 1' in entry.after


def test_the_settings_service_refuses_the_form_as_a_whole(db):
    with pytest.raises(district_settings.FormInvalid) as refused:
        district_settings.parse({})
    assert {"review_target_days", "default_visibility", "level_1"} <= set(refused.value.errors)


def test_the_hidden_items_share_is_0_to_50_percent_and_audited(client, db, home, admin):
    sign_in_as(client, admin)
    for bad in ("51", "-1", "ten", ""):
        response = post_form(client, "/admin/settings", {**GOOD, "calibration_share": bad})
        assert response.status_code == 422, bad
        assert "Enter a whole percentage from 0 to 50" in response.get_data(as_text=True)
    assert db.get(DistrictSettings, home.id) is None and _audit(db) == []
    assert post_form(client, "/admin/settings", GOOD).status_code == 303
    db.expire_all()
    assert db.get(DistrictSettings, home.id).calibration_share == 10
    assert 'name="calibration_share" value="10"' in client.get("/admin/settings").get_data(
        as_text=True
    )
    assert (
        post_form(client, "/admin/settings", {**GOOD, "calibration_share": "20"}).status_code == 303
    )
    entry = _audit(db)[-1]
    assert '"calibration_share": 10' in entry.before and '"calibration_share": 20' in entry.after
