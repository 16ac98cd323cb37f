"""Cohorts: who sees which, inviting people of the coach's district by search and list,
and joining by the invite link."""

from __future__ import annotations

import pytest

from server.coach import invitations, service
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


def invite(session, cohort, coach, user, *, accept=False):
    service.invite_member(session=session, cohort=cohort, by=coach, user_id=user.id)
    if accept:
        invitations.accept(session=session, user=user, cohort_id=cohort.id)
    session.commit()


def search(session, cohort, coach, query):
    return service.search_people(session=session, cohort=cohort, by=coach, query=query)


def test_a_coach_sees_only_their_cohorts_and_admins_see_their_districts(session, coach, org):
    other_coach = make_user(session, "coach", org_id=org.id)
    admin = make_user(session, "admin", org_id=org.id)
    far_admin = make_user(session, "admin", org_id=make_org(session).id)
    mine = new_cohort(session, coach, "Mine")
    theirs = new_cohort(session, other_coach, "Theirs")
    invite(session, mine, coach, make_user(session, org_id=org.id), accept=True)
    invite(session, mine, coach, make_user(session, org_id=org.id))  # not yet a member

    summaries = service.cohorts_for(session=session, user=coach)
    assert [(s.cohort.name, s.member_count) for s in summaries] == [("Mine", 1)]
    assert {s.cohort.name for s in service.cohorts_for(session=session, user=admin)} == {
        "Mine",
        "Theirs",
    }
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
    maya = make_user(
        session, name="Maya Lopez", handle="maya", email="maya@riverbend.org", org_id=org.id
    )
    make_user(session, name="Maya Elsewhere", org_id=make_org(session).id)
    make_user(session, name="Maya Nodistrict")  # signed up alone: joins by the link only
    invite(session, cohort, coach, make_user(session, name="Maya Member", org_id=org.id))

    for query in ("maya lo", "MAYA", "@riverbend", "lopez"):
        found = search(session, cohort, coach, query.lstrip("@"))
        assert [u.id for u in found] == [maya.id], query
    assert search(session, cohort, coach, "m") == []
    assert search(session, cohort, coach, "%") == []


def test_a_coach_without_a_district_finds_and_invites_nobody(session, org):
    coach = make_user(session, "coach")
    cohort = new_cohort(session, coach)
    teacher = make_user(session, name="Maya Lopez", handle="maya", org_id=org.id)
    make_user(session, name="Maya Nodistrict")
    assert search(session, cohort, coach, "maya") == []
    with pytest.raises(NotFound):
        invite(session, cohort, coach, teacher)
    report = service.invite_from_list(session=session, cohort=cohort, by=coach, text="maya")
    assert report.invited == ["maya"]
    assert session.get(CohortMember, (cohort.id, teacher.id)) is None


def test_pasted_lists_understand_lines_commas_and_csv_rows():
    text = (
        "email,name\n"
        "maya@riverbend.org, Maya Lopez\n"
        '"jo@riverbend.org";"Jo"\n'
        "@sam jordan\n"
        "MAYA@riverbend.org\n"
    )
    assert service.parse_people_list(text) == [
        "maya@riverbend.org",
        "jo@riverbend.org",
        "sam",
        "jordan",
    ]


def test_a_list_invites_the_district_and_reports_everyone_else_alike(session, coach, org):
    cohort = new_cohort(session, coach)
    maya = make_user(session, handle="maya", email="maya@riverbend.org", org_id=org.id)
    jordan = make_user(session, handle="jordan", org_id=org.id)
    pending = make_user(session, handle="pending", org_id=org.id)
    outsider = make_user(session, handle="outsider", org_id=make_org(session).id)
    invite(session, cohort, coach, jordan, accept=True)
    invite(session, cohort, coach, pending)

    report = service.invite_from_list(
        session=session,
        cohort=cohort,
        by=coach,
        text="Maya@Riverbend.org\nmaya\njordan\nnobody@riverbend.org\noutsider\npending",
    )
    session.commit()

    # Unknown, newly invited, already invited, other district: the same answer.
    assert report.invited == [
        "maya@riverbend.org",
        "maya",
        "nobody@riverbend.org",
        "outsider",
        "pending",
    ]
    assert [u.id for u in report.already] == [jordan.id]
    assert session.get(CohortMember, (cohort.id, maya.id)).status == "invited"
    assert session.get(CohortMember, (cohort.id, outsider.id)) is None
    assert [u.id for u in service.members(session=session, cohort=cohort)] == [jordan.id]
    with pytest.raises(InvalidInput):
        service.invite_from_list(session=session, cohort=cohort, by=coach, text=" , ;\n")


def test_inviting_someone_from_another_district_is_refused(session, coach):
    cohort = new_cohort(session, coach)
    outsider = make_user(session, org_id=make_org(session).id)
    with pytest.raises(NotFound):
        invite(session, cohort, coach, outsider)


def test_joining_by_invite_is_idempotent_and_accepts_an_invitation(session, coach, org):
    cohort = new_cohort(session, coach)
    teacher = make_user(session)  # any district: using the link is their own choice
    invited = make_user(session, org_id=org.id)
    invite(session, cohort, coach, invited)
    found = service.cohort_by_invite(session=session, code=cohort.invite_code)
    assert service.join(session=session, cohort=found, user=teacher) is True
    session.commit()
    assert service.join(session=session, cohort=found, user=teacher) is False
    assert service.join(session=session, cohort=found, user=invited) is True
    assert session.get(CohortMember, (cohort.id, teacher.id)).status == "active"
    assert session.get(CohortMember, (cohort.id, invited.id)).status == "active"
    with pytest.raises(NotFound):
        service.cohort_by_invite(session=session, code="not-a-code")


def test_removing_a_member(session, coach, org):
    cohort = new_cohort(session, coach)
    teacher = make_user(session, org_id=org.id)
    invite(session, cohort, coach, teacher, accept=True)
    service.remove_member(session=session, cohort=cohort, user_id=teacher.id)
    session.commit()
    assert service.members(session=session, cohort=cohort) == []
    with pytest.raises(NotFound):
        service.remove_member(session=session, cohort=cohort, user_id=teacher.id)
