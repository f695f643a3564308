"""Property-based run over every API operation with every meaningful Schemathesis check.

Each operation is tried with schema-valid and schema-violating requests (Schemathesis'
examples, coverage and fuzzing phases), each sent with a venue chief's token and with an
author's token. A request whose path names an object is first aimed at a real object of the
venue, so that reads and writes get past "not found". The run is derandomised so the suite
gives the same verdict every time; raise EXAMPLES (or drop `derandomize`) locally to search
further.
"""

import copy
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.core.parameters import ParameterLocation

from journal.models import AuditEvent, OutboundEmail
from journal.services.decisions import decision_draft
from journal.services.webhooks import webhook_create
from reviews.models import ReviewInvitation
from reviews.services.affinity import affinity_run_create
from reviews.services.discussion import comment_post
from reviews.services.matching import assignment_run_create
from reviews.services.publications import publication_add
from tests.api.support import make_world, token_for

pytestmark = pytest.mark.django_db

EXAMPLES = 10

#: Checks left out, and why. Every other check Schemathesis has runs on every response.
EXCLUDED = {
    # These two judge a sequence of calls (a read after a DELETE, a read of what a POST just
    # created) that only a stateful run links; each case here is a single call, so they could
    # never fire. A stateful run over this API does not fit the suite's time budget.
    checks.use_after_free: "stateful",
    checks.ensure_resource_availability: "stateful",
    # Compares what several identities configured in Schemathesis' own auth may read; this
    # run sends each token as a header instead. Object-level access is covered role by role
    # in test_access_matrix.py and test_anonymity.py.
    checks.object_level_authorization: "needs Schemathesis identities",
    # Replaced by `negative_data_rejected` below, which runs it on every case but one kind.
    checks.negative_data_rejection: "replaced",
}

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # The ETag check comes first, as HTTP orders it: a write sent with a stale
            # If-Match is refused with 412 whatever its body.
            "negative_data_rejection": {
                "expected-statuses": [
                    *["400", "401", "403", "404", "405", "406", "409", "412", "415", "422"],
                    *["428", "429", "5xx"],
                ]
            },
            # A schema-valid request may still be refused by the domain: an unknown venue
            # slug or user id, a duplicate, a rule across fields, a state that does not allow
            # the step (400/409), or an If-Match with an ETag that is not the current one
            # (412); the schema cannot say which values exist. Every other answer to valid
            # data (405, 406, 415, 422, 428) still fails the run.
            "positive_data_acceptance": {
                "expected-statuses": [
                    *["2xx", "3xx", "400", "401", "403", "404", "409", "412", "429", "5xx"]
                ]
            },
            # A write that needs If-Match answers 428 Precondition Required without it.
            "missing_required_header": {
                "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
            },
        },
    }
)


def _valid_once_numbers_are_read_as_text(case) -> bool:
    """Whether the body breaks its schema only by sending JSON numbers for text fields."""
    if case.meta is None or not case.meta.is_negative_at(ParameterLocation.BODY):
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is None or case.media_type != "application/json":
        return False
    validator = body.get_validator()
    value = copy.deepcopy(case.body)
    for _ in range(100):
        try:
            error = next(iter(validator.iter_errors(value)), None)
        except ValueError:  # not JSON at all (raw bytes, files)
            return False
        if error is None:
            return True
        *parents, last = error.instance_path or [None]
        if last is None:
            return False
        container = value
        for key in parents:
            container = container[key]
        found = container[last]
        if isinstance(found, bool) or not isinstance(found, int | float):
            return False
        container[last] = str(found)
    return False


def negative_data_rejected(ctx, response, case):
    """Schemathesis' negative_data_rejection, except for a JSON number sent for a text field:
    DRF reads it as its text (`0` becomes "0"), on purpose, and so does every field here."""
    if _valid_once_numbers_are_read_as_text(case):
        return None
    return checks.negative_data_rejection(ctx, response, case)


@pytest.fixture
def in_process_wsgi(settings):
    """Serve requests in this test's transaction, as Django's test client does."""
    settings.PEERLESS_API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def venue_world(db):
    """A venue with people in every role, the objects they reach, and tokens for two."""
    world = make_world()
    return {
        "ids": real_ids(world),
        "tokens": [
            {"Authorization": f"Bearer {token_for(world.chief)}"},
            {"Authorization": f"Bearer {token_for(world.author)}"},
        ],
    }


#: Read once at import: the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=CONFIG)


def real_ids(world) -> dict[str, object]:
    """Return, per collection, the id of a real object the chief may reach."""
    webhook = webhook_create(
        venue=world.venue,
        actor=world.chief,
        url="https://hooks.example.org/peerless",
        events=["submission.state_changed"],
    )
    invitation = ReviewInvitation.objects.get(reviewer=world.reviewer)
    comment = comment_post(
        submission=world.submission, author=world.reviewer, body="A question.", audience="everyone"
    )
    decision = decision_draft(
        submission=world.submission,
        editor=world.editor,
        outcome="accept",
        claims_supported=True,
        audience_interested=True,
    )
    matching = assignment_run_create(venue=world.venue, actor=world.chief)
    affinity = affinity_run_create(venue=world.venue, actor=world.chief)
    publication = publication_add(user=world.chief, title="Earlier work", year=2020)
    return {
        "venues": world.venue.slug,
        "matching-runs": matching.pk,
        "affinity-runs": affinity.pk,
        "publications": publication.pk,
        "invitations": invitation.pk,
        "reviews": invitation.review.pk,
        "comments": comment.pk,
        "decisions": decision.pk,
        "submissions": world.submission.pk,
        "versions": world.submission.versions.first().pk,
        "audit-events": AuditEvent.objects.filter(submission=world.submission).first().pk,
        "emails": OutboundEmail.objects.filter(venue=world.venue).first().pk,
        "webhooks": webhook.pk,
        "webhook-deliveries": 1,
    }


def aim(case, ids: dict[str, object]) -> None:
    """Point a schema-valid path parameter at a real object of its collection."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return
    collection = case.operation.path.split("/")[3]
    if case.path_parameters and collection in ids:
        name = next(iter(case.path_parameters))
        # As a string, as it travels in the URL (an int would not match the schema's pattern).
        case.path_parameters = {**case.path_parameters, name: str(ids[collection])}


def fresh_idempotency_key(case) -> None:
    """Give a schema-valid Idempotency-Key a value of its own per case.

    A key stands for one request: a client that sends it again with another body is refused
    with 422 (tests/api/test_idempotency.py). The cases here are unrelated requests that
    Hypothesis may give the same small key ("0"), so each gets a fresh one; malformed keys
    are still sent as generated.
    """
    headers = case.headers or {}
    if "Idempotency-Key" not in headers:
        return
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        return
    case.headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_the_schema(case, venue_world, in_process_wsgi):
    aim(case, venue_world["ids"])
    fresh_idempotency_key(case)
    for headers in venue_world["tokens"]:
        case.call_and_validate(
            headers=headers,
            excluded_checks=list(EXCLUDED),
            additional_checks=[negative_data_rejected],
        )
