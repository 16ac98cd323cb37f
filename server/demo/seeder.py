"""How the demo writes a submission in each state, straight to the tables with past
timestamps: its evidence (texts within their word range, links, the shared demo photo and
PDF), a claim, a decision with its scores, points, badge and notice. The game hooks run
with the seeded times so points, streaks and totals agree with the history. The story
(who submitted what, when) is in submissions.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from server.demo import feedback as words
from server.demo.media import StoredFile
from server.game import service as game
from server.models import (
    CriterionScore,
    Decision,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequirement,
    NoticeKind,
    Notification,
    Review,
    Submission,
    SubmissionStatus,
    User,
    new_uuid,
    utcnow,
)
from server.review.outcome import decision_notice, issue_award

if TYPE_CHECKING:
    from server.demo.seed import SeededCredential

FILE_NAMES = {"photo": "sticky-notes-{}.jpg", "file": "lesson-plan-{}.pdf"}


class Seeder:
    def __init__(
        self,
        session: Session,
        catalog: dict[str, SeededCredential],
        *,
        assessor: User,
        files: dict[str, StoredFile],
    ):
        self.files = files
        self.session = session
        self.catalog = catalog
        self.assessor = assessor
        self.now = utcnow()
        self.count = 0

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def _new(
        self,
        user: User,
        slug: str,
        status: SubmissionStatus,
        *,
        created: datetime,
        submitted: datetime | None = None,
        attempt: int = 1,
    ) -> Submission:
        credential = self.catalog[slug].credential
        submission = Submission(
            user_id=user.id,
            credential_id=credential.id,
            attempt=attempt,
            credential_version=credential.version,
            status=status.value,
            consent_given=submitted is not None,
            created_at=created,
            updated_at=submitted or created,
            submitted_at=submitted,
        )
        self.session.add(submission)
        self.session.flush()
        self._evidence(submission, slug, at=created + timedelta(hours=2))
        if submitted is not None:
            self._files(submission, slug, at=created + timedelta(hours=1))
        self.count += 1
        return submission

    def _item(
        self, submission: Submission, requirement: EvidenceRequirement, *, at: datetime, **content
    ) -> None:
        self.session.add(
            EvidenceItem(
                submission_id=submission.id,
                requirement_id=requirement.id,
                client_uuid=new_uuid(),
                kind=requirement.kind,
                captured_at=at,
                created_at=at,
                **content,
            )
        )

    def _evidence(self, submission: Submission, slug: str, *, at: datetime) -> None:
        for requirement in self.catalog[slug].requirements:
            if requirement.kind == EvidenceKind.TEXT:
                text = words.REFLECTIONS[slug]
                self._item(
                    submission,
                    requirement,
                    at=at,
                    text=text,
                    mime="text/plain",
                    bytes=len(text.encode()),
                )
            elif requirement.kind == EvidenceKind.LINK and slug in words.LINKS:
                self._item(
                    submission,
                    requirement,
                    at=at,
                    url=words.LINKS[slug],
                    note="Shared with view-only access.",
                )

    def _files(self, submission: Submission, slug: str, *, at: datetime) -> None:
        """The photos and files each required part asks for (its minimum)."""
        for requirement in self.catalog[slug].requirements:
            if requirement.kind not in FILE_NAMES:
                continue
            stored = self.files["photo" if requirement.kind == "photo" else "file"]
            for number in range(1, requirement.min_count + 1):
                self._item(
                    submission,
                    requirement,
                    at=at,
                    filename=FILE_NAMES[requirement.kind].format(number),
                    blob_key=stored.blob_key,
                    thumb_key=stored.thumb_key,
                    mime=stored.mime,
                    bytes=stored.size,
                    sha256=stored.sha256,
                    width=stored.width,
                    height=stored.height,
                )

    def draft(self, user: User, slug: str, *, days_ago: float) -> Submission:
        return self._new(user, slug, SubmissionStatus.DRAFT, created=self.ago(days_ago))

    def submitted(self, user: User, slug: str, *, days_ago: float) -> Submission:
        submitted = self.ago(days_ago)
        submission = self._new(
            user,
            slug,
            SubmissionStatus.SUBMITTED,
            created=submitted - timedelta(days=4),
            submitted=submitted,
        )
        game.on_submission(session=self.session, submission=submission)
        return submission

    def withdrawn(self, user: User, slug: str, *, days_ago: float) -> Submission:
        submission = self._new(
            user, slug, SubmissionStatus.WITHDRAWN, created=self.ago(days_ago + 3)
        )
        submission.updated_at = self.ago(days_ago)
        return submission

    def claimed(self, submission: Submission) -> Review:
        """An assessor is reviewing it right now: a live lease and no decision yet."""
        submission.status = SubmissionStatus.IN_REVIEW.value
        submission.updated_at = self.ago(10 / (24 * 60))
        submission.version += 1
        review = Review(
            submission_id=submission.id,
            assessor_id=self.assessor.id,
            claimed_at=submission.updated_at,
            claimed_until=self.now + timedelta(minutes=20),
        )
        title = self.catalog_title(submission)
        self.session.add_all(
            [
                review,
                Notification(
                    user_id=submission.user_id,
                    kind=NoticeKind.REVIEW_STARTED,
                    title=f"An assessor started reviewing {title}",
                    body="You'll get a notice here when they decide.",
                    url=f"/submissions/{submission.id}",
                    created_at=submission.updated_at,
                ),
            ]
        )
        return review

    def decide(
        self,
        submission: Submission,
        decision: Decision,
        feedback: str,
        scores: list[tuple[bool, str]] | None,
        *,
        days_ago: float,
    ) -> Review:
        criteria = self.catalog_by_id(submission).criteria
        scores = scores or [(True, words.SHORT_MET_COMMENT)] * len(criteria)
        decided = self.ago(days_ago)
        review = Review(
            submission_id=submission.id,
            assessor_id=self.assessor.id,
            claimed_at=decided - timedelta(minutes=25),
            claimed_until=decided,
            decision=decision.value,
            feedback=feedback,
            decided_at=decided,
        )
        self.session.add(review)
        self.session.flush()
        self.session.add_all(
            CriterionScore(review_id=review.id, criterion_id=criterion.id, met=met, comment=comment)
            for criterion, (met, comment) in zip(criteria, scores, strict=True)
        )
        submission.status = decision.value
        submission.decided_at = decided
        submission.updated_at = decided
        submission.version += 2  # claimed, then decided
        self._notify(submission, decision, feedback, at=decided)
        if decision is Decision.AWARD:  # Maya's also completes her one-credential stack
            issue_award(session=self.session, submission=submission, issued_at=decided)
        self.session.flush()
        game.on_decision(session=self.session, submission=submission, decision=decision.value)
        game.on_review_completed(session=self.session, review=review)
        return review

    def _notify(
        self, submission: Submission, decision: Decision, feedback: str, *, at: datetime
    ) -> None:
        kind, headline = decision_notice(decision, self.catalog_title(submission))
        self.session.add(
            Notification(
                user_id=submission.user_id,
                kind=kind,
                title=headline,
                body=feedback.split(". ")[0].rstrip(".") + ".",
                url=f"/submissions/{submission.id}",
                created_at=at,
            )
        )

    def catalog_by_id(self, submission: Submission) -> SeededCredential:
        return next(
            seeded
            for seeded in self.catalog.values()
            if seeded.credential.id == submission.credential_id
        )

    def catalog_title(self, submission: Submission) -> str:
        return self.catalog_by_id(submission).credential.title
