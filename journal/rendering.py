"""Render user-written Markdown (with LaTeX math) to safe HTML or to plain text, in linear time.

One renderer serves every text people write: abstracts, hypotheses, benchmark claims, review
answers, meta-reviews, decisions' comments and discussion comments, on every page (the
`markdown` template filter), in the live preview and in `POST /api/v1/render/`.

Math between `$...$` or `$$...$$` is set aside before Markdown runs, so underscores and
asterisks inside formulas are not taken for emphasis, and is put back escaped inside a
`<span class="math">` for the client-side typesetter. Markdown is parsed by markdown-it (a
CommonMark parser whose cost stays linear on pathological input such as thousands of open
brackets, with a bounded nesting depth) with raw HTML turned off, and the HTML is then cleaned
by nh3: only an allow-list of tags and attributes survives, so raw HTML in the input can
never run. Text longer than `RENDER_MAX_CHARS` is shown as escaped plain text.

`render_plain_text` is what the affinity models read: the same Markdown rendered, then its
tags stripped. Math keeps only its words (the arguments of `\\text{}`, `\\mathrm{}`,
`\\operatorname{}` and the like, e.g. "softmax" from `$\\operatorname{softmax}(QK^T)$`);
macro names (`\\mathcal`, `\\times`, `\\kappa`, `\\frac`), variable letters, digits and symbols
are dropped, since they say nothing about a paper's topic and would otherwise be the rarest,
hence heaviest, TF-IDF terms. LaTeX outside math loses its macro names too: a text macro
keeps its argument (`\\emph{sparse}` gives "sparse"), accents join their letter
(`Bal\\'azs` gives "Balázs") and citations and labels are dropped with their argument.
"""

import html
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

from journal.limits import RENDER_MAX_CHARS

_MATH = re.compile(r"(?<!\\)(\$\$.+?\$\$|\$[^\s$](?:[^$\n]*?[^\s$])?\$)", re.DOTALL)
# Plain text also sets aside the other LaTeX math delimiters, which the page leaves as text.
_MATH_PLAIN = re.compile(
    _MATH.pattern + r"|\\\((.+?)\\\)|\\\[(.+?)\\\]"
    r"|\\begin\{(equation|align|eqnarray|gather|multline|displaymath|math)\*?\}.*?\\end\{\4\*?\}",
    re.DOTALL,
)
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

# Plain text: the words of a formula, and LaTeX outside math.
_MATH_WORDS = re.compile(
    r"\\(?:text|textrm|textit|textbf|textsf|mathrm|mathit|mathsf|operatorname|mbox)\*?"
    r"\s*\{([^{}]*)\}"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_ACCENT = re.compile(
    r"\{?\\([`'^\"~=.])\s*\{?([A-Za-z])\}?\}?|\{?\\([uvHckrdb])(?:\s+|\{)([A-Za-z])\}?\}?"
)
_DROPPED_WITH_ARGUMENT = re.compile(
    r"\\(?:cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|label|url|includegraphics)\*?"
    r"(?:\[[^\]]*\])*\{[^{}]*\}"
)
_HREF = re.compile(r"\\href\{[^{}]*\}")
_MACRO = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]]*\])?")
_ESCAPED = re.compile(r"\\([%&_#$])")
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h\d|blockquote|pre|div|table|thead|tbody|tr|th|td)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]*>")
# Text without any of these has no markup: its plain text is itself, one-spaced.
_MARKUP = re.compile(r"[\\$*_`#<>\[\]!&|~{}]|^\s*(?:[-+=]|\d+[.)])", re.MULTILINE)


def _clean(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def _render(text: str, *, pattern: re.Pattern, formula) -> str:
    """Render `text` to sanitised HTML, each match of `pattern` replaced by `formula(match)`."""
    formulas: list[re.Match] = []

    def stash(match: re.Match) -> str:
        formulas.append(match)
        return f"{_OPEN}{len(formulas) - 1}{_CLOSE}"

    rendered = _PARSER.render(pattern.sub(stash, text))
    return _clean(_PLACEHOLDER.sub(lambda m: formula(formulas[int(m.group(1))]), rendered))


def _typeset_span(match: re.Match) -> str:
    formula = match.group(0)
    display = formula.startswith("$$")
    tag = "div" if display else "span"
    css = "math display" if display else "math"
    return f'<{tag} class="{css}">{html.escape(formula)}</{tag}>'


def render_markdown(text: str) -> str:
    """Return sanitised HTML for `text` (Markdown with $math$)."""
    text = (text or "").replace(_OPEN, "").replace(_CLOSE, "")
    if len(text) > RENDER_MAX_CHARS:
        return _clean(f"<p>{html.escape(text)}</p>")
    return _render(text, pattern=_MATH, formula=_typeset_span)


def _formula_words(match: re.Match) -> str:
    words = " ".join(_MATH_WORDS.findall(match.group(0)))
    return f" {html.escape(' '.join(_WORD.findall(words)))} "


def _accented(match: re.Match) -> str:
    accent, letter = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    return unicodedata.normalize("NFC", letter + _ACCENTS[accent])


def _latex_to_text(text: str) -> str:
    text = _DROPPED_WITH_ARGUMENT.sub(" ", text)
    text = _HREF.sub(" ", text)
    text = _ESCAPED.sub(r"\1", text)
    text = _MACRO.sub(" ", text)
    return text.replace("{", "").replace("}", "").replace("~", " ").replace("\\\\", " ")


def render_plain_text(text: str) -> str:
    """Return `text` as the reader sees it, without markup, math symbols or macro names.

    Markdown is rendered by the same parser as the pages, then its tags are stripped; a
    formula keeps only its words (see the module's docstring). Whitespace is collapsed to
    single spaces. Text beyond `RENDER_MAX_CHARS` is cut off.
    """
    text = (text or "").replace(_OPEN, "").replace(_CLOSE, "")[:RENDER_MAX_CHARS]
    if _MARKUP.search(text) is None:
        return " ".join(text.split())
    # Accents first: Markdown would take the backslash of \'a for an escaped quote.
    text = _ACCENT.sub(_accented, text)
    rendered = _render(text, pattern=_MATH_PLAIN, formula=_formula_words)
    plain = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", rendered)))
    return " ".join(_latex_to_text(plain).split())
