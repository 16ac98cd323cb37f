"""The assessor's side of review: queue, claim, the review page's data, decide, history.

Plain functions taking `session=` and plain values; they raise typed errors and never
commit (the view does). The queue lives in queue.py and deciding in decide.py; this
module is the area's front door.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlparse

from sqlmodel import Session, select

from server.catalog.service import criteria_for, requirements_for
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequirement,
    NoticeKind,
    Review,
    RubricCriterion,
    ScoringMode,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from server.notify import service as notify
from server.review import appeals, calibration, double, hidden, hidden_item, modes, pair_page
from server.review.blind import is_blind, teacher_label
from server.review.decide import DecisionInvalid, Scores, decide
from server.review.guards import (
    NO_LONGER_WAITING,
    award_refusal,
    check_still_open,
    display_name,
    hold,
    live_lease,
    load_for_reviewer,
    win_transition,
)
from server.review.history import HistoryRow, history
from server.review.past import PastDecision, past_decisions
from server.review.queue import QUEUE_PAGE, QueueRow, queue
from server.review.queue_page import QueuePage, queue_page
from server.submissions import rigour

__all__ = [
    "QUEUE_PAGE",
    "QueuePage",
    "DecisionInvalid",
    "HistoryRow",
    "QueueRow",
    "Scores",
    "claim",
    "decide",
    "history",
    "queue",
    "queue_page",
    "review_page",
]


def claim(
    *,
    session: Session,
    assessor: User,
    submission_id: int,
    lease_hours: int,
    now: datetime | None = None,
) -> Review | None:
    """Hold a submission for `lease_hours`. Two assessors claiming at once: the version
    check in one conditional UPDATE lets exactly one through; the other gets Conflict.
    None: it was one of the assessor's hidden items (review/hidden.py)."""
    now = now or utcnow()
    item = hidden.find(session=session, viewer=assessor, item_id=submission_id)
    if item is not None:
        hidden_item.claim(
            session=session, item=item, assessor=assessor, lease_hours=lease_hours, now=now
        )
        return None
    found = load_for_reviewer(session=session, viewer=assessor, submission_id=submission_id)
    calibration.check_may_claim(
        session=session, assessor=assessor, credential_id=found.submission.credential_id
    )
    if modes.attempt_mode(session=session, submission=found.submission) is ScoringMode.DOUBLE_BLIND:
        return double.claim_in_pair(
            session=session, found=found, assessor=assessor, lease_hours=lease_hours, now=now
        )
    submission = found.submission
    lease = check_still_open(session=session, submission=submission, assessor=assessor, now=now)
    until = now + timedelta(hours=lease_hours)
    if lease is not None:  # mine already: claiming again renews it
        lease.claimed_until = until
        session.add(lease)
        return lease
    win_transition(
        session=session,
        submission=submission,
        reader=assessor,
        now=now,
        status=SubmissionStatus.IN_REVIEW.value,
    )
    review = hold(
        session=session, submission_id=submission.id, assessor_id=assessor.id, now=now, until=until
    )
    notify.send(
        session=session,
        user_id=submission.user_id,
        kind=NoticeKind.REVIEW_STARTED,
        title=f"An assessor started reviewing {found.credential.title}"[:200],
        body="You'll get a notice here when they decide.",
        url=f"/submissions/{submission.id}",
    )
    session.flush()
    return review


# --- the review page ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceView:
    id: int
    kind: str
    text: str | None
    link: str | None  # only http(s): never a javascript: URL in an href
    raw_url: str | None
    note: str | None
    filename: str | None
    has_thumb: bool
    has_file: bool
    width: int | None
    height: int | None
    words: int | None  # a written response's word count
    mime: str | None = None  # a video's <source type>


@dataclass(frozen=True)
class RequirementGroup:
    requirement: EvidenceRequirement
    items: list[EvidenceView]
    unchanged: bool = False  # the same as in the attempt that came back "not yet"

    @property
    def word_range(self) -> str:
        return rigour.range_text(self.requirement)

    def out_of_range(self, words: int | None) -> bool:
        return words is not None and rigour.out_of_range(self.requirement, words)


@dataclass
class ReviewPage:
    submission: Submission
    credential_title: str
    teacher: str
    school: str | None
    groups: list[RequirementGroup]
    criteria: list[RubricCriterion]
    lease_holder: str | None = None
    lease_until: datetime | None = None
    lease_mine: bool = False
    can_decide: bool = False
    can_claim: bool = False
    notice: str | None = None  # why the form is read-only
    award_refusal: str | None = None  # why Award would be refused for the evidence
    past: list[PastDecision] = field(default_factory=list)
    second_opinion: bool = False  # an appeal: the first decision is not shown (blind)
    pair_note: str | None = None  # double blind: the reader's part (pair_page.py)
    pair: list[pair_page.ScoreSet] = field(default_factory=list)  # for the lead only


