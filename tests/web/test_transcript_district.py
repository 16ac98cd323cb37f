"""A district admin's credit hours per teacher as CSV: theirs only (another district's
admin, a teacher, a coach are refused), bad dates → 422 with the form and a message."""

import csv
import io
from datetime import UTC, datetime

import pytest

from server.badges.issuing import Issuing
from tests.support.factories import make_org, make_user
from tests.support.transcript import signed_award
from tests.support.web import sign_in_as

INJECTED_NAME = '=HYPERLINK("https://evil.example","x")'


@pytest.fixture
def world(app, session):
    issuing = Issuing.from_settings(app.config["SETTINGS"])
    home, far = make_org(session, name="Home District"), make_org(session, name="Far District")
    people = {
        "admin": make_user(session, "admin", org_id=home.id),
        "far_admin": make_user(session, "admin", org_id=far.id),
        "teacher": make_user(
            session,
            "teacher",
            name=INJECTED_NAME,
            org_id=home.id,
            email="t@example.org",
            school="Oak Elementary",
        ),
        "coach": make_user(session, "coach", org_id=home.id),
        "far_teacher": make_user(session, "teacher", name="Far Teacher", org_id=far.id),
    }
    when = datetime(2025, 10, 1, 15, tzinfo=UTC)
    signed_award(session, people["teacher"], issuing=issuing, hours=2.5, at=when)
    signed_award(session, people["teacher"], issuing=issuing, hours=1, at=when)
    signed_award(session, people["far_teacher"], issuing=issuing, hours=4, at=when)
    return {"home": home, "far": far, **people}


def _csv_path(world, query="from=2025-07-01&to=2026-06-30"):
    return f"/transcript/districts/{world['home'].slug}/credit-hours.csv?{query}"


def test_the_admin_downloads_their_districts_hours_per_teacher(client, world):
    sign_in_as(client, world["admin"])
    response = client.get(_csv_path(world))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        ["teacher", "email", "school", "credentials", "credit_hours", "from", "to"],
        [
            "'" + INJECTED_NAME,
            "t@example.org",
            "Oak Elementary",
            "2",
            "3.5",
            "2025-07-01",
            "2026-06-30",
        ],
    ]


def test_the_form_page_offers_this_school_year(client, world):
    sign_in_as(client, world["admin"])
    html = client.get(f"/transcript/districts/{world['home'].slug}/credit-hours").get_data(
        as_text=True
    )
    assert "Credit hours per teacher" in html and 'name="from"' in html and "-07-01" in html
    assert f'href="/transcript/districts/{world["home"].slug}/credit-hours"' in client.get(
        "/transcript"
    ).get_data(as_text=True)


@pytest.mark.parametrize(("who", "status"), [("far_admin", 404), ("teacher", 403), ("coach", 403)])
@pytest.mark.parametrize("suffix", ["", ".csv?from=2025-07-01&to=2026-06-30"])
def test_nobody_else_reads_the_districts_hours(client, world, who, status, suffix):
    sign_in_as(client, world[who])
    response = client.get(f"/transcript/districts/{world['home'].slug}/credit-hours{suffix}")
    assert response.status_code == status
    assert "Home District" not in response.get_data(as_text=True)


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(_csv_path(world))
    assert response.status_code == 303 and "/auth/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-13-01&to=2026-01-01", "The start date must be a date like 2025-07-01."),
        ("from=2025-07-01", "Enter the end date."),
        ("from=2026-01-02&to=2026-01-01", "The start date must be on or before the end date."),
    ],
)
def test_bad_dates_show_the_form_again_with_a_message(client, world, query, message):
    sign_in_as(client, world["admin"])
    response = client.get(_csv_path(world, query))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert message in html and 'aria-invalid="true"' in html
    assert 'value="' + query.split("&")[0].split("=")[1] + '"' in html  # what was typed stays
