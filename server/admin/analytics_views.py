"""The district's analytics page and a CSV download of each of its tables. The period
comes from the query string and is checked here at the edge: an unknown one re-shows the
form with the message (422), never a 500."""

from __future__ import annotations

from flask import abort, request

from server.admin import analytics, bp
from server.admin.analytics_charts import bar_chart
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.csvout import csv_download
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render


def _charts(report: analytics.Report) -> dict:
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


@bp.get("/analytics")
def analytics_page():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    chosen = request.args.get("period")
    try:
        period = analytics.parse_period(chosen)
    except InvalidInput as error:
        return render(
            "admin/analytics.html",
            org=org,
            periods=analytics.PERIODS,
            chosen=chosen,
            error=error,
            report=None,
            status=422,
        )
    report = analytics.report(session=db, org=org, period=period)
    return render(
        "admin/analytics.html",
        org=org,
        periods=analytics.PERIODS,
        chosen=period.key,
        error=None,
        report=report,
        charts=_charts(report),
        a=analytics,
    )


@bp.get("/analytics/<table>.csv")
def analytics_csv(table: str):
    db = get_session()
    org = admin_district(session=db, user=require_user())
    if table not in analytics.TABLES:
        abort(404)
    period = analytics.parse_period(request.args.get("period"))
    report = analytics.report(session=db, org=org, period=period, only=table)
    header, rows = analytics.table(report, table)
    filename = f"analytics-{table}-{org.slug}-{period.key}.csv"
    return csv_download(filename, header, rows)
