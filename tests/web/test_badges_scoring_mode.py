"""The award's Open Badges 3.0 credential states how the attempt was scored (single
assessor; double blind and agreed; double blind, reconciled by a lead), and still
verifies with an independent implementation (Digital Bazaar, in node)."""

import pytest
from sqlmodel import select

from server.models import Award
from server.review.service import decide
from tests.support.badges import award_one, public_documents, verify_independently
from tests.support.double_data import make_pair_world, scores_for


def _pair_award(session, *, reconciled: bool) -> Award:
    world = make_pair_world(session)
    second = ([True, False], "not_yet") if reconciled else ([True, True], "award")
    sets = [(world.first, [True, True], "award"), (world.second, *second)]
    if reconciled:
        sets.append((world.lead, [True, True], "award"))
    for who, met, decision in sets:
        decide(
            session=session,
            assessor=who,
            submission_id=world.submission.id,
            decision=decision,
            scores=scores_for(session, world.credential, met, "comment"),
            feedback="Feedback.",
        )
        session.commit()
    return session.exec(select(Award).where(Award.submission_id == world.submission.id)).one()


@pytest.mark.parametrize(
    ("reconciled", "words"),
    [(True, "a lead assessor reconciled"), (False, "agreed on every rubric criterion")],
)
def test_double_blind_award_states_its_scoring_and_verifies(
    app, client, session, tmp_path, reconciled, words
):
    with app.app_context():
        award = _pair_award(session, reconciled=reconciled)
    credential, documents = public_documents(client, award)
    assert credential["description"].startswith("Scored double blind")
    assert words in credential["description"]
    verdict = verify_independently(credential, documents, tmp_path)
    assert verdict["errors"] == [] and verdict["verified"] is True
    page = client.get(f"/badges/{award.uuid}").get_data(as_text=True)
    assert "How it was scored:" in page and words in page  # the public page says it too
    assert "Jordan Lee" not in page and "Assessor 1" not in page


def test_single_assessor_award_says_so(app, client, session):
    with app.app_context():
        awarded = award_one(session)
    credential, _ = public_documents(client, awarded.award)
    assert credential["description"] == "Scored by a single assessor against the public rubric."
