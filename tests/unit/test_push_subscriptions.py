"""What a push subscription may name: a public push service, never this machine or the
private network (the server POSTs to it)."""

from __future__ import annotations

import pytest

from server.errors import InvalidInput
from server.notify import subscriptions
from tests.support.push_service import FakeBrowser


@pytest.mark.parametrize("endpoint", [
    "http://127.0.0.1:8080/push/x", "https://localhost/push", "https://api.localhost/x",
    "https://10.0.0.5/x", "https://192.168.1.1/x", "https://169.254.169.254/latest",
    "https://[::1]/x", "https://[fd00::1]/x",
])
def test_local_and_private_endpoints_are_refused(endpoint):
    with pytest.raises(InvalidInput) as refused:
        subscriptions.parse(FakeBrowser(endpoint).as_json())
    assert refused.value.field == "endpoint"
    assert subscriptions.parse(FakeBrowser(endpoint).as_json(), allow_local=True)


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/abc",
    "https://updates.push.services.mozilla.com/wpush/v2/abc",
    "https://web.push.apple.com/QGx", "https://8.8.8.8/x",
])
def test_public_push_services_are_accepted(endpoint):
    data = subscriptions.parse(FakeBrowser(endpoint).as_json())
    assert data.endpoint == endpoint


def test_device_labels_are_short_and_human():
    assert subscriptions.device_label(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1") == "Safari on iPhone"
    assert subscriptions.device_label(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0"
    ) == "Firefox on Windows"
    assert subscriptions.device_label("") == "Browser"
