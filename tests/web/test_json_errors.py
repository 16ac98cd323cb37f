"""One JSON error convention: a script's request is refused in the shape of
server/jsonapi.py, whichever layer refuses it (the view, the global CSRF check, sign-in,
routing); a page's request still gets a page. One CSRF message for both."""

from __future__ import annotations

from server.jsonapi import CSRF_MESSAGE
from tests.support.factories import make_user
from tests.support.web import csrf_token, json_error, sign_in_as

JSON = {"Accept": "application/json"}


def test_a_json_post_without_the_csrf_token_gets_the_json_shape(client, session):
    sign_in_as(client, make_user(session))
    response = client.post("/push/subscriptions", json={}, headers=JSON)
    assert response.status_code == 400 and response.is_json
    assert json_error(response) == {"message": CSRF_MESSAGE, "field": None}
    assert response.get_json()["csrf"] is True  # the capture queue fetches a fresh token


def test_a_form_without_the_csrf_token_gets_a_page_with_the_same_message(client, session):
    sign_in_as(client, make_user(session))
    response = client.post("/push/test")
    assert response.status_code == 400 and not response.is_json
    assert CSRF_MESSAGE in response.get_data(as_text=True)


def test_a_signed_out_json_post_is_a_401_in_the_json_shape(client):
    response = client.post(
        "/push/subscriptions", json={}, headers={"X-CSRFToken": csrf_token(client), **JSON}
    )
    assert response.status_code == 401 and response.is_json
    assert json_error(response)["message"] == "Please sign in to continue."


def test_a_wrong_method_on_a_json_endpoint_is_json(client, session):
    sign_in_as(client, make_user(session))
    response = client.get("/push/subscriptions", headers=JSON)
    assert response.status_code == 405 and response.is_json
    assert json_error(response)["message"]
