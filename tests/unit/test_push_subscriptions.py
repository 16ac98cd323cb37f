"""What a push subscription may name: an https push service on the allow-list, never an
address, this machine or the private network (the server POSTs to it). Default settings:
these are the attacker's requests."""

from __future__ import annotations

import pytest

from server.config import Settings, push_hosts_from
from server.errors import InvalidInput
from server.notify import subscriptions
from server.notify.endpoints import EndpointPolicy, is_public_address
from tests.support.push_service import LOCAL_PUSH, FakeBrowser


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8080/push/x",
        "https://127.0.0.1/x",
        "https://127.1/x",
        "https://2130706433/x",
        "https://0x7f000001/x",
        "https://0177.0.0.1/x",
        "https://017700000001/x",
        "https://0x7f.1/x",
        "https://1.2.3.4.5/x",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://[fd00::1]/x",
        "https://10.0.0.5/x",
        "https://192.168.1.1/x",
        "https://169.254.169.254/latest",
        "https://8.8.8.8/x",
        "https://localhost/push",
        "https://localhost./push",
        "https://api.localhost/x",
        "https://fcm.googleapis.com./fcm/send/x",
        "https://user:pw@fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com@evil.example/x",
        "https://fcm.googleapis.com\\@evil.example/x",
        "https://fcm.googleapis.com:8443/x",
        "http://fcm.googleapis.com/fcm/send/x",
        "https://evil.example/x",
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilfcm.googleapis.com/x",
        "https://push.apple.com/x",
        "https://%66cm.googleapis.com/x",
        "https://fcm.googleapis.com:x/y",
        "ftp://fcm.googleapis.com/x",
        "https:///x",
        "https://fcm.googleapis.com /x",
    ],
)
def test_anything_but_a_known_push_service_is_refused(endpoint):
    with pytest.raises(InvalidInput) as refused:
        subscriptions.parse(FakeBrowser(endpoint).as_json())
    assert refused.value.field == "endpoint"


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://android.googleapis.com/gcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://push.services.mozilla.com.cdn.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGx",
        "https://api.push.apple.com/3/device/x",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
        "https://fcm.googleapis.com:443/fcm/send/abc",
    ],
)
def test_known_push_services_are_accepted(endpoint):
    data = subscriptions.parse(FakeBrowser(endpoint).as_json())
    assert data.endpoint == endpoint


def test_the_allow_list_is_a_setting_with_ports_spelled_out():
    hosts = push_hosts_from(" Push.Example.org:8443, *.push.example.net ")
    assert hosts == ("push.example.org:8443", "*.push.example.net")
    policy = EndpointPolicy.from_settings(Settings(push_hosts=hosts))
    assert subscriptions.parse(
        FakeBrowser("https://push.example.org:8443/x").as_json(), policy=policy
    )
    assert subscriptions.parse(
        FakeBrowser("https://eu.push.example.net/x").as_json(), policy=policy
    )
    for refused in ("https://push.example.org/x", "https://fcm.googleapis.com/fcm/send/x"):
        with pytest.raises(InvalidInput):
            subscriptions.parse(FakeBrowser(refused).as_json(), policy=policy)
    assert push_hosts_from("") == Settings().push_hosts
    with pytest.raises(ValueError):
        push_hosts_from("*")


def test_only_the_test_switch_lets_the_local_push_service_in():
    local = FakeBrowser("http://127.0.0.1:8080/push/x").as_json()
    assert Settings().push_allow_private_addresses is False
    assert subscriptions.parse(local, policy=LOCAL_PUSH)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("142.250.1.95", True),
        ("2a00:1450:4001::5f", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd12:3456::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", False),
        ("2002:7f00:1::", False),
        ("ff02::1", False),
        ("", False),
    ],
)
def test_public_addresses_are_told_apart(address, public):
    assert is_public_address(address) is public


def test_device_labels_are_short_and_human():
    assert (
        subscriptions.device_label(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
        )
        == "Safari on iPhone"
    )
    assert (
        subscriptions.device_label(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0"
        )
        == "Firefox on Windows"
    )
    assert subscriptions.device_label("") == "Browser"
