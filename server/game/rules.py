"""The point rules and their values.

Mastery and persistence pay; volume does not: there is no rule for page views, sign-ins
or uploads. Values are configurable with CHALKMARK_GAME_POINTS, e.g.
"first_submission=10,persistence=40" (credential_earned comes from Credential.points;
a value set here for it is ignored): Settings.from_env parses it once (parse_points) and
the app installs it here (configure), so a bad value stops the start with a clear error.
Those are the defaults; a district may set its own on /admin/settings, and payments read
them through values.for_user.
"""

from __future__ import annotations

from collections.abc import Mapping
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
# Off by default: points for reviews would let volume of reviewing climb the same boards
# as teachers' evidence. A district may choose a value on its settings page.
REVIEW_COMPLETED = Rule("review_completed", "Completed a review", 0)
# Negative: an admin revoked an award; takes back what earning it paid (never configured).
CREDENTIAL_REVOKED = Rule("credential_revoked", "Credential revoked (its points taken back)", 0)

RULES = {
    rule.name: rule
    for rule in (
        FIRST_SUBMISSION,
        CREDENTIAL_EARNED,
        PERSISTENCE,
        STACK_COMPLETED,
        STREAK_WEEK,
        REVIEW_COMPLETED,
        CREDENTIAL_REVOKED,
    )
}

# Real progress keeps a weekly streak alive: evidence added ("capture"), an attempt
# submitted or resubmitted ("submission"). Anything else (a review, a login, a page view)
# is ignored on purpose: a streak pays points, and points come from one's own evidence.
STREAK_ACTIVITIES = frozenset({"capture", "submission"})


_configured: dict[str, int] = {}


def parse_points(text: str | None) -> dict[str, int]:
    """CHALKMARK_GAME_POINTS: comma-separated `rule=points`, e.g. "persistence=40"."""
    values: dict[str, int] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, _, number = (piece.strip() for piece in part.partition("="))
        if name not in RULES:
            raise ValueError(
                f"CHALKMARK_GAME_POINTS: {name!r} is not a point rule "
                f"(one of {', '.join(sorted(RULES))})"
            )
        if not number.lstrip("-").isdigit():
            raise ValueError(f"CHALKMARK_GAME_POINTS: {name} needs a whole number, not {number!r}")
        values[name] = int(number)
    return values


def configure(points: Mapping[str, int]) -> None:
    """Install the app's point values (Settings.game_points); unset rules keep defaults."""
    _configured.clear()
    _configured.update(points)


def points_for(rule: Rule) -> int:
    return _configured.get(rule.name, rule.default_points)


def label_for(rule_name: str) -> str:
    rule = RULES.get(rule_name)
    return rule.label if rule else rule_name.replace("_", " ").capitalize()
