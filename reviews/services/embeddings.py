"""Cache sentence embeddings of publications and submissions, computed ahead of matching.

Embedding is the slow part of the affinity (about a tenth of a CPU-second per text), so it
happens incrementally: when publications are added or imported and when a paper's version
is uploaded, a Celery task embeds just those texts in batches. A vector is stored with the
hash of the text it was computed from and the checksum of the model's weights, so only a
changed text (or a different model) is embedded again. The affinity computation reads the
cache and embeds inline only the few texts still missing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence

import numpy as np
from django.conf import settings
from django.db import transaction

from reviews.matching.embedding import EmbeddingModel, EmbeddingUnavailable, load_embedding_model
from reviews.models import Publication, TextEmbedding
from reviews.selectors.expertise import publication_text, submission_text

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
KINDS = ("publication", "submission")
#: Texts embedded per batch (and per database write) by the background task.
BATCH = 64


def embedding_model_configured() -> EmbeddingModel:
    """Return the configured, checksum-verified model; raise `EmbeddingUnavailable` if none."""
    source = settings.AFFINITY_EMBEDDING_MODEL
    if not source:
        raise EmbeddingUnavailable("Embeddings are turned off (AFFINITY_EMBEDDING_MODEL is empty).")
    return load_embedding_model(source, sha256=settings.AFFINITY_EMBEDDING_SHA256 or None)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embeddings_queue(*, kind: str, ids: Sequence[int]) -> None:
    """Embed these texts in the background once the current transaction commits."""
    if not settings.AFFINITY_EMBEDDING_MODEL or not ids:
        return
    from reviews.tasks import embeddings_refresh_task

    chosen = [int(i) for i in ids]
    transaction.on_commit(lambda: embeddings_refresh_task.delay(kind, chosen))


def texts_of(*, kind: str, ids: Sequence[int]) -> dict[int, str]:
    """Return {id: text given to the models} of publications or submissions."""
    if kind == "publication":
        rows = Publication.objects.filter(pk__in=ids).values_list("pk", "title", "abstract")
        return {pk: publication_text(title, abstract) for pk, title, abstract in rows}
    if kind == "submission":
        from journal.models import Submission

        return {s.pk: submission_text(s) for s in Submission.objects.filter(pk__in=ids)}
    raise ValueError(f"kind must be one of {KINDS}")


def cached_vectors(
    *, model: EmbeddingModel, kind: str, texts: dict[int, str]
) -> dict[int, np.ndarray]:
    """Return the stored vectors whose text is unchanged, by id (stale ones are left out)."""
    owner = f"{kind}_id"
    rows = TextEmbedding.objects.filter(
        **{f"{owner}__in": list(texts)}, model_sha256=model.sha256
    ).values_list(owner, "text_sha256", "vector")
    return {
        pk: np.frombuffer(bytes(vector), dtype="<f4")
        for pk, digest, vector in rows.iterator(chunk_size=5000)
        if pk in texts and digest == text_sha256(texts[pk])
    }


def embeddings_store(
    *,
    model: EmbeddingModel,
    kind: str,
    texts: dict[int, str],
    progress: Progress | None = None,
) -> dict[int, np.ndarray]:
    """Embed ``texts`` {id: text} in batches and store them, replacing stale vectors."""
    owner = f"{kind}_id"
    ids = list(texts)
    out: dict[int, np.ndarray] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        vectors = model.encode([texts[i] for i in chunk])
        with transaction.atomic():
            TextEmbedding.objects.filter(
                **{f"{owner}__in": chunk}, model_sha256=model.sha256
            ).delete()
            TextEmbedding.objects.bulk_create(
                TextEmbedding(
                    **{owner: pk},
                    model_sha256=model.sha256,
                    text_sha256=text_sha256(texts[pk]),
                    vector=vector.astype("<f4").tobytes(),
                )
                for pk, vector in zip(chunk, vectors, strict=True)
            )
        out.update(zip(chunk, vectors, strict=True))
        if progress is not None:
            progress(min(len(ids), start + BATCH), len(ids))
    return out


def embeddings_refresh(*, kind: str, ids: Sequence[int], progress: Progress | None = None) -> int:
    """Embed those of the given texts that have no current vector; return how many.

    Without a usable model nothing happens (the affinity falls back to TF-IDF), and the
    reason is logged.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    try:
        model = embedding_model_configured()
    except EmbeddingUnavailable as exc:
        logger.warning("Embeddings not computed: %s", exc.message)
        return 0
    texts = texts_of(kind=kind, ids=ids)
    current = cached_vectors(model=model, kind=kind, texts=texts)
    todo = {pk: text for pk, text in texts.items() if pk not in current}
    embeddings_store(model=model, kind=kind, texts=todo, progress=progress)
    return len(todo)
