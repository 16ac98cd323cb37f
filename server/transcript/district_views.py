"""A district admin's credit hours per teacher and date range, as CSV for HR/licensure.
Bad dates re-show the form with the message (422), keeping what was typed."""

from __future__ import annotations

from flask import request

from server.auth.session import require_user
from server.csvout import csv_download
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render
from server.transcript import bp, district


def _form(org, *, start: str, end: str, error: InvalidInput | None = None):
    return render(
        "transcript/district_hours.html",
        org=org,
        start=start,
        end=end,
        error=error,
        status=422 if error else 200,
    )


@bp.get("/transcript/districts/<slug>/credit-hours")
def district_form(slug: str):
    admin = require_user()
    org = district.district_of_admin(session=get_session(), admin=admin, slug=slug)
    default = district.this_school_year(admin)
    return _form(org, start=default.start.isoformat(), end=default.end.isoformat())


@bp.get("/transcript/districts/<slug>/credit-hours.csv")
def district_csv(slug: str):
    session, admin = get_session(), require_user()
    org = district.district_of_admin(session=session, admin=admin, slug=slug)
    start, end = request.args.get("from", ""), request.args.get("to", "")
    try:
        period = district.parse_range(start, end)
    except InvalidInput as error:
        return _form(org, start=start, end=end, error=error)
    teachers = district.credit_hours_by_teacher(
        session=session, org=org, admin=admin, period=period
    )
    filename = f"credit-hours-{org.slug}-{period.start}-to-{period.end}.csv"
    return csv_download(filename, district.HEADER, district.csv_rows(teachers, period))
