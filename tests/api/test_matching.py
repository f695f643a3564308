"""Matching through the API: chiefs start affinity and matching runs and poll them;
reviewers import their publications in bulk."""

import json

import pytest

from reviews.models import AssignmentRun, Publication, ReviewInvitation, RunStatus
from reviews.services.affinity import affinities_compute
from tests.api.support import client_for
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db

BIBTEX = """
@article{a, title={Sparse attention at scale}, author={Ada Lovelace and C. Babbage},
  year={2024}, journal={TMLR}}
@inproceedings{b, title={Graph rewiring}, author={Ada Lovelace}, year={2023},
  booktitle={ICLR}}
"""


def test_chief_starts_a_matching_run_and_polls_it(world, django_capture_on_commit_callbacks):
    client = client_for(world.chief)
    with django_capture_on_commit_callbacks(execute=True):
        affinity = client.post("/api/v1/affinity-runs/", {"venue": world.venue.slug}, format="json")
    assert affinity.status_code == 202, affinity.content
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/matching-runs/", {"venue": world.venue.slug, "per_paper": 1}, format="json"
        )
    assert started.status_code == 202, started.content
    assert started.json()["status"] == "queued" and started.json()["progress"] == 0
    polled = client.get(f"/api/v1/matching-runs/{started.json()['id']}/").json()
    assert polled["status"] in {RunStatus.PROPOSED, RunStatus.FAILED}
    assert polled["status"] != RunStatus.FAILED or polled["message"]
    done = client.get(f"/api/v1/affinity-runs/{affinity.json()['id']}/").json()
    assert done["status"] in {"done", "failed"}
    listed = client.get("/api/v1/matching-runs/", {"status": polled["status"]}).json()
    assert listed["count"] == 1


def test_matching_run_parameters_are_checked(world):
    response = client_for(world.chief).post(
        "/api/v1/matching-runs/",
        {"venue": world.venue.slug, "max_load": 2, "min_load": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "min_load" in response.json()["errors"]
    assert not AssignmentRun.objects.exists()


@pytest.mark.parametrize("who", ["editor", "author", "reviewer", "outsider"])
def test_only_chiefs_run_the_matching(world, who):
    client = client_for(getattr(world, who))
    body = {"venue": world.venue.slug}
    assert client.post("/api/v1/matching-runs/", body, format="json").status_code == 403
    assert client.post("/api/v1/affinity-runs/", body, format="json").status_code == 403
    assert client.get("/api/v1/matching-runs/").json()["count"] == 0


def test_deploy_refuses_an_unfinished_run(world):
    client = client_for(world.chief)
    run = client.post("/api/v1/matching-runs/", {"venue": world.venue.slug}, format="json").json()
    response = client.post(f"/api/v1/matching-runs/{run['id']}/deploy/")
    assert response.status_code == 409
    assert "finished proposal" in response.json()["detail"]


def test_affinities_are_for_the_papers_editors(world):
    url = f"/api/v1/submissions/{world.submission.pk}/affinities/"
    assert client_for(world.editor).get(url).status_code == 200
    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.author).get(url).status_code == 403


def test_reviewer_imports_publications_in_bulk(world):
    client = client_for(world.reviewer)
    url = "/api/v1/publications/import/"
    response = client.post(url, {"format": "bibtex", "content": BIBTEX}, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "format": "bibtex",
        "created": 2,
        "updated": 0,
        "duplicates": 0,
        "skipped": 0,
        "problems": [],
        "notes": [],
    }
    again = client.post(url, {"format": "bibtex", "content": BIBTEX}, format="json").json()
    assert again["created"] == 0 and again["duplicates"] == 2
    listed = client.get("/api/v1/publications/").json()["results"]
    assert [p["year"] for p in listed] == [2024, 2023]
    assert client_for(world.author).get("/api/v1/publications/").json()["count"] == 0
    bad = client.post(url, {"format": "docx", "content": "x"}, format="json")
    assert bad.status_code == 400 and "format" in bad.json()["errors"]


def test_publications_add_and_remove_own_only(world):
    client = client_for(world.reviewer)
    created = client.post(
        "/api/v1/publications/", {"title": "On sparsity", "year": 2022}, format="json"
    )
    assert created.status_code == 201, created.content
    duplicate = client.post("/api/v1/publications/", {"title": "on sparsity"}, format="json")
    assert duplicate.status_code == 400
    pk = created.json()["id"]
    assert client_for(world.author).delete(f"/api/v1/publications/{pk}/").status_code == 404
    assert client.delete(f"/api/v1/publications/{pk}/").status_code == 204
    assert not Publication.objects.exists()


def test_publication_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.reviewer)
    client.post("/api/v1/publications/", {"title": "One"}, format="json")
    with django_assert_max_num_queries(6) as one:
        client.get("/api/v1/publications/")
    baseline = len(one.captured_queries)
    for n in range(4):
        client.post("/api/v1/publications/", {"title": f"More {n}"}, format="json")
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/publications/").json()["count"] == 5


