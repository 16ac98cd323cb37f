"""The transcript blueprint; its views (teacher_views, district_views) import it and
create_app loads them (see VIEW_MODULES in server/__init__.py)."""

from flask import Blueprint

from server.badges import issuing
from server.badges.urls import BadgeUrls

bp = Blueprint("transcript", __name__)


def verification_url(award_uuid: str) -> str:
    """The award's public verification page, absolute: it is printed on paper."""
    return BadgeUrls(issuing.current().public_url).award(award_uuid)


def stack_verification_url(uuid: str) -> str:
    return BadgeUrls(issuing.current().public_url).stack_award(uuid)
