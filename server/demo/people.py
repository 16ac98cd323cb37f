"""The demo cast: one-click "try as ..." in demo mode signs in as these handles."""

DEMO_HANDLES = {
    "teacher": "maya",
    "assessor": "jordan",
    "coach": "sam",
    "admin": "alex",
}
