"""Routes of the badges area (thin views over badges/service.py)."""

from flask import Blueprint

bp = Blueprint("badges", __name__)
