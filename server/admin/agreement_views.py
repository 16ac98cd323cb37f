"""/admin/agreement: how well the district's assessors agree — on double-blind pairs and
against calibration anchors' true scores — per credential, per assessor and per month,
as a page and a CSV (review/agreement_report.py)."""

from __future__ import annotations

from server.admin import bp
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.csvout import csv_download
from server.db import get_session
from server.htmx import render
from server.review import agreement, agreement_report


@bp.get("/agreement")
def agreement_page():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    return render(
        "admin/agreement.html",
        org=org,
        report=agreement_report.report(session=db, org=org),
        sources=(agreement_report.BLIND, agreement_report.CALIBRATION),
        few=agreement.FEW_PAIRS,
    )


@bp.get("/agreement.csv")
def agreement_csv():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    report = agreement_report.report(session=db, org=org)
    return csv_download(
        f"agreement-{org.slug}.csv", agreement_report.CSV_HEADER, agreement_report.csv_rows(report)
    )
