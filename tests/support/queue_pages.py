"""Walking the review queue's pages as an assessor does: "Next page" until there is none."""

from __future__ import annotations

import re
from html import unescape

NEXT = re.compile(r'<a href="([^"]+)" rel="next"')
ROW = re.compile(r'<h2 class="review-item-title"><a href="/review/([0-9]+)">')
MAX_PAGES = 100  # a cursor that stopped moving would loop: fail instead


def walk(client, start: str = "/review", **headers) -> list[str]:
    """Every page from `start` on, following "Next page" until there is none."""
    pages, path = [], start
    while path:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        pages.append(html := response.get_data(as_text=True))
        found = NEXT.search(html)
        path = unescape(found[1]) if found else ""
        assert len(pages) <= MAX_PAGES, path
    return pages


def row_ids(html: str) -> list[int]:
    return [int(found) for found in ROW.findall(html)]
