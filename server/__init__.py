"""Chalkmark: create_app() wires config, extensions, blueprints and the CLI."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from flask import Flask

from server import db, jobs, presentation, security, web
from server.config import Settings
from server.evidence.limits import UploadLimits
from server.extensions import compress, csrf, htmx, limiter
from server.ids import BoundedIntConverter, PrintableConverter
from server.ops import requestlog
from server.pwa import page_key

# Each area's blueprint `bp` lives in server/<area>/__init__.py; these modules add their
# views to it. Importing them here (not from the area's __init__) keeps every import at
# the top of its file, with no cycle.
VIEW_MODULES = {
    "catalog": ("routes",),
    "auth": ("routes", "account_views", "passkey_views"),
    "evidence": ("routes", "erase_views", "resumable_views", "part_views"),
    "submissions": ("routes", "appeal_views"),
    "review": ("routes", "phrase_views", "drafts_views", "calibration_views"),
    "game": ("routes",),
    "notify": ("routes", "push_views"),
    "coach": ("routes", "member_views"),
    "badges": ("document_views", "page_views", "profile_views", "stack_views"),
    "transcript": ("teacher_views", "district_views"),
    "pwa": ("routes",),
    "admin": (
        "home_views",
        "reassign_views",
        "analytics_views",
        "roster_views",
        "people_views",
        "settings_views",
        "calibration_views",
        "agreement_views",
        "roles_views",
        "authoring_views",
        "authoring_credential_views",
    ),
    "home": ("routes",),
    "ops": ("routes",),
}
ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Settings | dict | None = None) -> Flask:
    settings = config if isinstance(config, Settings) else Settings.from_env(**(config or {}))
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(settings.instance_dir),
    )
    # Before any blueprint adds a rule: every `<int:...>` route gets the bounded converter.
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = PrintableConverter
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_NAME="chalkmark_session",
        # The cookie only carries the session id; the server decides when a session ends.
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * settings.session_max_days,
        # Write the cookie only when it changes: a background request (the service worker
        # warming a page) answering with the cookie as it found it would otherwise erase a
        # flash message ("Decision saved.") set by a request that finished in between.
        SESSION_REFRESH_EACH_REQUEST=False,
        # Tokens live as long as the session: a form left open over lunch still submits.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        # Werkzeug refuses bodies over this before reading them; kinds have smaller limits.
        MAX_CONTENT_LENGTH=UploadLimits.from_settings(settings).largest_request,
        RATELIMIT_ENABLED=settings.ratelimit_enabled,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "application/javascript",
            "text/javascript",
            "application/json",
            "application/manifest+json",
            "image/svg+xml",
        ],
    )
    db.init_app(app)
    requestlog.init_app(app)  # first: its timer starts before the other hooks run
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    web.init_app(app)
    security.init_app(app)
    presentation.init_app(app)
    jobs.init_app(app)
    _register_blueprints(app)
    page_key.init_app(app)  # after the blueprints, where pwa/routes.py used to add it

    from server.cli import register_commands

    register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    # Every area's blueprint; each area owns its URLs (see DESIGN.md §2).
    for area, modules in VIEW_MODULES.items():
        for module in modules:
            import_module(f"server.{area}.{module}")
        app.register_blueprint(import_module(f"server.{area}").bp)
