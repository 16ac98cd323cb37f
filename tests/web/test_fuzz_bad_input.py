"""Malformed requests to every route of the app (enumerated from app.url_map), signed in
as each role with a valid CSRF token: never a 500, the app still answers afterwards, and
no evidence row lost its blob (nor a blob its row).

Each Hypothesis example sends one request to every route, so the number of requests is
examples × routes (at least MIN_REQUESTS)."""

from __future__ import annotations

import io
import json
import math
import re
import uuid
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from server.models import Cohort, EvidenceRequirement
from tests.support.evidence import make_world
from tests.support.evidence_invariant import evidence_mismatches
from tests.support.media import png_bytes
from tests.support.web import csrf_token, sign_in_as, signed_in_user_id

MIN_REQUESTS = 500
PARTS = 4  # the routes split in four tests (pytest-xdist spreads them over its workers)
ROLES = ("anonymous", "owner", "assessor", "coach", "admin")
# Routes that end the signed-in session the other requests ride on (no input to fuzz).
SKIPPED = {"static", "auth.sign_out"}
ARGUMENT = re.compile(r"<(?:([^:>]+):)?([^>]+)>")
# Every key a form, query string or JSON body of the app reads.
FIELDS = (
    "after",
    "board",
    "captured_at",
    "category",
    "challengeId",
    "client_uuid",
    "code",
    "consent",
    "credential",
    "decision",
    "display_name",
    "email",
    "endpoint",
    "feedback",
    "filter",
    "filename",
    "keys",
    "member_ids",
    "message",
    "name",
    "next",
    "nickname",
    "note",
    "old_endpoint",
    "people",
    "period",
    "q",
    "requirement_id",
    "show",
    "size",
    "subscription",
    "submission",
    "template",
    "text",
    "url",
    "user_id",
    "visibility",
    "met_1",
    "comment_1",
)
BAD_TEXT = (
    "0",
    "-1",
    str(2**63),
    str(2**64),
    "9" * 40,
    "²",
    "①",
    "٣",
    " 1",
    "1e3",
    "0x1",
    "",
    "cohort-" + str(2**63),
    "cohort-²",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "2026-13-45",
    "2026-03-01T09:30:00.000000_" + str(2**31),
    "9999-12-31T23:59:59.999999_1",
    "1850-01-01T00:00:00Z",
    "/\n/x",
    "\x00",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "x" * 70_000,
    "null",
    "[]",
)
DEEP = "[" * 50_000  # unclosed: json.loads recursed into a RecursionError on it

