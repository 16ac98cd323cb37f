"""The edge parsers: ids/ints from forms and URLs (server/ids.py), JSON bodies and their
schemas (server/jsonapi.py), capture times (server/evidence/validation.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from server.errors import InvalidInput, TooLarge
from server.evidence import validation
from server.ids import (
    MAX_ID,
    BoundedIntConverter,
    PrintableConverter,
    parse_id,
    parse_ids,
    parse_int,
)
from server.jsonapi import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    BadJson,
    Id,
    Int,
    Object,
    Schema,
    Text,
    read_json,
)


@pytest.mark.parametrize(
    "raw",
    ["", "0", "-1", "²", "①", "٣", " 7", "7 ", "+7", "1e3", "0x10", str(2**63), "9" * 40, None, 7],
)
def test_parse_id_refuses_anything_but_ascii_digits_in_range(raw):
    assert parse_id(raw) is None


def test_parse_id_accepts_the_whole_bigint_range():
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_ids(["3", "²", str(2**63), "4"]) == [3, 4]


def test_parse_int_has_bounds_and_a_sign():
    assert parse_int("-5") == -5
    assert parse_int("5", low=0, high=4) is None
    assert parse_int("٣") is None


def _app_with(rule: str) -> Flask:
    app = Flask(__name__)
    app.url_map.converters["int"] = BoundedIntConverter
    app.add_url_rule(rule, "thing", lambda id: str(id))
    return app


@pytest.mark.parametrize("raw", ["0", str(2**63), "9" * 30, "²", "①"])
def test_the_int_converter_answers_404_outside_the_id_range(raw):
    client = _app_with("/things/<int:id>").test_client()
    assert client.get(f"/things/{raw}").status_code == 404
    assert client.get(f"/things/{MAX_ID}").get_data(as_text=True) == str(MAX_ID)


SCHEMA = Schema(name=Text(5, required=True), id=Id(), count=Int(low=0, high=9), obj=Object())


def _read(body: str | bytes, schema=SCHEMA, content_type="application/json"):
    app = Flask(__name__)
    with app.test_request_context("/", method="POST", data=body, content_type=content_type):
        return read_json(schema)


def test_a_schema_returns_every_declared_key_and_drops_the_rest():
    assert _read('{"name": "ab", "id": "12", "extra": 1}') == {
        "name": "ab",
        "id": 12,
        "count": None,
        "obj": None,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"name": 5}', "name"),
        ('{"name": "toolong"}', "name"),
        ("{}", "name"),
        ('{"name": "a", "id": true}', "id"),
        ('{"name": "a", "id": 1.5}', "id"),
        (f'{{"name": "a", "id": {2**63}}}', "id"),
        ('{"name": "a", "id": "²"}', "id"),
        ('{"name": "a", "count": "3"}', "count"),
        ('{"name": "a", "count": 10}', "count"),
        ('{"name": "a", "obj": []}', "obj"),
    ],
)
def test_wrong_types_and_sizes_name_their_field(body, field):
    with pytest.raises(InvalidInput) as err:
        _read(body)
    assert err.value.field == field


@pytest.mark.parametrize("body", ["[1]", '"text"', "5", "null", "{", '{"a": NaN', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_bad_request(body):
    with pytest.raises(BadJson):
        _read(body)


def test_deep_nesting_is_refused_before_parsing():
    with pytest.raises(BadJson, match="nested too deeply"):
        _read('{"obj": ' + "[" * 50_000)  # what recursed in json.loads: a 500
    with pytest.raises(BadJson, match="nested too deeply"):
        _read('{"obj": ' + "[" * 2_000 + "]" * 2_000 + "}")
    # Brackets inside strings don't count.
    assert _read('{"name": "[[[[["}')["name"] == "[[[[["
    nested = '{"name": "a", "obj": ' + '{"x": ' * (MAX_DEPTH - 1) + "1" + "}" * MAX_DEPTH
    assert _read(nested)["obj"]


def test_a_huge_body_is_too_large():
    with pytest.raises(TooLarge):
        _read('{"name": "' + "x" * MAX_BODY_BYTES + '"}')


def test_a_body_that_is_not_json_counts_as_empty():
    with pytest.raises(InvalidInput, match="name is required"):
        _read("name=a", content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    "raw",
    [
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "1850-01-01T00:00:00Z",
        "2999-01-01T00:00:00",
    ],
)
def test_capture_times_outside_2000_to_2100_are_refused_clearly(raw):
    with pytest.raises(InvalidInput) as err:
        validation.captured_at(raw)
    assert err.value.field == "captured_at"


def test_a_plausible_capture_time_is_kept_in_utc():
    assert validation.captured_at("2026-03-01T10:00:00+02:00").hour == 8


def test_a_path_part_with_a_nul_is_404():
    app = _app_with("/things/<int:id>")
    app.url_map.converters["default"] = PrintableConverter
    app.add_url_rule("/tokens/<token>", "token", lambda token: token)
    client = app.test_client()
    assert client.get("/tokens/a%00b").status_code == 404
    assert client.get("/tokens/ab").get_data(as_text=True) == "ab"
