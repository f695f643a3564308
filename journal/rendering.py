"""Render user-written Markdown (with LaTeX math) to safe HTML, in time linear in its length.

Math between `$...$` or `$$...$$` is set aside before Markdown runs, so underscores and
asterisks inside formulas are not taken for emphasis, and is put back escaped inside a
`<span class="math">` for the client-side typesetter. Markdown is parsed by markdown-it (a
CommonMark parser whose cost stays linear on pathological input such as thousands of open
brackets, with a bounded nesting depth) with raw HTML turned off, and the HTML is then cleaned
by nh3: only an allow-list of tags and attributes survives, so raw HTML in the input can
never run. Text longer than `RENDER_MAX_CHARS` is shown as escaped plain text.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt

from journal.limits import RENDER_MAX_CHARS

_MATH = re.compile(r"(?<!\\)(\$\$.+?\$\$|\$[^\s$](?:[^$\n]*?[^\s$])?\$)", re.DOTALL)
# Formulas are set aside as private-use characters around their index; the same characters in
# the input are dropped first, so nobody can forge a reference to a formula.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "span",
    "div",
    "sup",
    "sub",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "div": {"class"}}
_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _clean(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Return sanitised HTML for `text` (Markdown with $math$)."""
    text = (text or "").replace(_OPEN, "").replace(_CLOSE, "")
    if len(text) > RENDER_MAX_CHARS:
        return _clean(f"<p>{html.escape(text)}</p>")
    formulas: list[str] = []

    def stash(match: re.Match) -> str:
        formulas.append(match.group(0))
        return f"{_OPEN}{len(formulas) - 1}{_CLOSE}"

    rendered = _PARSER.render(_MATH.sub(stash, text))

    def restore(match: re.Match) -> str:
        formula = formulas[int(match.group(1))]
        display = formula.startswith("$$")
        tag = "div" if display else "span"
        css = "math display" if display else "math"
        return f'<{tag} class="{css}">{html.escape(formula)}</{tag}>'

    return _clean(_PLACEHOLDER.sub(restore, rendered))
