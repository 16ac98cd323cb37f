"""Routes of the badges area: public JSON-LD documents (issuer, status list, OB 2.0
hosted), the verification page, and the owner's and admin's actions."""

from server.badges import document_views, page_views  # noqa: F401  (registers the views)
from server.badges.blueprint import bp

__all__ = ["bp"]
