"""Who may read a teacher's evidence, and within which district: an award alone makes
nobody a reviewer; assessors and admins of another district see nothing; a blind
reviewer never learns the teacher's name; a reviewer who lost the race hears who won."""

import pytest
from sqlmodel import Session, select

from server.catalog.service import criteria_for
from server.models import EvidenceRequirement, Notification
from server.notify import service as notify
from tests.support.evidence import post_upload
from tests.support.factories import (
    appoint,
    make_award,
    make_cohort,
    make_credential,
    make_org,
    make_submission,
    make_user,
    set_status,
)
from tests.support.media import jpeg_bytes
from tests.support.web import htmx_headers, post_form, sign_in_as

OWNER_NAME, OWNER_SCHOOL = "Priya Raman", "Maple Grove Elementary"


class District:
    """District A (the owner's) and B, a waiting submission with a stored photo, and
    someone for every way of being near it."""

    def __init__(self, session: Session, client, *, blind: bool = False):
        self.home, self.away = make_org(session, blind_review=blind), make_org(session)
        self.credential = make_credential(session, title="Checking for Understanding")
        self.owner = self._user(session, "teacher", name=OWNER_NAME, school=OWNER_SCHOOL)
        self.maya = self._user(session, "teacher", name="Maya Earner")  # earned, no role
        make_award(session, self.maya, self.credential)
        self.assessor = self._user(session, "assessor", name="Jordan Lee")
        self.admin = self._user(session, "admin", name="Alex Admin")
        self.far_assessor = self._user(session, "assessor", org=self.away)
        self.far_admin = self._user(session, "admin", org=self.away)
        self.far_earner = self._user(session, "teacher", "assessor", org=self.away)
        make_award(session, self.far_earner, self.credential)
        for reviewer in (self.assessor, self.far_assessor):
            appoint(session, reviewer, self.credential)
        self.submission = self._submission_with_photo(session, client)
        self.criteria = criteria_for(session=session, credential_id=self.credential.id)

    def _user(self, session, *roles, org=None, **fields):
        return make_user(session, *roles, org_id=(org or self.home).id, **fields)

    def _submission_with_photo(self, session, client):
        submission = make_submission(session, self.owner, self.credential, status="draft")
        photo_part = session.exec(
            select(EvidenceRequirement.id).where(
                EvidenceRequirement.credential_id == self.credential.id,
                EvidenceRequirement.kind == "photo",
            )
        ).one()
        sign_in_as(client, self.owner)
        response = post_upload(
            client, submission.id, photo_part, data=jpeg_bytes(gps=True, size=(80, 60))
        )
        assert response.status_code == 201
        self.photo = response.get_json()["id"]
        set_status(session, submission, "submitted")
        return submission

    def decision(self, decision="award") -> dict:
        data = {f"met_{c.id}": "met" for c in self.criteria}
        return {"decision": decision, "feedback": "Clear evidence.", **data}

    def reading_paths(self) -> list[str]:
        return [
            f"/submissions/{self.submission.id}",
            f"/evidence/{self.photo}/file",
            f"/evidence/{self.photo}/thumb",
        ]


