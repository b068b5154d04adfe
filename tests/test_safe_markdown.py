"""Markdown from the data becomes HTML that cannot run code (issue 13, first bullet).

Each payload is what someone could type into a cell of exercises.csv. The rendered HTML
must contain no element or attribute that runs script, and no link or image whose target
is anything but http(s) or a relative path.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from cambodia_russia.safe_markdown import render, safe_url

#: The only elements markdown-it may produce for this text (raw HTML is off).
ALLOWED_TAGS = {
    "p",
    "a",
    "code",
    "em",
    "strong",
    "pre",
    "img",
    "ul",
    "ol",
    "li",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
}


class _Elements(HTMLParser):
    """Collect the real elements of some HTML the way a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(markup: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


def assert_harmless(markup: str) -> None:
    for tag, attrs in elements(markup):
        assert tag in ALLOWED_TAGS, (tag, markup)
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (name, markup)
            if name in ("href", "src"):
                target = "".join(value.split()).lower()
                assert (
                    target.startswith(("http://", "https://")) or ":" not in target.split("/")[0]
                ), markup


PAYLOADS = [
    "<script>alert(1)</script>",
    "Text <script src=https://evil.example/x.js></script> after",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(document.cookie)">',
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[click me](java\tscript:alert(1))",
    "[click me](&#106;avascript:alert(1))",
    "[click me](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "![logo](javascript:alert(1))",
    "![logo](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[file](data:text/html,<script>alert(1)</script>)",
    "[ref]: javascript:alert(1)\n\n[link][ref]",
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "`<script>` in code stays text: <b onmouseover=alert(1)>b</b>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_render_as_harmless_text(payload):
    markup = render(payload)
    assert_harmless(markup)
    # every < the author typed is escaped: it shows as text
    if "<" in payload.replace("<javascript:", ""):
        assert "&lt;" in markup, markup


def test_the_checker_itself_catches_what_it_should():
    with pytest.raises(AssertionError):
        assert_harmless('<p><img src="x" onerror="alert(1)"></p>')
    with pytest.raises(AssertionError):
        assert_harmless('<a href="javascript:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_harmless("<script>alert(1)</script>")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=1#c",
        "http://example.org",
        "../data/README.md",
        "00_start_here.ipynb#Map",
        "#anchor",
        "data/README.md",
    ],
)
def test_http_and_relative_links_are_kept(url):
    assert safe_url(url)
    assert f'href="{url}"' in render(f"[x]({url})")
    assert 'rel="noopener noreferrer"' in render(f"[x]({url})")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\nscript:x",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/x",
        "mailto:a@b.c",
        "ftp://x",
    ],
)
def test_other_schemes_are_refused(url):
    assert not safe_url(url)


def test_ordinary_markdown_still_renders():
    markup = render(
        "**Exercise 1:** see *para 5*, `code` and [X04](https://example.org/x04)\n\n"
        "- one\n- two\n\n```python\nx = 1 < 2\n```"
    )
    assert "<strong>Exercise 1:</strong>" in markup and "<em>para 5</em>" in markup
    assert "<li>one</li>" in markup and "x = 1 &lt; 2" in markup
    assert '<a href="https://example.org/x04" rel="noopener noreferrer">X04</a>' in markup
    assert render(None) == "" and render(float("nan")) == ""
