"""A teacher deletes the evidence of a decided attempt, or all of theirs: blobs and rows
go, the award, scores and feedback stay, the pages say what happened, each is logged."""

import pytest
from sqlmodel import select

from server.evidence import blobs
from server.models import AccessLog, Award, CriterionScore, EvidenceItem, Submission
from server.storage import LocalStorage
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.factories import make_award, make_review, make_submission, set_status
from tests.support.media import jpeg_bytes


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def storage(settings):
    return LocalStorage(settings.storage_dir)


def _add_evidence(client, world):
    as_role(client, world, "owner")
    token = page_token(client)
    photo = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(200, 150)),
        token=token,
    )
    text = post_upload(
        client,
        world.submission.id,
        world.text_requirement_id,
        text="What the children said.",
        token=token,
    )
    assert photo.status_code == text.status_code == 201


@pytest.fixture
def awarded(client, world, session):
    _add_evidence(client, world)
    set_status(session, world.submission, "submitted")
    make_review(
        session, world.submission, world.cast.assessor, decision="awarded", feedback="Strong."
    )
    make_award(session, world.cast.owner, world.credential, world.submission)
    return world.submission


def _items(session, submission_id):
    session.expire_all()
    return session.exec(
        select(EvidenceItem).where(EvidenceItem.submission_id == submission_id)
    ).all()


def test_the_owner_deletes_a_decided_attempts_evidence(client, world, session, storage, awarded):
    as_role(client, world, "owner")
    before = client.get(f"/submissions/{awarded.id}").get_data(as_text=True)
    assert "Delete all evidence of this attempt" in before
    assert "Delete all my evidence" in client.get("/me/credentials").get_data(as_text=True)
    url = f"/submissions/{awarded.id}/evidence/erase"
    assert "Delete this evidence" in client.get(url).get_data(as_text=True)
    done = client.post(url, data={"csrf_token": page_token(client)})
    assert done.status_code == 303
    assert _items(session, awarded.id) == []
    assert list(storage.keys()) == []
    assert not blobs.store_problems(session=session, storage=storage)
    assert session.exec(select(Award)).one().submission_id == awarded.id
    assert session.exec(select(CriterionScore)).all()
    log = session.exec(select(AccessLog).where(AccessLog.action == "evidence.erase")).one()
    assert (log.user_id, log.target) == (world.cast.owner.id, f"submission:{awarded.id}")
    page = client.get(f"/submissions/{awarded.id}").get_data(as_text=True)
    assert "Evidence deleted by the teacher on" in page


def test_the_review_page_says_the_evidence_was_deleted(client, world, session, awarded):
    as_role(client, world, "owner")
    client.post(
        f"/submissions/{awarded.id}/evidence/erase", data={"csrf_token": page_token(client)}
    )
    as_role(client, world, "assessor")
    page = client.get(f"/review/{awarded.id}")
    assert page.status_code == 200
    assert "Evidence deleted by the teacher on" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 303), ("other_teacher", 404), ("assessor", 403), ("coach", 403), ("admin", 403)],
)
def test_only_the_owner_may_delete(client, world, session, awarded, role, status):
    as_role(client, world, role)
    token = page_token(client)
    answer = client.post(f"/submissions/{awarded.id}/evidence/erase", data={"csrf_token": token})
    assert answer.status_code == status
    assert len(_items(session, awarded.id)) == 2


def test_without_csrf_nothing_is_deleted(client, world, session, awarded):
    as_role(client, world, "owner")
    assert client.post(f"/submissions/{awarded.id}/evidence/erase").status_code == 400
    assert client.post("/me/evidence/erase", data={"confirm": "delete"}).status_code == 400
    assert len(_items(session, awarded.id)) == 2


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review"])
def test_drafts_and_waiting_attempts_are_not_deleted_this_way(client, world, session, status):
    _add_evidence(client, world)
    set_status(session, world.submission, status)
    answer = client.post(
        f"/submissions/{world.submission.id}/evidence/erase",
        data={"csrf_token": page_token(client)},
    )
    assert answer.status_code == 409
    assert len(_items(session, world.submission.id)) == 2


def test_a_resubmission_keeps_the_files_it_shares(client, world, session, storage):
    _add_evidence(client, world)
    set_status(session, world.submission, "submitted")
    make_review(
        session, world.submission, world.cast.assessor, decision="not_yet", feedback="More."
    )
    token = page_token(client)
    retried = client.post(f"/submissions/{world.submission.id}/retry", data={"csrf_token": token})
    assert retried.status_code == 303
    client.post(f"/submissions/{world.submission.id}/evidence/erase", data={"csrf_token": token})
    assert _items(session, world.submission.id) == []
    assert len(list(storage.keys())) == 2  # photo and thumbnail, now the new draft's
    assert not blobs.store_problems(session=session, storage=storage)


def test_delete_all_my_evidence_asks_first(client, world, session, awarded):
    as_role(client, world, "owner")
    assert "Delete all my evidence" in client.get("/me/evidence/erase").get_data(as_text=True)
    refused = client.post("/me/evidence/erase", data={"csrf_token": page_token(client)})
    assert refused.status_code == 422
    assert "Type “delete” to confirm" in refused.get_data(as_text=True)
    assert len(_items(session, awarded.id)) == 2


def test_delete_all_my_evidence_spares_attempts_waiting_for_review(
    client, world, session, storage, awarded
):
    waiting = make_submission(session, world.cast.owner, world.credential, status="draft")
    world.submission = waiting
    _add_evidence(client, world)
    set_status(session, waiting, "submitted")
    done = client.post(
        "/me/evidence/erase", data={"csrf_token": page_token(client), "confirm": "Delete"}
    )
    assert done.status_code == 303
    assert _items(session, awarded.id) == []
    assert len(_items(session, waiting.id)) == 2
    assert not blobs.store_problems(session=session, storage=storage)
    session.expire_all()
    assert session.get(Submission, awarded.id).evidence_deleted_by == "teacher"
    assert session.get(Submission, waiting.id).evidence_deleted_at is None
