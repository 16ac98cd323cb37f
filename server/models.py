"""Every table, in one module so relationships never import in a circle.

Table models do not validate (SQLModel); services validate input before building them.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC. SQLModel stores datetimes as UTC and refuses naive ones (it returns
    aware UTC on read too, even from SQLite), so compare only aware datetimes."""
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuidlib.uuid4())


class Role(StrEnum):
    TEACHER = "teacher"
    ASSESSOR = "assessor"
    COACH = "coach"
    ADMIN = "admin"


class Visibility(StrEnum):
    PUBLIC = "public"
    COHORT = "cohort"
    ANONYMOUS = "anonymous"
    HIDDEN = "hidden"


class EvidenceKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    FILE = "file"
    TEXT = "text"
    LINK = "link"


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    AWARDED = "awarded"
    NOT_YET = "not_yet"
    WITHDRAWN = "withdrawn"


# The one "waiting for review" set: the queue, claim, decide, access and erase all use it.
AWAITING_REVIEW = frozenset({SubmissionStatus.SUBMITTED.value, SubmissionStatus.IN_REVIEW.value})
DECIDED = frozenset({SubmissionStatus.AWARDED.value, SubmissionStatus.NOT_YET.value})
# The partial index of the queue's order; queue.py's filter renders the very same IN list.
WAITING_WHERE = "status IN ({})".format(", ".join(f"'{s}'" for s in sorted(AWAITING_REVIEW)))


class ScoringMode(StrEnum):
    """How an attempt is scored: a district's choice, a credential may override it."""

    SINGLE = "single"
    DOUBLE_BLIND = "double_blind"  # two independent score sets; a lead reconciles a disagreement


class ReviewKind(StrEnum):
    """What one Review row is: the attempt's only review, one of a double-blind pair, or
    the lead's reconciling decision. Agreement figures pair the BLIND rows of an attempt."""

    SINGLE = "single"
    BLIND = "blind"
    LEAD = "lead"


class CredentialStatus(StrEnum):
    DRAFT = "draft"  # being authored: only its district's admins see it (never the catalog)
    PUBLISHED = "published"  # shown in the catalog (see catalog.service.published_credential)
    RETIRED = "retired"  # kept for earned badges and history, no longer offered


class MemberStatus(StrEnum):
    INVITED = "invited"  # a coach added them: nothing is shared until they accept
    ACTIVE = "active"  # accepted the invitation, or joined through the cohort's link
    LEFT = "left"  # declined or left: kept so the coach can't invite them again and again


class Decision(StrEnum):
    AWARD = "awarded"
    NOT_YET = "not_yet"


class NoticeKind(StrEnum):
    """Notification.kind: the push urgency and the inbox read it."""

    AWARD = "award"
    NOT_YET = "not_yet"
    REVIEW_STARTED = "review_started"
    AWARD_REVOKED = "award_revoked"
    COHORT_INVITE = "cohort_invite"
    NUDGE = "nudge"
    LEVEL = "level"
    TEST = "test"
    REVIEW_QUEUE = "review_queue"
    RECONCILE = "reconcile"  # a double-blind pair differs: its lead assessors are told
    REVIEW_ASSIGNED = "review_assigned"  # an admin moved a claim to this assessor


# --- people and sign-in -------------------------------------------------------------