def test_editors_check_a_candidates_conflicts(world):
    url = f"/api/v1/submissions/{world.submission.pk}/reviewer-conflicts/"
    coauthor = world.submission.authors.get(order=2)
    reasons = client_for(world.editor).get(url, {"reviewer": world.reviewer.pk}).json()
    assert isinstance(reasons, list)
    self_check = client_for(world.editor).get(url, {"reviewer": world.author.pk}).json()
    assert self_check and all({"rule", "message"} <= set(r) for r in self_check)
    assert coauthor.email not in json.dumps(reasons)
    assert client_for(world.editor).get(url).status_code == 400
    assert client_for(world.reviewer).get(url, {"reviewer": world.author.pk}).status_code == 403


def test_matching_job_from_start_to_deployed_invitations(django_capture_on_commit_callbacks):
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits"],
        reviewer_topics=["bandits", "diffusion", "graphs"],
    )
    affinities_compute(venue=small.venue)
    client = client_for(small.chief)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/matching-runs/", {"venue": small.venue.slug, "max_load": 1}, format="json"
        )
    assert started.status_code == 202, started.content
    run = client.get(f"/api/v1/matching-runs/{started.json()['id']}/").json()
    assert run["status"] == "proposed" and run["progress"] == 100 and run["n_pairs"] == 3
    pairs = client.get(f"/api/v1/matching-runs/{run['id']}/pairs/").json()["results"]
    assert len(pairs) == 3 and all(p["reviewer"]["name"] for p in pairs)
    with django_capture_on_commit_callbacks(execute=True):
        deployed = client.post(f"/api/v1/matching-runs/{run['id']}/deploy/")
    assert deployed.status_code == 200 and deployed.json()["status"] == "deployed"
    assert ReviewInvitation.objects.filter(submission__venue=small.venue).count() == 3
    outsider = client_for(small.reviewers[0])
    assert outsider.get(f"/api/v1/matching-runs/{run['id']}/pairs/").status_code == 404


@pytest.mark.parametrize(
    "content",
    ["title,author\nA paper\n", 'title\r\n\r"A\rB",x\r', "title\n" + "x" * 200_000 + "\n"],
)
def test_unreadable_csv_is_a_400_not_a_crash(world, content):
    response = client_for(world.reviewer).post(
        "/api/v1/publications/import/", {"format": "csv", "content": content}, format="json"
    )
    assert response.status_code in {201, 400}, response.content
    assert set(response.json()) <= {
        "format", "created", "updated", "duplicates", "skipped", "problems", "notes", "detail",
        "errors",
    }


def proposed_run(django_capture_on_commit_callbacks):
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits"],
        reviewer_topics=["bandits", "diffusion", "graphs"],
    )
    affinities_compute(venue=small.venue)
    client = client_for(small.chief)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/matching-runs/", {"venue": small.venue.slug, "max_load": 1}, format="json"
        )
    return small, client, f"/api/v1/matching-runs/{started.json()['id']}/pairs/"


def test_chief_edits_a_proposal_before_deploying(django_capture_on_commit_callbacks):
    small, client, url = proposed_run(django_capture_on_commit_callbacks)
    pairs = client.get(url).json()["results"]
    paper = pairs[0]["submission"]
    taken = {p["reviewer"]["id"] for p in pairs if p["submission"] == paper}
    other = next(r for r in small.reviewers if r.pk not in taken)
    added = client.post(url, {"submission": paper, "reviewer": other.pk}, format="json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["pair"]["reviewer"]["id"] == other.pk and body["warnings"]
    again = client.post(url, {"submission": paper, "reviewer": other.pk}, format="json")
    assert again.status_code == 400 and "already proposed" in again.json()["detail"]
    assert client.get(url).json()["count"] == 4
    removed = client.delete(f"{url}{body['pair']['id']}/")
    assert removed.status_code == 200, removed.content
    assert client.get(url).json()["count"] == 3
    assert client.delete(f"{url}{body['pair']['id']}/").status_code == 404
    missing = client.post(url, {"submission": 10**9, "reviewer": other.pk}, format="json")
    assert missing.status_code == 400 and "submission" in missing.json()["errors"]


def test_only_chiefs_edit_proposals_and_only_before_deployment(
    django_capture_on_commit_callbacks,
):
    small, client, url = proposed_run(django_capture_on_commit_callbacks)
    pair = client.get(url).json()["results"][0]
    reviewer = client_for(small.reviewers[0])
    assert reviewer.delete(f"{url}{pair['id']}/").status_code == 404
    body = {"submission": pair["submission"], "reviewer": small.reviewers[0].pk}
    assert reviewer.post(url, body, format="json").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url.replace("pairs/", "deploy/"))
    late = client.delete(f"{url}{pair['id']}/")
    assert late.status_code == 409 and "not yet deployed" in late.json()["detail"]
