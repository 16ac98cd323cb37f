"""The point values and level thresholds a person's payments and level use: their
district's (DistrictSettings, set on /admin/settings), else the server's defaults
(Settings: CHALKMARK_GAME_POINTS / CHALKMARK_GAME_LEVELS, installed in rules/levels).

`for_user` is the one door the game goes through: every payment at a configurable rule
and every level shown or celebrated reads its values here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from server.game import levels, rules
from server.models import DistrictSettings, User

# What a district may set: credential_earned comes from each Credential's own points,
# and a revocation takes back what was paid (neither is a value to configure).
DISTRICT_RULES = tuple(
    rule
    for rule in rules.RULES.values()
    if rule not in (rules.CREDENTIAL_EARNED, rules.CREDENTIAL_REVOKED)
)


@dataclass(frozen=True)
class GameValues:
    points: Mapping[str, int]  # every rule of DISTRICT_RULES
    thresholds: tuple[int, ...]

    def points_for(self, rule: rules.Rule) -> int:
        return self.points.get(rule.name, rules.points_for(rule))

    def level_for(self, total: int) -> levels.Level:
        return levels.level_for(total, self.thresholds)


def defaults() -> GameValues:
    """The server's values (Settings), what a district starts from."""
    return GameValues(
        points={rule.name: rules.points_for(rule) for rule in DISTRICT_RULES},
        thresholds=levels.thresholds(),
    )


def from_row(row: DistrictSettings | None) -> GameValues:
    base = defaults()
    if row is None:
        return base
    stored: dict[str, int] = json.loads(row.game_points or "{}")
    points = {name: int(stored.get(name, value)) for name, value in base.points.items()}
    thresholds = tuple(int(p) for p in row.game_levels.split(",")) if row.game_levels else None
    return GameValues(points=points, thresholds=thresholds or base.thresholds)


def for_org(*, session: Session, org_id: int | None) -> GameValues:
    row = session.get(DistrictSettings, org_id) if org_id is not None else None
    return from_row(row)


def for_user(*, session: Session, user_id: int) -> GameValues:
    """The values for this person's district; the defaults without one."""
    user = session.get(User, user_id)
    return for_org(session=session, org_id=user.org_id if user else None)


def as_json(points: Mapping[str, int]) -> str:
    return json.dumps(dict(points), sort_keys=True)
