"""The agreement report on the demo data (server/demo/calibration.py): eight double-blind
pairs of Jordan and Rosa (32 paired criterion ratings, 4 disagreements) and Jordan's two
calibration tries (8 ratings against the true scores, 1 disagreement)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.demo.seed import seed_demo
from server.models import AssessorQualification, Org, User
from server.review import calibration
from server.review.agreement import FEW_NOTE, Table, figure, table_of
from server.review.agreement_report import BLIND, CALIBRATION, blind_pairs, csv_rows, report

pytestmark = pytest.mark.usefixtures("app")  # awards are signed with the app's settings


@pytest.fixture
def riverbend(session):
    seed_demo(session=session)
    return session.exec(select(Org).where(Org.slug == "riverbend")).one()


def _row(found, group, name):
    [row] = [row for row in found if row.group == group and row.name == name]
    return row.figure


def test_blind_pairs_over_the_district(session, riverbend):
    pairs = blind_pairs(session=session, org=riverbend)
    overall = figure(table_of(p.pair for p in pairs))
    assert table_of(p.pair for p in pairs) == Table(both=21, first_only=2, second_only=2, neither=7)
    # p_o = 28/32; p_e = (23/32)^2 + (9/32)^2 = 610/1024; kappa = 0.69
    assert (overall.pairs, overall.agreed, overall.percent, overall.kappa) == (32, 28, 87.5, 0.69)
    assert overall.note == ""  # 32 pairs: enough for no warning


def test_the_report_per_assessor_credential_and_month(session, riverbend):
    found = report(session=session, org=riverbend)
    blind = found.of(BLIND, "assessor")
    assert {row.name for row in blind} == {"Jordan Reyes", "Rosa Delgado"}
    jordan = _row(blind, "assessor", "Jordan Reyes")
    assert (jordan.pairs, jordan.agreed, jordan.kappa) == (32, 28, 0.69)  # kappa is symmetric
    fractions = _row(found.of(BLIND, "credential"), "credential", "Fractions as Numbers")
    assert (fractions.pairs, fractions.percent, fractions.note) == (8, 100.0, FEW_NOTE)
    months = found.of(BLIND, "month")
    assert len(months) >= 4 and [m.name for m in months] == sorted(m.name for m in months)
    assert sum(m.figure.pairs for m in months) == 32
    calib = _row(found.of(CALIBRATION, "assessor"), "assessor", "Jordan Reyes")
    # yours/true: both met 6, Jordan only 1, neither 1: p_o 7/8, p_e 44/64, kappa 0.6
    assert (calib.pairs, calib.agreed, calib.percent, calib.kappa) == (8, 7, 87.5, 0.6)
    assert "fewer than 30" in calib.note
    assert ("calibration", "assessor", "Jordan Reyes", 8, 7, 87.5, 0.6) == csv_rows(found)[
        [r[:3] for r in csv_rows(found)].index(("calibration", "assessor", "Jordan Reyes"))
    ][:7]


def test_jordan_is_qualified_and_a_new_assessor_must_calibrate(session, riverbend):
    jordan = session.exec(select(User).where(User.handle == "jordan")).one()
    rosa = session.exec(select(User).where(User.handle == "rosa")).one()
    assert calibration.gated_credentials(session=session, assessor=jordan) == set()
    [gated] = calibration.gated_credentials(session=session, assessor=rosa)
    standing = calibration.standing(session=session, assessor=jordan, credential_id=gated)
    assert (standing.agreed, standing.total, standing.percent, standing.qualified) == (
        7,
        8,
        87,
        True,
    )
    assert session.get(AssessorQualification, (jordan.id, gated)).percent == 87
    assert len(calibration.untried(session=session, assessor=rosa, credential_id=gated)) == 4
