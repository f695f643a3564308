"""The e-mail wording sandbox: what a venue's wording may use, and the payloads it refuses."""

import pytest

from journal.email_wording import (
    EMAIL_NAMES,
    WORDING_MAX_CHARS,
    WordingError,
    wording_check,
    wording_examples,
    wording_render,
)

KIND = "reviews/emails/invitation"

# Template-injection payloads found by the audit, and their relatives: every one is refused
# when the wording is checked, so none of them is ever rendered.
INJECTION_PAYLOADS = [
    "{{ submission.authors.all }}",
    "{{ user.authorships.all }}",
    "{{ reviews.all }}",
    "{{ recipient.password }}",
    "{{ name.__class__.__mro__ }}",
    "{{ name.upper() }}",
    "{{ name['__class__'] }}",
    "{{ name[0:3] }}",
    "{% load static %}",
    "{% load i18n %}{% trans 'x' %}",
    '{% include "base.html" %}',
    '{% extends "base.html" %}',
    '{% import "macros.txt" as m %}',
    '{% from "macros.txt" import x %}',
    "{% debug %}",
    '{% url "admin:index" %}',
    "{% for x in paper_title %}{{ x }}{% endfor %}",
    "{% set leak = name %}{{ leak }}",
    "{% macro m() %}x{% endmacro %}",
    "{% filter upper %}x{% endfilter %}",
    "{% with x = name %}{{ x }}{% endwith %}",
    '{{ name|attr("__class__") }}',
    '{{ paper_title|map(attribute="x")|list }}',
    "{{ paper_title|pprint }}",
    '{{ paper_title|format("%s") }}',
    "{{ name|default(name.__class__) }}",
    '{{ name|default(x="y") }}',
    "{{ range(10) }}",
    "{{ lipsum() }}",
    "{{ cycler }}",
    "{{ self }}",
    "{{ config }}",
    "{{ request }}",
    '{{ paper_title|date:"Y" }}',
    "{{ (name) ~ paper_title }}",
    "{{ name if overdue else paper_title }}",
    "{{ [name] }}",
    "{{ name == paper_title }}",
]


@pytest.mark.parametrize("payload", INJECTION_PAYLOADS)
def test_template_injection_payload_is_refused(payload):
    with pytest.raises(WordingError):
        wording_check(source=f"Dear {{{{ name }}}},\n{payload}\n", kind=KIND)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ submission.title }}", "uses {{ submission }}, which this e-mail does not have"),
        ("{{ name.__class__ }}", "reads a part of a value"),
        ("{% load static %}", "e-mails may use only {% if %}"),
        ('{% include "x.txt" %}', "uses the tag {% include %}"),
        ('{{ name|attr("x") }}', "uses the filter |attr"),
        ("\n\n{{ user }}", "Line 3 uses {{ user }}"),
    ],
)
def test_refusal_says_what_is_wrong_and_what_is_allowed(source, expected):
    with pytest.raises(WordingError) as caught:
        wording_check(source=source, kind=KIND)
    assert expected in str(caught.value)


def test_unknown_name_lists_the_names_the_email_has():
    with pytest.raises(WordingError) as caught:
        wording_check(source="{{ reviewer_email }}", kind=KIND)
    assert "invitation_url" in str(caught.value)
    assert "paper_title" in str(caught.value)


def test_every_email_kind_renders_its_examples_with_every_name():
    for kind, names in EMAIL_NAMES.items():
        source = " ".join(f"[{{{{ {n.name} }}}}]" for n in names)
        rendered = wording_render(source=source, kind=kind, values=wording_examples(kind=kind))
        for n in names:
            assert f"[{n.example}]" in rendered


def test_if_else_and_text_filters_work():
    source = "{% if overdue %}Late{% elif name %}{{ name|upper }}{% else %}x{% endif %}"
    kind = "reviews/emails/reminder_review"
    assert wording_render(source=source, kind=kind, values={"overdue": False, "name": "ada"}) == (
        "ADA"
    )
    assert wording_render(source=source, kind=kind, values={"overdue": True, "name": "a"}) == (
        "Late"
    )
    assert wording_render(
        source="{{ note|default('none', true) }}",
        kind="journal/emails/decision",
        values={"note": ""},
    ) == "none"


def test_values_are_rendered_as_text_never_as_template():
    rendered = wording_render(
        source="{{ paper_title }}",
        kind=KIND,
        values={"paper_title": "{{ name.__class__ }} {% include 'x' %}"},
    )
    assert rendered == "{{ name.__class__ }} {% include 'x' %}"


def test_objects_passed_as_values_render_inert():
    class Secret:
        password = "pbkdf2_sha256$leak"

        def __str__(self):
            return "a plain string"

    rendered = wording_render(source="{{ name }}", kind=KIND, values={"name": Secret()})
    assert rendered == "a plain string"


def test_overlong_wording_is_refused():
    with pytest.raises(WordingError, match="longer than"):
        wording_check(source="x" * (WORDING_MAX_CHARS + 1), kind=KIND)
