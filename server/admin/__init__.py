"""The district admin blueprint (/admin); its view modules import `bp` and create_app
loads them (see VIEW_MODULES in server/__init__.py). Every view starts with
guards.admin_district, so each page is scoped to the admin's own district."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
