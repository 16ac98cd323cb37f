"""Hidden items: ongoing calibration inside the live queue. A qualified assessor of a
district whose calibration_share is above 0 sees, now and then, an active anchor presented
exactly like a waiting submission: same queue row, review page, claim, rubric form, drafts
and "Decision saved". Deciding it scores a live CalibrationAttempt against the truth (for
the agreement report; never for qualifying: calibration.standing leaves live tries out)
and nothing else: no points, award or notice, the anchor unchanged.

Ids. /review/<id> must never tell a hidden item from a submission, nor name one: a hidden
item's id is drawn from the submission id space itself, so no submission will ever have it
and it sits among the real ids. PostgreSQL: nextval of the submission sequence. SQLite:
the submission table is AUTOINCREMENT (migration hidden_01), whose sqlite_sequence row is
the largest id ever handed out; we raise it by one. (A separate counter or an offset range
would collide with a future submission or stand out by its size.) Another assessor asking
for the id finds no submission: 404, as for any id they may not see.

Only where the assessor reads live attempts under a pseudonym (blind review, or double
blind): elsewhere live rows show names and a pseudonymous row would stand out.

How often: per assessor and credential, an item is due when the assessor has made
every - 1 live decisions since their last hidden one (every = 100 / share, rounded: 20 %
-> one item in five), none of theirs is waiting, and an active anchor in their pool is
left that they never tried, reviewed or wrote (calibration.untried: each anchor once).
The queue page makes it (queue view); its shown time and attempt number are made up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from server import access
from server.models import (
    AssessorQualification,
    CalibrationAnchor,
    CalibrationAttempt,
    Credential,
    DistrictSettings,
    HiddenItem,
    Review,
    ScoringMode,
    Submission,
    User,
    utcnow,
)
from server.review import calibration, modes
from server.review.blind import org_is_blind, pseudonym

EARLIEST = datetime.min.replace(tzinfo=UTC)


def allocate_id(session: Session) -> int:
    """The next id of the submission id space, taken so that no submission gets it."""
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT nextval(pg_get_serial_sequence('submission', 'id'))"
        return int(session.execute(text(sql)).scalar_one())
    bump = (
        "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) "
        "FROM submission)) + 1 WHERE name = 'submission' RETURNING seq"
    )
    value = session.execute(text(bump)).scalar()
    if value is None:  # no submission was ever inserted: sqlite_sequence has no row yet
        session.execute(
            text(
                "INSERT INTO sqlite_sequence (name, seq) "
                "SELECT 'submission', coalesce(max(id), 0) + 1 FROM submission"
            )
        )
        value = session.execute(text(bump.replace(" + 1 WHERE", " WHERE"))).scalar_one()
    return int(value)


def share_of(session: Session, assessor: User) -> int:
    if assessor.org_id is None or access.is_admin(assessor):
        return 0  # admins set the true scores; outside a district there is no setting
    row = session.get(DistrictSettings, assessor.org_id)
    return row.calibration_share if row else 0


def every(share: int) -> int:
    """One item in `every` is hidden: 100 / share rounded half up (20 % -> 5, 40 % -> 3)."""
    return max(2, (100 + share // 2) // share)


def waiting_items(session: Session, assessor: User) -> list[HiddenItem]:
    """The assessor's undecided hidden items they may still work (still_theirs)."""
    items = list(
        session.exec(
            select(HiddenItem)
            .join(CalibrationAnchor, CalibrationAnchor.id == HiddenItem.anchor_id)
            .where(
                HiddenItem.assessor_id == assessor.id,
                HiddenItem.decided_at.is_(None),
                CalibrationAnchor.retired_at.is_(None),
            )
            .order_by(HiddenItem.shown_at, HiddenItem.id)
        ).all()
    )
    return [item for item in items if still_theirs(session, assessor, item)]


def live_decisions_since(
    session: Session, assessor: User, credential_id: int, since: datetime | None
) -> int:
    query = (
        select(func.count(Review.id))
        .join(Submission, Submission.id == Review.submission_id)
        .where(
            Review.assessor_id == assessor.id,
            Review.decision.is_not(None),
            Submission.credential_id == credential_id,
        )
    )
    if since is not None:
        query = query.where(Review.decided_at > since)
    return int(session.exec(query).one())


