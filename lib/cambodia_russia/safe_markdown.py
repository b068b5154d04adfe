"""Markdown from the data (exercise prompts, model answers: anyone may edit them in a
spreadsheet) rendered to HTML that cannot run code; the one place that text becomes HTML.

CommonMark by markdown-it-py with raw HTML disabled (every ``<`` typed is escaped); links
and images keep their target only when it is ``http(s)://`` or a relative path (otherwise
the Markdown stays plain text); links get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["ALLOWED_SCHEMES", "render", "safe_url"]

#: The only URL schemes a link or image may use; relative paths (no scheme) are allowed too.
ALLOWED_SCHEMES = ("http", "https")

_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Characters browsers drop or ignore inside a URL before reading its scheme.
_IGNORED_RE = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> bool:
    """True when ``url`` is an http(s) address or a relative path (no scheme, not ``//host``),
    read as a browser reads it (``JaVa\\tScRiPt:`` is caught like ``javascript:``)."""
    compact = _IGNORED_RE.sub("", str(url))
    if compact.startswith(("//", "\\\\", "/\\", "\\/")):
        return False  # protocol-relative: another host, scheme left to the browser
    match = _SCHEME_RE.match(compact)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.validateLink = safe_url

    def link_open(renderer, tokens, idx, options, env):
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return renderer.renderToken(tokens, idx, options, env)

    parser.add_render_rule("link_open", link_open)
    return parser


def render(markdown: object) -> str:
    """``markdown`` (any text from the data) as HTML with no raw HTML and only safe links;
    ``None`` and missing values give an empty string."""
    if markdown is None or (isinstance(markdown, float) and markdown != markdown):
        return ""
    return _parser().render(str(markdown))
