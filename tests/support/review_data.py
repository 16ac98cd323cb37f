"""Review test data: a full set of rubric scores (rows come from tests/support/factories.py)."""

from __future__ import annotations

from sqlmodel import Session

from server.catalog.service import criteria_for
from server.models import Credential


def all_met(session: Session, credential: Credential, comment: str = "Seen clearly."):
    """Scores for `review.service.decide`: every criterion met, with a comment."""
    return {
        c.id: (True, comment) for c in criteria_for(session=session, credential_id=credential.id)
    }
