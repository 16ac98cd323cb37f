from flask import Blueprint, redirect, url_for

from server.auth.session import logout_user
from server.htmx import render

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.get("/sign-in")
def sign_in():
    return render("catalog/home.html")


@bp.get("/account")
def account():
    return render("catalog/home.html")


@bp.post("/sign-out")
def sign_out():
    logout_user()
    return redirect(url_for("catalog.home"), 303)
