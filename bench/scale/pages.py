"""What the load test's users read off the pages (the links and forms a browser would
follow) and the files they upload. No locust here: the locustfile uses these."""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
STACK_LINK = re.compile(r'href="/stacks/([a-z0-9-]+)"')
CREDENTIAL_LINK = re.compile(r'href="/credentials/([a-z0-9-]+)"')
QUEUE_LINK = re.compile(r'href="/review/([0-9]+)"')
THUMB = re.compile(r'src="(/evidence/[0-9]+/thumb)"')
CRITERION = re.compile(r'name="met_([0-9]+)"')
PART = re.compile(r'<li class="evidence-part" id="req-([0-9]+)"')
GAP = re.compile(r'<a href="#req-([0-9]+)">Part [0-9]+</a>: ([0-9]+) more')
FIELD_ERROR = re.compile(r'class="field-error"[^>]*>([^<]+)<')
MIN_WORDS = re.compile(r'data-min-words="([0-9]+)"')
WORDS = "students worked in pairs then explained their reasoning to the class".split()


@dataclass(frozen=True)
class Part:
    requirement_id: int
    kind: str  # photo, video, file, link, text
    min_words: int


def csrf_token(html: str) -> str | None:
    match = CSRF.search(html)
    return match[1] if match else None


def parts(html: str) -> list[Part]:
    """The attempt page's evidence parts, each with the kind its form asks for."""
    found = []
    chunks = PART.split(html)[1:]  # [id, body, id, body, ...]
    for requirement_id, body in zip(chunks[::2], chunks[1::2], strict=True):
        if "/text" in body and "text-evidence" in body:
            kind = "text"
        elif 'accept="image/*"' in body:
            kind = "photo"
        elif 'accept="video/*"' in body:
            kind = "video"
        elif 'name="url"' in body:
            kind = "link"
        else:
            kind = "file"
        words = MIN_WORDS.search(body)
        found.append(Part(int(requirement_id), kind, int(words[1]) if words else 0))
    return found


def gaps(html: str) -> dict[int, int]:
    """Requirement id → how many more items submit still needs."""
    return {int(req): int(count) for req, count in GAP.findall(html)}


def is_draft(html: str, submission_id: int) -> bool:
    return f'action="/submissions/{submission_id}/submit"' in html


def missing_evidence(review_html: str) -> bool:
    """The review page says a required part has no evidence (award is refused then)."""
    return "It is required." in review_html


def words(count: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(count))


class Media:
    """A few photos as a phone sends them (≤ 1600 px JPEG, q≈0.8) and a small PDF."""

    def __init__(self, photos: int = 4, seed: int = 1) -> None:
        from PIL import Image, ImageDraw

        rng = random.Random(seed)
        self.photos = []
        for _ in range(photos):
            image = Image.new("RGB", (1600, 1200), tuple(rng.randrange(256) for _ in range(3)))
            draw = ImageDraw.Draw(image)
            for _ in range(400):  # shapes and edges, so it compresses like a classroom photo
                x, y = rng.randrange(1600), rng.randrange(1200)
                box = (x, y, x + rng.randrange(8, 200), y + rng.randrange(8, 200))
                draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
            self.photos.append(out.getvalue())
        self.pdf = (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )

    def photo(self) -> bytes:
        return random.choice(self.photos)
