"""Markdown that authors write (a credential's research) rendered safely for teachers.

markdown-it-py turns the text into HTML with raw HTML switched off, then nh3 (the Rust
ammonia sanitiser) keeps only a short list of tags and attributes and only http(s) and
mailto links: `<script>`, event handlers and `javascript:` links never reach the page.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str | None) -> Markup:
    """Sanitised HTML for `text`; headings start at h3 (the page has h1 and h2)."""
    html = _MARKDOWN.render(text or "")
    for level in (2, 1):  # demote # and ## under the page's own headings
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
