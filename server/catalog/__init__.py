"""The public catalog: stacks, credentials and rubrics (read side).

The area's blueprint lives here; its view modules (routes.py, *_views.py) add their routes
to it, and create_app imports each of them (server/__init__.py VIEW_MODULES).
"""

from flask import Blueprint

bp = Blueprint("catalog", __name__)
