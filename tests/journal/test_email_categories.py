"""Every e-mail template has one category, declared once; mandatory ones are never optional."""

from pathlib import Path

import pytest
from django.conf import settings

from journal.email_categories import CATEGORY_HELP, TEMPLATE_CATEGORIES, email_category_of
from journal.enums import EmailCategory

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def repo_email_templates() -> list[str]:
    """Return every e-mail template of the repository (without `.txt`, subjects left out)."""
    names = []
    for path in TEMPLATES.rglob("*.txt"):
        relative = path.relative_to(TEMPLATES)
        if relative.parent.name not in {"emails", "email"}:
            continue
        if path.stem.endswith("_subject"):
            continue
        names.append(str(relative.with_suffix("")))
    return sorted(names)


def test_the_repository_has_email_templates_to_check():
    names = repo_email_templates()
    assert "reviews/emails/comment_posted" in names
    assert "journal/dashboard/emails/role_invitation" in names
    assert "account/email/base_message" in names


@pytest.mark.parametrize("template", repo_email_templates())
def test_every_email_template_has_a_category(template):
    declared = template in TEMPLATE_CATEGORIES or template.startswith("account/email/")
    assert declared, f"{template} has no category in journal/email_categories.py"
    assert email_category_of(template=template) in EmailCategory.values


def test_every_declared_template_exists():
    missing = [name for name in TEMPLATE_CATEGORIES if not (TEMPLATES / f"{name}.txt").exists()]
    assert missing == []


def test_optional_and_mandatory_categories_split_all_but_the_digest():
    optional, mandatory = set(EmailCategory.OPTIONAL), EmailCategory.MANDATORY
    assert optional == {"discussion", "reminders", "status"}
    assert not optional & mandatory
    assert optional | mandatory | {"digest"} == set(EmailCategory.values)
    assert set(CATEGORY_HELP) == set(EmailCategory.values)


@pytest.mark.parametrize(
    ("template", "category"),
    [
        ("journal/emails/decision", "decisions"),
        ("reviews/emails/reviews_released", "decisions"),
        ("reviews/emails/invitation", "invitations"),
        ("journal/dashboard/emails/role_invitation", "role_invitations"),
        ("journal/emails/action_editor_assigned", "assignments"),
        ("account/email/password_reset_key_message", "account"),
        ("reviews/emails/comment_posted", "discussion"),
        ("reviews/emails/reminder_review", "reminders"),
        ("reviews/emails/review_submitted", "status"),
    ],
)
def test_categories_of_known_messages(template, category):
    assert email_category_of(template=template) == category


def test_an_undeclared_template_is_treated_as_mandatory():
    assert email_category_of(template="journal/emails/not_yet_declared") in EmailCategory.MANDATORY
