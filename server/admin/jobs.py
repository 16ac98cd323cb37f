"""Job entry points of the admin area (run by server/jobs.py by dotted path, inside an
app context): each takes the app's session and hands it to the service."""

from __future__ import annotations

from server.admin import analytics_snapshot
from server.db import get_session
from server.models import Org


def refresh_analytics(org_id: int) -> int:
    """Recompute the district's stale analytics snapshots; returns how many."""
    db = get_session()
    org = db.get(Org, org_id)
    if org is None:
        return 0
    return analytics_snapshot.refresh_stale(session=db, org=org)
