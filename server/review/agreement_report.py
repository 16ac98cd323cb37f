"""The agreement report of one district: percent agreement and Cohen's kappa per
credential and per assessor, on double-blind pairs and on calibration tries, with
counts, a confidence note and the drift per month (agreement.py computes the figures).

Double-blind: the first two BLIND reviews of an attempt that both hold criterion scores,
paired criterion by criterion (one pair per criterion scored by both). An assessor's row
pairs their scores with their partners'. Calibration: each scored try's criteria against
the anchor's true scores (hidden live tries included). A district's rows are those of its
teachers' attempts and of its own anchors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from server.models import (
    AnchorScore,
    CalibrationAnchor,
    CalibrationAttempt,
    CalibrationScore,
    Credential,
    CriterionScore,
    Org,
    Review,
    ReviewKind,
    Submission,
    User,
)
from server.review.agreement import Figure, Table, figure, table_of

BLIND, CALIBRATION = "double-blind", "calibration"


@dataclass(frozen=True)
class Rated:
    """One paired rating: which credential, the two raters (second None: the truth),
    the month it was made, and the two scores."""

    credential_id: int
    first: int
    second: int | None
    month: str
    pair: tuple[bool, bool]


@dataclass(frozen=True)
class Row:
    source: str  # BLIND or CALIBRATION
    group: str  # "credential", "assessor", "month"
    name: str
    figure: Figure


@dataclass(frozen=True)
class Report:
    rows: list[Row]

    def of(self, source: str, group: str) -> list[Row]:
        return [row for row in self.rows if row.source == source and row.group == group]


def _month(moment: datetime | None) -> str:
    return f"{moment:%Y-%m}" if moment else "unknown"


def blind_pairs(*, session: Session, org: Org) -> list[Rated]:
    rows = session.exec(
        select(  # type: ignore[call-overload]  # sqlmodel types at most four columns
            Review.id,
            Review.submission_id,
            Review.assessor_id,
            Review.decided_at,
            Submission.credential_id,
            CriterionScore.criterion_id,
            CriterionScore.met,
        )
        .join(CriterionScore, CriterionScore.review_id == Review.id)
        .join(Submission, Submission.id == Review.submission_id)
        .join(User, User.id == Submission.user_id)
        .where(Review.kind == ReviewKind.BLIND.value, User.org_id == org.id)
        .order_by(Review.submission_id, Review.id)
    ).all()
    reviews: dict[int, dict[int, dict]] = defaultdict(dict)
    for review_id, submission_id, assessor_id, decided_at, credential_id, cid, met in rows:
        review = reviews[submission_id].setdefault(
            review_id,
            {"by": assessor_id, "at": decided_at, "credential": credential_id, "met": {}},
        )
        review["met"][cid] = met
    rated: list[Rated] = []
    for by_review in reviews.values():
        if len(by_review) < 2:
            continue
        first, second = list(by_review.values())[:2]
        month = _month(max(filter(None, (first["at"], second["at"])), default=None))
        for cid in sorted(first["met"].keys() & second["met"].keys()):
            rated.append(
                Rated(
                    first["credential"],
                    first["by"],
                    second["by"],
                    month,
                    (first["met"][cid], second["met"][cid]),
                )
            )
    return rated


def calibration_pairs(*, session: Session, org: Org) -> list[Rated]:
    rows = session.exec(
        select(  # type: ignore[call-overload]
            CalibrationAnchor.credential_id,
            CalibrationAttempt.assessor_id,
            CalibrationAttempt.created_at,
            CalibrationScore.met,
            AnchorScore.met,
        )
        .join(CalibrationAttempt, CalibrationAttempt.anchor_id == CalibrationAnchor.id)
        .join(CalibrationScore, CalibrationScore.attempt_id == CalibrationAttempt.id)
        .join(
            AnchorScore,
            (AnchorScore.anchor_id == CalibrationAnchor.id)
            & (AnchorScore.criterion_id == CalibrationScore.criterion_id),
        )
        .where(CalibrationAnchor.org_id == org.id, CalibrationAttempt.total > 0)
    ).all()
    return [
        Rated(credential_id, assessor_id, None, _month(at), (yours, truth))
        for credential_id, assessor_id, at, yours, truth in rows
    ]


def _grouped(rated: Iterable[Rated], keys: Callable[[Rated], list[Any]]) -> dict[Any, Table]:
    tables: dict[Any, Table] = defaultdict(Table)
    for one in rated:
        table = table_of([one.pair])
        for key in keys(one):
            tables[key] = tables[key] + table
    return tables


def _rows(
    source: str, rated: list[Rated], credentials: dict[int, str], people: dict[int, str]
) -> list[Row]:
    by_credential = _grouped(rated, lambda r: [r.credential_id])
    # In a blind pair both raters are judged by it; in calibration the first only.
    by_assessor = _grouped(rated, lambda r: [r.first] + ([r.second] if r.second else []))
    by_month = _grouped(rated, lambda r: [r.month])
    rows = [
        Row(source, "credential", credentials.get(key, "?"), figure(table))
        for key, table in by_credential.items()
    ]
    rows += [
        Row(source, "assessor", people.get(key, "?"), figure(table))
        for key, table in by_assessor.items()
    ]
    rows.sort(key=lambda row: (row.group, row.name.lower()))
    rows += [Row(source, "month", str(k), figure(t)) for k, t in sorted(by_month.items())]
    return rows


def report(*, session: Session, org: Org) -> Report:
    blind = blind_pairs(session=session, org=org)
    calib = calibration_pairs(session=session, org=org)
    credential_ids = {r.credential_id for r in blind + calib}
    people_ids = {r.first for r in blind + calib} | {r.second for r in blind if r.second}
    credentials = dict(
        session.exec(
            select(Credential.id, Credential.title).where(Credential.id.in_(credential_ids))
        ).all()
    )
    people = dict(
        session.exec(select(User.id, User.display_name).where(User.id.in_(people_ids))).all()
    )
    return Report(
        _rows(BLIND, blind, credentials, people) + _rows(CALIBRATION, calib, credentials, people)
    )


CSV_HEADER = ("source", "group", "name", "pairs", "agreed", "percent", "kappa", "note")


def csv_rows(report: Report) -> list[tuple[object, ...]]:
    return [
        (
            row.source,
            row.group,
            row.name,
            row.figure.pairs,
            row.figure.agreed,
            "" if row.figure.percent is None else row.figure.percent,
            "" if row.figure.kappa is None else row.figure.kappa,
            row.figure.note,
        )
        for row in report.rows
    ]
