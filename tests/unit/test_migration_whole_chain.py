"""An old SQLite database with attempts upgrades to head in one run: the chain holds data
migrations (DML opens a transaction) and, later, table rebuilds (hidden_01 makes the
submission table AUTOINCREMENT). Foreign keys must be off for the whole run, or the
rebuild's DROP TABLE fails on the evidence that points at the attempts."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from server import migrate
from server.db import make_engine
from tests.conftest import POSTGRES_URL
from tests.unit.test_migration_cohort_invites import BEFORE, ROWS
from tests.unit.test_migrations import _fresh_url

ATTEMPT = """
INSERT INTO stack (id, slug, title, summary, category, published, position)
  VALUES (1, 's', 'Stack', '', 'c', true, 0);
INSERT INTO credential (id, stack_id, slug, title, competency, key_method, method_components,
                        research, resources, points, credit_hours, version, status, position)
  VALUES (1, 1, 'c', 'Cred', '', '', '', '', '', 10, 1.0, 1, 'published', 0);
INSERT INTO evidencerequirement (id, credential_id, position, kind, prompt, min_count, max_count)
  VALUES (1, 1, 0, 'photo', 'A photo', 1, 3);
INSERT INTO submission (id, user_id, credential_id, credential_version, attempt, status,
                        consent_given, created_at, updated_at, version)
  VALUES (7, 2, 1, 1, 1, 'submitted', true, '2025-06-01 00:00:00', '2025-06-01 00:00:00', 1);
INSERT INTO evidenceitem (id, submission_id, requirement_id, client_uuid, kind, bytes,
                          created_at)
  VALUES (1, 7, 1, 'u1', 'photo', 10, '2025-06-01 00:00:00');
"""


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgres"] if POSTGRES_URL else []))
def test_an_old_database_with_attempts_upgrades_to_head_in_one_run(backend, tmp_path):
    url = _fresh_url(backend, tmp_path)
    migrate.upgrade(url, BEFORE)
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in (ROWS + ATTEMPT).split(";"):
            if statement.strip():
                conn.execute(text(statement))
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        attempts = conn.execute(text("SELECT id, status FROM submission")).all()
        evidence = conn.execute(text("SELECT submission_id FROM evidenceitem")).all()
        if backend == "sqlite":
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()
    assert [tuple(a) for a in attempts] == [(7, "submitted")]
    assert [tuple(e) for e in evidence] == [(7,)]