def _due(session: Session, assessor: User, credential_id: int, share: int) -> bool:
    last = session.exec(
        select(func.max(HiddenItem.decided_at)).where(
            HiddenItem.assessor_id == assessor.id, HiddenItem.credential_id == credential_id
        )
    ).one()
    done = live_decisions_since(session, assessor, credential_id, last)
    return done >= every(share) - 1


def ensure(*, session: Session, assessor: User, now: datetime | None = None) -> list[HiddenItem]:
    """Make the hidden items now due for the assessor (see the module's docstring)."""
    share = share_of(session, assessor)
    if share <= 0:
        return []
    now = now or utcnow()
    qualified = session.exec(
        select(AssessorQualification.credential_id).where(
            AssessorQualification.user_id == assessor.id
        )
    ).all()
    waiting = {item.credential_id for item in waiting_items(session, assessor)}
    made = []
    for credential_id in sorted(set(qualified) - waiting):
        credential = session.get(Credential, credential_id)
        if credential is None or not access.is_qualified_assessor(
            session=session, user=assessor, credential=credential
        ):
            continue
        if not _reads_pseudonyms(session, assessor, credential):
            continue  # where live rows show real names, a pseudonym would give it away
        if not _due(session, assessor, credential_id, share):
            continue
        unseen = calibration.untried(
            session=session, assessor=assessor, credential_id=credential_id
        )
        if unseen:
            item = _make(session, assessor, unseen[0], now)
            made += [item] if item else []
    return made


def _reads_pseudonyms(session: Session, assessor: User, credential: Credential) -> bool:
    """The assessor reads live attempts of this credential under a pseudonym: the district
    reviews blind, or the credential is scored double blind (queues are district-scoped,
    so the teacher's district is the assessor's)."""
    mode = modes.credential_mode(session=session, credential=credential, org_id=assessor.org_id)
    return org_is_blind(session, assessor.org_id) or mode is ScoringMode.DOUBLE_BLIND


def _make(
    session: Session, assessor: User, anchor: CalibrationAnchor, now: datetime
) -> HiddenItem | None:
    try:
        with session.begin_nested():  # the queue opened twice at once: one item
            attempt = CalibrationAttempt(anchor_id=anchor.id, assessor_id=assessor.id, live=True)
            session.add(attempt)
            session.flush()
            item_id = allocate_id(session)
            # Submitted a plausible while ago (2 to 47 hours), a first attempt.
            shown = now - timedelta(hours=2 + (item_id * 37) % 46, minutes=(item_id * 13) % 60)
            item = HiddenItem(
                id=item_id,
                assessor_id=assessor.id,
                anchor_id=anchor.id,
                credential_id=anchor.credential_id,
                attempt_id=attempt.id,
                shown_at=shown,
                created_at=now,
            )
            session.add(item)
        return item
    except IntegrityError:
        return None


def find(*, session: Session, viewer: User, item_id: int) -> HiddenItem | None:
    """The viewer's own hidden item of that id: decided, or waiting with its anchor active
    and the viewer still qualified to review the credential (else, as a live attempt
    they may no longer review, it is gone)."""
    item = session.get(HiddenItem, item_id)
    if item is None or item.assessor_id != viewer.id:
        return None
    if item.decided_at is None and not still_theirs(session, viewer, item):
        return None
    return item


def still_theirs(session: Session, assessor: User, item: HiddenItem) -> bool:
    anchor = session.get_one(CalibrationAnchor, item.anchor_id)
    credential = session.get_one(Credential, item.credential_id)
    return anchor.retired_at is None and access.is_qualified_assessor(
        session=session, user=assessor, credential=credential
    )


def label(item: HiddenItem, key: str) -> str:
    """A pseudonym like blind review's, from the item (never the anchor's teacher)."""
    return f"Teacher #{pseudonym(item.id, key + ':h')}"


def is_pair(session: Session, assessor: User, credential_id: int) -> bool:
    credential = session.get_one(Credential, credential_id)
    mode = modes.credential_mode(session=session, credential=credential, org_id=assessor.org_id)
    return mode is ScoringMode.DOUBLE_BLIND
