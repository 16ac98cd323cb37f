"""Routes of the evidence area (thin views over evidence/service.py)."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)
