"""Typed errors raised by services; blueprints turn them into a page or fragment.

Each carries a message written for the person using the app, never a stack trace.
"""


class ChalkmarkError(Exception):
    status_code = 400
    title = "Something went wrong"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ChalkmarkError):
    status_code = 422
    title = "Please check this"


class NotFound(ChalkmarkError):
    status_code = 404
    title = "Not found"


class Forbidden(ChalkmarkError):
    status_code = 403
    title = "Not allowed"


class NotSignedIn(ChalkmarkError):
    status_code = 401
    title = "Please sign in"


class Conflict(ChalkmarkError):
    status_code = 409
    title = "Already changed"


class Expired(ChalkmarkError):
    status_code = 410
    title = "This has expired"


class TooLarge(ChalkmarkError):
    status_code = 413
    title = "Too large"
