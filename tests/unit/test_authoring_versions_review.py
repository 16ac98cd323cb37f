"""An attempt keeps the version it started with: after the admin edits the rubric (a new
version), the attempt's page, evidence parts and review form are those of its version,
and the decision is checked against that version's criteria."""

import pytest
from sqlmodel import select

from server.admin import authoring, authoring_access
from server.admin.authoring_forms import CriterionInput
from server.badges import issuing
from server.badges import service as badges
from server.catalog.service import criteria_for
from server.models import Award, CriterionScore
from server.review.service import DecisionInvalid, decide, review_page
from server.submissions import pages
from tests.support.factories import (
    appoint,
    make_credential,
    make_org,
    make_stack,
    make_submission,
    make_user,
)

pytestmark = pytest.mark.usefixtures("app")


def test_an_attempt_on_version_1_is_reviewed_against_version_1(session):
    org = make_org(session)
    admin = make_user(session, "admin", org_id=org.id)
    credential = make_credential(
        session, status="published", criteria=3, stack=make_stack(session, org_id=org.id)
    )
    teacher = make_user(session, org_id=org.id)
    assessor = make_user(session, "assessor", org_id=org.id)
    appoint(session, assessor, credential)
    submission = make_submission(session, teacher, credential, credential_version=1)
    v1 = criteria_for(session=session, credential_id=credential.id)

    data = authoring_access.form_values(session=session, credential=credential)
    data.criteria[0].title = "A sharper first criterion"
    data.criteria.append(CriterionInput(None, "A fourth criterion", "Met", "Not yet"))
    authoring.edit_credential(
        session=session, org=org, actor=admin, credential_id=credential.id, data=data
    )
    session.commit()
    assert credential.version == 2
    assert len(criteria_for(session=session, credential_id=credential.id)) == 4

    page = review_page(session=session, viewer=assessor, submission_id=submission.id)
    assert [c.id for c in page.criteria] == [c.id for c in v1]
    mine = pages.submission_page(session=session, submission=submission, viewer=teacher)
    assert [c.title for c in mine.criteria] == [c.title for c in v1]

    # Scores for version 2's rubric don't fit this attempt; version 1's do.
    v2_scores = {
        c.id: (True, "ok") for c in criteria_for(session=session, credential_id=credential.id)
    }
    with pytest.raises(DecisionInvalid):
        decide(
            session=session,
            assessor=assessor,
            submission_id=submission.id,
            decision="award",
            scores=v2_scores,
            feedback="",
        )
    session.rollback()
    decide(
        session=session,
        assessor=assessor,
        submission_id=submission.id,
        decision="award",
        scores={c.id: (True, "ok") for c in v1},
        feedback="Well done.",
    )
    session.commit()
    scored = session.exec(select(CriterionScore.criterion_id)).all()
    assert sorted(scored) == sorted(c.id for c in v1)
    # The signed badge lists the rubric it was earned against, every criterion met.
    award = session.exec(select(Award).where(Award.submission_id == submission.id)).one()
    facts = badges.award_facts(session=session, award=award, issuing=issuing.current())
    assert [c.title for c in facts.criteria] == [c.title for c in v1]
    assert all(facts.met.get(c.id) for c in facts.criteria)