def review_page(
    *,
    session: Session,
    viewer: User,
    submission_id: int,
    now: datetime | None = None,
    blind_key: str = "",
) -> ReviewPage:
    now = now or utcnow()
    item = hidden.find(session=session, viewer=viewer, item_id=submission_id)
    if item is not None:
        return hidden_item.review_page(
            session=session, item=item, viewer=viewer, blind_key=blind_key, now=now
        )
    found = load_for_reviewer(session=session, viewer=viewer, submission_id=submission_id)
    submission, credential = found.submission, found.credential
    pair = modes.attempt_mode(session=session, submission=submission) is ScoringMode.DOUBLE_BLIND
    blind = is_blind(
        session=session, assessor=viewer, teacher=found.teacher
    ) or pair_page.hides_teacher(session=session, viewer=viewer, submission=submission)
    criteria = criteria_for(
        session=session, credential_id=credential.id, version=submission.credential_version
    )
    page = ReviewPage(
        submission=submission,
        credential_title=credential.title,
        teacher=teacher_label(found.teacher, blind=blind, key=blind_key),
        school=None if blind else found.teacher.school,
        groups=_evidence_groups(session, submission),
        criteria=criteria,
        past=past_decisions(session, submission, criteria, viewer),
        second_opinion=appeals.open_appeal(session=session, submission_id=submission.id)
        is not None,
        award_refusal=award_refusal(session=session, submission=submission),
    )
    if pair and submission.status in AWAITING_REVIEW:
        pair_page.describe(session=session, page=page, viewer=viewer, now=now)
    else:
        _describe_state(session, page, viewer, now)
    if (
        pair
        and submission.status in DECIDED
        and pair_page.in_pair(session, submission.id, viewer.id)
    ):
        page.notice = pair_page.DECIDED_FOR_MEMBER
    return page


def _describe_state(session: Session, page: ReviewPage, viewer: User, now: datetime) -> None:
    submission = page.submission
    if submission.status in DECIDED:
        page.notice = "This attempt has been decided; its decision is shown below."
        return
    if submission.status not in AWAITING_REVIEW:
        page.notice = NO_LONGER_WAITING
        return
    # Both members of a pair, not only the later one: the claim guard's own rule.
    if appeals.made_first_decision(
        session=session, submission_id=submission.id, assessor_id=viewer.id
    ):
        page.notice = appeals.FIRST_ASSESSOR
        return
    lease = live_lease(session=session, submission_id=submission.id, now=now)
    if lease is not None:
        page.lease_holder = display_name(session, lease.assessor_id)
        page.lease_until = lease.claimed_until
        page.lease_mine = lease.assessor_id == viewer.id
    if lease is not None and not page.lease_mine:
        page.notice = (
            f"Claimed by {page.lease_holder}: you can read it, but only they can "
            "decide while their claim lasts."
        )
        return
    page.can_decide = True
    page.can_claim = lease is None


def _evidence_groups(session: Session, submission: Submission) -> list[RequirementGroup]:
    requirements = requirements_for(
        session=session,
        credential_id=submission.credential_id,
        version=submission.credential_version,
    )
    items = session.exec(
        select(EvidenceItem)
        .where(EvidenceItem.submission_id == submission.id)
        .order_by(EvidenceItem.created_at, EvidenceItem.id)
    ).all()
    by_requirement: dict[int, list[EvidenceView]] = {r.id: [] for r in requirements}
    for item in items:
        by_requirement.setdefault(item.requirement_id, []).append(_evidence_view(item))
    unchanged = rigour.unchanged_parts(session=session, submission=submission)
    return [RequirementGroup(r, by_requirement[r.id], r.id in unchanged) for r in requirements]


def _evidence_view(item: EvidenceItem) -> EvidenceView:
    return EvidenceView(
        id=item.id,
        kind=item.kind,
        text=item.text,
        link=_safe_link(item.url),
        raw_url=item.url,
        note=item.note,
        filename=item.filename,
        has_thumb=bool(item.thumb_key),
        has_file=bool(item.blob_key),
        width=item.width,
        height=item.height,
        words=rigour.count_words(item.text) if item.kind == EvidenceKind.TEXT else None,
        mime=item.mime,
    )


def _safe_link(url: str | None) -> str | None:
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in {"http", "https"} and parsed.netloc else None
