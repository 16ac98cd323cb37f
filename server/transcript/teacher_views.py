"""The signed-in teacher's own transcript: the page, and its CSV and PDF downloads."""

from __future__ import annotations

from flask import Response

from server.auth.session import login_required, require_user
from server.badges.profile import my_profile_link
from server.csvout import csv_download
from server.db import get_session
from server.htmx import render
from server.models import utcnow
from server.transcript import bp, service, stack_verification_url, verification_url
from server.transcript.pdf import transcript_pdf

CSV_HEADER = ["date", "credential", "issuer", "credit_hours", "school_year", "verification_url"]


def _mine() -> service.Transcript:
    return service.transcript_for(session=get_session(), teacher=require_user())


@bp.get("/transcript")
@login_required
def mine():
    profile_url = my_profile_link(session=get_session(), user=require_user())
    return render("transcript/mine.html", transcript=_mine(), profile_url=profile_url)


@bp.get("/transcript.csv")
@login_required
def mine_csv():
    rows = (
        [
            row.issued_on.isoformat(),
            row.title,
            row.issuer,
            service.hours_text(row.hours),
            service.school_year_label(row.school_year),
            verification_url(row.award_uuid) if row.verifiable else "",
        ]
        for row in _mine().earned
    )
    return csv_download("transcript.csv", CSV_HEADER, rows)


@bp.get("/transcript.pdf")
@login_required
def mine_pdf():
    transcript, teacher = _mine(), require_user()
    today = service.long_date(service.local_date(utcnow(), service.zone_of(teacher)))
    body = transcript_pdf(
        transcript,
        verify_url=verification_url,
        issued_today=today,
        language=teacher.locale or "en",
        stack_url=stack_verification_url,
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="transcript.pdf"'},
    )
