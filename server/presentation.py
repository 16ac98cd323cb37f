"""Everything templates get app-wide, registered in one place: the filters that show a
moment in the viewer's own time zone, the labels for stored codes, the CSRF token, the
signed-in person and the few page lookups templates call (the start button's attempt,
the awarded attempt's badge, an assessor's scoring drafts and comment bank). Area macros live in
templates/<area>/; generic ones in templates/macros.html.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g
from flask_wtf.csrf import generate_csrf

from server import labels, nav
from server.auth.session import current_user, require_user
from server.badges import issuing, page, service
from server.catalog import markdown
from server.db import get_session
from server.models import new_uuid
from server.review import drafts, hidden, hidden_item, hidden_rows, phrases, timestamps
from server.submissions import queries
from server.timezones import in_zone, iso_utc
from server.transcript import service as transcripts


def init_app(app: Flask) -> None:
    app.context_processor(_request_globals)
    app.add_template_filter(in_viewer_zone, "in_viewer_zone")
    app.add_template_filter(viewer_time, "saved_time")
    app.add_template_filter(iso_utc, "iso_utc")
    app.add_template_filter(transcripts.long_date, "long_date")
    app.add_template_filter(transcripts.hours_text, "hours")
    app.add_template_filter(transcripts.school_year_label, "school_year")
    app.add_template_filter(markdown.render, "markdown")
    app.add_template_filter(timestamps.render, "timestamps")
    # Globals (not a context processor) so macros imported without context see them too.
    for name, function in {
        "csrf_token_value": generate_csrf,
        "nav_links": nav.links_for,
        "status_label": labels.status_label,
        "kind_label": labels.kind_label,
        "kind_title": labels.kind_title,
        "kind_noun": labels.kind_noun,
        "new_client_uuid": new_uuid,
        "latest_attempt_for": latest_attempt_for,
        "earned_badge": earned_badge,
        "scoring_draft": scoring_draft,
        "drafts_saved": drafts_saved,
        "comment_bank": comment_bank,
    }.items():
        app.add_template_global(function, name)


def _request_globals():
    return {"current_user": g.get("user"), "demo_mode": current_app.config["SETTINGS"].demo}


def in_viewer_zone(value: datetime) -> datetime:
    """The moment on the signed-in person's own clock (UTC for a visitor)."""
    user = current_user()
    return in_zone(value, user.timezone if user else None)


def viewer_time(value: datetime | None) -> str:
    return in_viewer_zone(value).strftime("%H:%M") if value else ""


def latest_attempt_for(credential):
    """For the credential page's start button: this person's newest attempt, if any."""
    user = current_user()
    if user is None or credential is None:
        return None
    return queries.latest_attempt(
        session=get_session(), user_id=user.id, credential_id=credential.id
    )


def earned_badge(submission_id: int):
    """For the awarded attempt page: the badge and its share links, shown to its owner."""
    award = service.award_of_submission(session=get_session(), submission_id=submission_id)
    viewer = current_user()
    if award is None or viewer is None or viewer.id != award.user_id:
        return None
    return page.badge_page(session=get_session(), award=award, issuing=issuing.current())


def scoring_draft(review) -> drafts.Draft | None:
    """For the rubric form: the signed-in assessor's draft of their live claim, if any."""
    user = current_user()
    if user is None or not review.lease_mine:
        return None
    item = hidden.find(session=get_session(), viewer=user, item_id=review.submission.id)
    if item is not None:
        return hidden_item.read_draft(item)
    return drafts.for_review_page(
        session=get_session(), viewer=user, submission_id=review.submission.id
    )


def drafts_saved(rows) -> dict:
    """For the queue and home: {submission id: saved at} of the assessor's own claims with a
    draft (a queue row says whether it is theirs; home lists only theirs)."""
    user = current_user()
    ids = [row.submission_id for row in rows if getattr(row, "mine", True)]
    if user is None or not ids:
        return {}
    saved = drafts.saved_for(session=get_session(), viewer=user, submission_ids=ids)
    return saved | hidden_rows.drafts_saved(session=get_session(), viewer=user, item_ids=ids)


def comment_bank(criteria) -> dict:
    """For the rubric form: {criterion id: [phrases]} of the signed-in assessor's district."""
    return phrases.bank(
        session=get_session(), viewer=require_user(), criterion_ids=[c.id for c in criteria]
    )
