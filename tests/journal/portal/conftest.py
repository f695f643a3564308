"""Fixtures for the authors' portal: a venue with a chief, an author, PDFs to upload."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.demo.pdf import make_pdf
from journal.enums import RoleKind
from journal.services.submissions import AuthorInput, submission_create
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; start every test with none."""
    cache.clear()
    yield
    cache.clear()


def verified_user(**fields):
    """Return a user whose e-mail address is confirmed (able to log in)."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def venue():
    return VenueFactory(max_pdf_mb=1, page_limit=12)


@pytest.fixture
def chief(venue):
    return VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user


@pytest.fixture
def author():
    return verified_user(display_name="Grace Hopper")


def pdf_upload(*, lines=("An anonymous paper", "Abstract"), pages=2, name="paper.pdf"):
    body = [list(lines)] + [[f"Page {i}"] for i in range(2, pages + 1)]
    return SimpleUploadedFile(name, make_pdf(body), content_type="application/pdf")


def oversize_pdf(mb: float = 1.5):
    data = make_pdf([["Big paper"]])
    padding = b"%" + b"x" * int(mb * 1024 * 1024) + b"\n"
    return SimpleUploadedFile("big.pdf", data + padding, content_type="application/pdf")


def draft(venue, author, *, title="A draft", coauthors=()):
    return submission_create(
        venue=venue,
        creator=author,
        title=title,
        abstract="We study $x^2$.",
        hypothesis_claim="Squares grow.",
        authors=[AuthorInput(name=author.display_name, email=author.email), *coauthors],
    )


def form_data(*, token="t-1", action="save", title="Attention is enough", authors=None, **extra):
    """Return POST data for the submission form with one author row and one claim."""
    authors = authors or [("Grace Hopper", "grace@example.edu")]
    data = {
        "form_token": token,
        "action": action,
        "title": title,
        "abstract": "We show that $a_1 + b_1$ works.",
        "keywords": "attention, transformers",
        "hypothesis_claim": "Attention alone is enough.",
        "hypothesis_rationale": "It worked in small models.",
        "hypothesis_refutation": "A larger model that needs recurrence.",
        "authors-TOTAL_FORMS": str(len(authors)),
        "authors-INITIAL_FORMS": "0",
        "claims-TOTAL_FORMS": "1",
        "claims-INITIAL_FORMS": "0",
        "claims-0-dataset": "WMT14 en-de",
        "claims-0-metric": "BLEU",
        "claims-0-value": "28.4",
        "claims-0-best_prior_value": "26.3",
        "claims-0-higher_is_better": "on",
        "conflicts-TOTAL_FORMS": "1",
        "conflicts-INITIAL_FORMS": "0",
        "conflicts-0-kind": "domain",
        "conflicts-0-value": "rival.example.org",
    }
    for i, (name, email) in enumerate(authors):
        data[f"authors-{i}-name"] = name
        data[f"authors-{i}-email"] = email
        data[f"authors-{i}-ORDER"] = str(i + 1)
    data.update(extra)
    return data
