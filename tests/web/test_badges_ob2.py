"""Open Badges 2.0 hosted verification, fetched through the URLs as a backpack does: the
assertion leads to its BadgeClass, which leads to its Issuer; each has the required
properties; the hashed recipient matches the teacher's email; images load."""

import hashlib
import io
import json
import xml.dom.minidom

import pytest
from PIL import Image

from server.badges.images import read_baked_png
from tests.support.badges import award_one


@pytest.fixture
def awarded(app, session):
    with app.app_context():
        return award_one(session)


def _fetch(client, url: str):
    response = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 200, url
    return response


def test_hosted_assertion_badge_class_and_issuer(client, awarded):
    assertion = _fetch(client, f"http://localhost/badges/{awarded.award.uuid}/ob2").get_json(
        force=True
    )
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["type"] == "Assertion" and assertion["verification"] == {"type": "hosted"}
    assert assertion["id"].endswith(f"/badges/{awarded.award.uuid}/ob2")
    recipient = assertion["recipient"]
    expected = hashlib.sha256((awarded.teacher.email + recipient["salt"]).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": awarded.award.salt,
        "identity": f"sha256${expected}",
    }
    assert assertion["issuedOn"].endswith("Z")
    badge = _fetch(client, assertion["badge"]).get_json(force=True)
    assert badge["type"] == "BadgeClass" and badge["id"] == assertion["badge"]
    for key in ("name", "description", "image", "criteria", "issuer"):
        assert badge[key], key
    assert "Key method" in badge["criteria"]["narrative"]
    issuer = _fetch(client, badge["issuer"]).get_json(force=True)
    assert issuer["type"] == "Issuer" and issuer["id"] == badge["issuer"]
    assert issuer["name"] == "Riverbend Unified" and issuer["url"] and issuer["email"]
    image = _fetch(client, badge["image"])
    assert Image.open(io.BytesIO(image.data)).size == (400, 400)
    assert _fetch(client, assertion["image"]).mimetype == "image/png"


@pytest.mark.parametrize("spec,keyword", [("3", "openbadgecredential"), ("2", "openbadges")])
def test_baked_png_round_trips(client, awarded, spec, keyword):
    png = _fetch(client, f"http://x/badges/{awarded.award.uuid}/baked.png?spec={spec}").data
    baked = json.loads(read_baked_png(png, keyword))
    if spec == "3":
        assert baked == json.loads(awarded.award.ob3_json)
    else:
        assert baked["id"].endswith(f"/badges/{awarded.award.uuid}/ob2")


@pytest.mark.parametrize(
    "spec,tag", [("3", "openbadges:credential"), ("2", "openbadges:assertion")]
)
def test_baked_svg_round_trips(client, awarded, spec, tag):
    svg = _fetch(client, f"http://x/badges/{awarded.award.uuid}/baked.svg?spec={spec}").data
    element = xml.dom.minidom.parseString(svg).getElementsByTagName(tag)[0]
    baked = json.loads("".join(node.data for node in element.childNodes))
    assert baked["id"].endswith(awarded.award.uuid if spec == "3" else "/ob2")
