"""Cohorts: who sees which, adding members by search, list and invite link."""

from __future__ import annotations

import pytest

from server.coach import service
from server.errors import InvalidInput, NotFound
from server.models import CohortMember
from tests.support.factories import make_org, make_user


@pytest.fixture
def org(session):
    return make_org(session)


@pytest.fixture
def coach(session, org):
    return make_user(session, "coach", org_id=org.id)


def new_cohort(session, coach, name="Early Adopters"):
    cohort = service.create_cohort(session=session, coach=coach, name=name)
    session.commit()
    return cohort


def test_a_coach_sees_only_their_cohorts_and_admins_see_their_districts(session, coach, org):
    other_coach = make_user(session, "coach", org_id=org.id)
    admin = make_user(session, "admin", org_id=org.id)
    far_admin = make_user(session, "admin", org_id=make_org(session).id)
    mine = new_cohort(session, coach, "Mine")
    theirs = new_cohort(session, other_coach, "Theirs")
    service.add_member(session=session, cohort=mine, user_id=make_user(session).id)
    session.commit()

    summaries = service.cohorts_for(session=session, user=coach)
    assert [(s.cohort.name, s.member_count) for s in summaries] == [("Mine", 1)]
    assert {s.cohort.name for s in service.cohorts_for(session=session, user=admin)} == {
        "Mine", "Theirs"}
    assert service.cohort_for(session=session, user=admin, cohort_id=theirs.id) == theirs
    assert service.cohorts_for(session=session, user=far_admin) == []
    with pytest.raises(NotFound):
        service.cohort_for(session=session, user=far_admin, cohort_id=theirs.id)
    with pytest.raises(NotFound):
        service.cohort_for(session=session, user=coach, cohort_id=theirs.id)
    with pytest.raises(NotFound):
        service.cohort_for(session=session, user=coach, cohort_id=99999)


def test_a_cohort_needs_a_sensible_name(session, coach):
    with pytest.raises(InvalidInput):
        service.create_cohort(session=session, coach=coach, name="   ")
    with pytest.raises(InvalidInput):
        service.create_cohort(session=session, coach=coach, name="x" * 121)
    cohort = service.create_cohort(session=session, coach=coach, name="  Grade 4 team ")
    assert cohort.name == "Grade 4 team" and cohort.org_id == coach.org_id


def test_search_finds_by_name_handle_or_email_in_the_district_only(session, coach, org):
    cohort = new_cohort(session, coach)
    maya = make_user(session, name="Maya Lopez", handle="maya", email="maya@riverbend.org",
                     org_id=org.id)
    make_user(session, name="Maya Elsewhere", org_id=make_org(session).id)
    member = make_user(session, name="Maya Member", org_id=org.id)
    service.add_member(session=session, cohort=cohort, user_id=member.id)
    session.commit()

    for query in ("maya lo", "MAYA", "@riverbend", "lopez"):
        found = service.search_people(session=session, cohort=cohort, query=query.lstrip("@"))
        assert [u.id for u in found] == [maya.id], query
    assert service.search_people(session=session, cohort=cohort, query="m") == []
    assert service.search_people(session=session, cohort=cohort, query="%") == []


def test_pasted_lists_understand_lines_commas_and_csv_rows():
    text = ("email,name\n"
            "maya@riverbend.org, Maya Lopez\n"
            "\"jo@riverbend.org\";\"Jo\"\n"
            "@sam jordan\n"
            "MAYA@riverbend.org\n")
    assert service.parse_people_list(text) == [
        "maya@riverbend.org", "jo@riverbend.org", "sam", "jordan"]


def test_adding_a_list_reports_added_already_and_not_found(session, coach, org):
    cohort = new_cohort(session, coach)
    maya = make_user(session, handle="maya", email="maya@riverbend.org", org_id=org.id)
    jordan = make_user(session, handle="jordan", org_id=org.id)
    outsider = make_user(session, handle="outsider", org_id=make_org(session).id)
    service.add_member(session=session, cohort=cohort, user_id=jordan.id)
    session.commit()

    report = service.add_from_list(
        session=session, cohort=cohort,
        text="Maya@Riverbend.org\nmaya\njordan\nnobody@riverbend.org\noutsider")
    session.commit()

    assert [u.id for u in report.added] == [maya.id]
    assert [u.id for u in report.already] == [jordan.id]
    assert report.not_found == ["nobody@riverbend.org", "outsider"]
    assert {u.id for u in service.members(session=session, cohort=cohort)} == {maya.id,
                                                                              jordan.id}
    assert outsider.id not in {u.id for u in service.members(session=session, cohort=cohort)}
    with pytest.raises(InvalidInput):
        service.add_from_list(session=session, cohort=cohort, text=" , ;\n")


def test_adding_someone_from_another_district_is_refused(session, coach):
    cohort = new_cohort(session, coach)
    outsider = make_user(session, org_id=make_org(session).id)
    with pytest.raises(NotFound):
        service.add_member(session=session, cohort=cohort, user_id=outsider.id)


def test_joining_by_invite_is_idempotent(session, coach):
    cohort = new_cohort(session, coach)
    teacher = make_user(session)
    found = service.cohort_by_invite(session=session, code=cohort.invite_code)
    assert service.join(session=session, cohort=found, user=teacher) is True
    session.commit()
    assert service.join(session=session, cohort=found, user=teacher) is False
    assert session.get(CohortMember, (cohort.id, teacher.id)) is not None
    with pytest.raises(NotFound):
        service.cohort_by_invite(session=session, code="not-a-code")


def test_removing_a_member(session, coach):
    cohort = new_cohort(session, coach)
    teacher = make_user(session)
    service.add_member(session=session, cohort=cohort, user_id=teacher.id)
    session.commit()
    service.remove_member(session=session, cohort=cohort, user_id=teacher.id)
    session.commit()
    assert service.members(session=session, cohort=cohort) == []
    with pytest.raises(NotFound):
        service.remove_member(session=session, cohort=cohort, user_id=teacher.id)
