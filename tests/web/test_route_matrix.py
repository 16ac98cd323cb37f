"""Walk every registered route as every actor against one seeded world and compare with
the authorization matrix (tests/support/route_matrix.py). A route without an entry fails
here by name; so does an entry for a route that no longer exists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.auth.session import SESSION_ID, start_session_for
from tests.support.route_matrix import ACTORS, MATRIX, Case
from tests.support.route_seed import OWNER_NAME, OWNER_SCHOOL, Seeded, seed
from tests.support.web import csrf_token, sign_in_as

IGNORED_METHODS = {"HEAD", "OPTIONS"}
READ_METHODS = {"GET"}

# The owner's phone subscribes to a local push service: notices really go somewhere.
pytest_plugins = ["tests.support.push_fixtures"]


def registered_routes(app) -> set[str]:
    return {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    }


def test_every_route_has_a_matrix_entry(app):
    routes = registered_routes(app)
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, (
        "routes with no entry in tests/support/route_matrix.py (say who "
        "may use them): " + ", ".join(missing)
    )
    assert not stale, "matrix entries for routes that no longer exist: " + ", ".join(stale)


@dataclass
class Actor:
    name: str
    client: object
    session_state: dict  # signed in (or not), restored before each call
    token: str  # the CSRF token its pages carry
    user_id: int | None


def _actors(app, seeded: Seeded) -> dict[str, Actor]:
    actors = {}
    for name in ACTORS:
        client = app.test_client()
        if seeded.users[name] is not None:
            sign_in_as(client, seeded.users[name])
        token = csrf_token(client, "/")
        with client.session_transaction() as flask_session:
            user = seeded.users[name]
            actors[name] = Actor(
                name, client, dict(flask_session), token, user.id if user else None
            )
    return actors


def _call(actor: Actor, method: str, case: Case, path: str, *, with_token: bool = True):
    with actor.client.session_transaction() as flask_session:
        flask_session.clear()  # a sign-out or sign-in by the previous call is undone
        flask_session.update(actor.session_state)
        if actor.user_id is not None:  # a sign-out ended the server-side session: a new one
            flask_session[SESSION_ID] = start_session_for(
                actor.client.application, actor.user_id, "matrix"
            )
    if method in READ_METHODS:
        return actor.client.open(path, method=method)
    token = {"csrf_token": actor.token} if with_token else {}
    headers = {"X-CSRFToken": actor.token} if with_token else {}
    if case.json is not None:
        return actor.client.open(path, method=method, json=case.json, headers=headers)
    return actor.client.open(path, method=method, headers=headers, data={**token, **case.form})


def _writes_without_a_token(actors: dict[str, Actor], seeded: Seeded) -> list[str]:
    """Each write, by the first actor allowed to make it, without its CSRF token."""
    accepted = []
    for key, cases in MATRIX.items():
        method = key.split()[0]
        for case in cases:
            name = next((a for a in ACTORS if a in case.allowed), None)
            if method in READ_METHODS or case.csrf_exempt or name is None:
                continue
            path = case.path.format(**seeded.ids_for(name))
            response = _call(actors[name], method, case, path, with_token=False)
            if response.status_code != 400:
                accepted.append(f"{key} ({path}) as {name}: {response.status_code}")
    return accepted


def _outcome(response) -> str:
    status, location = response.status_code, response.headers.get("Location", "")
    if status >= 500:
        return "error"
    if status == 401 or (300 <= status < 400 and "/auth/sign-in" in location):
        return "sign-in"
    return "refused" if status in (403, 404) else "allowed"


def _names_the_owner(body: bytes) -> bool:
    return OWNER_NAME.encode() in body or OWNER_SCHOOL.encode() in body


def _acceptable(actor: str, allowed: bool) -> set[str]:
    if allowed:
        return {"allowed"}
    return {"refused", "sign-in"} if actor == "anonymous" else {"refused"}


def _cases():
    """Reads first, then writes; within a write, refused actors before allowed ones, so
    a write that succeeds changes nothing another check depends on."""
    ordered = sorted(MATRIX.items(), key=lambda item: item[0].split()[0] not in READ_METHODS)
    for key, cases in ordered:
        method = key.split()[0]
        for case in cases:
            for actor in sorted(ACTORS, key=lambda name: name in case.allowed):
                yield key, method, case, actor


def test_each_route_answers_each_actor_as_the_matrix_says(app, client, receiver):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        seeded = seed(session, client, receiver.new_browser().as_json())
    actors = _actors(app, seeded)
    no_token = _writes_without_a_token(actors, seeded)
    assert not no_token, "writes accepted without a CSRF token:\n" + "\n".join(no_token)
    wrong, reviewer_saw = [], []
    for key, method, case, name in _cases():
        path = case.path.format(**seeded.ids_for(name))
        response = _call(actors[name], method, case, path)
        got = _outcome(response)
        if got not in _acceptable(name, name in case.allowed):
            wanted = "allowed" if name in case.allowed else "refused"
            wrong.append(
                f"{key} ({path}) as {name}: want {wanted}, got "
                f"{response.status_code} {response.headers.get('Location', '')}"
            )
        body = response.get_data() if method in READ_METHODS else b""
        if name == "assessor" and not case.owner_secret and _names_the_owner(body):
            reviewer_saw.append(f"{key} ({path})")
    assert not wrong, "the matrix and the app disagree:\n" + "\n".join(wrong)
    assert not reviewer_saw, "a blind reviewer saw the teacher's name or school on: " + ", ".join(
        reviewer_saw
    )
