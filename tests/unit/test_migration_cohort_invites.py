"""The cohort-invitations migration on a database with data: memberships made before it
(a coach could add anyone) become invitations with a notice; existing nudges get their
member's local day, and a duplicate from the old race keeps no day (so the unique key
holds) instead of being deleted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from server import migrate
from server.db import make_engine
from tests.conftest import POSTGRES_URL
from tests.unit.test_migrations import _fresh_url

BEFORE = "df1e0d2e63a8"
ROWS = """
INSERT INTO org (id, slug, name, blind_review, created_at)
  VALUES (1, 'rb', 'Riverbend', false, '2025-06-01 00:00:00');
INSERT INTO "user" (id, handle, display_name, roles, timezone, locale, leaderboard_visibility,
                    created_at)
  VALUES (1, 'sam', 'Sam', 'coach', 'UTC', 'en', 'cohort', '2025-06-01 00:00:00'),
         (2, 'maya', 'Maya', 'teacher', 'America/Chicago', 'en', 'cohort',
          '2025-06-01 00:00:00');
INSERT INTO cohort (id, name, coach_id, invite_code, created_at)
  VALUES (1, 'Early Adopters', 1, 'code', '2025-06-01 00:00:00');
INSERT INTO cohortmember (cohort_id, user_id, joined_at) VALUES (1, 2, '2025-06-01 00:00:00');
INSERT INTO nudge (id, coach_id, user_id, message, created_at, deliver_after)
  VALUES (1, 1, 2, 'a', '2025-06-10 15:00:00', '2025-06-10 15:00:00'),
         (2, 1, 2, 'b', '2025-06-10 16:00:00', '2025-06-10 16:00:00'),
         (3, 1, 2, 'c', '2025-06-11 02:00:00', '2025-06-11 02:00:00');
"""


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgres"] if POSTGRES_URL else []))
def test_existing_members_become_invitations_and_nudges_get_days(backend, tmp_path):
    url = _fresh_url(backend, tmp_path)
    migrate.upgrade(url, BEFORE)
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in ROWS.split(";"):
            if statement.strip():
                conn.execute(text(statement))
    migrate.upgrade(url, "coach_invites_01")
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM cohortmember")).scalar_one()
        notices = conn.execute(text("SELECT user_id, kind, url FROM notification")).all()
        days = conn.execute(text("SELECT id, day FROM nudge ORDER BY id")).all()
    engine.dispose()
    assert status == "invited"
    assert [tuple(n) for n in notices] == [(2, "cohort_invite", "/coach/my-cohorts")]
    # 10:00 and 11:00 on 10 June in Chicago, then 21:00 the same day: one keeps the day.
    assert [
        (i, d if d is None or isinstance(d, date) else date.fromisoformat(d)) for i, d in days
    ] == [(1, date(2025, 6, 10)), (2, None), (3, None)]