@pytest.fixture
def db(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def district(db, client):
    return District(db, client)


def test_an_award_without_the_assessor_role_reads_nothing(client, district):
    sign_in_as(client, district.maya)
    for path in district.reading_paths():
        assert client.get(path).status_code == 404, path
    fragment = client.get(f"/evidence/{district.photo}", headers=htmx_headers())
    assert fragment.status_code == 404


@pytest.mark.parametrize("who", ["far_assessor", "far_admin", "far_earner"])
def test_another_district_reads_and_reviews_nothing(client, district, who):
    sign_in_as(client, getattr(district, who))
    sid = district.submission.id
    for path in [*district.reading_paths(), f"/review/{sid}"]:
        assert client.get(path).status_code == 404, path
    assert f"/review/{sid}" not in client.get("/review").get_data(as_text=True)
    assert post_form(client, f"/review/{sid}/claim").status_code == 404
    assert post_form(client, f"/review/{sid}/decide", district.decision()).status_code == 404


@pytest.mark.parametrize("who", ["assessor", "admin"])
def test_the_home_district_reviewers_still_read_it(client, district, who):
    sign_in_as(client, getattr(district, who))
    for path in [*district.reading_paths(), f"/review/{district.submission.id}"]:
        assert client.get(path).status_code == 200, path
    assert f"/review/{district.submission.id}" in client.get("/review").get_data(as_text=True)


def test_admin_history_and_cohorts_stay_in_the_district(client, district, db):
    cohort = make_cohort(db, district.admin, "Maple Fractions Group", invited=[district.owner])
    sign_in_as(client, district.assessor)
    post_form(client, f"/review/{district.submission.id}/decide", district.decision())
    sign_in_as(client, district.far_admin)
    assert OWNER_NAME not in client.get("/review/history").get_data(as_text=True)
    assert "Maple Fractions Group" not in client.get("/coach/cohorts").get_data(as_text=True)
    assert client.get(f"/coach/cohorts/{cohort.id}").status_code == 404
    sign_in_as(client, district.admin)
    assert "Maple Fractions Group" in client.get("/coach/cohorts").get_data(as_text=True)


def test_new_work_is_announced_to_the_home_district_only(district, db):
    told = notify.notify_assessors_of_new_submission(session=db, submission=district.submission)
    db.commit()
    notified = set(
        db.exec(
            select(Notification.user_id).where(Notification.kind == notify.REVIEW_QUEUE_KIND)
        ).all()
    )
    assert notified == {district.assessor.id, district.admin.id} and told == 2


def test_a_blind_reviewer_never_sees_the_teachers_name(client, db):
    district = District(db, client, blind=True)
    notify.notify_assessors_of_new_submission(session=db, submission=district.submission)
    db.commit()
    sign_in_as(client, district.assessor)
    sid = district.submission.id
    paths = [
        "/review",
        "/review?show=mine",
        f"/review/{sid}",
        f"/submissions/{sid}",
        f"/evidence/{district.photo}",
        "/inbox",
        "/",
    ]
    bodies = {path: client.get(path).get_data(as_text=True) for path in paths}
    bodies["fragment"] = client.get(f"/submissions/{sid}", headers=htmx_headers()).get_data(
        as_text=True
    )
    claimed = post_form(client, f"/review/{sid}/claim", follow_redirects=True)
    bodies["after claim"] = claimed.get_data(as_text=True)
    post_form(client, f"/review/{sid}/decide", district.decision())
    bodies["history"] = client.get("/review/history").get_data(as_text=True)
    bodies["decided"] = client.get(f"/submissions/{sid}").get_data(as_text=True)
    assert "Teacher #" in bodies[f"/submissions/{sid}"]
    for where, body in bodies.items():
        assert OWNER_NAME not in body and OWNER_SCHOOL not in body, where


def test_the_home_admin_still_sees_the_name_under_blind_review(client, db):
    district = District(db, client, blind=True)
    sign_in_as(client, district.admin)
    page = client.get(f"/submissions/{district.submission.id}").get_data(as_text=True)
    assert OWNER_NAME in page


def test_an_assessor_who_lost_to_an_admin_hears_who_decided(client, district):
    sid = district.submission.id
    sign_in_as(client, district.assessor)
    assert client.get(f"/review/{sid}").status_code == 200  # the form is open
    sign_in_as(client, district.admin)
    assert post_form(client, f"/review/{sid}/decide", district.decision()).status_code == 303
    sign_in_as(client, district.assessor)
    late = post_form(client, f"/review/{sid}/decide", district.decision("not_yet"))
    assert late.status_code == 409
    assert "Already decided by Alex Admin at" in late.get_data(as_text=True)
    claim = post_form(client, f"/review/{sid}/claim", headers=htmx_headers())
    assert claim.status_code == 409 and "Already decided by Alex Admin" in claim.get_data(
        as_text=True
    )
