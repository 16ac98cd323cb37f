"""The admin home: a district's admin sees their district and its audit log (nobody
else's entries); teachers, coaches and admins without a district are refused."""

from server.admin import audit
from tests.support.factories import make_org, make_user
from tests.support.web import sign_in_as


def test_an_admin_sees_their_districts_actions_only(client, session):
    home, far = make_org(session, name="Home District"), make_org(session, name="Far District")
    admin = make_user(session, "admin", name="Ana Admin", org_id=home.id)
    far_admin = make_user(session, "admin", org_id=far.id)
    audit.record(session=session, org=home, actor=admin, action="appointed", target="Home thing")
    audit.record(session=session, org=far, actor=far_admin, action="appointed", target="Far thing")
    session.commit()
    sign_in_as(client, admin)
    page = client.get("/admin").get_data(as_text=True)
    assert "Administer Home District" in page
    assert "Ana Admin: appointed Home thing" in page
    assert "Far thing" not in page


def test_people_who_are_not_admins_of_a_district_are_refused(client, session):
    home = make_org(session)
    for user in (
        make_user(session, "teacher", org_id=home.id),
        make_user(session, "coach", "assessor", org_id=home.id),
        make_user(session, "admin"),  # no district: nothing to administer
    ):
        sign_in_as(client, user)
        assert client.get("/admin").status_code == 403


def test_the_audit_log_keeps_before_and_after_as_json(session):
    home = make_org(session)
    admin = make_user(session, "admin", org_id=home.id)
    entry = audit.record(
        session=session, org=home, actor=admin, action="set", target="x", before={"a": 1}, after=2
    )
    session.commit()
    assert (entry.before, entry.after) == ('{"a": 1}', "2")
