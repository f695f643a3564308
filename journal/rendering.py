"""Render user-written Markdown (with LaTeX math) to safe HTML.

Math between `$...$` or `$$...$$` is set aside before Markdown runs, so underscores and
asterisks inside formulas are not taken for emphasis, and is put back escaped inside a
`<span class="math">` for the client-side typesetter. The HTML is then cleaned by nh3: only
an allow-list of tags and attributes survives, so raw HTML in the input can never run.
"""

import html
import re

import markdown
import nh3

_MATH = re.compile(r"(?<!\\)(\$\$.+?\$\$|\$[^\s$](?:[^$\n]*?[^\s$])?\$)", re.DOTALL)
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


def render_markdown(text: str) -> str:
    """Return sanitised HTML for `text` (Markdown with $math$)."""
    formulas: list[str] = []

    def stash(match: re.Match) -> str:
        formulas.append(match.group(0))
        return f"\x00MATH{len(formulas) - 1}\x00"

    protected = _MATH.sub(stash, text or "")
    rendered = markdown.markdown(protected, extensions=["sane_lists", "tables"])

    def restore(match: re.Match) -> str:
        formula = formulas[int(match.group(1))]
        display = formula.startswith("$$")
        tag = "div" if display else "span"
        css = "math display" if display else "math"
        return f'<{tag} class="{css}">{html.escape(formula)}</{tag}>'

    rendered = re.sub(r"\x00MATH(\d+)\x00", restore, rendered)
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