class Org(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=80)
    name: str = Field(max_length=200)
    blind_review: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    # Its assessors also review the independent pool (people outside every district);
    # the instance's operator turns it on (`chalkmark district review-independent`).
    reviews_independent: bool = False


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(unique=True, index=True, max_length=40)
    display_name: str = Field(max_length=80)
    email: str | None = Field(default=None, unique=True, max_length=254)
    roles: str = Field(default=Role.TEACHER.value, max_length=80)  # comma-separated Role
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    school: str | None = Field(default=None, max_length=200)
    locale: str = Field(default="en", max_length=16)
    timezone: str = Field(default="UTC", max_length=64)
    leaderboard_visibility: str = Field(default=Visibility.COHORT.value, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    last_active_at: datetime | None = None
    # WebAuthn user handle (base64url random bytes): one per person, the same on every
    # passkey, so an authenticator never keeps two accounts for them.
    webauthn_user_id: str | None = Field(default=None, unique=True, max_length=88)
    # Set when the account is switched off: no sign-in, and every session ends.
    deactivated_at: datetime | None = None

    @property
    def role_set(self) -> set[str]:
        return {r for r in self.roles.split(",") if r}

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class Passkey(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    credential_id: str = Field(unique=True, index=True, max_length=1400)  # base64url
    user_id: int = Field(foreign_key="user.id", index=True)
    public_key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sign_count: int = 0
    transports: str = Field(default="", max_length=200)  # comma-separated
    nickname: str = Field(default="Passkey", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None


class WebAuthnChallenge(SQLModel, table=True):
    """A pending ceremony; deleted before its response is verified (one use only)."""

    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    purpose: str = Field(max_length=20)  # register | login | add-device
    challenge: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    user_id: int | None = Field(default=None, foreign_key="user.id")
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    expires_at: datetime = Field(index=True)


class RecoveryCode(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(unique=True, max_length=64)
    used_at: datetime | None = None


class DeviceLink(SQLModel, table=True):
    """A one-time link that lets a signed-in user add a passkey on another device."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries a random id; only its hash is stored, so a
    copy of this table signs nobody in."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    id_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    # No foreign key: the record keeps saying which passkey made it after that is removed.
    passkey_id: int | None = Field(default=None, index=True)
    user_agent: str = Field(default="", max_length=80)  # a summary, e.g. "Chrome on Android"
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class SessionReveal(SQLModel, table=True):
    """A value shown once to one session (new recovery codes, a device link), encrypted with
    a key derived from the session id that only the cookie holds; deleted when shown."""

    __tablename__ = "session_reveal"
    __table_args__ = (UniqueConstraint("session_hash", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(max_length=64)
    kind: str = Field(max_length=20)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    expires_at: datetime = Field(index=True)


# --- catalog ------------------------------------------------------------------------


class Stack(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=80)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    category: str = Field(default="", max_length=80, index=True)
    published: bool = True
    position: int = 0
    # The district that authored it and may edit it; None = the shared library (read-only
    # for every district's admins). The catalog shows every published stack either way.
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)


class Credential(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    stack_id: int = Field(foreign_key="stack.id", index=True)
    slug: str = Field(unique=True, index=True, max_length=80)
    title: str = Field(max_length=200)
    competency: str = Field(default="", sa_column=Column(Text, nullable=False))
    key_method: str = Field(default="", sa_column=Column(Text, nullable=False))
    method_components: str = Field(default="", sa_column=Column(Text, nullable=False))
    research: str = Field(default="", sa_column=Column(Text, nullable=False))
    resources: str = Field(default="", sa_column=Column(Text, nullable=False))
    points: int = 100
    credit_hours: float = 0.0
    version: int = 1
    status: str = Field(default=CredentialStatus.PUBLISHED.value, max_length=20)
    position: int = 0
    # A ScoringMode that overrides the district's; None: the district decides.
    scoring_mode: str | None = Field(default=None, max_length=16)


class EvidenceRequirement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    position: int = 0
    kind: str = Field(max_length=10)  # EvidenceKind
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    min_count: int = 1
    max_count: int = 1
    min_words: int | None = None  # text evidence only; None = no bound
    max_words: int | None = None
    # Versions (see admin/authoring_versions.py): a row belongs to the credential's versions
    # added_in <= v < removed_in. Rows are never changed or deleted once a version was
    # published, so evidence and scores of older attempts keep pointing at what they met.
    added_in: int = 1
    removed_in: int | None = None


class RubricCriterion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    position: int = 0
    title: str = Field(max_length=200)
    met_descriptor: str = Field(sa_column=Column(Text, nullable=False))
    not_yet_descriptor: str = Field(sa_column=Column(Text, nullable=False))
    added_in: int = 1  # versions, as on EvidenceRequirement
    removed_in: int | None = None


class CredentialVersion(SQLModel, table=True):
    """What a credential said at each published version (a JSON snapshot of its text,
    requirements and rubric), for the history page and its diff."""

    __table_args__ = (UniqueConstraint("credential_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    version: int
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class CatalogVersion(SQLModel, table=True):
    """One row: bumped in the same transaction as any change to the catalog (stacks,
    credentials, requirements, rubric; server/catalog/cache.py), so every app process
    knows when its cached catalog pages are stale."""

    __tablename__ = "catalog_version"
    id: int = Field(default=1, primary_key=True)
    version: int = 1


# --- cohorts and appointments -------------------------------------------------------


class Cohort(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    coach_id: int = Field(foreign_key="user.id", index=True)
    invite_code: str = Field(default_factory=new_uuid, unique=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)


class CohortMember(SQLModel, table=True):
    cohort_id: int = Field(foreign_key="cohort.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)
    # Only ACTIVE members are the coach's: is_coach_of, the grid, nudges, cohort boards.
    status: str = Field(default=MemberStatus.INVITED.value, max_length=10)
    joined_at: datetime = Field(default_factory=utcnow)  # invited at, then accepted at


class AssessorAppointment(SQLModel, table=True):
    """An admin made this user a reviewer for every credential of a stack."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    stack_id: int = Field(foreign_key="stack.id", primary_key=True, index=True)
    appointed_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    # A lead assessor of the stack reconciles double-blind disagreements.
    is_lead: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


# --- submissions, evidence, review --------------------------------------------------


class Submission(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("user_id", "credential_id", "attempt"),
        # The review queue: the waiting few, oldest first, without reading the decided many
        # (a composite index, not a partial one: SQLite ignores a partial index when the
        # statuses are bound parameters). SQLite's queue pages walk it one status at a
        # time, in order, and stop at the page's end (queue._oldest_first_per_status).
        Index("ix_submission_status_submitted", "status", "submitted_at", "id"),
        # The queue's keyset pages (review/queue_cursor.py): the waiting rows alone, in the
        # queue's order, so a page reads its 50 rows from the cursor on however many
        # decided attempts lie between. Partial: the queue names its statuses as literals
        # (queue.WAITING_STATUSES) so that a planner can match this WHERE. PostgreSQL uses
        # it; SQLite, without statistics, keeps to the composite index above.
        Index(
            "ix_submission_waiting_order",
            "submitted_at",
            "id",
            sqlite_where=text(WAITING_WHERE),
            postgresql_where=text(WAITING_WHERE),
        ),
        # The queue in a district: the planner walks the district's teachers and probes
        # each one's waiting attempts (one index probe each, not a bitmap AND per teacher).
        Index("ix_submission_user_status", "user_id", "status"),
        # SQLite: ids are never reused (AUTOINCREMENT), so hidden review items can take
        # theirs from this id space too (review/hidden.py, allocate_id).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    credential_version: int = 1
    attempt: int = 1
    status: str = Field(default=SubmissionStatus.DRAFT.value, max_length=12, index=True)
    consent_given: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = Field(default=None, index=True)
    decided_at: datetime | None = None
    version: int = 1  # optimistic locking: every state change bumps it
    # Set when the attempt's evidence was erased (by the teacher, or by the retention
    # purge): pages then say so instead of showing an empty attempt.
    evidence_deleted_at: datetime | None = None
    evidence_deleted_by: str | None = Field(default=None, max_length=12)


class EvidenceItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    requirement_id: int = Field(foreign_key="evidencerequirement.id", index=True)
    client_uuid: str = Field(unique=True, max_length=36)
    kind: str = Field(max_length=10)
    text: str | None = Field(default=None, sa_column=Column(Text))
    url: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=500)
    filename: str | None = Field(default=None, max_length=255)
    blob_key: str | None = Field(default=None, max_length=200)
    thumb_key: str | None = Field(default=None, max_length=200)
    mime: str | None = Field(default=None, max_length=100)
    bytes: int = 0
    sha256: str | None = Field(default=None, max_length=64)
    width: int | None = None
    height: int | None = None
    captured_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    # "Is there a live lease on this submission?": one index probe per queue row.
    __table_args__ = (Index("ix_review_lease", "submission_id", "decision", "claimed_until"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    assessor_id: int = Field(foreign_key="user.id", index=True)
    claimed_at: datetime = Field(default_factory=utcnow)
    claimed_until: datetime
    decision: str | None = Field(default=None, max_length=12)
    feedback: str | None = Field(default=None, sa_column=Column(Text))
    decided_at: datetime | None = None
    kind: str = Field(
        default=ReviewKind.SINGLE.value, max_length=8, sa_column_kwargs={"server_default": "single"}
    )


class CriterionScore(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    criterion_id: int = Field(foreign_key="rubriccriterion.id")
    met: bool = False
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))


class Appeal(SQLModel, table=True):
    """A teacher's one request for a second opinion on a "not yet" attempt. One row per
    attempt (the unique submission_id: two filings at once make exactly one). The
    attempt goes back to the queue for any assessor but the first; their decision is
    final and is recorded here."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", unique=True)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    first_assessor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    second_assessor_id: int | None = Field(default=None, foreign_key="user.id")
    outcome: str | None = Field(default=None, max_length=12)  # a Decision value
    decided_at: datetime | None = None


class CommentPhrase(SQLModel, table=True):
    """A reusable comment for one rubric criterion, shared by the assessors of its
    credential in one district (org_id None: the independent pool); see review/phrases.py."""

    __tablename__ = "comment_phrase"
    __table_args__ = (Index("ix_comment_phrase_criterion_org", "criterion_id", "org_id"),)

    id: int | None = Field(default=None, primary_key=True)
    criterion_id: int = Field(foreign_key="rubriccriterion.id")
    org_id: int | None = Field(default=None, foreign_key="org.id")
    text: str = Field(max_length=300)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class ReviewOverdueNotice(SQLModel, table=True):
    """A waiting submission that passed its district's turnaround target, and when its
    admins were told: the primary key makes that notice once per submission
    (server/review/overdue.py)."""

    __tablename__ = "review_overdue_notice"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    notified_at: datetime = Field(default_factory=utcnow)


class ScoringDraft(SQLModel, table=True):
    """An assessor's unfinished scoring of a claim, saved as they go so it can be finished
    later; deleted when the review is decided."""

    __tablename__ = "scoring_draft"
    review_id: int = Field(foreign_key="review.id", primary_key=True)
    data: str = Field(sa_column=Column(Text, nullable=False))  # JSON {scores, feedback}
    updated_at: datetime = Field(default_factory=utcnow)


# --- calibration: anchors with true scores, assessors' tries, qualification ----------


class CalibrationAnchor(SQLModel, table=True):
    """A decided submission an admin marked as an exemplar, with true scores per criterion
    (AnchorScore). org_id None: the independent pool's."""

    __tablename__ = "calibration_anchor"
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", unique=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    retired_at: datetime | None = None


class AnchorScore(SQLModel, table=True):
    __tablename__ = "anchor_score"
    anchor_id: int = Field(foreign_key="calibration_anchor.id", primary_key=True)
    criterion_id: int = Field(foreign_key="rubriccriterion.id", primary_key=True)
    met: bool


class CalibrationAttempt(SQLModel, table=True):
    """One assessor's scoring of one anchor: in calibration before the live queue, or
    hidden in the live queue (live=True). agreed/total: criteria that matched the truth."""

    __tablename__ = "calibration_attempt"
    __table_args__ = (UniqueConstraint("anchor_id", "assessor_id"),)
    id: int | None = Field(default=None, primary_key=True)
    anchor_id: int = Field(foreign_key="calibration_anchor.id", index=True)
    assessor_id: int = Field(foreign_key="user.id", index=True)
    live: bool = False
    agreed: int = 0
    total: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class CalibrationScore(SQLModel, table=True):
    __tablename__ = "calibration_score"
    attempt_id: int = Field(foreign_key="calibration_attempt.id", primary_key=True)
    criterion_id: int = Field(foreign_key="rubriccriterion.id", primary_key=True)
    met: bool


class HiddenItem(SQLModel, table=True):
    """An anchor shown in a qualified assessor's live queue as if it were a submission
    (review/hidden.py). Its id comes from the submission id space (the PostgreSQL sequence,
    SQLite's AUTOINCREMENT counter), so /review/<id> never names a real submission; the
    shown date and attempt number are made up; the scores go to its live attempt."""

    __tablename__ = "hidden_item"
    __table_args__ = (UniqueConstraint("assessor_id", "anchor_id"),)
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    assessor_id: int = Field(foreign_key="user.id", index=True)
    anchor_id: int = Field(foreign_key="calibration_anchor.id", index=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    attempt_id: int = Field(foreign_key="calibration_attempt.id", unique=True)
    shown_at: datetime  # the made-up "submitted" time
    attempt: int = 1  # the made-up attempt number
    created_at: datetime = Field(default_factory=utcnow)
    claimed_until: datetime | None = None
    decided_at: datetime | None = None
    decision: str | None = Field(default=None, max_length=12)  # Decision, as given
    given: str | None = Field(default=None, sa_column=Column(Text))  # JSON, as a draft's
    draft: str | None = Field(default=None, sa_column=Column(Text))  # as ScoringDraft.data
    draft_at: datetime | None = None


class AssessorQualification(SQLModel, table=True):
    """The assessor reached the district's threshold on this credential's anchors."""

    __tablename__ = "assessor_qualification"
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", primary_key=True)
    percent: int
    qualified_at: datetime = Field(default_factory=utcnow)


class Award(SQLModel, table=True):
    # The revocation list reads one district's revoked ids from this index alone.
    __table_args__ = (Index("ix_award_org_revoked", "org_id", "revoked_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, max_length=36)
    user_id: int = Field(foreign_key="user.id", index=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    submission_id: int = Field(foreign_key="submission.id", unique=True)
    issued_at: datetime = Field(default_factory=utcnow)
    salt: str = Field(default_factory=lambda: uuidlib.uuid4().hex, max_length=32)
    revoked_at: datetime | None = None
    revocation_reason: str | None = Field(default=None, max_length=500)
    # Open Badges: the issuing district, the signed OB 3.0 credential as issued, and who
    # may open the verification page (public | link | private).
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    ob3_json: str | None = Field(default=None, sa_column=Column(Text))
    visibility: str = Field(default="link", max_length=10)
    revoked_by: int | None = Field(default=None, foreign_key="user.id")


class StackAward(SQLModel, table=True):
    """A stack-level credential: issued when a teacher holds every published credential
    of a stack, signed like an award. It has its own revocation list (index = this id)
    and is revoked with any award of the stack. Credit hours stay on the awards."""

    __tablename__ = "stack_award"
    __table_args__ = (Index("ix_stack_award_org_revoked", "org_id", "revoked_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, max_length=36)
    user_id: int = Field(foreign_key="user.id", index=True)
    stack_id: int = Field(foreign_key="stack.id", index=True)
    org_id: int | None = Field(default=None, foreign_key="org.id")
    issued_at: datetime = Field(default_factory=utcnow)
    salt: str = Field(default_factory=lambda: uuidlib.uuid4().hex, max_length=32)
    ob3_json: str | None = Field(default=None, sa_column=Column(Text))
    visibility: str = Field(default="link", max_length=10)  # as Award.visibility
    revoked_at: datetime | None = None
    revocation_reason: str | None = Field(default=None, max_length=500)


class BadgeProfile(SQLModel, table=True):
    """A teacher's public badge profile, made when they first make an award public. Its
    address is a random slug (not the handle): stable when the handle changes, and no
    way to walk the accounts. Lists their public, unrevoked awards."""

    __tablename__ = "badge_profile"
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    slug: str = Field(unique=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


# --- game, notifications, coaching, audit -------------------------------------------


class PointEvent(SQLModel, table=True):
    """Append-only ledger; the unique key makes every rule pay once per reference."""

    __table_args__ = (
        UniqueConstraint("user_id", "rule", "ref"),
        # A person's latest points (the progress page) without sorting their whole ledger.
        Index("ix_pointevent_user_created", "user_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    rule: str = Field(max_length=40)
    points: int
    ref: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Notification(SQLModel, table=True):
    # The header's unread count on every page: counted from the index alone.
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    url: str = Field(default="/", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None


class PushSubscription(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    endpoint: str = Field(unique=True, max_length=1000)
    user_id: int = Field(foreign_key="user.id", index=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    user_agent: str = Field(default="", max_length=300)
    failures: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    last_ok_at: datetime | None = None


class Nudge(SQLModel, table=True):
    # At most one nudge per member per day, whatever the concurrency (see coach/nudges.py).
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_nudge_user_day"),)

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="user.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    message: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    deliver_after: datetime = Field(default_factory=utcnow)
    # The member's own calendar day the nudge arrives on. None only for nudges made
    # before this column existed (duplicates from that time stay, as history).
    day: date | None = None
    sent_at: datetime | None = None


class AccessLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=40)
    target: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class DistrictSettings(SQLModel, table=True):
    """A district's own choices, made on /admin/settings (blind review stays on Org).
    A district without a row, and everyone without a district, get the defaults: the
    server's Settings (CHALKMARK_GAME_POINTS / _LEVELS) for points and levels."""

    __tablename__ = "district_settings"
    org_id: int = Field(foreign_key="org.id", primary_key=True)
    review_target_days: int
    default_visibility: str = Field(max_length=16)  # Visibility of people joining
    quiet_start_hour: int  # no nudge arrives from this hour (member's time) ...
    quiet_end_hour: int  # ... until this one; equal hours: no quiet hours
    game_points: str = Field(sa_column=Column(Text, nullable=False))  # JSON {rule: points}
    game_levels: str = Field(max_length=80)  # ascending thresholds, e.g. "0,250,750,1500"
    scoring_mode: str = Field(
        default=ScoringMode.SINGLE.value,
        max_length=16,
        sa_column_kwargs={"server_default": "single"},
    )
    # An assessor qualifies for a credential at this per-criterion agreement (percent) ...
    calibration_threshold: int = Field(default=80, sa_column_kwargs={"server_default": "80"})
    # ... and this share (percent) of a qualified assessor's live queue is hidden anchors
    # (review/hidden.py; 0 to 50, 0: none).
    calibration_share: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """One admin action in a district: who, what, when, and the values before and after
    (JSON text), so a district can answer "who made Ana an assessor?"."""

    id: int | None = Field(default=None, primary_key=True)
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=60)
    target: str = Field(max_length=200)
    before: str = Field(default="", sa_column=Column(Text, nullable=False))
    after: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class AnalyticsSnapshot(SQLModel, table=True):
    """A district's analytics for one period as computed at `computed_at` (JSON text):
    the admin page reads it while fresh, so a state-sized district's page does not
    aggregate every attempt on each view (`chalkmark analytics refresh` keeps it warm)."""

    org_id: int = Field(foreign_key="org.id", primary_key=True)
    period_key: str = Field(primary_key=True, max_length=20)
    computed_at: datetime = Field(default_factory=utcnow)
    payload: str = Field(sa_column=Column(Text, nullable=False))


class AnalyticsRefresh(SQLModel, table=True):
    """The key row of a district's running analytics refresh job: the request that inserts
    it queues the job (two requests at once queue one), the job deletes it when done. A row
    older than the lease (analytics_snapshot.REFRESH_LEASE) belongs to a job that died, and
    the next request for stale figures takes it over."""

    __tablename__ = "analytics_refresh"
    org_id: int = Field(foreign_key="org.id", primary_key=True)
    started_at: datetime = Field(default_factory=utcnow)


class RosterUpload(SQLModel, table=True):
    """A roster CSV between its preview and the admin's "Import": the parsed rows (JSON),
    held server-side under the hash of a random token (never in the cookie), for one admin
    of one district, until it expires or is applied."""

    __tablename__ = "roster_upload"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    org_id: int = Field(foreign_key="org.id", index=True)
    actor_id: int = Field(foreign_key="user.id", index=True)
    filename: str = Field(default="", max_length=200)
    rows: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    applied_at: datetime | None = None
    result: str = Field(default="", sa_column=Column(Text, nullable=False))  # counts (JSON)


# --- game totals: derived from PointEvent in the same transaction as each ledger row;
# `chalkmark game rebuild` recomputes them from the ledger ---------------------------


class UserPoints(SQLModel, table=True):
    """All-time points per user, and how far level-up celebrations have got."""

    # Covering: a leaderboard reads each member's total from the index alone.
    __table_args__ = (Index("ix_userpoints_user_total", "user_id", "total"),)

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    total: int = Field(default=0, index=True)
    celebrated_level: int = 1  # highest level announced (the in-app notice was sent)
    seen_level: int = 1  # highest level whose celebration the person has seen
    updated_at: datetime = Field(default_factory=utcnow)


class WeeklyPoints(SQLModel, table=True):
    """Points per ISO week ('2026-W07'), counted in the user's own time zone."""

    __table_args__ = (
        Index("ix_weeklypoints_week_points", "iso_week", "points"),
        # Covering: a weekly leaderboard reads each member's points from the index alone.
        Index("ix_weeklypoints_user_week_points", "user_id", "iso_week", "points"),
    )

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    iso_week: str = Field(primary_key=True, max_length=8)
    points: int = 0


# Leaderboards rank a district's members from this index alone (no row reads).
Index("ix_user_org_board", User.org_id, User.leaderboard_visibility, User.id)


class ActivityWeek(SQLModel, table=True):
    """A week with evidence added or an attempt (re)submitted: a weekly streak is a run of these."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    iso_week: str = Field(primary_key=True, max_length=8)
    first_at: datetime = Field(default_factory=utcnow)


# --- resumable uploads (pwa): a large file arrives in chunks; a dropped connection
# resumes at `received_bytes` instead of starting over -----------------------------------


class ResumableUpload(SQLModel, table=True):
    """One chunked upload in progress; finishing it creates the EvidenceItem once."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(unique=True, index=True, max_length=32)  # the URL's id, unguessable
    user_id: int = Field(foreign_key="user.id", index=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    requirement_id: int = Field(foreign_key="evidencerequirement.id")
    client_uuid: str = Field(unique=True, max_length=36)
    filename: str | None = Field(default=None, max_length=255)
    note: str | None = Field(default=None, max_length=500)
    captured_at: datetime | None = None
    total_bytes: int
    received_bytes: int = 0
    item_id: int | None = Field(default=None, foreign_key="evidenceitem.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
