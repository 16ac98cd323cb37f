"""Everything the submission page shows, gathered in one place (no Flask here)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server import access
from server.catalog.service import criteria_for, requirements_for
from server.labels import status_label
from server.models import (
    Appeal,
    Credential,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequirement,
    RubricCriterion,
    Stack,
    Submission,
    SubmissionStatus,
    User,
)
from server.review import appeals, pair_page
from server.review.blind import is_blind, teacher_label
from server.submissions import queries, rigour


@dataclass
class RequirementView:
    number: int
    requirement: EvidenceRequirement
    items: list[EvidenceItem]
    unchanged: bool = False  # the same evidence as the attempt that came back "not yet"

    @property
    def words(self) -> int | None:
        """The written response's word count (None for other kinds)."""
        if self.requirement.kind != EvidenceKind.TEXT:
            return None
        return rigour.count_words(self.text_item.text if self.text_item else "")

    @property
    def word_range(self) -> str:
        return rigour.range_text(self.requirement)

    @property
    def words_out_of_range(self) -> bool:
        return bool(self.text_item) and rigour.out_of_range(self.requirement, self.words or 0)

    @property
    def room_left(self) -> int:
        most = max(self.requirement.max_count, self.requirement.min_count, 1)
        return max(most - len(self.items), 0)

    @property
    def text_item(self) -> EvidenceItem | None:
        return self.items[0] if self.requirement.kind == EvidenceKind.TEXT and self.items else None


@dataclass
class SubmissionPage:
    submission: Submission
    credential: Credential
    stack: Stack
    owner: User
    owner_label: str  # "Teacher #…" for a blind reviewer: the only name they may see
    is_owner: bool
    editable: bool
    parts: list[RequirementView]
    criteria: list[RubricCriterion]
    feedback: queries.Feedback | None
    missing: list[queries.Missing]
    word_problems: list[rigour.WordProblem]
    attempts: list[Submission]
    appeal: Appeal | None = None  # the second opinion asked for, if any
    can_appeal: bool = False

    @property
    def unchanged(self) -> list[RequirementView]:
        return [part for part in self.parts if part.unchanged]

    @property
    def status_label(self) -> str:
        return status_label(self.submission.status)


def submission_page(
    *, session: Session, submission: Submission, viewer: User, blind_key: str = ""
) -> SubmissionPage:
    credential = session.get_one(Credential, submission.credential_id)
    is_owner = viewer.id == submission.user_id
    grouped = queries.items_by_requirement(session=session, submission_id=submission.id)
    version = submission.credential_version
    requirements = requirements_for(session=session, credential_id=credential.id, version=version)
    editable = is_owner and submission.status == SubmissionStatus.DRAFT.value
    unchanged = rigour.unchanged_parts(session=session, submission=submission)
    parts = [
        RequirementView(
            number, requirement, grouped.get(requirement.id, []), requirement.id in unchanged
        )
        for number, requirement in enumerate(requirements, start=1)
    ]
    owner = session.get_one(User, submission.user_id)
    appeal = appeals.appeal_of(session=session, submission_id=submission.id)
    feedback = queries.feedback_to_act_on(session=session, submission=submission)
    if (
        feedback
        and feedback.review.id
        in appeals.hidden_review_ids(session=session, submission_id=submission.id)
        and not is_owner
    ):
        feedback = None  # a second opinion is blind to the first decision
    if feedback and not is_owner and pair_page.in_pair(session, submission.id, viewer.id):
        feedback = None  # a pair member never reads the other's comments, even merged
    return SubmissionPage(
        submission=submission,
        credential=credential,
        stack=session.get_one(Stack, credential.stack_id),
        owner=owner,
        owner_label=_owner_label(session, submission, viewer, owner, blind_key),
        is_owner=is_owner,
        editable=editable,
        parts=parts,
        criteria=criteria_for(session=session, credential_id=credential.id, version=version),
        feedback=feedback,
        missing=queries.missing_evidence(session=session, submission=submission)
        if editable
        else [],
        word_problems=rigour.word_problems(session=session, submission=submission)
        if editable
        else [],
        attempts=queries.attempts_for(
            session=session, user_id=submission.user_id, credential_id=credential.id
        )
        if is_owner
        else [],
        appeal=appeal if is_owner else None,
        can_appeal=is_owner
        and appeals.refusal(session=session, submission=submission, user=viewer) is None,
    )


def _owner_label(
    session: Session, submission: Submission, viewer: User, owner: User, blind_key: str
) -> str:
    """A reviewer under blind review reads the same pseudonym as on the review page."""
    blind = not access.sees_as_insider(session=session, user=viewer, submission=submission) and (
        is_blind(session=session, assessor=viewer, teacher=owner)
        or pair_page.hides_teacher(session=session, viewer=viewer, submission=submission)
    )
    return teacher_label(owner, blind=blind, key=blind_key)
