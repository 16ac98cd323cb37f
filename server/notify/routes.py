"""Routes of the notify area (thin views over notify/service.py)."""

from flask import Blueprint

bp = Blueprint("notify", __name__)
