"""The point rules and their values.

Mastery and persistence pay; volume does not: there is no rule for page views, sign-ins
or uploads. Values are configurable with CHALKMARK_GAME_POINTS, e.g.
"first_submission=10,persistence=40" (credential_earned comes from Credential.points;
a value set here for it is ignored).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    default_points: int


FIRST_SUBMISSION = Rule("first_submission", "First submission of a credential", 10)
CREDENTIAL_EARNED = Rule("credential_earned", "Credential earned", 100)
PERSISTENCE = Rule("persistence", "Earned after a “not yet” (persistence bonus)", 40)
STACK_COMPLETED = Rule("stack_completed", "Completed a whole stack", 150)
STREAK_WEEK = Rule("streak_week", "Kept a weekly streak going", 10)
REVIEW_COMPLETED = Rule("review_completed", "Completed a review", 20)
# Negative: an admin revoked an award; takes back what earning it paid (never configured).
CREDENTIAL_REVOKED = Rule("credential_revoked", "Credential revoked (its points taken back)", 0)

RULES = {rule.name: rule for rule in (
    FIRST_SUBMISSION, CREDENTIAL_EARNED, PERSISTENCE, STACK_COMPLETED, STREAK_WEEK,
    REVIEW_COMPLETED, CREDENTIAL_REVOKED,
)}

# Activity kinds that keep a weekly streak alive; anything else (a login, a page view)
# is ignored on purpose.
STREAK_ACTIVITIES = frozenset({"capture", "submission", "review"})


def _overrides() -> dict[str, int]:
    raw = os.environ.get("CHALKMARK_GAME_POINTS", "")
    values: dict[str, int] = {}
    for part in raw.split(","):
        name, _, number = part.partition("=")
        name = name.strip()
        if name in RULES and number.strip().lstrip("-").isdigit():
            values[name] = int(number)
    return values


def points_for(rule: Rule) -> int:
    """The configured value of a rule (read each time, so tests and operators can change
    it without a restart of anything but the process)."""
    return _overrides().get(rule.name, rule.default_points)


def label_for(rule_name: str) -> str:
    rule = RULES.get(rule_name)
    return rule.label if rule else rule_name.replace("_", " ").capitalize()
