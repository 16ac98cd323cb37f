"""Home after sign-in: what is next for each role a person holds (teacher, assessor,
coach, admin). Signed-out visitors keep the catalog's marketing page at `/`."""

from flask import Blueprint

bp = Blueprint("home", __name__)
