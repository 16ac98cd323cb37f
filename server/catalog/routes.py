from flask import Blueprint

from server.htmx import render

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home():
    return render("catalog/home.html")


@bp.get("/stacks")
def stacks():
    return render("catalog/home.html")
