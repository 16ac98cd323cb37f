"""The comment bank: reusable comments per rubric criterion, shared by the assessors of a
credential within one district (the independent pool has its own). Any assessor who may
review a submission of that credential adds or removes phrases from its review page; the
rubric form offers each criterion's phrases to insert into its comment field.

Phrases hang on the criterion row, which keeps its id across credential versions while it
is unchanged (a criterion reworded in a new version starts with an empty bank)."""

from __future__ import annotations

from sqlmodel import Session, select

from server import access
from server.errors import InvalidInput, NotFound
from server.models import CommentPhrase, RubricCriterion, User
from server.review import hidden
from server.review.guards import load_for_reviewer

MAX_TEXT = 300
MAX_PER_CRITERION = 50
GONE = "That phrase isn't in your comment bank any more."


class PhraseInvalid(InvalidInput):
    """The phrase's text is refused: shown next to its field on the review page."""


def bank(
    *, session: Session, viewer: User, criterion_ids: list[int]
) -> dict[int, list[CommentPhrase]]:
    """The viewer's district's phrases for these criteria, oldest first."""
    found: dict[int, list[CommentPhrase]] = {cid: [] for cid in criterion_ids}
    if not criterion_ids:
        return found
    pool = access.pool_of(viewer)
    rows = session.exec(
        select(CommentPhrase)
        .where(CommentPhrase.criterion_id.in_(criterion_ids))
        .where(CommentPhrase.org_id.is_(None) if pool is None else CommentPhrase.org_id == pool)
        .order_by(CommentPhrase.created_at, CommentPhrase.id)
    )
    for phrase in rows:
        found[phrase.criterion_id].append(phrase)
    return found


def _credential_of(session: Session, viewer: User, submission_id: int) -> int:
    """The credential of the page the bank is used from: a submission the viewer may
    review, or one of their hidden items (review/hidden.py), which reads the same."""
    item = hidden.find(session=session, viewer=viewer, item_id=submission_id)
    if item is not None:
        return item.credential_id
    return load_for_reviewer(
        session=session, viewer=viewer, submission_id=submission_id
    ).credential.id


def _criterion(
    session: Session, viewer: User, submission_id: int, criterion_id: int
) -> RubricCriterion:
    credential_id = _credential_of(session, viewer, submission_id)
    criterion = session.get(RubricCriterion, criterion_id)
    if criterion is None or criterion.credential_id != credential_id:
        raise NotFound("That criterion isn't on this submission's rubric.")
    return criterion


def add(
    *, session: Session, viewer: User, submission_id: int, criterion_id: int, text: str
) -> CommentPhrase:
    """Add a phrase to the bank of a criterion of the submission's credential (the
    caller commits). Blank, too long or too many → InvalidInput; a repeat is kept once."""
    criterion = _criterion(session, viewer, submission_id, criterion_id)
    text = " ".join(text.split())
    if not text:
        raise PhraseInvalid("Write the phrase to keep: it can't be empty.")
    if len(text) > MAX_TEXT:
        raise PhraseInvalid(f"Keep a phrase to {MAX_TEXT} characters (this one has {len(text)}).")
    existing = bank(session=session, viewer=viewer, criterion_ids=[criterion.id])[criterion.id]
    for phrase in existing:
        if phrase.text == text:
            return phrase
    if len(existing) >= MAX_PER_CRITERION:
        raise PhraseInvalid(
            f"This criterion already has {MAX_PER_CRITERION} phrases: remove one first."
        )
    phrase = CommentPhrase(
        criterion_id=criterion.id, org_id=access.pool_of(viewer), text=text, created_by=viewer.id
    )
    session.add(phrase)
    return phrase


def remove(*, session: Session, viewer: User, submission_id: int, phrase_id: int) -> None:
    """Remove a phrase of the viewer's district from a criterion of this submission's
    credential (the caller commits); anything else is NotFound."""
    credential_id = _credential_of(session, viewer, submission_id)
    phrase = session.get(CommentPhrase, phrase_id)
    criterion = session.get(RubricCriterion, phrase.criterion_id) if phrase else None
    if (
        phrase is None
        or criterion is None
        or criterion.credential_id != credential_id
        or phrase.org_id != access.pool_of(viewer)
    ):
        raise NotFound(GONE)
    session.delete(phrase)
