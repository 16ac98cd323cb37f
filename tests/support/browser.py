"""Playwright on Debian's Chromium (never a downloaded browser), a CDP virtual
authenticator for passkeys, and the axe accessibility check."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
# The network here is closed: without these, Chromium keeps dialling Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}

_axe = Axe()


def add_virtual_authenticator(page, *, user_verified: bool = True) -> tuple[object, str]:
    """A platform authenticator with resident keys, answering without a human."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": user_verified,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


def credentials_on(cdp, authenticator_id: str) -> list[dict]:
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def axe_violations(page) -> list[dict]:
    """WCAG 2 A + AA violations on the page as it is now."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    return results.response["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {[n['target'] for n in v['nodes'][:3]]})"
        for v in violations
    ]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(summary)