bad_text = st.one_of(
    st.sampled_from(BAD_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# What an HTTP header can carry at all (no line breaks, Latin-1).
header_text = st.sampled_from(
    [
        v
        for v in BAD_TEXT
        if v.isprintable() and len(v) < 100 and v.encode("latin-1", "ignore").decode("latin-1") == v
    ]
)
json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.floats()
    | bad_text
    | st.integers(min_value=-(2**70), max_value=2**70),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture
def world(session):
    return make_world(session, kinds=("photo", "text", "video"))


@pytest.fixture
def ids(session, world) -> dict[str, list[int]]:
    """Real ids (so requests get past the lookups), used beside bad ones."""
    requirements = session.exec(
        select(EvidenceRequirement.id).where(
            EvidenceRequirement.credential_id == world.credential.id
        )
    ).all()
    cohorts = session.exec(select(Cohort.id)).all()
    cast = world.cast
    users = [cast.owner.id, cast.other_teacher.id, cast.assessor.id, cast.coach.id]
    return {
        "any": [world.submission.id, *requirements, *cohorts, *users, 1, 2, 3],
        "requirement": list(requirements),
    }


class Role:
    """A test client signed in as one role, with the CSRF token its pages carry."""

    def __init__(self, app, user):
        self.client, self.user = app.test_client(), user
        self.sign_in()

    def sign_in(self) -> None:
        if self.user is not None:
            sign_in_as(self.client, self.user)
        self.token = csrf_token(self.client, "/me/credentials" if self.user else "/")

    def keep_signed_in(self) -> None:
        if self.user is not None and signed_in_user_id(self.client) != self.user.id:
            self.sign_in()


def _routes(app) -> list[tuple[object, str]]:
    routes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return sorted(routes, key=lambda route: (route[0].rule, route[1]))


def _path(draw, rule, ids) -> str:
    """The rule with each argument filled in: real or bad ids, odd strings."""

    def value(match) -> str:
        if match[1] == "int":
            return draw(st.sampled_from([*map(str, ids["any"]), "0", str(2**63), "9" * 30]))
        return quote(
            draw(st.sampled_from(["x", "teacher", "..", "%00"]) | st.text(max_size=20)), safe=""
        )

    return ARGUMENT.sub(value, rule.rule)


def _fields(draw, ids) -> dict:
    names = draw(st.lists(st.sampled_from(FIELDS), max_size=8, unique=True))
    fields = {name: draw(bad_text) for name in names}
    if draw(st.booleans()):
        fields["requirement_id"] = str(draw(st.sampled_from(ids["requirement"])))
        fields["client_uuid"] = str(uuid.uuid4())
    return fields


def _json_body(draw) -> str:
    kind = draw(st.sampled_from(["object", "object", "not-object", "deep", "broken"]))
    if kind == "deep":
        return '{"credential": ' + DEEP + "}"
    if kind == "broken":
        return draw(st.sampled_from(['{"a": ', "{'a': 1}", "\ufeff{}", "{}" * 3, ""]))
    if kind == "not-object":
        return json.dumps(draw(json_value))
    keys = st.sampled_from(FIELDS) | st.text(max_size=8)
    return json.dumps(draw(st.dictionaries(keys, json_value, max_size=8)))


def _request(draw, rule, method, ids, token) -> dict:
    path = _path(draw, rule, ids)
    headers = {
        "X-CSRFToken": token,
        "Accept": draw(st.sampled_from(["text/html", "application/json", "*/*"])),
    }
    if draw(st.booleans()):
        headers["HX-Request"] = "true"
    if method == "GET":
        return {"path": path + "?" + urlencode(_fields(draw, ids)), "headers": headers}
    if method == "PATCH":
        headers["Upload-Offset"] = draw(header_text)
    if draw(st.booleans()):
        return {
            "path": path,
            "headers": headers,
            "data": _json_body(draw),
            "content_type": "application/json",
        }
    form = {**_fields(draw, ids), "csrf_token": token}
    if draw(st.booleans()):
        form["file"] = (io.BytesIO(png_bytes()), "photo.png")
    return {"path": path, "headers": headers, "data": form, "content_type": "multipart/form-data"}


@pytest.mark.parametrize("part", range(PARTS))
def test_no_malformed_request_is_a_500(app, world, ids, engine, settings, part):
    roles = {
        role: Role(app, world.cast.get(role) if role != "anonymous" else None) for role in ROLES
    }
    # Every PARTS-th route, so the parts run on different test workers and together
    # cover every route with at least MIN_REQUESTS requests.
    routes = _routes(app)[part::PARTS]
    examples = math.ceil(MIN_REQUESTS / PARTS / len(routes))
    sent = []

    @settings_for(examples)
    @given(data=st.data())
    def send_to_every_route(data):
        for rule, method in routes:
            role = roles[data.draw(st.sampled_from(ROLES))]
            role.keep_signed_in()
            request = _request(data.draw, rule, method, ids, role.token)
            response = role.client.open(method=method, **request)
            sent.append(rule.rule)
            assert response.status_code < 500, (
                f"{method} {request['path'][:200]} as {role.user and role.user.handle}: "
                f"{response.status_code}; body {str(request.get('data'))[:300]}"
            )

    send_to_every_route()
    assert len(sent) >= MIN_REQUESTS / PARTS and {rule.rule for rule, _ in routes} <= set(sent)
    assert roles["anonymous"].client.get("/").status_code == 200
    assert roles["owner"].client.get("/me/credentials").status_code == 200
    with Session(engine) as session:
        assert evidence_mismatches(session, settings.storage_dir) == (set(), set())


def settings_for(examples: int):
    # No shrinking: each example is a whole round of requests on a shared database, and the
    # assertion message already names the request that failed.
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
