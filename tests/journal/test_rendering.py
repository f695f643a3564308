"""User Markdown becomes safe HTML; math survives untouched for the typesetter."""

import contextlib
import signal

import pytest

from journal.limits import RENDER_MAX_CHARS, TEXT_MAX_CHARS
from journal.rendering import render_markdown


@contextlib.contextmanager
def hang_guard(*, seconds: int):
    """Fail instead of hanging when rendering runs away (not a timing measurement)."""

    def stop(signum, frame):
        raise AssertionError(f"rendering took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_markdown_basic_formatting():
    html = render_markdown("We **improve** accuracy.\n\n- one\n- two")
    assert "<strong>improve</strong>" in html and "<li>one</li>" in html


def test_markdown_strips_scripts_and_handlers():
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    assert "<script" not in html and "<img" not in html and "href" not in html
    assert "&lt;script&gt;alert(1)" in html  # raw HTML is shown as text, never run


def test_markdown_math_is_not_emphasised():
    html = render_markdown("Loss $a_i * b_i$ and $$\\sum_{k} x_k$$ done.")
    assert '<span class="math">$a_i * b_i$</span>' in html
    assert '<div class="math display">$$\\sum_{k} x_k$$</div>' in html
    assert "<em>" not in html


def test_markdown_math_cannot_smuggle_html():
    html = render_markdown("$<script>alert(1)</script>$")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_markdown_dollar_amounts_are_text():
    assert "math" not in render_markdown("It costs $ 5 and $ 6.")


# Inputs on which the previous renderer took time quadratic in their length (20,000 open
# brackets: 54 s). Each must render, as text, well inside a hang guard of a few seconds.
WORST_INPUTS = {
    "open brackets": "[" * TEXT_MAX_CHARS,
    "open images": "![" * (TEXT_MAX_CHARS // 2),
    "nested brackets": "[" * (TEXT_MAX_CHARS // 2) + "]" * (TEXT_MAX_CHARS // 2),
    "unclosed links": "[a](" * (TEXT_MAX_CHARS // 4),
    "autolinks": "<http://a" * (TEXT_MAX_CHARS // 9),
    "deep quotes": "> " * (TEXT_MAX_CHARS // 2),
    "deep lists": "".join("  " * i + "- x\n" for i in range(2000)),
    "emphasis": "**_" * (TEXT_MAX_CHARS // 3),
    "dollars": "$a" * (TEXT_MAX_CHARS // 2),
    "backticks": "`" * TEXT_MAX_CHARS,
}


@pytest.mark.parametrize("name", list(WORST_INPUTS))
def test_unbounded_text_renderer_cost_is_bounded_on_worst_inputs(name):
    text = WORST_INPUTS[name]
    with hang_guard(seconds=5):
        html = render_markdown(text)
    assert html.startswith("<")
    assert len(html) < 20 * len(text)


def test_unbounded_text_renderer_shows_overlong_text_as_plain_text():
    text = "[" * (RENDER_MAX_CHARS + 1) + "**bold**"
    with hang_guard(seconds=5):
        html = render_markdown(text)
    assert "<strong>" not in html
    assert html.endswith("**bold**</p>")


def test_markdown_placeholders_cannot_be_forged():
    html = render_markdown("\ue00099\ue001 and $x$")
    assert '<span class="math">$x$</span>' in html
