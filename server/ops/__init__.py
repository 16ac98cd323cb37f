"""Operations: health and readiness probes, request logs, backup and restore.

The area's blueprint lives here; its view modules (routes.py, *_views.py) add their routes
to it, and create_app imports each of them (server/__init__.py VIEW_MODULES).
"""

from flask import Blueprint

bp = Blueprint("ops", __name__)
