"""Markdown from the data, rendered to HTML that cannot run code.

Exercise prompts and model answers (``exercises.csv``, ``lab_solutions.csv``) are text that
anyone may edit in a spreadsheet, so the package treats them as untrusted: a ``<script>``
or an ``<img onerror=...>`` typed into a cell must show as text, never run in JupyterLab.
This module is the one place where that text becomes HTML:

* CommonMark only (emphasis, lists, code, headings, tables are not needed), rendered by
  markdown-it-py with **raw HTML disabled**: every ``<`` the author typed is escaped;
* links and images keep their target only when it is an ``http://`` or ``https://``
  address or a relative path (``../data/README.md``); ``javascript:``, ``data:``,
  ``vbscript:``, ``file:`` and any other scheme leave the Markdown as plain text;
* links get ``rel="noopener noreferrer"``.

Public names: :func:`render` (Markdown → safe HTML) and :func:`safe_url` (the link rule).
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
    """True when ``url`` is an http(s) address or a relative path (no scheme, not ``//host``).

    The test is made on the URL with whitespace and control characters removed and in
    lower case, as a browser reads it, so ``JaVa\\tScRiPt:`` is caught like ``javascript:``.
    """
    compact = _IGNORED_RE.sub("", str(url))
    if compact.startswith(("//", "\\\\", "/\\", "\\/")):
        return False  # protocol-relative: another host, scheme left to the browser
    match = _SCHEME_RE.match(compact)
    if match is None:
        return True  # a relative path, an anchor or a query
    return match.group(1).lower() in ALLOWED_SCHEMES


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
    """``markdown`` (any text from the data) as HTML with no raw HTML and only safe links.

    ``None`` and missing values give an empty string.
    """
    if markdown is None or (isinstance(markdown, float) and markdown != markdown):
        return ""
    return _parser().render(str(markdown))
