"""Probes: /healthz (the process answers; touches nothing) and /readyz (the database, Redis
when configured, and the evidence store all work). JSON, public, no secrets in it."""

from __future__ import annotations

from flask import current_app, jsonify

from server.extensions import limiter
from server.ops import bp, health


@bp.get("/healthz")
@limiter.exempt
def healthz():
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
@limiter.exempt
def readyz():
    settings = current_app.config["SETTINGS"]
    checks = health.readiness(
        engine=current_app.extensions["db_engine"],
        redis_url=settings.redis_url,
        storage_dir=settings.storage_dir,
    )
    ready = all(value == health.OK for value in checks.values())
    response = jsonify(status="ready" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response
