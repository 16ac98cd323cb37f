"""Every public URL of a badge, built from the public base URL (ids inside signed
credentials must be absolute and must not change, so they are not built with url_for)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadgeUrls:
    base: str

    def issuer(self, slug: str) -> str:
        return f"{self.base}/badges/issuers/{slug}"

    def key(self, slug: str, key_id: str) -> str:
        return f"{self.issuer(slug)}#{key_id}"

    def status_list(self, slug: str) -> str:
        return f"{self.issuer(slug)}/status/revocation"

    def issuer_ob2(self, slug: str) -> str:
        return f"{self.issuer(slug)}/ob2"

    def achievement(self, slug: str, version: int) -> str:
        return f"{self.base}/badges/achievements/{slug}/v{version}"

    def achievement_image(self, slug: str, version: int) -> str:
        return f"{self.achievement(slug, version)}/image.svg"

    def badge_class(self, issuer_slug: str, slug: str, version: int) -> str:
        # Per issuer: one credential of the catalog is issued by each district itself.
        return f"{self.issuer(issuer_slug)}/badges/{slug}/v{version}"

    def award(self, uuid: str) -> str:
        return f"{self.base}/badges/{uuid}"

    def assertion(self, uuid: str) -> str:
        return f"{self.award(uuid)}/ob2"

    def stack_status_list(self, slug: str) -> str:
        return f"{self.issuer(slug)}/status/stack-revocation"

    def stack_award(self, uuid: str) -> str:
        return f"{self.base}/badges/stack/{uuid}"

    def stack_achievement(self, slug: str, edition: str) -> str:
        # `edition`: a digest of the member credentials' versions (a changed stack is a
        # new achievement).
        return f"{self.base}/badges/stack-achievements/{slug}/{edition}"

    def stack_image(self, slug: str, fmt: str = "svg") -> str:
        return f"{self.base}/badges/stack-achievements/{slug}/image.{fmt}"

    def profile(self, slug: str) -> str:
        return f"{self.base}/badges/people/{slug}"
