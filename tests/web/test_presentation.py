"""Shared presentation: one `<time>` macro writing valid ISO 8601, the CSRF field and
the `<time>` element written once (templates/macros.html), one labels module, and a
viewer's time zone applied by the one helper."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from server import labels
from server.models import EvidenceKind, SubmissionStatus
from server.timezones import in_zone, iso_utc
from tests.support.ceremonies import client_sign_up
from tests.support.fake_authenticator import FakeAuthenticator

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _templates_containing(text: str) -> list[str]:
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if text in path.read_text(encoding="utf-8")
    )


def test_time_elements_carry_valid_iso_8601(client):
    client_sign_up(client, FakeAuthenticator())  # the account page lists the passkey's date
    html = client.get("/auth/account").get_data(as_text=True)
    stamps = re.findall(r'<time datetime="([^"]*)"', html)
    assert stamps
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp), stamp
        assert datetime.fromisoformat(stamp).utcoffset().total_seconds() == 0


def test_csrf_field_and_time_element_are_written_in_one_macro_file():
    assert _templates_containing('name="csrf_token"') == ["macros.html"]
    assert _templates_containing("<time ") == ["macros.html"]


def test_iso_utc_reads_naive_values_as_utc_and_drops_microseconds():
    aware = datetime(2026, 5, 3, 14, 5, 9, 123456, tzinfo=UTC)
    assert iso_utc(aware) == "2026-05-03T14:05:09Z"
    assert iso_utc(aware.replace(tzinfo=None)) == "2026-05-03T14:05:09Z"
    assert iso_utc(in_zone(aware, "Pacific/Honolulu")) == "2026-05-03T14:05:09Z"


def test_in_zone_falls_back_to_utc_for_an_unknown_zone():
    moment = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)
    assert in_zone(moment, "Pacific/Honolulu").hour == 13
    assert in_zone(moment, "Mars/Olympus").tzinfo.key == "UTC"
    assert in_zone(moment, None).tzinfo.key == "UTC"


def test_every_status_and_kind_has_its_words():
    assert set(labels.STATUS_LABELS) == set(SubmissionStatus)
    for mapping in (labels.KIND_LABELS, labels.KIND_TITLES, labels.KIND_NOUNS):
        assert set(mapping) == set(EvidenceKind)
    assert labels.status_label("in_review") == "In review"
    assert labels.kind_noun("text", 2) == "written responses"
    assert labels.kind_label("photo") == "Photo" and labels.kind_title("photo") == "Photos"
