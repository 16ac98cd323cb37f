"""The district's analytics page and a CSV download of each of its tables. The period
comes from the query string and is checked here at the edge: an unknown one re-shows the
form with the message (422), never a 500. Figures come from the district's snapshot, at
once even when stale (marked "updating": a background job recomputes it), see
server/admin/analytics_snapshot.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from server import jobs
from server.admin import analytics, analytics_report, analytics_snapshot, analytics_tables, bp
from server.admin.analytics_charts import bar_chart
from server.admin.analytics_report import CohortFunnel, Period, Report
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.csvout import csv_download
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render
from server.models import Org

# A state's district has hundreds of cohorts: the page lists those that most need a look
# (most stalled members first), the CSV lists them all.
COHORTS_SHOWN = 50


def _cohorts_shown(report: Report) -> list[CohortFunnel]:
    ranked = sorted(report.cohorts, key=lambda c: (-c.stalled, c.name.casefold()))
    return ranked[:COHORTS_SHOWN]


def _charts(report: Report) -> dict:
    started, submitted, awarded = report.funnel
    return {
        "funnel": bar_chart(
            "chart-funnel",
            "Cohort members who started, submitted and earned a credential",
            [
                ("Started", started, f"{started:,}"),
                ("Submitted", submitted, f"{submitted:,}"),
                ("Awarded", awarded, f"{awarded:,}"),
            ],
        ),
        "hours": bar_chart(
            "chart-hours",
            "Credit hours issued per month",
            [(m.label, m.hours, f"{m.hours:g} h") for m in report.months],
        ),
    }


def _report(db: Session, org: Org, period: Period) -> tuple[Report, bool]:
    """(the figures, are they being updated?): the stored snapshot at once, even a stale
    one (its refresh is queued); live figures only when there is no snapshot yet."""
    report, stale = analytics_snapshot.stored(session=db, org=org, period=period)
    engine = current_app.extensions["db_engine"]
    if report is None:
        report = analytics.report(session=db, org=org, period=period)
        # Its own short transaction: a cache write must not ride on the request's.
        try:
            with Session(engine) as writer:
                analytics_snapshot.store(session=writer, org=org, rep=report)
                writer.commit()
        except (IntegrityError, OperationalError):  # another request stored it first
            pass
        return report, False
    if stale:
        with Session(engine) as writer:
            if analytics_snapshot.claim_refresh(session=writer, org_id=org.id):
                jobs.run_after_commit(writer, analytics_snapshot.REFRESH_JOB, org.id)
            writer.commit()
    return report, stale


@bp.get("/analytics")
def analytics_page():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    chosen = request.args.get("period")
    try:
        period = analytics_report.parse_period(chosen)
    except InvalidInput as error:
        return render(
            "admin/analytics.html",
            org=org,
            periods=analytics_report.PERIODS,
            chosen=chosen,
            error=error,
            report=None,
            status=422,
        )
    report, updating = _report(db, org, period)
    return render(
        "admin/analytics.html",
        org=org,
        periods=analytics_report.PERIODS,
        chosen=period.key,
        error=None,
        report=report,
        charts=_charts(report),
        cohorts_shown=_cohorts_shown(report),
        updating=updating,
        a=analytics_tables,
        fresh_minutes=int(analytics_snapshot.FRESH_FOR.total_seconds() // 60),
    )


@bp.post("/analytics/refresh")
def analytics_refresh():
    """Recompute the figures now (a large district takes seconds), not at the next stale
    view: an admin who just changed something sees it at once."""
    db = get_session()
    org = admin_district(session=db, user=require_user())
    period = analytics_report.parse_period(request.form.get("period"))
    analytics_snapshot.store(
        session=db, org=org, rep=analytics.report(session=db, org=org, period=period)
    )
    db.commit()
    flash("The figures were recomputed just now.", "success")
    return redirect(url_for("admin.analytics_page", period=period.key), code=303)


@bp.get("/analytics/<table>.csv")
def analytics_csv(table: str):
    db = get_session()
    org = admin_district(session=db, user=require_user())
    if table not in analytics_tables.TABLES:
        abort(404)
    period = analytics_report.parse_period(request.args.get("period"))
    header, rows = analytics_tables.table(_report(db, org, period)[0], table)
    filename = f"analytics-{table}-{org.slug}-{period.key}.csv"
    return csv_download(filename, header, rows)
