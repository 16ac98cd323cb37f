"""Badges: Open Badges 2.0/3.0 documents, the public verification page, revocation.

The area's blueprint lives here; its view modules (document_views.py, page_views.py) add
their routes to it, and create_app imports each of them (server/__init__.py VIEW_MODULES).
"""

from flask import Blueprint

from server.badges import issuing

bp = Blueprint("badges", __name__)


@bp.record_once
def _install_issuing(state) -> None:
    # Awards decided outside a request (CLI, worker threads) sign with this app's settings.
    issuing.install(state.app.config["SETTINGS"])
