"""The plain text the affinity models read: Markdown rendered, tags and LaTeX macro names gone."""

import pytest

from journal.limits import RENDER_MAX_CHARS
from journal.rendering import render_plain_text
from tests.journal.test_rendering import WORST_INPUTS, hang_guard

CASES = {
    "markdown emphasis and lists": (
        "We **improve** _accuracy_.\n\n- one\n- two",
        "We improve accuracy. one two",
    ),
    "links keep their text, not the address": (
        "See [the paper](https://arxiv.org/abs/1).",
        "See the paper.",
    ),
    "headings and tables": ("### Results\n\n| a | b |\n|---|---|\n| c | d |", "Results a b c d"),
    "code keeps its words": ("Run `torch.compile` first.", "Run torch.compile first."),
    "inline math is dropped": (
        "A bound $\\mathcal{O}(n \\times \\kappa)$ holds.",
        "A bound holds.",
    ),
    "display math is dropped": ("Then $$\\frac{\\alpha}{\\beta}$$ follows.", "Then follows."),
    "math keeps the words it names": (
        "Uses $\\operatorname{softmax}(QK^T)$ and $\\text{ReLU}$.",
        "Uses softmax and ReLU .",
    ),
    "parenthesised math": (
        "For \\(\\kappa > 0\\) and \\[\\sum_i x_i\\] it holds.",
        "For and it holds.",
    ),
    "math environments": ("Let \\begin{equation}\\mathbb{E}[x]\\end{equation} be.", "Let be."),
    "text macros keep their argument": (
        "\\emph{Sparse} and \\textbf{fast} models",
        "Sparse and fast models",
    ),
    "citations are dropped": (
        "As shown \\cite{vaswani2017,devlin2019}, attention~\\ref{fig:a} works",
        "As shown , attention works",
    ),
    "accents join their letter": (
        "Bal\\'azs, Erd\\H{o}s, G{\\\"o}del, \\c{C}ela",
        "Balázs, Erdős, Gödel, Çela",
    ),
    "escaped symbols": ("50\\% of R\\&D", "50% of R&D"),
    "raw html is text, not tags": ("<b>bold</b> a &amp; b", "<b>bold</b> a & b"),
    "dollar amounts are not math": ("It costs $5 and $6.", "It costs $5 and $6."),
    "prose is kept as it is": (
        "  Plain   prose,\nwith state-of-the-art words. ",
        "Plain prose, with state-of-the-art words.",
    ),
    "empty": ("", ""),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=list(CASES))
def test_plain_text(text, expected):
    assert render_plain_text(text) == expected


@pytest.mark.parametrize("macro", ["mathcal", "times", "kappa", "frac", "alpha", "sum", "emph"])
def test_plain_text_has_no_macro_names(macro):
    text = (
        "We bound $\\mathcal{O}(n \\times \\kappa)$, $$\\frac{\\alpha}{2} \\sum_i x_i$$ "
        "and \\emph{more}."
    )
    assert macro not in render_plain_text(text)


def test_plain_text_of_none_is_empty():
    assert render_plain_text(None) == ""


@pytest.mark.parametrize("name", list(WORST_INPUTS))
def test_plain_text_cost_is_bounded_on_worst_inputs(name):
    with hang_guard(seconds=5):
        plain = render_plain_text(WORST_INPUTS[name])
    assert len(plain) <= len(WORST_INPUTS[name])


def test_plain_text_reads_at_most_the_render_limit():
    with hang_guard(seconds=5):
        plain = render_plain_text("word " * RENDER_MAX_CHARS)
    assert len(plain) <= RENDER_MAX_CHARS
