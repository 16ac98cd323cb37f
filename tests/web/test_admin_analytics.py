"""The analytics page and its CSV downloads: the admin's district only, charts with the
same numbers in tables, formula cells defused, a bad period refused with a message."""

from datetime import timedelta

from server.models import SubmissionStatus, utcnow
from tests.support.factories import (
    make_award,
    make_cohort,
    make_credential,
    make_org,
    make_review,
    make_submission,
    make_user,
)
from tests.support.web import post_form, sign_in_as


def _world(session):
    home, far = make_org(session, name="Home District"), make_org(session, name="Far District")
    admin = make_user(session, "admin", org_id=home.id)
    far_admin = make_user(session, "admin", org_id=far.id)
    assessor = make_user(session, "assessor", name="Jordan Lee", org_id=home.id)
    sneaky = make_credential(
        session, title='=HYPERLINK("http://evil.test","Click")', credit_hours=3
    )
    far_only = make_credential(session, title="Far Only Credential")
    teacher = make_user(session, name="Maya", org_id=home.id)
    sent = utcnow() - timedelta(days=3)
    submission = make_submission(session, teacher, sneaky, submitted_at=sent)
    make_review(session, submission, assessor, decision=SubmissionStatus.AWARDED)
    make_award(session, teacher, sneaky, submission, org_id=home.id)
    make_cohort(session, make_user(session, "coach", org_id=home.id), "Early Adopters",
                members=[teacher])  # fmt: skip
    far_teacher = make_user(session, org_id=far.id)
    make_submission(session, far_teacher, far_only)
    make_cohort(session, make_user(session, "coach", org_id=far.id), "Far Cohort",
                members=[far_teacher])  # fmt: skip
    return {"admin": admin, "far_admin": far_admin, "home": home}


def test_the_page_shows_the_districts_numbers_as_charts_and_tables(client, session):
    w = _world(session)
    sign_in_as(client, w["admin"])
    response = client.get("/admin/analytics")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Analytics for Home District" in page
    assert "=HYPERLINK(&#34;http://evil.test&#34;,&#34;Click&#34;)" in page  # escaped, shown
    assert "Far Only Credential" not in page and "Far Cohort" not in page
    assert "Jordan Lee" in page and "Early Adopters" in page
    assert page.count('role="img"') == 2
    assert '<title id="chart-hours-title">Credit hours issued per month</title>' in page
    assert "100 %" in page  # first-try award rate of the one attempt
    assert "/admin/analytics/credentials.csv?period=12m" in page
    assert "Figures as of" in page and "recomputed every 15 minutes" in page


def test_the_page_lists_the_cohorts_with_most_stalled_members_first():
    from datetime import UTC, datetime

    from server.admin import analytics_report
    from server.admin.analytics_views import COHORTS_SHOWN, _cohorts_shown

    cohorts = [
        analytics_report.CohortFunnel(f"Cohort {n:03d}", 10, 5, 4, 2, stalled=n % 7)
        for n in range(COHORTS_SHOWN + 20)
    ]
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    period = analytics_report.Period("12m", "Last 12 months", moment, moment)
    shown = _cohorts_shown(analytics_report.Report(period=period, now=moment, cohorts=cohorts))
    assert len(shown) == COHORTS_SHOWN
    assert [c.stalled for c in shown] == sorted((c.stalled for c in shown), reverse=True)
    assert shown[0].name == "Cohort 006"


def test_the_admin_home_links_to_it(client, session):
    w = _world(session)
    sign_in_as(client, w["admin"])
    assert 'href="/admin/analytics"' in client.get("/admin").get_data(as_text=True)


def test_csv_downloads_defuse_formulas_and_stay_in_the_district(client, session):
    w = _world(session)
    sign_in_as(client, w["admin"])
    response = client.get("/admin/analytics/credentials.csv?period=90d")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "analytics-credentials-" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("credential,attempts,first_try_award_rate")
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert len(lines) == 2
    hours = client.get("/admin/analytics/hours.csv").get_data(as_text=True).splitlines()
    assert hours[0] == "month,awards,credit_hours" and len(hours) == 13
    assert sum(float(line.split(",")[2]) for line in hours[1:]) == 3.0
    for table in ("criteria", "assessors", "cohorts"):
        assert client.get(f"/admin/analytics/{table}.csv").status_code == 200
    assert client.get("/admin/analytics/secrets.csv").status_code == 404


def test_a_bad_period_is_refused_with_a_message(client, session):
    w = _world(session)
    sign_in_as(client, w["admin"])
    response = client.get("/admin/analytics?period=forever")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose one of the periods in the list." in page
    assert 'aria-invalid="true"' in page
    response = client.get("/admin/analytics/cohorts.csv?period=%3Cscript%3E")
    assert response.status_code == 422
    assert "<script>" not in response.get_data(as_text=True)


def test_an_empty_district_shows_empty_states(client, session):
    _world(session)
    lonely = make_user(session, "admin", org_id=make_org(session, name="Empty District").id)
    sign_in_as(client, lonely)
    page = client.get("/admin/analytics").get_data(as_text=True)
    assert "No attempts were submitted in this period." in page
    assert "Your district has no cohorts yet." in page
    assert "No credit hours were issued in this period." in page
    assert "Maya" not in page and "Jordan Lee" not in page


def test_only_admins_of_a_district_get_in(client, session):
    w = _world(session)
    for user in (
        make_user(session, "teacher", org_id=w["home"].id),
        make_user(session, "coach", "assessor", org_id=w["home"].id),
        make_user(session, "admin"),
    ):
        sign_in_as(client, user)
        assert client.get("/admin/analytics").status_code == 403
        assert client.get("/admin/analytics/credentials.csv").status_code == 403


def test_recompute_now_shows_work_done_since_the_snapshot(client, session):
    w = _world(session)
    sign_in_as(client, w["admin"])
    client.get("/admin/analytics")  # stores a fresh snapshot
    late = make_credential(session, title="Added After The Snapshot")
    teacher = make_user(session, org_id=w["home"].id)
    make_submission(session, teacher, late, submitted_at=utcnow() - timedelta(hours=1))
    assert "Added After The Snapshot" not in client.get("/admin/analytics").get_data(as_text=True)
    response = post_form(client, "/admin/analytics/refresh", {"period": "90d"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added After The Snapshot" in page and "recomputed just now" in page


def test_recompute_refuses_a_bad_period_and_other_people(client, session):
    w = _world(session)
    sign_in_as(client, w["admin"])
    assert post_form(client, "/admin/analytics/refresh", {"period": "forever"}).status_code == 422
    sign_in_as(client, make_user(session, "teacher", org_id=w["home"].id))
    assert post_form(client, "/admin/analytics/refresh", {"period": "90d"}).status_code == 403
