"""An attempt that came back "not yet" from a first assessor, with a second assessor
appointed for the same credential: where an appeal starts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.models import Submission, User
from server.review.decide import Scores, decide
from tests.support.factories import appoint, make_credential, make_submission, make_user
from tests.support.review_data import all_met

FIRST_FEEDBACK = "Part 2 needs a reflection on the second lesson."


@dataclass
class NotYetWorld:
    submission: Submission
    teacher: User
    first: User  # decided "not yet"
    second: User  # may give the second opinion
    scores: Scores  # every criterion met


def not_yet_world(session: Session) -> NotYetWorld:
    credential = make_credential(session, title="Equivalence")
    teacher = make_user(session, name="Sam Teacher")
    first, second = (make_user(session, "assessor", name=n) for n in ("Jordan Lee", "Riley Chen"))
    appoint(session, first, credential)
    appoint(session, second, credential)
    submission = make_submission(session, teacher, credential)
    scores = all_met(session, credential)
    decide(
        session=session,
        assessor=first,
        submission_id=submission.id,
        decision="not_yet",
        scores={cid: (False, "Not seen.") for cid in scores},
        feedback=FIRST_FEEDBACK,
    )
    session.commit()
    return NotYetWorld(submission, teacher, first, second, scores)
