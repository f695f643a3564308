"""Plain text for the affinity models: no LaTeX math, macro names or Markdown markup.

Titles and abstracts arrive as authors typed them, often with LaTeX (``$\\mathcal{O}(n)$``,
``\\emph{sparse}``, ``Bal\\'azs``) or Markdown. Macro names such as ``mathcal`` or ``emph``
would otherwise become the rarest, hence heaviest, TF-IDF terms and would waste the
embedding model's few tokens. Math is dropped, a macro's text argument is kept
(``\\emph{sparse}`` gives ``sparse``), citation-like macros are dropped with their
argument, accent macros keep their letter, and Markdown keeps only its visible text.
"""

from __future__ import annotations

import re

_MATH = re.compile(
    r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]"
    r"|\\begin\{(equation|align|eqnarray|math|displaymath|gather|multline)\*?\}.*?"
    r"\\end\{\1\*?\}",
    re.DOTALL,
)
_DROP_WITH_ARGUMENT = re.compile(
    r"\\(?:cite[a-z]*|ref|eqref|autoref|cref|Cref|label|url|href|footnote|includegraphics"
    r"|begin|end)\*?(?:\[[^\]]*\])*\{[^{}]*\}"
)
_ACCENT = re.compile(
    r"\\[`'^\"~=.]\s*\{?([A-Za-z])\}?|\\[uvHtcdbrk](?:\s+|\{)([A-Za-z])\}?"
)
_MACRO = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]]*\])?")
_SYMBOL = re.compile(r"\\[^A-Za-z\s]")
_MD_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(?<!\w)[*_`#>]+|[*_`]+(?!\w)")
_URL = re.compile(r"https?://\S+")
# a text with none of these characters has nothing for the patterns above to change
_MARKUP = re.compile(r"[$\\{}~\[*_`#>]|http")


def plain_text(text: str) -> str:
    """Return ``text`` without LaTeX math and macro names or Markdown markup, one-spaced."""
    if not text:
        return ""
    if _MARKUP.search(text) is None:
        return " ".join(text.split())
    out = _MATH.sub(" ", text)
    out = _DROP_WITH_ARGUMENT.sub(" ", out)
    out = _ACCENT.sub(lambda m: m.group(1) or m.group(2), out)
    out = _MACRO.sub(" ", out)
    out = _SYMBOL.sub(" ", out)
    out = out.replace("{", "").replace("}", "").replace("~", " ")
    out = _MD_IMAGE_OR_LINK.sub(r"\1", out)
    out = _URL.sub(" ", out)
    out = _MD_MARKUP.sub(" ", out)
    return " ".join(out.split())
