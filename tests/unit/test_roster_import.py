"""Roster import as a service: reading the CSV (encodings, columns, per-row problems),
the plan (new / updated / unchanged / error) and applying it once, idempotently."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.admin import roster, roster_apply
from server.admin.roster_csv import MAX_BYTES, read_rows
from server.auth import devicelinks
from server.errors import Conflict, Expired, InvalidInput, NotFound, TooLarge
from server.models import AuditEntry, Cohort, CohortMember, DeviceLink, MemberStatus, User
from tests.support.factories import make_cohort, make_membership, make_org, make_user

HEADER = "Name,Email,School,Role,Cohort\n"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


@pytest.fixture
def district(session):
    org = make_org(session, name="Maple District")
    admin = make_user(session, "admin", name="Ada Admin", org_id=org.id)
    return org, admin


def run(session, district, data: bytes, filename: str = "roster.csv"):
    org, admin = district
    token, _ = roster.store_upload(
        session=session, org=org, admin=admin, filename=filename, data=data
    )
    upload = roster.load_upload(session=session, org=org, admin=admin, token=token)
    return roster_apply.apply(session=session, org=org, admin=admin, upload=upload)


def test_utf8_with_and_without_bom_and_windows_1252_read_the_same():
    line = "José Núñez,jose@maple.org,Maple Elementary,teacher,"
    for data in (
        csv_bytes(line),
        b"\xef\xbb\xbf" + csv_bytes(line),
        csv_bytes(line, encoding="cp1252"),
    ):
        (row,) = read_rows(data)
        assert (row.name, row.email, row.error) == ("José Núñez", "jose@maple.org", "")


def test_headers_in_any_case_and_order_extra_columns_ignored():
    data = b"Employee ID,ROLE, Email ,NAME\n7,COACH,Ana@Maple.org,Ana Li\n"
    (row,) = read_rows(data)
    assert (row.name, row.email, row.roles, row.school) == (
        "Ana Li",
        "ana@maple.org",
        ("coach",),
        "",
    )


def test_missing_required_columns_are_named():
    with pytest.raises(InvalidInput) as error:
        read_rows(b"name,school\nAna,Maple\n")
    assert "“email” or “role”" in error.value.message


def test_each_bad_row_says_its_line_and_what_is_wrong():
    rows = read_rows(
        csv_bytes(
            "Ana Li,ana@maple.org,,teacher,",
            "Ben,not-an-email,,teacher,",
            ",cy@maple.org,,teacher,",
            "Ana Again,ANA@maple.org,,teacher,",
            "Dee,dee@maple.org,,principal,",
            "",
            "Eve,eve@maple.org,,teacher; coach,Early Adopters",
        )
    )
    problems = {row.line: row.error for row in rows}
    assert problems[2] == ""
    assert "isn't an email address" in problems[3]
    assert problems[4] == "The name is missing."
    assert "line 2" in problems[5]
    assert "Unknown role “principal”" in problems[6]
    assert problems[8] == "" and rows[-1].roles == ("coach", "teacher")


def test_too_large_and_not_text_are_refused():
    with pytest.raises(TooLarge):
        read_rows(b"x" * (MAX_BYTES + 1))
    with pytest.raises(InvalidInput):
        read_rows(HEADER.encode() + b"A\x00,a@b.org,,teacher,\n")
    with pytest.raises(InvalidInput):
        read_rows(b"")


def test_import_creates_people_cohort_invitations_links_and_an_audit_entry(session, district):
    org, admin = district
    data = csv_bytes(
        "José Núñez,jose@maple.org,Maple Elementary,teacher,Early Adopters",
        "Kim Ortiz,kim@maple.org,Maple High,teacher;assessor,early adopters",
        "Bad Row,nope,,teacher,",
    )
    imported = run(session, district, data)
    assert imported.counts == {"new": 2, "updated": 0, "unchanged": 0, "error": 1}
    people = {u.email: u for u in session.exec(select(User).where(User.org_id == org.id))}
    jose = people["jose@maple.org"]
    assert (jose.display_name, jose.school, jose.roles) == (
        "José Núñez",
        "Maple Elementary",
        "teacher",
    )
    assert people["kim@maple.org"].role_set == {"teacher", "assessor"}
    (cohort,) = session.exec(select(Cohort).where(Cohort.org_id == org.id)).all()
    assert (cohort.name, cohort.coach_id) == ("Early Adopters", admin.id)
    statuses = session.exec(select(CohortMember.status).where(CohortMember.cohort_id == cohort.id))
    assert sorted(statuses) == ["invited", "invited"]
    link = imported.links[0]
    usable = devicelinks.usable_link(session=session, token=link.token)
    assert usable.user_id == people[link.email].id
    entry = session.exec(select(AuditEntry).where(AuditEntry.org_id == org.id)).one()
    assert (entry.action, entry.target) == ("imported a roster", "roster.csv")
    assert '"new": 2' in entry.after


def test_importing_the_same_file_again_changes_nothing(session, district):
    data = csv_bytes(
        "Ana Li,ana@maple.org,Maple Elementary,teacher,Readers",
        "Ben Wu,ben@maple.org,,coach,",
    )
    run(session, district, data)
    links = session.exec(select(DeviceLink)).all()
    again = run(session, district, data)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 2, "error": 0}
    assert again.links == []
    assert len(session.exec(select(DeviceLink)).all()) == len(links)


def test_updates_add_roles_never_remove_and_keep_a_school_an_empty_cell_leaves(session, district):
    org, admin = district
    ana = make_user(
        session, "teacher", "admin", name="Ana", email="ana@maple.org", school="Old", org_id=org.id
    )
    left = make_cohort(session, admin, "Readers")
    make_membership(session, left, ana, status=MemberStatus.LEFT.value)
    imported = run(session, district, csv_bytes("Ana Li,ANA@maple.org,,coach,Readers"))
    assert imported.counts["updated"] == 1
    session.refresh(ana)
    assert (ana.display_name, ana.school) == ("Ana Li", "Old")
    assert ana.role_set == {"teacher", "admin", "coach"}
    member = session.get(CohortMember, (left.id, ana.id))
    assert member.status == "left"  # who left is not invited again


def test_someone_of_another_district_or_none_is_refused_without_details(session, district):
    far = make_org(session, name="Far District")
    make_user(session, "teacher", email="far@far.org", org_id=far.id, school="Far School")
    make_user(session, "teacher", email="solo@mail.org")
    org, _ = district
    the_plan = roster.plan(
        session=session,
        org=org,
        rows=read_rows(csv_bytes("Far,far@far.org,,teacher,", "Solo,solo@mail.org,,teacher,")),
    )
    assert [p.outcome for p in the_plan.rows] == ["error", "error"]
    message = the_plan.rows[0].changes[0]
    assert message == roster.NOT_YOURS and "Far" not in message
    run(session, district, csv_bytes("Far,far@far.org,,admin,"))
    far_user = session.exec(select(User).where(User.email == "far@far.org")).one()
    assert (far_user.org_id, far_user.roles) == (far.id, "teacher")


def test_a_preview_is_applied_once_by_its_admin_only(session, district):
    org, admin = district
    other_admin = make_user(session, "admin", org_id=org.id)
    token, _ = roster.store_upload(
        session=session, org=org, admin=admin, filename="r.csv", data=csv_bytes("A,a@m.org,,,")
    )
    with pytest.raises(NotFound):
        roster.load_upload(session=session, org=org, admin=other_admin, token=token)
    with pytest.raises(NotFound):
        roster.load_upload(session=session, org=org, admin=admin, token="nope")
    upload = roster.load_upload(session=session, org=org, admin=admin, token=token)
    roster_apply.apply(session=session, org=org, admin=admin, upload=upload)
    with pytest.raises(Conflict):
        roster_apply.apply(session=session, org=org, admin=admin, upload=upload)


def test_an_expired_preview_says_so(session, district):
    org, admin = district
    token, _ = roster.store_upload(
        session=session, org=org, admin=admin, filename="r.csv", data=csv_bytes("A,a@m.org,,,")
    )
    upload = roster.load_upload(session=session, org=org, admin=admin, token=token)
    upload.expires_at = upload.created_at.replace(year=2000)
    session.add(upload)
    session.commit()
    with pytest.raises(Expired):
        roster.load_upload(session=session, org=org, admin=admin, token=token)


def test_handles_are_unique_within_a_file_and_against_existing_people(session, district):
    make_user(session, "teacher", handle="ana-li")
    run(session, district, csv_bytes("Ana Li,a1@m.org,,,", "Ana Li,a2@m.org,,,"))
    handles = set(session.exec(select(User.handle).where(User.email.in_(["a1@m.org", "a2@m.org"]))))
    assert handles == {"ana-li-2", "ana-li-3"}


def test_an_email_stored_in_another_case_is_still_the_same_person(session, district):
    org, _ = district
    ana = make_user(session, "teacher", name="Ana Li", email="Ana.Li@Maple.org", org_id=org.id)
    the_plan = roster.plan(
        session=session, org=org, rows=read_rows(csv_bytes("Ana Li,ana.li@maple.org,,teacher,"))
    )
    (planned,) = the_plan.rows
    assert (planned.outcome, planned.user_id) == ("unchanged", ana.id)
