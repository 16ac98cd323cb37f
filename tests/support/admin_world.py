"""Admin test fixtures: a DB session for the test body, and two districts each with its
admin (the far one proves nothing crosses over)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.support.factories import make_org, make_user


@pytest.fixture
def db(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def districts(db) -> dict:
    home, far = make_org(db, name="Home District"), make_org(db, name="Far District")
    return {
        "home": home,
        "far": far,
        "admin": make_user(db, "admin", name="Ana Admin", org_id=home.id),
        "far_admin": make_user(db, "admin", name="Fred Far", org_id=far.id),
    }
