"""Who may read each resource: every GET endpoint against every role, in one table."""

import pytest

from tests.api.support import client_for

pytestmark = pytest.mark.django_db

ROLES = ["chief", "editor", "author", "reviewer", "outsider", "anonymous"]

#: endpoint -> expected status per role, in the order of ROLES.
MATRIX = {
    "/api/v1/venues/": [200, 200, 200, 200, 200, 200],
    "/api/v1/venues/{venue}/": [200, 200, 200, 200, 200, 200],
    "/api/v1/venues/{venue}/bids/": [403, 403, 403, 200, 403, 401],
    "/api/v1/venues/{venue}/bid-coverage/": [200, 403, 403, 403, 403, 401],
    "/api/v1/me/": [200, 200, 200, 200, 200, 401],
    "/api/v1/submissions/": [200, 200, 200, 200, 200, 401],
    "/api/v1/submissions/{submission}/": [200, 200, 200, 200, 404, 401],
    "/api/v1/submissions/{submission}/versions/": [200, 200, 200, 200, 404, 401],
    "/api/v1/submissions/{submission}/authors/": [200, 200, 200, 403, 404, 401],
    "/api/v1/submissions/{submission}/conflicts/": [200, 200, 200, 403, 404, 401],
    "/api/v1/submissions/{submission}/invitations/": [200, 200, 403, 403, 404, 401],
    # Open to anonymous readers for public papers (the public forum); this one is under review.
    "/api/v1/submissions/{submission}/reviews/": [200, 200, 403, 200, 404, 404],
    "/api/v1/submissions/{submission}/public-comments/": [403, 403, 403, 403, 404, 404],
    "/api/v1/submissions/{submission}/comments/": [200, 200, 403, 200, 404, 401],
    "/api/v1/versions/{version}/": [200, 200, 200, 200, 404, 401],
    "/api/v1/versions/{version}/pdf/": [200, 200, 200, 200, 404, 401],
    "/api/v1/audit-events/": [200, 200, 200, 200, 200, 401],
    "/api/v1/emails/": [200, 200, 200, 200, 200, 401],
    "/api/v1/webhooks/": [200, 200, 200, 200, 200, 401],
    "/api/v1/webhook-deliveries/": [200, 200, 200, 200, 200, 401],
    "/api/v1/invitations/": [200, 200, 200, 200, 200, 401],
    "/api/v1/reviews/": [200, 200, 200, 200, 200, 401],
    "/api/v1/decisions/": [200, 200, 200, 200, 200, 401],
    "/api/v1/matching-runs/": [200, 200, 200, 200, 200, 401],
    "/api/v1/affinity-runs/": [200, 200, 200, 200, 200, 401],
    "/api/v1/publications/": [200, 200, 200, 200, 200, 401],
    "/api/v1/publication-fetches/": [200, 200, 200, 200, 200, 401],
    "/api/v1/submissions/{submission}/affinities/": [200, 200, 403, 403, 404, 401],
    "/api/v1/submissions/{submission}/flags/": [200, 200, 200, 403, 404, 401],
    "/api/v1/submissions/{submission}/rounds/": [200, 200, 403, 403, 404, 401],
    "/api/v1/submissions/{submission}/rounds/current/": [200, 200, 403, 403, 404, 401],
    "/api/v1/me/expertise-keywords/": [200, 200, 200, 200, 200, 401],
    "/api/v1/me/bids/": [200, 200, 200, 200, 200, 401],
    "/api/v1/me/conflicts/": [200, 200, 200, 200, 200, 401],
    "/api/v1/submissions/{submission}/reviewer-conflicts/?reviewer={reviewer}": [
        200,
        200,
        403,
        403,
        404,
        401,
    ],
}


@pytest.mark.parametrize("url", list(MATRIX))
def test_read_access(world, url):
    path = url.format(
        venue=world.venue.slug,
        submission=world.submission.pk,
        version=world.submission.versions.first().pk,
        reviewer=world.reviewer.pk,
    )
    seen = {}
    for role in ROLES:
        person = None if role == "anonymous" else getattr(world, role)
        seen[role] = client_for(person, scope="read").get(path).status_code
    assert seen == dict(zip(ROLES, MATRIX[url], strict=True))
