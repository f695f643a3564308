"""The renderer's XSS table: whatever people type, the HTML it gives has no active content."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from journal.rendering import render_markdown

SAFE_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4",
    "h5", "h6", "hr", "span", "div", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title", "rel"}, "span": {"class"}, "div": {"class"}}
SAFE_CLASSES = {"math", "math display"}
# A link is absolute with one of these schemes or relative to the page (no scheme at all).
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Elements(HTMLParser):
    """Every start tag of a fragment with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def active_content(fragment: str) -> list[str]:
    """Return what in `fragment` could run script, load something or restyle the page."""
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if tag not in SAFE_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name not in SAFE_ATTRIBUTES.get(tag, set()):
                found.append(f"<{tag} {name}>")
            if name == "href" and urlsplit(value.strip()).scheme.lower() not in SAFE_SCHEMES:
                found.append(f"href={value!r}")
            if name == "class" and value not in SAFE_CLASSES:
                found.append(f"class={value!r}")
    return found


PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script, upper case": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script split by a null": "<scr\x00ipt>alert(1)</script>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "img onerror without quotes": "<img src=x onerror=alert(1)//>",
    "svg onload": "<svg onload=alert(1)><circle r=1></svg>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "style tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "event attribute on a div": '<div onmouseover="alert(1)">hover</div>',
    "event attribute on a link": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "form and input": '<form action="https://x.example"><input autofocus onfocus=alert(1)>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "markdown javascript link": "[click](javascript:alert(1))",
    "markdown javascript link, mixed case": "[click](JaVaScRiPt:alert(1))",
    "markdown javascript link with entities": "[click](jav&#x09;ascript:alert(1))",
    "markdown javascript link with a newline": "[click](java\nscript:alert(1))",
    "markdown link with percent-encoding": "[click](javascript%3Aalert(1))",
    "markdown vbscript link": "[click](vbscript:msgbox(1))",
    "markdown data link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "markdown image with data uri": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "markdown image with javascript": "![x](javascript:alert(1))",
    "image title breaking out": '![x](https://a.example/x.png "a\\" onerror=alert(1))',
    "markdown link title breaking out": '[x](https://a.example "t\\" onmouseover=\\"alert(1)")',
    "reference-style javascript link": "[x][1]\n\n[1]: javascript:alert(1)",
    "autolink with javascript": "<javascript:alert(1)>",
    "html entities for a tag": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "numeric entities for a tag": "&#60;img src=x onerror=alert(1)&#62;",
    "math containing a script": "$<script>alert(1)</script>$",
    "math containing an image": "$$<img src=x onerror=alert(1)>$$",
    "math closing its own span": '$x</span><img src=x onerror=alert(1)>$',
    "math with a katex href": "$\\href{javascript:alert(1)}{x}$",
    "nested tags": "<div><p><b><i><script>alert(1)</script></i></b></p></div>",
    "unbalanced tags": "<p><a href=javascript:alert(1)>x<p></a></div></span>",
    "unclosed attribute": '<a href="javascript:alert(1)',
    "comment hiding a script": "<!--><script>alert(1)</script>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "unicode fullwidth brackets": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "right-to-left override in a link": "[txt.exe\u202egpj](javascript:alert(1))",
    "zero-width space in a scheme": "[x](java\u200bscript:alert(1))",
    "private-use placeholder forgery": "\ue0000\ue001<img src=x onerror=alert(1)> $x$",
    "code span with a script": "`<script>alert(1)</script>`",
    "fenced code with a script": "```html\n<script>alert(1)</script>\n```",
    "table cell with an image": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "link inside math inside a link": "[$x$](javascript:alert(1))",
    "template injection": "{{ request.user.password }} {% debug %}",
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=list(PAYLOADS))
def test_rendered_payload_has_no_active_content(payload):
    html = render_markdown(payload)
    assert active_content(html) == []


def test_payloads_cover_thirty_kinds_of_attack():
    assert len(PAYLOADS) >= 30


def test_a_refused_tag_is_shown_as_text_for_the_reader():
    html = render_markdown("<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_safe_links_keep_their_address_and_open_without_the_opener():
    html = render_markdown("[paper](https://arxiv.org/abs/1706.03762)")
    assert 'href="https://arxiv.org/abs/1706.03762"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_math_keeps_its_source_for_the_typesetter():
    html = render_markdown("Loss $\\mathcal{L} = \\sum_i x_i^2$ and $$\\frac{a}{b}$$.")
    assert '<span class="math">$\\mathcal{L} = \\sum_i x_i^2$</span>' in html
    assert '<div class="math display">$$\\frac{a}{b}$$</div>' in html


@pytest.mark.parametrize(
    "fragment",
    [
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<span class="evil">x</span>',
        '<p style="color:red">x</p>',
        "<svg></svg>",
    ],
)
def test_the_checker_itself_catches_active_content(fragment):
    assert active_content(fragment) != []
