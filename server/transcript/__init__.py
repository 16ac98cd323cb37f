"""The transcript blueprint; its views (teacher_views, district_views) import it and
create_app loads them (see VIEW_MODULES in server/__init__.py)."""

from flask import Blueprint

from server.badges import issuing
from server.badges.urls import BadgeUrls
from server.transcript.service import hours_text, long_date, school_year_label

bp = Blueprint("transcript", __name__)

bp.add_app_template_filter(long_date, "long_date")
bp.add_app_template_filter(hours_text, "hours")
bp.add_app_template_filter(school_year_label, "school_year")


def verification_url(award_uuid: str) -> str:
    """The award's public verification page, absolute: it is printed on paper."""
    return BadgeUrls(issuing.current().public_url).award(award_uuid)
