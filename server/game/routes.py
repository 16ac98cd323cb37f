"""Routes of the game area (thin views over game/service.py)."""

from flask import Blueprint

bp = Blueprint("game", __name__)
