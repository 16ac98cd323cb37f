"""Routes of the admin area (thin views over admin/service.py)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
