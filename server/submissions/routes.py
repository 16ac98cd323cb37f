"""Routes of the submissions area (thin views over submissions/service.py)."""

from flask import Blueprint

bp = Blueprint("submissions", __name__)
