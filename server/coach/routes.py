"""Routes of the coach area (thin views over coach/service.py)."""

from flask import Blueprint

bp = Blueprint("coach", __name__)
