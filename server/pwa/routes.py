"""The service worker and manifest live at the site root so their scope is `/`."""

from pathlib import Path

from flask import Blueprint, send_from_directory

PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest():
    return send_from_directory(PWA_DIR, "manifest.webmanifest",
                               mimetype="application/manifest+json", max_age=3600)


@bp.get("/sw.js")
def service_worker():
    response = send_from_directory(PWA_DIR, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    return send_from_directory(PWA_DIR, "offline.html", max_age=3600)
