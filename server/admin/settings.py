"""A district's settings (/admin/settings): blind review, the scoring mode (single or
double blind, review/modes.py), the review turnaround target,
point values and level thresholds, the leaderboard visibility new members start with,
calibration (the agreement that qualifies an assessor, the share of hidden practice items)
and quiet hours (nudges and pushes wait for their end).

A district that never saved gets the defaults: the server's Settings for points and
levels (CHALKMARK_GAME_POINTS / _LEVELS), the constants beside each reader for the rest.
Saving checks every field first and writes nothing unless all are right; the change and
its audit entry (before/after) share one transaction, and readers (game/values.py,
quiet_hours.py, auth create_user, the admin home) see it at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session, select

from server import quiet_hours
from server.admin import audit
from server.admin.forms import FormInvalid, whole_number
from server.game import levels, values
from server.game.ledger import RebuildReport, rebuild
from server.game.profile import VISIBILITY_CHOICES
from server.models import DistrictSettings, Org, ScoringMode, User, Visibility, utcnow
from server.review.modes import MODE_LABELS

DEFAULT_TARGET_DAYS = 7
MAX_TARGET_DAYS = 90
MAX_POINTS = 10_000
MAX_THRESHOLD = 1_000_000
DEFAULT_CALIBRATION_THRESHOLD = 80
MAX_CALIBRATION_SHARE = 50  # beyond that the "live" queue would be mostly practice
SHARE_MESSAGE = (
    f"Enter a whole percentage from 0 to {MAX_CALIBRATION_SHARE}: 0 turns hidden practice "
    "items off, and beyond half an assessor's live queue would be mostly practice."
)


@dataclass(frozen=True)
class DistrictChoices:
    blind_review: bool
    review_target_days: int
    scoring_mode: str
    default_visibility: str
    quiet_start_hour: int
    quiet_end_hour: int
    points: dict[str, int] = field(default_factory=dict)
    thresholds: tuple[int, ...] = levels.DEFAULT_THRESHOLDS
    calibration_threshold: int = DEFAULT_CALIBRATION_THRESHOLD
    calibration_share: int = 0

    def changes_from(self, other: DistrictChoices) -> tuple[dict[str, Any], dict[str, Any]]:
        """(before, after) of the fields that differ: what the audit entry keeps."""
        mine, theirs = asdict(self), asdict(other)
        changed = [name for name in mine if mine[name] != theirs[name]]
        return {n: theirs[n] for n in changed}, {n: mine[n] for n in changed}


def _row(session: Session, org: Org) -> DistrictSettings | None:
    return session.get(DistrictSettings, org.id)


def current(*, session: Session, org: Org) -> DistrictChoices:
    row = _row(session, org)
    game = values.from_row(row)
    return DistrictChoices(
        blind_review=org.blind_review,
        review_target_days=row.review_target_days if row else DEFAULT_TARGET_DAYS,
        scoring_mode=row.scoring_mode if row else ScoringMode.SINGLE.value,
        default_visibility=row.default_visibility if row else Visibility.COHORT.value,
        quiet_start_hour=row.quiet_start_hour if row else quiet_hours.DEFAULT[0].hour,
        quiet_end_hour=row.quiet_end_hour if row else quiet_hours.DEFAULT[1].hour,
        points=dict(game.points),
        thresholds=game.thresholds,
        calibration_threshold=row.calibration_threshold if row else DEFAULT_CALIBRATION_THRESHOLD,
        calibration_share=row.calibration_share if row else 0,
    )


def review_target_days(*, session: Session, org: Org) -> int:
    row = _row(session, org)
    return row.review_target_days if row else DEFAULT_TARGET_DAYS


def parse(form: Mapping[str, str]) -> DistrictChoices:
    """The submitted form as choices; FormInvalid names every field that is wrong."""
    errors: dict[str, str] = {}
    visibility = form.get("default_visibility", "")
    if visibility not in {value for value, _, _ in VISIBILITY_CHOICES}:
        errors["default_visibility"] = "Choose one of the leaderboard options."
    scoring_mode = form.get("scoring_mode", "")
    if scoring_mode not in MODE_LABELS:
        errors["scoring_mode"] = "Choose single assessor or double blind."
    choices = DistrictChoices(
        blind_review=form.get("blind_review") == "on",
        review_target_days=whole_number(
            form, "review_target_days", errors, low=1, high=MAX_TARGET_DAYS
        ),
        scoring_mode=scoring_mode,
        default_visibility=visibility,
        quiet_start_hour=whole_number(form, "quiet_start_hour", errors, low=0, high=23),
        quiet_end_hour=whole_number(form, "quiet_end_hour", errors, low=0, high=23),
        points={
            rule.name: whole_number(form, f"points_{rule.name}", errors, low=0, high=MAX_POINTS)
            for rule in values.DISTRICT_RULES
        },
        thresholds=_thresholds(form, errors),
        calibration_threshold=whole_number(form, "calibration_threshold", errors, low=1, high=100),
        calibration_share=whole_number(
            form, "calibration_share", errors, low=0, high=MAX_CALIBRATION_SHARE
        ),
    )
    if "calibration_share" in errors:
        errors["calibration_share"] = SHARE_MESSAGE
    if errors:
        raise FormInvalid(errors)
    return choices


def _thresholds(form: Mapping[str, str], errors: dict[str, str]) -> tuple[int, ...]:
    """The first level starts at 0; each next one needs more points than the one before."""
    found = [0]
    for number in range(1, len(levels.NAMES)):
        name = f"level_{number}"
        value = whole_number(form, name, errors, low=1, high=MAX_THRESHOLD)
        if name not in errors and value <= found[-1]:
            below = levels.NAMES[number - 1]
            errors[name] = f"Needs more points than {below} ({found[-1]})."
        found.append(value)
    return tuple(found)


def save(*, session: Session, org: Org, actor: User, choices: DistrictChoices) -> list[str]:
    """Store the choices and log what changed (the caller commits). Returns the names of
    the changed fields (none: nothing written, nothing logged)."""
    # One admin at a time per district: the district row is the lock.
    session.exec(select(Org.id).where(Org.id == org.id).with_for_update()).first()
    before, after = choices.changes_from(current(session=session, org=org))
    if not after:
        return []
    stored: dict[str, Any] = {
        "review_target_days": choices.review_target_days,
        "scoring_mode": choices.scoring_mode,
        "default_visibility": choices.default_visibility,
        "quiet_start_hour": choices.quiet_start_hour,
        "quiet_end_hour": choices.quiet_end_hour,
        "game_points": values.as_json(choices.points),
        "game_levels": ",".join(str(n) for n in choices.thresholds),
        "calibration_threshold": choices.calibration_threshold,
        "calibration_share": choices.calibration_share,
        "updated_at": utcnow(),
    }
    row = _row(session, org)
    if row is None:
        row = DistrictSettings(org_id=org.id, **stored)
    else:
        row.sqlmodel_update(stored)
    org.blind_review = choices.blind_review
    session.add_all([row, org])
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="changed district settings",
        target=", ".join(after),
        before=before,
        after=after,
    )
    return list(after)


def recompute_totals(*, session: Session, org: Org, actor: User) -> RebuildReport:
    """`chalkmark game rebuild --district SLUG`: the district's totals from the ledger."""
    report = rebuild(session=session, org_id=org.id)
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="recomputed point totals",
        target=org.name,
        after={"ledger_rows": report.events, "corrected": report.corrected_users},
    )
    return report
