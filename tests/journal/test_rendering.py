"""User Markdown becomes safe HTML; math survives untouched for the typesetter."""

from journal.rendering import render_markdown


def test_markdown_basic_formatting():
    html = render_markdown("We **improve** accuracy.\n\n- one\n- two")
    assert "<strong>improve</strong>" in html and "<li>one</li>" in html


def test_markdown_strips_scripts_and_handlers():
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


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
