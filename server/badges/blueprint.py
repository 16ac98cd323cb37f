"""The badges blueprint, defined apart from the views so view modules import it without
a cycle (routes.py gathers them)."""

from flask import Blueprint

from server.badges import issuing

bp = Blueprint("badges", __name__)

JSON_LD = "application/ld+json"


@bp.record_once
def _install_issuing(state) -> None:
    # Awards decided outside a request (CLI, worker threads) sign with this app's settings.
    issuing.install(state.app.config["SETTINGS"])


def current_issuing() -> issuing.Issuing:
    return issuing.current()
