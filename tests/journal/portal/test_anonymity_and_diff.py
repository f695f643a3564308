"""The double-blind first-page check and the metadata diff between versions."""

from journal.pdf import identity_leaks
from journal.selectors.portal import word_diff


def test_identity_leaks_finds_whole_names_and_emails():
    text = "Sparse   Attention\nGrace\nHopper (grace@navy.mil)\nJoann Leeds"
    found = identity_leaks(
        text, names=["Grace Hopper", "Ann Lee", "Plato"], emails=["GRACE@navy.mil", "x@y.z"]
    )
    assert found == ["grace@navy.mil", "Grace Hopper"]


def test_identity_leaks_quiet_for_anonymous_page():
    assert identity_leaks("Anonymous authors", names=["Ada Lovelace"], emails=["a@b.c"]) == []


def test_word_diff_marks_changes_and_escapes():
    html = word_diff("Old <b>title</b>", "New <b>title</b> <script>")
    assert "<del>Old</del> <ins>New</ins>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
