"""Property-based run over every API operation: no 5xx, no response outside the schema.

Each operation is tried with generated requests twice: once as generated (mostly unknown
ids), once aimed at real objects of a venue, as its chief, an author or a reviewer. The run
is derandomised so the suite gives the same verdict every time; raise EXAMPLES (or drop
`derandomize`) locally to search further.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

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

EXAMPLES = 15
RUN_CHECKS = [checks.not_a_server_error, checks.response_schema_conformance]


@pytest.fixture
def in_process_wsgi(settings):
    """Serve requests in this test's transaction, as Django's test client does."""
    settings.PEERLESS_API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


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


def aim(case, ids: dict[str, object]):
    """Point the case's path parameter at a real object of its collection."""
    collection = case.operation.path.split("/")[3]
    if case.path_parameters and collection in ids:
        name = next(iter(case.path_parameters))
        case.path_parameters = {**case.path_parameters, name: ids[collection]}
    return case


def test_every_operation_keeps_to_the_schema(in_process_wsgi):
    world = make_world()
    ids = real_ids(world)
    chief = {"Authorization": f"Bearer {token_for(world.chief)}"}
    author = {"Authorization": f"Bearer {token_for(world.author)}"}
    reviewer = {"Authorization": f"Bearer {token_for(world.reviewer)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        generated = st.tuples(operation.as_strategy(), st.just(chief))
        aimed = st.tuples(
            operation.as_strategy().map(lambda case: aim(case, ids)),
            st.sampled_from([chief, author, reviewer]),
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(pair=st.one_of(generated, aimed))
        def run(pair):
            case, headers = pair
            case.call_and_validate(headers=headers, checks=RUN_CHECKS)

        run()
