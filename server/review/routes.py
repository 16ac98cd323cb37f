"""Routes of the review area (thin views over review/service.py)."""

from flask import Blueprint

bp = Blueprint("review", __name__)
